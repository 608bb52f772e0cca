import {
  requireAccelerator,
  requireModel,
  type TrainingCalibrationFile,
  toAccelerator,
  trainingCalibrationData,
  trainingEfficiencyFrom,
} from "@flopcast/catalog";
import { planTrainingRun } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { calibrateFromRuns, runsToCases } from "./calibrate-runs.ts";

// Known fractions → synthetic step times through the step model → the fit must recover them (issue #12 §7).
const known = (m16: number, m8: number): TrainingCalibrationFile => {
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

function syntheticCsv(profile: TrainingCalibrationFile): string {
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

describe("flopcast calibrate --runs: round trip", () => {
  test("fractions 0.55 (bf16) and 0.40 (fp8) are recovered within 2% from synthetic step times", () => {
    const r = calibrateFromRuns(syntheticCsv(known(0.55, 0.4)), { fittedAt: "test", source: "synthetic.csv" });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const f = r.profile.families["nvidia-hopper"];
    expect(Math.abs((f?.matmulPeakFraction?.value ?? 0) / 0.55 - 1)).toBeLessThan(0.02);
    expect(Math.abs((f?.lowPrecisionMatmulPeakFraction?.value ?? 0) / 0.4 - 1)).toBeLessThan(0.02);
  });
  test("bad rows are problems with a path, not exceptions", () => {
    const { problems } = runsToCases(
      "model,hardware,chips,tp,pp,seq_len,tokens_per_step,step_time_s\nnope,h100-sxm,8,1,1,2048,1e6,-1",
    );
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["runs[1].model", "runs[1].step_time_s"]));
    expect(runsToCases("model,chips\nx,1").problems[0]?.path).toBe("runs.hardware");
  });
});
