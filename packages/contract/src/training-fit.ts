/**
 * Fitting the training step model's physical fractions (docs/model.md §2.7), shared by `npm run calibrate`,
 * `flopcast calibrate` and the out-of-sample test. For every case, bisection finds the matmul peak fraction
 * (16-bit rows) or FP8 matmul peak fraction (FP8 rows, given the 16-bit value) that reproduces the
 * measurement; a chip generation's value is the median over its rows, the prior the median over all rows.
 * Rows implying a fraction above 1 (or below 0.05) are not fitted on but stay in the ledger as misses.
 * Leave-one-group-out refits without the held-out group and predicts it.
 */
import {
  generationOf,
  requireAccelerator,
  type TrainingCalibrationFile,
  trainingCalibrationData,
  trainingEfficiencyFrom,
} from "@flopcast/catalog";
import type { TrainingEfficiency } from "@flopcast/core";
import {
  errorRatio,
  medianOf,
  plannedLayout,
  predictTrainingCase,
  quantileOf,
  type TrainingCaseData,
} from "./validation.ts";

const familyOf = (c: TrainingCaseData) => generationOf(requireAccelerator(c.hardware));
/** 8-bit matmul rows (FP8, or int8 AQT on TPU) fit the low-precision matmul fraction. */
const isLow = (c: TrainingCaseData) => c.precision === "fp8" || c.precision === "int8";

/** The constant part of the prior: sourced fractions that are not fitted (roofline.ts PRIOR_PHYSICAL_FRACTIONS). */
export function priorConstants(): Omit<
  TrainingCalibrationFile["prior"],
  "matmulPeakFraction" | "lowPrecisionMatmulPeakFraction"
> {
  const p = trainingCalibrationData().prior;
  return {
    attentionToMatmulRatio: p.attentionToMatmulRatio,
    hbmFraction: p.hbmFraction,
    busBandwidthFraction: p.busBandwidthFraction,
    gemmHalfDim: p.gemmHalfDim,
    basis: p.basis,
  };
}

const assumption = (value: number) => ({
  value,
  kind: "assumption" as const,
  rows: [],
  chips: [],
  band: { low: 0.8, high: 1.25 },
});

/** Calibration file with given fractions for every generation (used while bisecting). */
function fileWith(m16: number, m8: number, constants = priorConstants()): TrainingCalibrationFile {
  return {
    fittedAt: "",
    script: "",
    method: "",
    families: {},
    prior: { ...constants, matmulPeakFraction: assumption(m16), lowPrecisionMatmulPeakFraction: assumption(m8) },
    misses: [],
  };
}

const efficiencyFor = (c: TrainingCaseData, m16: number, m8: number): TrainingEfficiency =>
  trainingEfficiencyFrom(fileWith(Math.min(1, m16), Math.min(1, m8)), requireAccelerator(c.hardware));

/**
 * Pins the knobs a case leaves open (layout, ZeRO, recompute, micro-batch, v) to what the planner picks at the
 * prior, so that bisection re-times one layout instead of re-running the search 20 times per case.
 */
export function pinCase(c: TrainingCaseData): TrainingCaseData {
  const chip = requireAccelerator(c.hardware);
  const planned = plannedLayout(c, trainingEfficiencyFrom(fileWith(0.6, 0.45), chip));
  if (!planned) return c;
  const p = planned.parallelism;
  const s = planned.settings;
  return {
    ...c,
    tp: p.tp,
    pp: p.pp,
    dp: p.dp,
    cp: p.cp,
    recompute: planned.recompute,
    microBatch: s.microBatch,
    ppInterleave: s.ppInterleave,
  };
}

