/**
 * Validation cases: a published measurement, the scenario that reproduces it, and the prediction of our
 * estimator for it. `flopcast validate` and `npm run calibrate` share this code (ARCHITECTURE §2).
 */
import {
  inferenceCalibrationData,
  inferenceEfficiencyFor,
  inferenceValidationCases,
  requireAccelerator,
  requireModel,
  toAccelerator,
  trainingCalibrationData,
  trainingEfficiencyFor,
  trainingValidationCases,
} from "@flopcast/catalog";
import {
  type Architecture,
  estimateInference,
  INFERENCE_ASSUMPTIONS,
  type InferenceEfficiency,
  planTrainingRun,
  TERA,
  type TrainingEfficiency,
} from "@flopcast/core";
import { resolveComputePrecision } from "./infer-plan.ts";

export type TrainingMetric = "mfu" | "hfuTflops" | "tflops6nd";

export interface TrainingCaseData {
  readonly id: string;
  readonly source: string;
  readonly model: string | Architecture;
  readonly modelName: string;
  readonly hardware: string;
  readonly chips: number;
  /** Matmul precision; fp8 and int8 (AQT) apply to matmuls only. */
  readonly precision: "bf16" | "fp16" | "fp8" | "int8";
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  /** Stated micro-batch; absent: chosen by the planner as at prediction time. */
  readonly microBatch?: number | undefined;
  readonly recompute?: "none" | "selective" | "full" | undefined;
  readonly zero: 0 | 1 | 2 | 3;
  readonly sequenceParallel: boolean;
  /** Stated virtual pipeline stages; absent: chosen by the planner. */
  readonly ppInterleave?: number | undefined;
  readonly tp?: number | undefined;
  readonly pp?: number | undefined;
  readonly dp?: number | undefined;
  readonly cp?: number | undefined;
  readonly metric: TrainingMetric;
  readonly expected: number;
  /** Training framework family (leave-one-framework-out groups): megatron, nemo, maxtext, deepspeed, fsdp, habana, other. */
  readonly framework?: string | undefined;
  /** Model family (leave-one-model-family-out groups): gpt3, llama, mpt, bloom, glm, grok, … */
  readonly modelFamily?: string | undefined;
  /** Year of the measurement: sets the era defaults (FlashAttention from 2023). */
  readonly year?: number | undefined;
  readonly flashAttention?: boolean | undefined;
}

function architectureOf(c: TrainingCaseData): Architecture {
  if (typeof c.model !== "string") return c.model;
  return requireModel(c.model).architecture;
}

/** Our prediction of the case's metric with the given efficiency parameters, through the same planner as `train`. */
export function predictTrainingCase(c: TrainingCaseData, efficiency: TrainingEfficiency): number {
  const chip = toAccelerator(requireAccelerator(c.hardware));
  const e = estimateCase(c, efficiency);
  const k = e.cluster;
  if (!k) throw new Error("no cluster estimate");
  const peak = chip.peak[c.precision] ?? 0;
  switch (c.metric) {
    case "mfu":
      return k.mfu;
    case "hfuTflops":
      return (k.hfu * peak) / TERA;
    case "tflops6nd":
      return ((k.mfu * e.flops6nd) / e.flops) * (peak / TERA);
  }
}

/** The layout and settings the planner runs a case with (stated knobs fixed, the rest searched). */
export function plannedLayout(c: TrainingCaseData, efficiency: TrainingEfficiency) {
  return estimateCase(c, efficiency).cluster;
}

function estimateCase(c: TrainingCaseData, efficiency: TrainingEfficiency) {
  const chip = toAccelerator(requireAccelerator(c.hardware));
  // The same input builder as `train`: stated knobs fixed, the rest left to the planner and the era defaults.
  return planTrainingRun(
    architectureOf(c),
    {
      tokens: c.globalBatchTokens,
      seqLen: c.seqLen,
      globalBatchTokens: c.globalBatchTokens,
      microBatch: c.microBatch,
      precision: c.precision,
      recompute: c.recompute,
      sequenceParallel: c.sequenceParallel ? true : undefined,
      ppInterleave: c.ppInterleave,
      zero: c.zero,
      flashAttention: c.flashAttention,
      year: c.year,
      chips: c.chips,
      tp: c.tp,
      pp: c.pp,
      dp: c.dp,
      cp: c.cp,
      pue: 1,
    },
    { chip, efficiency },
  );
}

