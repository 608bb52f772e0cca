/**
 * Writes docs/validation.md from the live ledgers (`flopcast validate`), so the document always shows the
 * current errors, misses included. `npm run calibrate` runs it last; alone: `npm run docs:validation`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inferenceCalibrationData, trainingCalibrationData } from "@flopcast/catalog";
import { inferenceLedger, type LedgerCase, medianOf, summarize, trainingLedger } from "@flopcast/contract";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

type Loco = { medianAbsError: number; cases: { hardware: string; errorRatio: number; prior: string }[] } | undefined;

/** Out-of-sample: each chip's rows predicted from a fit that excludes that chip (family prior, else global prior). */
function locoTable(loco: Loco): string[] {
  if (!loco) return [];
  const chips = [...new Set(loco.cases.map((c) => c.hardware))];
  return [
    `**Leave-one-chip-out** (each chip's rows predicted from a fit without them): median |error| **${pct(loco.medianAbsError)}** over ${loco.cases.length} cases.`,
    "",
    "| hardware | cases | median abs error | predicted from |",
    "|---|---:|---:|---|",
    ...chips.map((h) => {
      const xs = loco.cases.filter((c) => c.hardware === h);
      return `| ${h} | ${xs.length} | ${pct(medianOf(xs.map((c) => Math.abs(c.errorRatio))))} | ${[...new Set(xs.map((c) => c.prior))].join(", ")} prior |`;
    }),
  ];
}

function ledgerSection(title: string, cases: readonly LedgerCase[], loco: Loco, toleranceNote: string): string[] {
  const s = summarize(cases);
  return [
    `## ${title}`,
    "",
    `${s.cases} cases, in-sample median |error| **${pct(s.medianAbsError)}**, ${s.withinTolerance} within their stated tolerance (${toleranceNote}; the test suite also requires the median ≤ 15%).`,
    "",
    ...locoTable(loco),
    "",
    "| hardware | metric | cases | median abs error | worst error |",
    "|---|---|---:|---:|---:|",
    ...s.byChipMetric.map(
      (g) => `| ${g.hardware} | ${g.metric} | ${g.cases} | ${pct(g.medianAbsError)} | ${pct(g.worstErrorRatio)} |`,
    ),
    "",
    "| case | metric | hardware | expected | predicted | error | fitted |",
    "|---|---|---|---:|---:|---:|---|",
    ...cases.map(
      (c) =>
        `| ${c.id} | ${c.metric} | ${c.hardware} | ${c.expected} | ${c.predicted} | ${pct(c.errorRatio)} | ${c.fitted ? "yes" : "no"} |`,
    ),
    "",
  ];
}

interface ServingGroupRow {
  key: string;
  metric: string;
  cases: number;
  medianAbsError: number;
  medianAbsErrorLoco: number;
  medianErrorRatio: number;
}

