/**
 * `flopcast calibrate --runs my-runs.csv`: fits the training step model's physical fractions to a user's own
 * measured step times (docs/model.md §2.7) and returns a profile in the schema of
 * packages/catalog/data/calibration/training.json, which `train --calibration profile.json` then uses.
 *
 * CSV (header row, comma-separated, no quoted commas), one measured configuration per row:
 *   model            catalog model id (flopcast model list)
 *   hardware         catalog accelerator id
 *   chips            accelerators in the run
 *   tp, pp           tensor- and pipeline-parallel degrees (dp = chips ÷ (tp·pp·cp))
 *   cp               optional, context-parallel degree (default 1)
 *   seq_len          sequence length, tokens
 *   tokens_per_step  global batch, tokens per optimizer step
 *   step_time_s      measured seconds per optimizer step (steady state)
 *   precision        optional: bf16 (default) | fp16 | fp8
 *   micro_batch      optional: sequences per micro-batch (default 1)
 *   pp_interleave    optional: virtual pipeline stages per chip (default 1)
 *   recompute        optional: none | selective | full (default none)
 *   zero             optional: ZeRO stage 0–3 (default 1)
 *   year             optional: year of the run (era defaults: FlashAttention and TP overlap from 2023)
 */
import { findAccelerator, findModel, type TrainingCalibrationFile, toAccelerator } from "@flopcast/catalog";
import { tokens as asTokens, type Problem, trainingFlops } from "@flopcast/core";
import { fitFractions, pinCase } from "./training-fit.ts";
import type { TrainingCaseData } from "./validation.ts";

export const RUNS_CSV_COLUMNS = ["model", "hardware", "chips", "tp", "pp", "seq_len", "tokens_per_step", "step_time_s"];

/** Rows of the runs CSV as validation cases whose metric is the MFU the measured step time implies. */
export function runsToCases(text: string): { cases: TrainingCaseData[]; problems: Problem[] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const problems: Problem[] = [];
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  for (const c of RUNS_CSV_COLUMNS)
    if (!header.includes(c))
      problems.push({ path: `runs.${c}`, message: `missing column ${c}`, hint: RUNS_CSV_COLUMNS.join(",") });
  if (problems.length) return { cases: [], problems };
  const cases: TrainingCaseData[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(",").map((x) => x.trim());
    const row = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ""]));
    const path = `runs[${i + 1}]`;
    const num = (k: string, required = true): number | undefined => {
      const v = row[k];
      if (v === undefined || v === "") {
        if (required) problems.push({ path: `${path}.${k}`, message: "required" });
        return undefined;
      }
      const x = Number(v);
      if (!Number.isFinite(x) || x <= 0) {
        problems.push({ path: `${path}.${k}`, message: `must be a positive number, got ${JSON.stringify(v)}` });
        return undefined;
      }
      return x;
    };
    const m = findModel(row.model ?? "", `${path}.model`);
    const h = findAccelerator(row.hardware ?? "", `${path}.hardware`);
    if (!m.ok) problems.push(...m.problems);
    if (!h.ok) problems.push(...h.problems);
    const chips = num("chips");
    const tp = num("tp");
    const pp = num("pp");
    const cp = num("cp", false) ?? 1;
    const seqLen = num("seq_len");
    const tokens = num("tokens_per_step");
    const stepS = num("step_time_s");
    const precision = (row.precision || "bf16") as "bf16" | "fp16" | "fp8";
    if (!["bf16", "fp16", "fp8"].includes(precision))
      problems.push({
        path: `${path}.precision`,
        message: `unknown precision ${precision}`,
        hint: "bf16, fp16 or fp8",
      });
    const recompute = (row.recompute || "none") as "none" | "selective" | "full";
    if (!["none", "selective", "full"].includes(recompute))
      problems.push({ path: `${path}.recompute`, message: `unknown recompute ${recompute}` });
    if (!m.ok || !h.ok || !chips || !tp || !pp || !seqLen || !tokens || !stepS) return;
    const chip = toAccelerator(h.value);
    const peak = chip.peak[precision];
    if (!peak) {
      problems.push({ path: `${path}.precision`, message: `${h.value.id} has no ${precision} peak` });
      return;
    }
    if (chips % (tp * pp * cp) !== 0) {
      problems.push({ path: `${path}.chips`, message: `tp·pp·cp = ${tp * pp * cp} does not divide ${chips}` });
      return;
    }
    const zero = row.zero ? Number(row.zero) : 1;
    if (![0, 1, 2, 3].includes(zero)) {
      problems.push({ path: `${path}.zero`, message: `ZeRO stage must be 0–3, got ${row.zero}` });
      return;
    }
    const mfu = trainingFlops(m.value.architecture, asTokens(tokens), seqLen) / (stepS * chips * peak);
    cases.push({
      id: `run-${i + 1}`,
      source: "user runs CSV",
      model: m.value.id,
      modelName: m.value.id,
      hardware: h.value.id,
      chips,
      precision,
      seqLen,
      globalBatchTokens: tokens,
      microBatch: num("micro_batch", false) ?? 1,
      ppInterleave: num("pp_interleave", false) ?? 1,
      recompute,
      zero: zero as 0 | 1 | 2 | 3,
      year: num("year", false),
      sequenceParallel: false,
      tp,
      pp,
      cp,
      metric: "mfu",
      expected: mfu,
    });
  });
  return { cases, problems };
}

/** Fits a calibration profile on a runs CSV (the same fit as `npm run calibrate`). */
export function calibrateFromRuns(
  text: string,
  meta: { fittedAt: string; source: string },
): { ok: true; profile: TrainingCalibrationFile; cases: number } | { ok: false; problems: Problem[] } {
  const { cases, problems } = runsToCases(text);
  if (problems.length) return { ok: false, problems };
  if (!cases.length) return { ok: false, problems: [{ path: "runs", message: "no rows" }] };
  const { calibration } = fitFractions(cases.map(pinCase), new Map(), {
    fittedAt: meta.fittedAt,
    script: `flopcast calibrate --runs ${meta.source}`,
  });
  return { ok: true, profile: calibration, cases: cases.length };
}
