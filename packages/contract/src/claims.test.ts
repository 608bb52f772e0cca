import { claimFiles, findAccelerator, findModel, toAccelerator } from "@flopcast/catalog";
import { estimateTraining, PRIOR_TRAINING_EFFICIENCY } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { checkAllClaims } from "./claims.ts";

const results = new Map(checkAllClaims().map((r) => [r.id, r]));
const get = (id: string) => {
  const r = results.get(id);
  if (!r) throw new Error(id);
  return r;
};
const q = (id: string, name: string) => get(id).quantities.find((x) => x.name === name)?.value ?? Number.NaN;

describe("flopcast claims (seed-claims.md)", () => {
  test("all 19 claims are data files with a verdict and an explanation", () => {
    expect(claimFiles()).toHaveLength(19);
    for (const r of results.values()) {
      expect(["holds", "off", "unverifiable"]).toContain(r.verdict);
      expect(r.explanation).not.toMatch(/\{\w+\}/); // every placeholder filled
      expect(Number.isFinite(r.reproduced)).toBe(true);
    }
  });
  test("gpt3-175b-pfdays holds: 3,638 vs 3,640 PF-days", () => {
    expect(get("gpt3-175b-pfdays").verdict).toBe("holds");
    expect(get("gpt3-175b-pfdays").reproduced).toBeCloseTo(3637.6, 0);
  });
  test("chatgpt-27.5-days is off by a factor of 1,000", () => {
    const r = get("chatgpt-27.5-days");
    expect(r.verdict).toBe("off");
    expect(r.reproduced / 27.5).toBeCloseTo(1000, 6);
    expect(r.explanation).toMatch(/factor-1,000/);
  });
  test("v100-288-years reports the implied sustained rate: 34.6 TFLOP/s (28% of 125)", () => {
    expect(get("v100-288-years").reproduced).toBeCloseTo(34.58, 1);
    expect(q("v100-288-years", "impliedMfu")).toBeCloseTo(0.277, 2);
  });
  test("tpu-v4-quarter-cost gives per-chip (0.19) and per-delivered-FLOP (0.69) ratios separately", () => {
    expect(q("tpu-v4-quarter-cost", "perChip")).toBeCloseTo(5000 / 26000, 6);
    expect(q("tpu-v4-quarter-cost", "perFlop")).toBeCloseTo(5000 / 275 / (26000 / 989.4), 3);
    expect(get("tpu-v4-quarter-cost").verdict).toBe("off");
  });
  test("Lambda's $4.6M under its stated assumptions: 355.7 V100-years × $1.50/h", () => {
    expect(get("gpt3-cost-4.6m").reproduced).toBeCloseTo(4.677e6, -4);
    expect(get("gpt3-cost-4.6m").verdict).toBe("holds");
  });
  test("$700k/day consistency: $0.04 per query, and $700k/day rents ≈ SemiAnalysis' A100 fleet", () => {
    expect(get("chatgpt-700k-per-day").reproduced).toBeCloseTo(0.04, 9);
    expect(Math.abs(q("chatgpt-700k-per-day", "impliedChips") / 28936 - 1)).toBeLessThan(0.1);
  });
});

describe("Patterson et al. 2021 Table 4: GPT-3 energy (within 5%)", () => {
  test("10,000 V100, 24.6 TFLOP/s, 330 W measured, PUE 1.10 → 14.8 days, 1,287 MWh, 552 tCO2e at 0.429 kg/kWh", () => {
    const m = findModel("gpt3-175b");
    const h = findAccelerator("v100-sxm2-32gb");
    if (!m.ok || !h.ok) throw new Error("catalog");
    const chip = toAccelerator(h.value);
    const e = estimateTraining(
      {
        architecture: m.value.architecture,
        trainingTokens: 300e9,
        seqLen: 2048,
        globalBatchTokens: 3.2e6,
        microBatch: 1,
        precision: "fp16",
        sequenceParallel: false,
        ppInterleave: 1,
        zero: 1,
        goodput: 1,
      },
      // 330 W measured per accelerator vs the 300 W TDP: power fraction 1.1.
      {
        chip,
        chips: 10_000,
        efficiency: PRIOR_TRAINING_EFFICIENCY,
        mfuOverride: 24.6 / 125,
        powerFraction: 330 / 300,
        pue: 1.1,
        kgCo2PerKwh: 0.429,
      },
    );
    expect(Math.abs((e.cluster?.days ?? 0) / 14.8 - 1)).toBeLessThan(0.05);
    expect(Math.abs((e.cluster?.energyMwh ?? 0) / 1287 - 1)).toBeLessThan(0.05);
    expect(Math.abs((e.cluster?.co2Tonnes ?? 0) / 552 - 1)).toBeLessThan(0.05);
  });
});
