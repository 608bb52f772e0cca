/**
 * Writes docs/validation.md from the live ledgers (`flopcast validate`), so the document always shows the
 * current errors, misses included. `npm run calibrate` runs it last; alone: `npm run docs:validation`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  inferenceCalibrationData,
  requireAccelerator,
  trainingCalibrationData,
  trainingEfficiencyFor,
  trainingValidationCases,
} from "@flopcast/catalog";
import {
  inferenceLedger,
  type LedgerCase,
  medianOf,
  plannedLayout,
  summarize,
  type TrainingCaseData,
  trainingLedger,
} from "@flopcast/contract";

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
    `${s.cases} cases, in-sample median |error| **${pct(s.medianAbsError)}**, ${s.withinTolerance} within their stated tolerance (${toleranceNote}).`,
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

type HeldOut = ReturnType<typeof inferenceCalibrationData>["leaveOneChipOut"];

function heldOutTable(title: string, h: HeldOut, groupName: string): string[] {
  const groups = [...new Set(h.cases.map((c) => c.group))];
  const weightOf = (g: string) => h.folds.find((f) => f.group === g)?.priorWeight?.value ?? "—";
  return [
    `**${title}**: median |error| **${pct(h.medianAbsError)}** over ${h.cases.length} cases.`,
    "",
    `| ${groupName} | cases | median abs error | λ chosen without it | predicted from |`,
    "|---|---:|---:|---:|---|",
    ...groups.map((g) => {
      const xs = h.cases.filter((c) => c.group === g);
      return `| ${g} | ${xs.length} | ${pct(medianOf(xs.map((c) => Math.abs(c.errorRatio))))} | ${weightOf(g)} | ${[...new Set(xs.map((c) => c.prior))].join(", ")} |`;
    }),
    "",
  ];
}

/** How the prior weight λ was chosen (nested cross-validation), and what each fixed λ would have given. */
function priorWeightSection(cal: ReturnType<typeof inferenceCalibrationData>): string[] {
  const pw = cal.priorWeight;
  if (!pw) return [];
  return [
    "#### How the prior weight is chosen",
    "",
    "The fit minimises the median |log error| plus λ·ln²(fraction ÷ prior) per fitted fraction. λ is chosen by",
    "**nested cross-validation**: on the rows a fit may see, leave-one-chip-out for each candidate",
    `(${pw.candidates.join(", ")}), keeping the lowest median (ties: the smaller λ). The shipped fit uses`,
    `**λ = ${pw.value}** (leave-one-chip-out over all dev rows: ${pw.candidates.map((w) => `${w}: ${pct(pw.innerMedianAbsError[String(w)] ?? Number.NaN)}`).join(", ")}).`,
    "Every held-out fold below repeats the choice on its own training rows, so no held-out row influences the λ",
    'or the fractions that predict it (the "λ chosen without it" column).',
    "",
    "Before this, λ = 0.3 had been picked among 0.02, 0.1 and 0.3 by looking at the held-out medians: fitting on the",
    "test. For disclosure only (choosing among them would be that mistake again), the held-out medians at each fixed λ:",
    "",
    "| fixed λ | leave-one-chip-out | leave-one-model-family-out | AMD held out |",
    "|---:|---:|---:|---:|",
    ...pw.candidates.map((w) => {
      const x = pw.heldOutAtFixedWeight[String(w)];
      return x
        ? `| ${w} | ${pct(x.leaveOneChipOut)} | ${pct(x.leaveOneModelFamilyOut)} | ${pct(x.AMD)} |`
        : `| ${w} | — | — | — |`;
    }),
    "",
    "With nested selection, leave-one-model-family-out misses its 12% target: the Llama 3.1 fold (most of the rows)",
    "is predicted from Llama 2, GPT-J and Mixtral rows alone, whose own leave-one-chip-out prefers no pull toward the",
    "prior; the fits then follow those older workloads. The honest figure is reported; the target is not met.",
    "",
  ];
}

