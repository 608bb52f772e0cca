import {
  activationBytesPerLayer,
  estimateTraining,
  type TrainingEfficiency,
  trainingMemoryPerChip,
} from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { trainingEfficiencyFor } from "../../src/efficiency.ts";
import { requireAccelerator, requireModel, toAccelerator } from "../../src/load.ts";

const arch = (id: string) => requireModel(id).architecture;
const hw = requireAccelerator;
const base = {
  globalBatchTokens: 2048 * 1536,
  microBatch: 1,
  precision: "fp16" as const,
  sequenceParallel: false,
  ppInterleave: 1,
  zero: 1 as const,
  goodput: 1,
};

describe("Brown et al. 2020 Table D.1: training compute in PF-days (6ND, within 1%)", () => {
  const table: [string, number][] = [
    ["gpt3-small", 2.6],
    ["gpt3-medium", 7.42],
    ["gpt3-large", 15.8],
    ["gpt3-xl", 27.5],
    ["gpt3-2.7b", 55.2],
    ["gpt3-6.7b", 139],
    ["gpt3-13b", 268],
    ["gpt3-175b", 3640],
  ];
  test.each(table)("%s: %d PF-days for 300B tokens", (id, pfDays) => {
    const e = estimateTraining({ ...base, architecture: arch(id), trainingTokens: 300e9, seqLen: 2048 });
    expect(Math.abs(e.pfDays / pfDays - 1)).toBeLessThanOrEqual(0.01);
    expect(e.flops).toBeGreaterThan(e.flops6nd); // attention adds FLOPs at seq 2048
  });
});

describe("days with an MFU override", () => {
  test("GPT-3 on 10,000 V100 at MFU 0.2: days = 6ND / (chips·125 TFLOP/s·0.2) / 86,400 exactly", () => {
    const chipFile = hw("v100-sxm2-32gb");
    const e = estimateTraining(
      { ...base, architecture: arch("gpt3-175b"), trainingTokens: 300e9, seqLen: 2048 },
      {
        chip: toAccelerator(chipFile),
        chips: 10_000,
        efficiency: trainingEfficiencyFor(chipFile),
        mfuOverride: 0.2,
        powerFraction: 1,
        pue: 1.1,
      },
    );
    const expected = e.flops6nd / (10_000 * 125e12 * 0.2) / 86_400;
    expect(e.cluster?.days).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(14.55, 2); // cf. Patterson et al. 2021 Table 4: 14.8 days
  });
});

describe("Korthikanti et al. 2022 Table 2: activation bytes per layer, GPT-3 175B (s 2048, b 1, h 12288, a 96, t 8)", () => {
  const a = arch("gpt3-175b");
  const sbh = 2048 * 12288;
  const opts = { seqLen: 2048, microBatch: 1, tp: 8 };
  test("TP only: sbh·(10 + 24/t + 5as/(ht)) = 23·sbh", () =>
    expect(
      activationBytesPerLayer(a, { ...opts, sequenceParallel: false, recompute: "none" }) / (23 * sbh),
    ).toBeCloseTo(1, 3));
  test("TP + sequence parallel: sbh·(34/t + 5as/(ht)) = 14.25·sbh", () =>
    expect(
      activationBytesPerLayer(a, { ...opts, sequenceParallel: true, recompute: "none" }) / (14.25 * sbh),
    ).toBeCloseTo(1, 3));
  test("TP + SP + selective recompute: sbh·34/t = 4.25·sbh", () =>
    expect(
      activationBytesPerLayer(a, { ...opts, sequenceParallel: true, recompute: "selective" }) / (4.25 * sbh),
    ).toBeCloseTo(1, 3));
  test("full recompute: 2·sbh", () =>
    expect(activationBytesPerLayer(a, { ...opts, sequenceParallel: false, recompute: "full" }) / (2 * sbh)).toBeCloseTo(
      1,
      3,
    ));
  test("the paper's headline: selective + SP cuts activation memory 5× vs TP only (within 10%)", () => {
    const p = { tp: 8, pp: 1, dp: 1, ep: 1, cp: 1 };
    const o = { seqLen: 2048, microBatch: 1, zero: 0 as const, ppInterleave: 1 };
    const tpOnly = trainingMemoryPerChip(a, p, { ...o, sequenceParallel: false, recompute: "none" }).activations;
    const both = trainingMemoryPerChip(a, p, { ...o, sequenceParallel: true, recompute: "selective" }).activations;
    expect(Math.abs(tpOnly / both / (23 / 4.25) - 1)).toBeLessThan(0.1);
  });
});

describe("feasibility", () => {
  test("Llama-2-70B, DP-only on 8 × H100 80 GB: infeasible, with the bytes", () => {
    const chipFile = hw("h100-sxm");
    const e = estimateTraining(
      { ...base, precision: "bf16", architecture: arch("llama-2-70b"), trainingTokens: 1e12, seqLen: 4096 },
      {
        chip: toAccelerator(chipFile),
        chips: 8,
        efficiency: trainingEfficiencyFor(chipFile),
        parallelism: { tp: 1, pp: 1, dp: 8 },
        powerFraction: 1,
        pue: 1.1,
      },
    );
    expect(e.cluster?.feasible).toBe(false);
    const r = e.cluster?.reasons.find((x) => x.code === "exceeds-memory");
    expect(r?.requiredBytes).toBeGreaterThan(80e9);
    expect(r?.availableBytes).toBe(80e9);
  });
});

describe("step-time model properties", () => {
  const chipFile = hw("h100-sxm");
  const eff: TrainingEfficiency = trainingEfficiencyFor(chipFile);
  const run = (peakScale: number, bwScale: number) => {
    const chip = toAccelerator(chipFile);
    const scaled = {
      ...chip,
      peak: { ...chip.peak, bf16: (chip.peak.bf16 ?? 0) * peakScale } as typeof chip.peak,
      scaleOutBandwidth: ((chip.scaleOutBandwidth ?? 0) * bwScale) as typeof chip.scaleOutBandwidth,
    };
    return (
      estimateTraining(
        {
          ...base,
          precision: "bf16",
          architecture: arch("llama-3.1-70b"),
          trainingTokens: 1e12,
          seqLen: 8192,
          globalBatchTokens: 16e6,
          recompute: "selective",
          sequenceParallel: true,
        },
        { chip: scaled, chips: 1024, efficiency: eff, parallelism: { tp: 8, pp: 4 }, powerFraction: 1, pue: 1.1 },
      ).cluster?.step.stepS ?? Number.NaN
    );
  };
  test("more FLOP/s or more network bandwidth never makes a step slower", () => {
    expect(run(2, 1)).toBeLessThan(run(1, 1));
    expect(run(1, 2)).toBeLessThanOrEqual(run(1, 1));
  });
  test("MoE routing imbalance: Mixtral's predicted MFU is below a dense model's of similar active size", () => {
    const chip = toAccelerator(chipFile);
    const mfu = (id: string) =>
      estimateTraining(
        {
          ...base,
          precision: "bf16",
          architecture: arch(id),
          trainingTokens: 1e12,
          seqLen: 4096,
          globalBatchTokens: 4e6,
          recompute: "full",
        },
        { chip, chips: 64, efficiency: eff, powerFraction: 1, pue: 1.1 },
      ).cluster?.mfu ?? 0;
    expect(mfu("mixtral-8x7b")).toBeLessThan(mfu("llama-2-13b"));
  });
});
