import { describe, expect, test } from "vitest";
import { calibrateFromRuns, runsToCases } from "./calibrate-runs.ts";
import { knownProfile as known, syntheticRunsCsv as syntheticCsv } from "./synthetic-runs.fixture.ts";

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