/** Fraction that makes the prediction equal the measurement (bisection; the model is monotone in it). */
export function impliedFraction(c: TrainingCaseData, m16ForLow?: number): number {
  let lo = 0.02;
  let hi = 1.6;
  for (let i = 0; i < 22; i++) {
    const mid = (lo + hi) / 2;
    const eff = isLow(c) ? efficiencyFor(c, m16ForLow ?? 0.6, mid) : efficiencyFor(c, mid, mid);
    // Above 1 the fractions are capped, so extrapolate as the (monotone) inverse of throughput.
    const pred = predictTrainingCase(c, eff) * Math.max(mid, 1);
    if (pred < c.expected) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const usable = (x: number) => x >= 0.05 && x <= 1;

export interface FitOutput {
  readonly calibration: TrainingCalibrationFile;
  readonly implied: ReadonlyMap<string, number>;
}

/** Fits generation fractions on `cases` (pinned). `implied16` caches the 16-bit implied fraction per case id. */
export function fitFractions(
  cases: readonly TrainingCaseData[],
  cache: Map<string, number> = new Map(),
  meta: { fittedAt: string; script: string } = { fittedAt: "", script: "" },
): FitOutput {
  const implied = new Map<string, number>();
  const param = (xs: { c: TrainingCaseData; e: number }[]) => {
    const value = Math.min(1, medianOf(xs.map((x) => x.e)));
    const ratios = xs.map((x) => x.e / value);
    return {
      value: Number(value.toFixed(4)),
      kind: "calibrated" as const,
      rows: xs.map((x) => x.c.id),
      chips: [...new Set(xs.map((x) => x.c.hardware))],
      band: {
        low: Number(Math.min(1, quantileOf(ratios, 0.1)).toFixed(3)),
        high: Number(Math.max(1, quantileOf(ratios, 0.9)).toFixed(3)),
      },
    };
  };
  const sixteen = cases
    .filter((c) => !isLow(c))
    .map((c) => {
      const e = cache.get(c.id) ?? impliedFraction(c);
      cache.set(c.id, e);
      implied.set(c.id, e);
      return { c, e };
    });
  const fit16 = sixteen.filter((x) => usable(x.e));
  const families: TrainingCalibrationFile["families"] = {};
  for (const fam of new Set(fit16.map((x) => familyOf(x.c)))) {
    families[fam] = { matmulPeakFraction: param(fit16.filter((x) => familyOf(x.c) === fam)) };
  }
  const pooled16 = param(fit16);
  const m16Of = (c: TrainingCaseData) => families[familyOf(c)]?.matmulPeakFraction?.value ?? pooled16.value;
  const low = cases.filter(isLow).map((c) => {
    const m16 = m16Of(c);
    const key = `${c.id}@${m16}`;
    const e = cache.get(key) ?? impliedFraction(c, m16);
    cache.set(key, e);
    implied.set(c.id, e);
    return { c, e };
  });
  const fit8 = low.filter((x) => usable(x.e));
  for (const fam of new Set(fit8.map((x) => familyOf(x.c)))) {
    families[fam] = {
      ...families[fam],
      lowPrecisionMatmulPeakFraction: param(fit8.filter((x) => familyOf(x.c) === fam)),
    };
  }
  const pooled8 = fit8.length ? param(fit8) : { ...assumption(0.45), note: "no FP8 rows" };
  const misses = [...sixteen, ...low]
    .filter((x) => !usable(x.e))
    .map((x) => ({ id: x.c.id, impliedFraction: Number(x.e.toFixed(3)) }));
  const calibration: TrainingCalibrationFile = {
    fittedAt: meta.fittedAt,
    script: meta.script,
    method:
      "per chip generation: median of the matmul peak fraction (16-bit rows) and FP8 matmul peak fraction (FP8 rows) each dev row implies (bisection on the per-op step model, layouts pinned at the prior); prior = median over all rows; attention = matmul × the prior ratio; HBM and bus fractions and GEMM half-dimensions are sourced priors",
    families,
    prior: {
      ...priorConstants(),
      matmulPeakFraction: {
        ...pooled16,
        note: "pooled over all 16-bit rows, for generations without rows (unvalidated)",
      },
      lowPrecisionMatmulPeakFraction: { ...pooled8, note: "pooled over all FP8 rows" },
    },
    misses,
  };
  return { calibration, implied };
}

export interface GroupOutResult {
  readonly medianAbsError: number;
  readonly cases: { id: string; group: string; errorRatio: number; prior: string }[];
}

/** Leave-one-group-out: refit without each group's rows (all of them) and predict those rows. */
export function leaveOneGroupOut(
  cases: readonly TrainingCaseData[],
  groupOf: (c: TrainingCaseData) => string,
  cache: Map<string, number>,
): GroupOutResult {
  const out: GroupOutResult["cases"] = [];
  for (const g of new Set(cases.map(groupOf))) {
    const train = cases.filter((c) => groupOf(c) !== g);
    const { calibration } = fitFractions(train, cache);
    for (const c of cases.filter((x) => groupOf(x) === g)) {
      const chip = requireAccelerator(c.hardware);
      const eff = trainingEfficiencyFrom(calibration, chip);
      const err = errorRatio(predictTrainingCase(c, eff), c.expected);
      out.push({
        id: c.id,
        group: g,
        errorRatio: Number(err.toFixed(4)),
        prior: calibration.families[generationOf(chip)]?.matmulPeakFraction ? "generation" : "pooled",
      });
    }
  }
  return { medianAbsError: Number(medianOf(out.map((x) => Math.abs(x.errorRatio))).toFixed(4)), cases: out };
}

export const groupByChip = (c: TrainingCaseData) => c.hardware;
export const groupByModelFamily = (c: TrainingCaseData) => c.modelFamily ?? "other";
export const groupByFramework = (c: TrainingCaseData) => c.framework ?? "other";
