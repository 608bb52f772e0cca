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

describe("--system", () => {
  const plan = (extra: Record<string, unknown>, hardware = "h100-sxm") => {
    const s = TrainScenario.parse({
      model: "llama-3.1-8b",
      tokens: "1e9",
      hardware,
      chips: 64,
      today: "2026-11-29",
      ...extra,
    });
    const m = findModel(s.model);
    const h = findAccelerator(hardware);
    if (!m.ok || !h.ok) throw new Error("catalog");
    return planTraining(s, m.value, h.value);
  };
  test("a system built on another chip is a problem on path system, with a hint", () => {
    const r = plan({ system: "meta-grand-teton-roce-24k" }, "a100-sxm-80gb");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.path).toBe("system");
  });
  test("the system's tiers are named in the assumptions (pod 3,072 GPUs, 400/7 Gbit/s beyond: Llama 3 Herd §3.3.1)", () => {
    const r = plan({ system: "meta-grand-teton-roce-24k" });
    if (!r.ok) throw new Error("plan");
    const tiers = (r.result as unknown as { assumptions: { name: string; value: string }[] }).assumptions.find(
      (a) => a.name === "network tiers",
    );
    expect(tiers?.value).toBe("8 × 450 GB/s scale-up; 400 Gbit/s scale-out; pod 3072 chips, then 57.1 Gbit/s DCN");
  });
});