/**
 * The two single-row chips whose held-out error is far outside the rest: the mechanism our model lacks, named (not
 * fitted away). Numbers are read from the calibration so the text cannot drift from the table.
 */
function singleRowMisses(cal: ReturnType<typeof inferenceCalibrationData>): string[] {
  const err = (hw: string) => cal.leaveOneChipOut.cases.find((c) => c.hardware === hw)?.errorRatio;
  const gaudi = err("gaudi2");
  const tpu = err("tpu-v5e");
  const fitted = (g: string) => cal.generations[g]?.fractions.matmulPeakFraction;
  if (gaudi === undefined || tpu === undefined) return [];
  return [
    "#### The single-row misses: Gaudi 2 and TPU v5e",
    "",
    `Held out, the one Gaudi 2 row (Llama-2-70B, 8 chips, MLPerf v4.0 Offline) is predicted ${pct(gaudi)} off and the one`,
    `TPU v5e row (GPT-J, 4 chips) ${pct(tpu)}; in sample each generation absorbs the gap into a matmul fraction far below`,
    `the prior's ${cal.prior.fractions.matmulPeakFraction} (Gaudi ${fitted("intel-gaudi")}, TPU ${fitted("google-tpu")}). Both are the same missing`,
    "mechanism: **static-shape execution**. Both stacks compile a graph per tensor shape (SynapseAI on Gaudi, XLA on",
    "TPU) and therefore pad: the batch size, the prompt length and the KV context are rounded up to buckets and a batch",
    "runs at its padded shape (vLLM for Gaudi documents the three bucketed dimensions, docs.vllm.ai/projects/gaudi",
    '"Bucketing Mechanism"; TPU input pipelines pad to bucket lengths because each new shape recompiles). Our step',
    "model, written for paged continuous-batching engines, charges only real tokens. Size (our arithmetic, not a fit):",
    "GPT-J's prefill is ≈ 87% of its FLOPs per MLPerf sample (871-token mean prompt, 128 output tokens), so prompts",
    "padded to about twice their mean length nearly halve throughput, the size of the TPU miss. Modelling it needs the",
    "engine's bucket sizes (an engine-profile input); the rows are kept and the held-out misses reported: the low",
    "in-sample fractions are the symptom, not a property of the chips.",
    "",
  ];
}

/** Out-of-sample errors of the inference estimator: each held-out group is excluded from every fit that predicts it. */
function inferenceHeldOutSection(): string[] {
  const cal = inferenceCalibrationData();
  const fits = [["vendor-neutral prior", cal.prior] as const, ...Object.entries(cal.generations)];
  return [
    "### Inference: fitted fractions and out-of-sample errors",
    "",
    "Physical fractions per chip generation (`packages/catalog/data/calibration/inference.json`): the matmul peak",
    "fraction (asymptote of η_gemm) and the HBM fraction are fitted; attention and bus fractions and the η_gemm",
    "half-dimensions stay at the roofline prior. A fitted fraction far below the prior names a missing mechanism",
    "rather than a property of the chip (e.g. Blackwell's HBM fraction: FP4 weights and FP8 KV kernels we do not model).",
    "",
    "| fit | matmul | HBM | fitted | rows | chips |",
    "|---|---:|---:|---|---:|---|",
    ...fits.map(
      ([name, f]) =>
        `| ${name} | ${f.fractions.matmulPeakFraction} | ${f.fractions.hbmFraction} | ${f.fitted.join(", ")} | ${f.rows.length} | ${f.chips.join(", ")} |`,
    ),
    "",
    "Without the measured-ceiling scaling of the prior, the AMD rows held out were 56.7% off at λ = 0.3 (the MI300X",
    "microbenchmark ratio 0.45/0.93 = 0.48; compare the fitted CDNA3 ÷ Hopper matmul fractions).",
    "",
    ...priorWeightSection(cal),
    ...heldOutTable("Leave-one-chip-out (inference)", cal.leaveOneChipOut, "chip held out"),
    ...heldOutTable("Leave-one-model-family-out (inference)", cal.leaveOneModelFamilyOut, "family held out"),
    ...Object.entries(cal.vendorHeldOut).flatMap(([vendor, h]) =>
      heldOutTable(`${vendor} rows predicted with no ${vendor} row in the fit`, h, "vendor held out"),
    ),
    ...singleRowMisses(cal),
    `Chips without rows of their generation get the vendor-neutral prior; where a microbenchmark shows a chip reaching a`,
    `different share of its datasheet peak than the chips the prior was fitted on, the prior is scaled by that ratio`,
    `(${Object.entries(cal.measuredCeilings.chips)
      .map(([id, c]) => `${id}: matmul ${c.matmul}, HBM ${c.hbm}`)
      .join(
        "; ",
      )}; reference ${cal.measuredCeilings.reference.matmul}/${cal.measuredCeilings.reference.hbm}; ${cal.measuredCeilings.reference.source}).`,
    "",
  ];
}