/** Relative error, CONTRACT.md: predicted/expected − 1. */
export const errorRatio = (predicted: number, expected: number): number => predicted / expected - 1;

/** Stated tolerance of a training case: a back-of-envelope model against one published run (docs/validation.md). */
export const TRAINING_CASE_TOLERANCE = 0.5;
/** Stated tolerance of the median |error| over all cases of one estimator. */
export const MEDIAN_ERROR_TOLERANCE = 0.15;

export interface LedgerCase {
  readonly id: string;
  readonly estimator: "training" | "inference";
  readonly metric: string;
  readonly hardware: string;
  readonly model: string;
  readonly expected: number;
  readonly predicted: number;
  readonly errorRatio: number;
  readonly tolerance: number;
  readonly withinTolerance: boolean;
  /** Was this row used to fit the parameters that predict it (in-sample)? */
  readonly fitted: boolean;
  readonly source: string;
}

export interface LedgerSummary {
  readonly cases: number;
  readonly medianAbsError: number;
  readonly withinTolerance: number;
  readonly byChipMetric: readonly {
    hardware: string;
    metric: string;
    cases: number;
    medianAbsError: number;
    worstErrorRatio: number;
  }[];
}

export const medianOf = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Nearest-rank quantile (q in [0, 1]). */
export const quantileOf = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))] ?? Number.NaN;
};

export function summarize(cases: readonly LedgerCase[]): LedgerSummary {
  const groups = new Map<string, LedgerCase[]>();
  for (const c of cases)
    groups.set(`${c.hardware}|${c.metric}`, [...(groups.get(`${c.hardware}|${c.metric}`) ?? []), c]);
  return {
    cases: cases.length,
    medianAbsError: medianOf(cases.map((c) => Math.abs(c.errorRatio))),
    withinTolerance: cases.filter((c) => c.withinTolerance).length,
    byChipMetric: [...groups.entries()]
      .map(([k, xs]) => {
        const [hardware = "", metric = ""] = k.split("|");
        const worst = xs.reduce((w, c) => (Math.abs(c.errorRatio) > Math.abs(w) ? c.errorRatio : w), 0);
        return {
          hardware,
          metric,
          cases: xs.length,
          medianAbsError: medianOf(xs.map((c) => Math.abs(c.errorRatio))),
          worstErrorRatio: worst,
        };
      })
      .sort((a, b) => a.hardware.localeCompare(b.hardware) || a.metric.localeCompare(b.metric)),
  };
}

/** Runs every training case with the committed calibration (the ledger of docs/validation.md). */
export function trainingLedger(): LedgerCase[] {
  const cal = trainingCalibrationData();
  const fittedRows = new Set([
    ...Object.values(cal.families).flatMap((f) => [
      ...(f.matmulPeakFraction?.rows ?? []),
      ...(f.lowPrecisionMatmulPeakFraction?.rows ?? []),
    ]),
  ]);
  return (trainingValidationCases() as TrainingCaseData[]).map((c) => {
    const hw = requireAccelerator(c.hardware);
    const predicted = predictTrainingCase(c, trainingEfficiencyFor(hw));
    const err = errorRatio(predicted, c.expected);
    return {
      id: c.id,
      estimator: "training" as const,
      metric: c.metric,
      hardware: c.hardware,
      model: typeof c.model === "string" ? c.model : c.modelName,
      expected: c.expected,
      predicted: Number(predicted.toPrecision(4)),
      errorRatio: Number(err.toFixed(4)),
      tolerance: TRAINING_CASE_TOLERANCE,
      withinTolerance: Math.abs(err) <= TRAINING_CASE_TOLERANCE,
      fitted: fittedRows.has(c.id),
      source: c.source,
    };
  });
}

