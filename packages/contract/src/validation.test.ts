import { trainingCalibrationData, trainingValidationCases } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { inferenceLedger, MEDIAN_ERROR_TOLERANCE, summarize, trainingLedger } from "./validation.ts";

describe("trainingLedger(): the training estimator against published runs (dev rows)", () => {
  const cases = trainingLedger();
  test("has cases on at least 4 chip families", () => {
    expect(new Set(cases.map((c) => c.hardware)).size).toBeGreaterThanOrEqual(4);
  });
  test("every dev row is kept in the ledger, misses included", () => {
    expect(cases.length).toBe(trainingValidationCases().length);
    for (const m of trainingCalibrationData().misses) expect(cases.map((c) => c.id)).toContain(m.id);
  });
  // Per-case in-sample tolerances are not asserted: the out-of-sample medians are (training-fit.test.ts).
});

describe("docs/validation.md", () => {
  test("shows the current ledger (npm run docs:validation)", async () => {
    const { readFileSync } = await import("node:fs");
    const { renderValidationDoc } = await import("../../../scripts/gen-validation-doc.ts");
    expect(readFileSync(new URL("../../../docs/validation.md", import.meta.url), "utf8")).toBe(renderValidationDoc());
  });
});

describe("inferenceLedger(): the inference estimator against max-throughput measurements (dev rows)", () => {
  const cases = inferenceLedger();
  test("covers at least 4 vendors (NVIDIA, AMD, Google TPU, Intel Gaudi)", () => {
    const chips = new Set(cases.map((c) => c.hardware));
    for (const needed of ["h100-sxm", "mi300x", "tpu-v5e", "gaudi2"]) expect(chips.has(needed), needed).toBe(true);
  });
  test.each(cases.map((c) => [c.id, c] as const))("%s within its stated tolerance", (_, c) => {
    expect(Math.abs(c.errorRatio)).toBeLessThanOrEqual(c.tolerance);
  });
  test(`median |error| ≤ ${MEDIAN_ERROR_TOLERANCE * 100}%`, () => {
    expect(summarize(cases).medianAbsError).toBeLessThanOrEqual(MEDIAN_ERROR_TOLERANCE);
  });
});
