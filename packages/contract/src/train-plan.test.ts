import { findAccelerator, findModel } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { TrainScenario } from "./scenario.ts";
import { planTraining } from "./train-plan.ts";

// The cost band of `train` (README "Cost band"): price range × the estimator's time band.
describe("cost band", () => {
  const run = (extra: Record<string, unknown>) => {
    const s = TrainScenario.parse({
      model: "gpt3-175b",
      tokens: "300e9",
      hardware: "a100-sxm-80gb",
      chips: 1024,
      today: "2026-11-29",
      ...extra,
    });
    const m = findModel(s.model);
    const h = findAccelerator("a100-sxm-80gb");
    if (!m.ok || !h.ok) throw new Error("catalog");
    const r = planTraining(s, m.value, h.value);
    if (!r.ok) throw new Error("plan");
    return r.result as unknown as Record<string, number>;
  };
  test("a given price still carries the time band: low/high = price × chip-hours × daysLow/days, daysHigh/days", () => {
    const r = run({ priceUsdPerChipHour: 2 });
    expect(r.costLowUsd).toBeLessThan(r.costUsd as number);
    expect(r.costHighUsd).toBeGreaterThan(r.costUsd as number);
    expect(r.costLowUsd).toBeCloseTo((2 * (r.chipHours as number) * (r.daysLow as number)) / (r.days as number), -1);
    expect(r.costHighUsd).toBeCloseTo((2 * (r.chipHours as number) * (r.daysHigh as number)) / (r.days as number), -1);
  });
  test("a given price and a given MFU leave no band", () => {
    const r = run({ priceUsdPerChipHour: 2, mfu: 0.4 });
    expect(r.costLowUsd).toBe(r.costUsd);
    expect(r.costHighUsd).toBe(r.costUsd);
  });
});