/** Validation rows whose stated (or framework-documented) layout the estimator flags infeasible, with why. */
function rejectedLayouts(): string[] {
  return (trainingValidationCases() as TrainingCaseData[]).flatMap((c) => {
    const l = plannedLayout(c, trainingEfficiencyFor(requireAccelerator(c.hardware)));
    return l && !l.feasible ? [`${c.id} (${l.reasons.map((r) => r.message).join("; ")})`] : [];
  });
}

/** Leave-one-model-family-out and leave-one-framework-out (each group refitted without its rows), and the misses. */
function trainingOutOfSample(): string[] {
  const cal = trainingCalibrationData();
  const table = (title: string, r: typeof cal.leaveOneFrameworkOut) => {
    if (!r) return [];
    const groups = [...new Set(r.cases.map((c) => c.group))];
    return [
      `**${title}**: median |error| **${pct(r.medianAbsError)}** over ${r.cases.length} cases.`,
      "",
      "| held out | cases | median abs error | median error |",
      "|---|---:|---:|---:|",
      ...groups.map((g) => {
        const xs = r.cases.filter((c) => c.group === g).map((c) => c.errorRatio);
        return `| ${g} | ${xs.length} | ${pct(medianOf(xs.map(Math.abs)))} | ${pct(medianOf(xs))} |`;
      }),
      "",
    ];
  };
  return [
    ...table("Leave-one-model-family-out", cal.leaveOneModelFamilyOut),
    ...table("Leave-one-framework-out", cal.leaveOneFrameworkOut),
    `Rows that need a fraction above 1 (kept in the ledger; they name a missing mechanism): ${cal.misses.map((m) => `${m.id} (${m.impliedFraction})`).join(", ") || "none"}.`,
    "",
    `Rows whose stated layout our own checks reject (kept and estimated on that layout anyway; the run did fit, so a memory term or a knob is missing): ${rejectedLayouts().join("; ") || "none"}.`,
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
      "±50% per case, not asserted: CI asserts the out-of-sample medians below",
    ),
    ...trainingOutOfSample(),
    "Training metrics: `mfu` = model FLOPs utilisation (PaLM definition, attention included); `hfuTflops` = achieved",
    "TFLOP/s per chip counting recompute (Megatron eq. 3 style); `tflops6nd` = 6·N·tokens / (chips · seconds) per",
    "chip, the MLPerf-derived figure in the reference data. Rows the step model cannot reproduce with a fraction",
    "≤ 1 are not fitted on but stay in the ledger.",
    "",
    ...ledgerSection(
      "Inference estimator",
      inferenceLedger(),
      undefined,
      "±60% per case; ±150% on chip generations calibrated on fewer than 6 rows",
    ),
    ...inferenceHeldOutSection(),
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
