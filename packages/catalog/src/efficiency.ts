import type { InferenceEfficiency, TrainingEfficiency } from "@flopcast/core";
import { prevalidated } from "./prevalidated.ts";
import {
  rawInferenceCases,
  rawTrainingCases,
  validatedInferenceCalibration,
  validatedTrainingCalibration,
} from "./raw.ts";
import type {
  AcceleratorFile,
  FittedParameter,
  InferenceCalibrationFile,
  InferenceFit,
  InferenceFractions,
  TrainingCalibrationFile,
} from "./schema.ts";

let parsed: TrainingCalibrationFile | undefined;
/** The committed training calibration (catalog/data/calibration/training.json, written by `npm run calibrate`). */
export function trainingCalibrationData(): TrainingCalibrationFile {
  parsed ??= prevalidated("trainingCalibration") ?? validatedTrainingCalibration();
  return parsed;
}

const describe = (p: FittedParameter, scope: string) =>
  p.kind === "calibrated"
    ? `${scope} calibration on ${p.rows.length} rows (${p.rows.slice(0, 3).join(", ")}${p.rows.length > 3 ? ", …" : ""})`
    : `${scope} assumption`;

/**
 * Calibration generation of a chip: its catalog family, except Google TPUs, whose versions are separate
 * generations (the `google-tpu` family spans v3 to v6e; MXU count and size and HBM bandwidth per FLOP differ:
 * v5p 459 TFLOP/s bf16 with 2.76 TB/s, v6e 918 with 1.64 TB/s).
 */
export function generationOf(chip: Pick<AcceleratorFile, "id" | "family">): string {
  return chip.family === "google-tpu" ? chip.id : chip.family;
}

/**
 * Physical fractions for a chip from a training calibration (catalog/data/calibration/training.json or a user's
 * `flopcast calibrate` profile): its generation's fit where it has rows, else the pooled prior. The attention
 * fraction follows the matmul fraction at the prior's ratio; HBM, bus and GEMM half-dimensions are the prior's.
 * `validated` only when this chip itself had rows; otherwise the band is widened by half (unvalidated).
 */
export function trainingEfficiencyFrom(cal: TrainingCalibrationFile, chip: AcceleratorFile): TrainingEfficiency {
  const generation = generationOf(chip);
  const fam = cal.families[generation];
  const m16 = fam?.matmulPeakFraction ?? cal.prior.matmulPeakFraction;
  // A generation with 16-bit rows but no FP8 rows scales its fit by the pooled FP8 ÷ 16-bit ratio.
  const m8 =
    fam?.lowPrecisionMatmulPeakFraction?.value ??
    (fam?.matmulPeakFraction
      ? (cal.prior.lowPrecisionMatmulPeakFraction.value / cal.prior.matmulPeakFraction.value) *
        fam.matmulPeakFraction.value
      : cal.prior.lowPrecisionMatmulPeakFraction.value);
  const validated = m16.kind === "calibrated" && m16.chips.includes(chip.id);
  const widen = validated ? 1 : 1.5;
  const low = Math.max(0.05, 1 - (1 - m16.band.low) * widen);
  const high = 1 + (m16.band.high - 1) * widen;
  const scope = fam?.matmulPeakFraction ? `${generation} generation` : "pooled prior";
  return {
    fractions: {
      matmulPeakFraction: m16.value,
      lowPrecisionMatmulPeakFraction: Math.min(1, m8),
      attentionPeakFraction: Math.min(1, m16.value * cal.prior.attentionToMatmulRatio),
      hbmFraction: cal.prior.hbmFraction,
      busBandwidthFraction: cal.prior.busBandwidthFraction,
      gemmHalfDim: cal.prior.gemmHalfDim,
      basis: cal.prior.basis,
    },
    basis: describe(m16, scope),
    validated,
    band: { low, high },
  };
}

/** Training efficiency for a chip from the committed calibration. */
export function trainingEfficiencyFor(chip: AcceleratorFile): TrainingEfficiency {
  return trainingEfficiencyFrom(trainingCalibrationData(), chip);
}

/** The training validation cases written by `npm run calibrate` (schema-free data; contract types them). */
export function trainingValidationCases(): readonly unknown[] {
  return prevalidated("trainingCases") ?? rawTrainingCases();
}

let parsedInference: InferenceCalibrationFile | undefined;
/** The committed inference calibration (catalog/data/calibration/inference.json). */
export function inferenceCalibrationData(): InferenceCalibrationFile {
  parsedInference ??= prevalidated("inferenceCalibration") ?? validatedInferenceCalibration();
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

/**
 * Inference efficiency for a chip under a user's calibration profile (`flopcast calibrate --runs`, the training
 * profile schema): the matmul peak fractions the profile fitted for the chip's generation (16-bit and FP8) replace
 * the catalog's; the fractions a profile does not fit (HBM, attention, bus, η_gemm half-dimensions) and the
 * iteration overhead stay the catalog's inference calibration (docs/model.md §3.8). `applied` names what came from
 * the profile; empty when the profile has no fit for this generation (then everything is the catalog's).
 */
export function inferenceEfficiencyFromProfile(
  profile: TrainingCalibrationFile,
  profileName: string,
  chip: AcceleratorFile,
): { efficiency: InferenceEfficiency; applied: string[] } {
  const base = inferenceEfficiencyFor(chip);
  const generation = generationOf(chip);
  const fam = profile.families[generation];
  const m16 = fam?.matmulPeakFraction;
  const m8 = fam?.lowPrecisionMatmulPeakFraction;
  if (!m16 && !m8) return { efficiency: base, applied: [] };
  const runs = (p: FittedParameter) => `${p.rows.length} run${p.rows.length === 1 ? "" : "s"}`;
  const applied = [
    ...(m16 ? [`matmul peak fraction ${m16.value} (${runs(m16)})`] : []),
    ...(m8 ? [`FP8 matmul peak fraction ${m8.value} (${runs(m8)})`] : []),
  ];
  const fractions = {
    ...base.fractions,
    ...(m16 ? { matmulPeakFraction: m16.value } : {}),
    ...(m8 ? { lowPrecisionMatmulPeakFraction: m8.value } : {}),
  };
  const basis = `calibration profile ${profileName} (${generation} fit: ${applied.join(", ")}); other fractions: ${base.basis}`;
  return {
    efficiency: {
      ...base,
      fractions: { ...fractions, basis },
      basis,
      validated: Boolean(m16?.chips.includes(chip.id) || m8?.chips.includes(chip.id)),
    },
    applied,
  };
}

/** The inference validation cases written by `npm run calibrate`. */
export function inferenceValidationCases(): readonly unknown[] {
  return prevalidated("inferenceCases") ?? rawInferenceCases();
}