/** The serving section, from the summary `npm run calibrate:serving` writes (a full run simulates 550 rows). */
function servingSection(): string[] {
  const path = join(import.meta.dirname, "..", "packages", "catalog", "data", "validation", "serving-summary.json");
  if (!existsSync(path)) return [];
  const s = JSON.parse(readFileSync(path, "utf8")) as {
    rows: number;
    expressed: number;
    skippedByReason: Record<string, number>;
    fittedCases: number;
    byMetric: Record<
      string,
      { cases: number; medianAbsError: number; medianAbsErrorLoco: number; medianErrorRatio: number }
    >;
    byHardware: ServingGroupRow[];
    byEngine: ServingGroupRow[];
    byMode: ServingGroupRow[];
    notFitted: { id: string; metric: string; errorRatio: number; note?: string }[];
  };
  const table = (title: string, gs: ServingGroupRow[]) => [
    `| ${title} | metric | cases | median abs error | LOCO median abs error | median error |`,
    "|---|---|---:|---:|---:|---:|",
    ...gs.map(
      (g) =>
        `| ${g.key} | ${g.metric} | ${g.cases} | ${pct(g.medianAbsError)} | ${pct(g.medianAbsErrorLoco)} | ${pct(g.medianErrorRatio)} |`,
    ),
    "",
  ];
  return [
    "## Serving simulator (`validate --serving`)",
    "",
    `Measured load sweeps (reference/serving-measured.csv, SemiAnalysis InferenceX): each row is one closed-loop \`serve\``,
    "run at the row's concurrency, layout (TP/EP/DP attention, prefill/decode workers), precision, engine and MTP setting,",
    "with 10 × concurrency measured requests after 2 × concurrency warm-up and lengths uniform in 0.8–1.0 × nominal, as the",
    "benchmark client runs. Fitted on these rows: one host overhead per iteration per engine profile and the MTP acceptance",
    "α (`npm run calibrate:serving`); chip physics comes from the inference calibration and is not refitted. *LOCO* =",
    "those constants refitted without the row's chip. Regenerate the numbers with `npm run calibrate:serving`.",
    "",
    `${s.expressed} of ${s.rows} rows simulated; ${s.fittedCases} fitted cases. Skipped:`,
    "",
    ...Object.entries(s.skippedByReason).map(([r, n]) => `- ${n} × ${r}`),
    "",
    "| metric | cases | median abs error (in-sample) | LOCO median abs error | median error |",
    "|---|---:|---:|---:|---:|",
    ...Object.entries(s.byMetric).map(
      ([m, x]) =>
        `| ${m} | ${x.cases} | ${pct(x.medianAbsError)} | ${pct(x.medianAbsErrorLoco)} | ${pct(x.medianErrorRatio)} |`,
    ),
    "",
    ...table("hardware", s.byHardware),
    ...table("engine", s.byEngine),
    ...table("mode", s.byMode),
    `Shown but not fitted (flagged in serving-measured.md): ${[...new Set(s.notFitted.map((c) => c.id))].join(", ") || "none"}.`,
    "",
  ];
}

export function renderValidationDoc(): string {
  return [
    "# Validation ledger",
    "",
    "Generated by `npm run docs:validation` from `flopcast validate`; do not edit by hand.",
    "",
    "Each row is a published measurement from `../shared/reference/` (dev data), the scenario that reproduces it",
    "(`packages/catalog/data/validation/*.json`, built by `npm run calibrate`), our prediction, and",
    "`errorRatio = predicted / expected − 1`. *fitted* = the row was used to fit the parameters that predict it",
    "(in-sample), so the leave-one-chip-out tables are the honest measure of how the estimators generalise.",
    "Held-back runs (LLaMA-65B, PaLM, Gopher, Falcon-180B, Nemotron-4, DeepSeek-V3) are never used.",
    "",
    ...ledgerSection(
      "Training estimator",
      trainingLedger(),
      trainingCalibrationData().leaveOneChipOut,
      "±50% per case",
    ),
    "Training metrics: `mfu` = model FLOPs utilisation (PaLM definition, attention included); `hfuTflops` = achieved",
    "TFLOP/s per chip counting recompute (Megatron eq. 3 style); `tflops6nd` = 6·N·tokens / (chips · seconds) per",
    "chip, the MLPerf-derived figure in the reference data. Rows the step model cannot reproduce with an efficiency",
    "≤ 1 (e.g. MLPerf runs at > 10,000 GPUs whose batch leaves < 8 micro-batches per pipeline) are not fitted.",
    "",
    ...ledgerSection(
      "Inference estimator",
      inferenceLedger(),
      inferenceCalibrationData().leaveOneChipOut,
      "±60% per case; ±150% on chip families calibrated on fewer than 6 rows",
    ),
    "Inference metrics: whole-system output tokens/s at the largest batch that fits (MLPerf Offline, trtllm-bench",
    "max throughput), or samples/s for MLPerf v4.x GPT-J. MLPerf prompt lengths are dataset means (see",
    "`scripts/inference-cases.ts`); MLPerf reference implementations, MaxQ (power-capped) runs and v5.0 GPT-J are",
    "not modelled. Gaudi 2 and TPU v5e have one row each: their in-sample error is ~0 by construction; their",
    "leave-one-chip-out error is the real one.",
    "",
    ...servingSection(),
  ].join("\n");
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(join(import.meta.dirname, "..", "docs", "validation.md"), renderValidationDoc());
  console.log("wrote docs/validation.md");
}