export interface InferenceCaseData {
  readonly id: string;
  readonly source: string;
  readonly model: string;
  readonly hardware: string;
  readonly chips: number;
  readonly tp?: number | undefined;
  readonly pp?: number | undefined;
  readonly weightPrecision: "fp32" | "bf16" | "fp16" | "fp8" | "int8" | "int4" | "fp4";
  readonly kvPrecision: "fp32" | "bf16" | "fp16" | "fp8" | "int8" | "int4" | "fp4";
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Whole-system output tokens/s at maximum batch (MLPerf Offline, trtllm-bench max throughput), or samples/s. */
  readonly metric: "outputTokensPerS" | "samplesPerS";
  readonly expected: number;
  readonly note: string;
  /** Sequences per engine the submitter configured (NVIDIA MLPerf `gpu_batch_size`), when the row states it. */
  readonly batchLimit?: number | undefined;
}

/**
 * Our prediction of an inference case at the largest batch that fits. When the row does not state TP, the
 * layout a submitter would pick is used: the power-of-two TP ≤ the scale-up domain with the best throughput.
 */
export function predictInferenceCase(c: InferenceCaseData, efficiency: InferenceEfficiency): number {
  const hardware = requireAccelerator(c.hardware);
  const architecture = requireModel(c.model).architecture;
  const chip = toAccelerator(hardware);
  const pp = c.pp ?? 1;
  // Inside the scale-up domain, or up to 8 chips over PCIe/scale-out for cards without one.
  const domain = Math.min(Math.max(chip.scaleUpDomain ?? 1, 8), c.chips);
  const tps = c.tp ? [c.tp] : [1, 2, 4, 8, 16, 32, 64].filter((t) => t <= domain && architecture.heads % t === 0);
  let best = 0;
  for (const tp of tps) {
    const { precision } = resolveComputePrecision(chip, c.weightPrecision);
    const e = estimateInference({
      architecture,
      chip,
      chips: c.chips,
      tp,
      pp,
      ep: tp * pp,
      weightPrecision: c.weightPrecision,
      kvPrecision: c.kvPrecision,
      computePrecision: precision,
      inputTokens: c.inputTokens,
      outputTokens: c.outputTokens,
      batch: "max",
      maxBatchLimit: c.batchLimit,
      extraPrefillTokens: 0,
      usableMemoryFraction: INFERENCE_ASSUMPTIONS.usableMemoryFraction,
      efficiency,
    });
    if (!e.feasible) continue;
    best = Math.max(best, c.metric === "samplesPerS" ? e.outputTokensPerS / c.outputTokens : e.outputTokensPerS);
  }
  return best;
}

/** A catalog model id's family: the id without its size ("llama-3.1-8b" → "llama-3.1", "mixtral-8x7b" → "mixtral"). */
export const modelFamilyOf = (modelId: string): string => modelId.replace(/-[\d.]+(x[\d.]+)?[bmk]$/i, "");

/** Runs every inference case with the committed calibration. */
export function inferenceLedger(): LedgerCase[] {
  const cal = inferenceCalibrationData();
  return (inferenceValidationCases() as InferenceCaseData[]).map((c) => {
    const hw = requireAccelerator(c.hardware);
    const predicted = predictInferenceCase(c, inferenceEfficiencyFor(hw));
    const err = errorRatio(predicted, c.expected);
    const fit = cal.generations[hw.family] ?? cal.prior;
    const tolerance = fit.rows.length >= WELL_CALIBRATED_ROWS ? INFERENCE_CASE_TOLERANCE : THIN_FAMILY_TOLERANCE;
    return {
      id: c.id,
      estimator: "inference" as const,
      metric: c.metric,
      hardware: c.hardware,
      model: c.model,
      expected: c.expected,
      predicted: Number(predicted.toPrecision(4)),
      errorRatio: Number(err.toFixed(4)),
      tolerance,
      withinTolerance: Math.abs(err) <= tolerance,
      fitted: fit.rows.includes(c.id),
      source: c.source,
    };
  });
}

/** Stated tolerance of one inference case (max-throughput rows; engine generations differ, docs/validation.md). */
export const INFERENCE_CASE_TOLERANCE = 0.6;
/** Families calibrated on fewer rows than this get the wider tolerance below: their one or two parameters are barely constrained. */
export const WELL_CALIBRATED_ROWS = 6;
export const THIN_FAMILY_TOLERANCE = 1.5;
