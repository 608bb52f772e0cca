import {
  estimateInference,
  expectedExpertsTouched,
  expectedTokensPerStep,
  type InferenceEfficiency,
  type InferenceInput,
  matmulParamsPerToken,
  speculativeSpeedup,
} from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { requireAccelerator, requireModel, toAccelerator } from "../../src/load.ts";

const arch = (id: string) => requireModel(id).architecture;
const chip = (id: string) => toAccelerator(requireAccelerator(id));
/** Ideal efficiencies so that roofline terms can be checked by hand. */
const ideal: InferenceEfficiency = {
  computeFraction: 1,
  bandwidthFraction: 1,
  basis: "test",
  validated: true,
  band: { low: 1, high: 1 },
};
const llama70bOn8xH100 = (batch: number): InferenceInput => ({
  architecture: arch("llama-2-70b"),
  chip: chip("h100-sxm"),
  chips: 8,
  tp: 8,
  pp: 1,
  ep: 8,
  weightPrecision: "bf16",
  kvPrecision: "bf16",
  computePrecision: "bf16",
  inputTokens: 1024,
  outputTokens: 256,
  batch,
  extraPrefillTokens: 0,
  usableMemoryFraction: 0.9,
  efficiency: ideal,
});

describe("Llama-2-70B bf16 on 8 × H100 SXM, TP8 (hand-computed)", () => {
  const params = 68_976_648_192;
  const weightBytesPerChip = (params * 2) / 8; // 17.244 GB
  const kvPerTokenPerChip = 2 * 80 * 1 * 128 * 2; // one of 8 KV heads per chip = 40,960 B
  const meanContext = 1024 + 128;

  test("weights per chip = 68,976,648,192 × 2 B / 8 = 17.24 GB; KV per token per chip = 40,960 B", () => {
    const e = estimateInference(llama70bOn8xH100(1));
    expect(e.memoryPerChip.weights).toBe(weightBytesPerChip);
    expect(e.kvBytesPerTokenPerChip).toBe(kvPerTokenPerChip);
  });
  test("decode at batch 1 is memory-bound: (weights + (1,152 read + 1 written) × 40,960 B) ÷ 3.35 TB/s", () => {
    const e = estimateInference(llama70bOn8xH100(1));
    const expected = (weightBytesPerChip + (meanContext + 1) * kvPerTokenPerChip) / 3.35e12;
    expect(e.decode.memoryS / expected).toBeCloseTo(1, 9);
    expect(e.decode.bottleneck).toBe("memory");
  });
  test("decode at batch 256: bytes grow with the KV cache; compute = 256 × (2·N + attention) ÷ (8 × 989.4 TFLOP/s)", () => {
    const e = estimateInference(llama70bOn8xH100(256));
    const bytes = weightBytesPerChip + 256 * (meanContext + 1) * kvPerTokenPerChip;
    expect(e.decode.memoryS / (bytes / 3.35e12)).toBeCloseTo(1, 9);
    const flops = 256 * (2 * matmulParamsPerToken(arch("llama-2-70b")) + 2 * 80 * meanContext * 64 * 256);
    expect(e.decode.computeS / (flops / (8 * 989.4e12))).toBeCloseTo(1, 9);
    expect(e.decode.memoryS).toBeGreaterThan(e.decode.computeS); // still memory-bound at this context
  });
  test("throughput grows with batch in the memory-bound range", () => {
    const t = [1, 8, 64].map((b) => estimateInference(llama70bOn8xH100(b)).outputTokensPerS);
    expect(t[0]).toBeLessThan(t[1] as number);
    expect(t[1]).toBeLessThan(t[2] as number);
  });
});

describe("capacity", () => {
  const single = (hw: string): InferenceInput => ({
    ...llama70bOn8xH100(1),
    chip: chip(hw),
    chips: 1,
    tp: 1,
    ep: 1,
    weightPrecision: "fp16",
    kvPrecision: "fp16",
    computePrecision: "fp16",
  });
  test("Llama-2-70B fp16 does not fit one H100 (138 GB of weights > 72 GB usable), with the bytes", () => {
    const e = estimateInference(single("h100-sxm"));
    expect(e.feasible).toBe(false);
    expect(e.reasons[0]?.code).toBe("weights-exceed-memory");
    expect(e.reasons[0]?.requiredBytes).toBeGreaterThan(137.9e9);
    expect(e.reasons[0]?.availableBytes).toBeCloseTo(72e9, -6);
  });
  test("…and fits one MI300X (192 GB)", () => {
    const e = estimateInference(single("mi300x"));
    expect(e.feasible).toBe(true);
    expect(e.maxBatch).toBeGreaterThan(0);
  });
});

describe("speculative decoding (Leviathan et al. 2023)", () => {
  test("α = 0.8, k = 4: expected tokens per step (1 − 0.8⁵)/(1 − 0.8) = 3.3616", () => {
    expect(expectedTokensPerStep(4, 0.8)).toBeCloseTo(3.3616, 4);
  });
  test("α = 0.8, k = 4, draft cost 5%: speed-up 3.3616 / 1.2 = 2.801 (within 1%)", () => {
    expect(Math.abs(speculativeSpeedup(4, 0.8, 0.05) / 2.8013 - 1)).toBeLessThan(0.01);
    const e = estimateInference({
      ...llama70bOn8xH100(1),
      speculative: { k: 4, acceptance: 0.8, draftCostRatio: 0.05 },
    });
    expect(Math.abs((e.speculative?.analyticSpeedup ?? 0) / 2.8013 - 1)).toBeLessThan(0.01);
  });
});

describe("MoE experts touched per decode step", () => {
  test("one token touches exactly k experts; many tokens touch all E", () => {
    expect(expectedExpertsTouched(8, 2, 1)).toBeCloseTo(2, 9);
    expect(expectedExpertsTouched(256, 8, 10_000)).toBeCloseTo(256, 3);
  });
  test("Mixtral decode at batch 1 reads fewer weight bytes than at batch 64", () => {
    const input = (b: number): InferenceInput => ({ ...llama70bOn8xH100(b), architecture: arch("mixtral-8x7b") });
    const at = (b: number) =>
      estimateInference(input(b)).decode.bytes -
      b * (1024 + 128) * estimateInference(input(b)).kvBytesPerTokenPerChip * 8;
    expect(at(1)).toBeLessThan(at(64));
  });
});
