import {
  inferenceCalibrationData,
  inferenceValidationCases,
  priorFractionsFor,
  requireAccelerator,
  trainingCalibrationData,
  trainingValidationCases,
} from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { validationReport } from "./commands.ts";
import {
  errorRatio,
  type InferenceCaseData,
  inferenceLedger,
  MEDIAN_ERROR_TOLERANCE,
  modelFamilyOf,
  predictInferenceCase,
  summarize,
  trainingLedger,
} from "./validation.ts";

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

describe("inference out of sample: each held-out group excluded from the fit that predicts it (inference.json)", () => {
  const cal = inferenceCalibrationData();
  const cases = new Map((inferenceValidationCases() as InferenceCaseData[]).map((c) => [c.id, c]));
  test("leave-one-chip-out median |error| ≤ 10%", () => {
    expect(cal.leaveOneChipOut.medianAbsError).toBeLessThanOrEqual(0.1);
  });
  // KNOWN MISS (docs/validation.md): with the prior weight chosen by nested cross-validation instead of on the
  // held-out medians, leave-one-model-family-out is 17.0% (the Llama 3.1 fold, 65 of 118 rows, predicted from
  // Llama 2 / GPT-J / Mixtral rows alone picks λ = 0 and misses by 20.9%). The target stays asserted;
  // `test.fails` turns red the day the target is met, so that this marker is removed then.
  test.fails("leave-one-model-family-out median |error| ≤ 12% (known miss: 17.0%)", () => {
    expect(cal.leaveOneModelFamilyOut.medianAbsError).toBeLessThanOrEqual(0.12);
  });
  const argmin = (scores: Record<string, number>, candidates: readonly number[]) =>
    candidates.reduce((best, w) =>
      (scores[String(w)] as number) < (scores[String(best)] as number) ? w : best,
    ) as number;
  test("the shipped prior weight is the candidate with the lowest leave-one-chip-out median over the dev rows", () => {
    const pw = cal.priorWeight;
    if (!pw) throw new Error("inference.json has no priorWeight: run npm run calibrate");
    expect(Object.keys(pw.innerMedianAbsError).sort()).toEqual(pw.candidates.map(String).sort());
    expect(pw.value).toBe(argmin(pw.innerMedianAbsError, pw.candidates));
  });
  test("AMD rows predicted with no AMD row in the fit: median |error| ≤ 25%", () => {
    expect(cal.vendorHeldOut.AMD?.medianAbsError).toBeLessThanOrEqual(0.25);
  });
  const sets = [
    ["leave-one-chip-out", cal.leaveOneChipOut, (c: InferenceCaseData) => c.hardware],
    ["leave-one-model-family-out", cal.leaveOneModelFamilyOut, (c: InferenceCaseData) => modelFamilyOf(c.model)],
    ["AMD held out", cal.vendorHeldOut.AMD, (c: InferenceCaseData) => requireAccelerator(c.hardware).vendor],
  ] as const;
  test.each(sets.map(([name, h]) => [name, h] as const))(
    "%s: every fold chose its prior weight on its own training rows (nested CV), the inner argmin",
    (_, h) => {
      const candidates = cal.priorWeight?.candidates ?? [];
      for (const f of h?.folds ?? []) {
        if (!f.priorWeight) throw new Error(`fold ${f.group} has no nested prior-weight choice`);
        expect(f.priorWeight.value).toBe(argmin(f.priorWeight.innerMedianAbsError, candidates));
      }
    },
  );
  test.each(sets.map(([name, h, key]) => [name, h, key] as const))(
    "%s: the stored errors are today's model with the fold's fractions, and no fold saw its own rows",
    (_, h, key) => {
      if (!h) throw new Error("missing held-out set");
      for (const x of h.cases) {
        const c = cases.get(x.id);
        if (!c) throw new Error(`unknown case ${x.id}`);
        const fold = h.folds.find((f) => f.group === x.group);
        if (!fold) throw new Error(`no fold ${x.group}`);
        for (const fit of Object.values(fold.fits))
          for (const row of fit.rows) expect(key(cases.get(row) as InferenceCaseData)).not.toBe(x.group);
        const generation = requireAccelerator(c.hardware).family;
        const fitted = fold.fits[generation];
        const prior = fold.fits.prior;
        const fractions = fitted
          ? fitted.fractions
          : priorFractionsFor((prior as NonNullable<typeof prior>).fractions, c.hardware, cal.measuredCeilings);
        const predicted = predictInferenceCase(c, {
          fractions: { ...fractions, basis: "test" },
          stepOverheadS: cal.stepOverheadS.value,
          basis: "test",
          validated: true,
          band: { low: 1, high: 1 },
        });
        expect(Math.abs(errorRatio(predicted, c.expected) - x.errorRatio)).toBeLessThan(1e-3);
      }
    },
  );
});

describe("validate's summary: the out-of-sample medians it prints, beside the in-sample ones", () => {
  test("training: leave-one-chip-out ≤ 10%, leave-one-model-family-out and leave-one-framework-out ≤ 12% (issue targets)", () => {
    const t = validationReport("training").summary.trainingOutOfSample;
    expect(t?.leaveOneChipOut).toBeLessThanOrEqual(0.1);
    expect(t?.leaveOneModelFamilyOut).toBeLessThanOrEqual(0.12);
    expect(t?.leaveOneFrameworkOut).toBeLessThanOrEqual(0.12);
  });
  test("each estimator's medians appear only when its ledger is asked for", () => {
    const i = validationReport("inference").summary;
    expect(i.trainingOutOfSample).toBeUndefined();
    expect(i.inferenceOutOfSample?.leaveOneChipOut).toBeLessThanOrEqual(0.1);
    expect(validationReport("training").summary.inferenceOutOfSample).toBeUndefined();
  });
});
