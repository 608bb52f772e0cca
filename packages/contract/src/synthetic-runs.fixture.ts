/**
 * Synthetic measured runs for calibration round trips (issue #12 §7): known physical fractions → step times through
 * the training step model → a runs CSV that `flopcast calibrate --runs` must turn back into those fractions. Shared
 * by the `calibrate` and the `infer --calibration` round-trip tests.
 */
import {
  requireAccelerator,
  requireModel,
  type TrainingCalibrationFile,
  toAccelerator,
  trainingCalibrationData,
  trainingEfficiencyFrom,
} from "@flopcast/catalog";
import { planTrainingRun } from "@flopcast/core";

// Known fractions → synthetic step times through the step model → the fit must recover them (issue #12 §7).
export const knownProfile = (m16: number, m8: number): TrainingCalibrationFile => {
  const base = trainingCalibrationData();
  const p = (value: number) => ({ value, kind: "assumption" as const, rows: [], chips: [], band: { low: 1, high: 1 } });
  return {
    ...base,
    families: { "nvidia-hopper": { matmulPeakFraction: p(m16), lowPrecisionMatmulPeakFraction: p(m8) } },
  };
};

const layouts = [
  { model: "llama-3.1-8b", chips: 8, tp: 1, pp: 1, seq: 8192, batch: 8192 * 64, precision: "bf16" },
  { model: "llama-3.1-70b", chips: 64, tp: 4, pp: 4, seq: 8192, batch: 8192 * 128, precision: "bf16" },
  { model: "gpt3-175b", chips: 512, tp: 8, pp: 8, seq: 2048, batch: 2048 * 1536, precision: "bf16" },
  { model: "llama-3.1-70b", chips: 256, tp: 8, pp: 2, seq: 8192, batch: 8192 * 256, precision: "fp8" },
  { model: "gpt3-175b", chips: 1024, tp: 4, pp: 8, seq: 2048, batch: 2048 * 2048, precision: "fp8" },
] as const;

export function syntheticRunsCsv(profile: TrainingCalibrationFile): string {
  const hw = requireAccelerator("h100-sxm");
  const efficiency = trainingEfficiencyFrom(profile, hw);
  const rows = layouts.map((l) => {
    const e = planTrainingRun(
      requireModel(l.model).architecture,
      {
        tokens: l.batch,
        seqLen: l.seq,
        globalBatchTokens: l.batch,
        precision: l.precision,
        chips: l.chips,
        tp: l.tp,
        pp: l.pp,
        microBatch: 1,
        ppInterleave: 1,
        recompute: "none",
        zero: 1,
      },
      { chip: toAccelerator(hw), efficiency },
    ).cluster;
    return `${l.model},h100-sxm,${l.chips},${l.tp},${l.pp},${l.seq},${l.batch},${e?.step.stepS},${l.precision}`;
  });
  return ["model,hardware,chips,tp,pp,seq_len,tokens_per_step,step_time_s,precision", ...rows].join("\n");
}
