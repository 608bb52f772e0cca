import type { InferenceEfficiency, TrainingEfficiency } from "@flopcast/core";
import { inferenceCalibration, inferenceCases, trainingCalibration, trainingCases } from "./data-index.ts";
import {
  type AcceleratorFile,
  type FittedParameter,
  InferenceCalibrationFile,
  type InferenceFit,
  type InferenceFractions,
  TrainingCalibrationFile,
} from "./schema.ts";

let parsed: TrainingCalibrationFile | undefined;
/** The committed training calibration (catalog/data/calibration/training.json, written by `npm run calibrate`). */
export function trainingCalibrationData(): TrainingCalibrationFile {
  parsed ??= TrainingCalibrationFile.parse(trainingCalibration);
  return parsed;
}

const describe = (p: FittedParameter, scope: string) =>
  p.kind === "calibrated"
    ? `${scope} calibration on ${p.rows.length} rows (${p.rows.slice(0, 3).join(", ")}${p.rows.length > 3 ? ", …" : ""})`
    : `${scope} assumption`;

/**
 * Efficiency parameters for a chip: its family's fitted values when the family has rows, else the global prior.
 * `validated` only when this chip itself had rows; otherwise the band is widened by half (unvalidated).
 */
export function trainingEfficiencyFor(chip: AcceleratorFile): TrainingEfficiency {
  const cal = trainingCalibrationData();
  const fam = cal.families[chip.family];
  const m16 = fam?.matmul16 ?? cal.prior.matmul16;
  // A family with 16-bit rows but no FP8 rows scales its fit by the pooled FP8 ÷ 16-bit ratio.
  const m8Value =
    fam?.matmul8?.value ??
    (fam?.matmul16
      ? (cal.prior.matmul8.value / cal.prior.matmul16.value) * fam.matmul16.value
      : cal.prior.matmul8.value);
  const validated = m16.kind === "calibrated" && m16.chips.includes(chip.id);
  const widen = validated ? 1 : 1.5;
  const low = Math.max(0.05, 1 - (1 - m16.band.low) * widen);
  const high = 1 + (m16.band.high - 1) * widen;
  const scope = fam?.matmul16 ? `${chip.family} family` : "global prior";
  const fp8Basis = fam?.matmul8
    ? describe(fam.matmul8, `${chip.family} family FP8`)
    : fam?.matmul16
      ? `${scope} 16-bit fit × pooled FP8/16-bit ratio`
      : describe(cal.prior.matmul8, "global prior FP8");
  return {
    matmul16: m16.value,
    matmul8: m8Value,
    basis: describe(m16, scope),
    basis8: fp8Basis,
    validated,
    band: { low, high },
  };
}

/** The training validation cases written by `npm run calibrate` (schema-free data; contract types them). */
export function trainingValidationCases(): readonly unknown[] {
  return trainingCases as readonly unknown[];
}

let parsedInference: InferenceCalibrationFile | undefined;
/** The committed inference calibration (catalog/data/calibration/inference.json). */
export function inferenceCalibrationData(): InferenceCalibrationFile {
  parsedInference ??= InferenceCalibrationFile.parse(inferenceCalibration);
  return parsedInference;
}

const describeFit = (fit: InferenceFit, scope: string) =>
  fit.rows.length > 0
    ? `${scope} fit of ${fit.fitted.join(" and ") || "no fraction"} on ${fit.rows.length} rows (${fit.rows.slice(0, 2).join(", ")}${fit.rows.length > 2 ? ", …" : ""})`
    : `${scope} prior`;

/**
 * The vendor-neutral prior for a chip without rows of its generation: the pooled fractions × the chip's measured
 * ceiling ÷ the reference ceiling (the share of datasheet peak that microbenchmarks reach on the chips the prior
 * was fitted on). Chips without a measured ceiling keep the prior as it is.
 */
export function priorFractionsFor(
  prior: InferenceFractions,
  chipId: string,
  ceilings: InferenceCalibrationFile["measuredCeilings"],
): InferenceFractions {
  const c = ceilings.chips[chipId];
  if (!c) return prior;
  return {
    ...prior,
    matmulPeakFraction: Math.min(1, (prior.matmulPeakFraction * c.matmul) / ceilings.reference.matmul),
    hbmFraction: Math.min(1, (prior.hbmFraction * c.hbm) / ceilings.reference.hbm),
  };
}

/**
 * Inference efficiency for a chip: its generation's fitted fractions when the generation has rows, else the
 * vendor-neutral prior (all rows pooled). `validated` only when this chip itself had rows; otherwise the band is
 * widened by half and the estimate says "unvalidated" (docs/model.md §3.8).
 */
export function inferenceEfficiencyFor(chip: AcceleratorFile): InferenceEfficiency {
  const cal = inferenceCalibrationData();
  const gen = cal.generations[chip.family];
  const fit = gen ?? cal.prior;
  const validated = fit.chips.includes(chip.id);
  const widen = validated ? 1 : 1.5;
  const ceiling = cal.measuredCeilings.chips[chip.id];
  const basis = gen
    ? describeFit(gen, `${chip.family} generation`)
    : `${describeFit(cal.prior, "vendor-neutral (no rows for this generation)")}${ceiling ? ` × measured ceiling (${ceiling.source})` : ""}`;
  const fractions = gen ? gen.fractions : priorFractionsFor(cal.prior.fractions, chip.id, cal.measuredCeilings);
  return {
    fractions: { ...fractions, basis },
    stepOverheadS: cal.stepOverheadS.value,
    basis,
    validated,
    band: { low: Math.max(0.05, 1 - (1 - fit.band.low) * widen), high: 1 + (fit.band.high - 1) * widen },
  };
}

/** The inference validation cases written by `npm run calibrate`. */
export function inferenceValidationCases(): readonly unknown[] {
  return inferenceCases as readonly unknown[];
}
