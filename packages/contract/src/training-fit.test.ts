import { trainingValidationCases } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import {
  fitFractions,
  groupByChip,
  groupByFramework,
  groupByModelFamily,
  leaveOneGroupOut,
  pinCase,
} from "./training-fit.ts";
import type { TrainingCaseData } from "./validation.ts";

// Out-of-sample accuracy of the training estimator (ARCHITECTURE §2 "Calibration"): each group's rows are
// predicted from fractions refitted without that group. Targets from issue #12; the fit never sees the
// held-out rows (fitFractions is called on the remaining rows only).
describe("training calibration generalises (refit without the held-out group)", () => {
  const cases = (trainingValidationCases() as TrainingCaseData[]).map(pinCase);
  const cache = new Map<string, number>();
  test("leave-one-chip-out median |error| ≤ 10%", () => {
    const r = leaveOneGroupOut(cases, groupByChip, cache);
    expect(r.cases.length).toBe(cases.length);
    expect(r.medianAbsError).toBeLessThanOrEqual(0.1);
  });
  test("leave-one-model-family-out median |error| ≤ 12%", () => {
    expect(leaveOneGroupOut(cases, groupByModelFamily, cache).medianAbsError).toBeLessThanOrEqual(0.12);
  });
  // Issue #12 target. Held-out NeMo leaves Meta's Llama 3 rows for Hopper 16-bit: they run interleaved with
  // v = 8 (Llama 3 Herd §3.3.2), so their stated schedule must drive the bubble, not 1F1B.
  test("leave-one-framework-out median |error| ≤ 12%", () => {
    expect(leaveOneGroupOut(cases, groupByFramework, cache).medianAbsError).toBeLessThanOrEqual(0.12);
  });
  test("a held-out group's rows are not in the fit that predicts them", () => {
    const held = cases.filter((c) => c.hardware === "a100-sxm-40gb").map((c) => c.id);
    const { calibration } = fitFractions(
      cases.filter((c) => c.hardware !== "a100-sxm-40gb"),
      cache,
    );
    const used = Object.values(calibration.families).flatMap((f) => [
      ...(f.matmulPeakFraction?.rows ?? []),
      ...(f.lowPrecisionMatmulPeakFraction?.rows ?? []),
    ]);
    for (const id of held) expect(used).not.toContain(id);
  });
});
