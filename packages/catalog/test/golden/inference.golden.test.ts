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
/** Ideal efficiencies (η = 1 for every matmul shape, full HBM, no overhead) so that terms can be checked by hand. */
const ideal: InferenceEfficiency = {
  fractions: {
    matmulPeakFraction: 1,
    attentionPeakFraction: 1,
    hbmFraction: 1,
    busBandwidthFraction: 1,
    gemmHalfDim: { m: 1e-9, n: 1e-9, k: 1e-9 },
    basis: "test",
  },
  stepOverheadS: 0,
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
  // Matmul weights per chip: every parameter but the 32,000 × 8,192 input embedding and the 80·2 + 1 RMSNorm
  // vectors of 8,192 (the norms are elementwise, the embedding a gather of one row per token).
  const matmulWeightBytesPerChip = ((params - 32_000 * 8192 - 161 * 8192) * 2) / 8; // 17.178 GB
  // Elementwise traffic per token per chip: 2 fused residual-add + RMSNorm per layer (4·hidden elements each) and
  // SwiGLU (read gate + up, write: 3 · 28,672/8 elements), 2 bytes each, + the embedding row.
  const elementwisePerToken = (80 * (8 * 8192 + 3 * (28_672 / 8)) + 8192) * 2;

  test("weights per chip = 68,976,648,192 × 2 B / 8 = 17.24 GB; KV per token per chip = 40,960 B", () => {
    const e = estimateInference(llama70bOn8xH100(1));
    expect(e.memoryPerChip.weights).toBe(weightBytesPerChip);
    expect(e.kvBytesPerTokenPerChip).toBe(kvPerTokenPerChip);
  });
  test("decode at batch 1 is memory-bound: Σ op bytes = matmul weights + (1,152 read + 1 written) KV + activations, ÷ 3.35 TB/s (±0.5%)", () => {
    const e = estimateInference(llama70bOn8xH100(1));
    const expected = (matmulWeightBytesPerChip + (meanContext + 1) * kvPerTokenPerChip + elementwisePerToken) / 3.35e12;
    expect(Math.abs(e.decode.opsS / expected - 1)).toBeLessThan(0.005);
    expect(e.decode.bottleneck).toBe("memory");
  });
  test("decode at batch 768: matmuls compute-bound (768 > 989.4/3.35 = 295 FLOP/B), attention memory-bound: Σ ops = matmul compute + KV read + elementwise (±1%)", () => {
    const b = 768;
    const e = estimateInference(llama70bOn8xH100(b));
    const matmulCompute = (b * 2 * matmulParamsPerToken(arch("llama-2-70b"))) / 8 / 989.4e12; // 13.3 ms
    const kvRead = (b * (meanContext + 1) * kvPerTokenPerChip) / 3.35e12; // 10.8 ms
    const elementwise = (b * elementwisePerToken) / 3.35e12; // 2.8 ms
    expect(Math.abs(e.decode.opsS / (matmulCompute + kvRead + elementwise) - 1)).toBeLessThan(0.01);
    // The step is a sum of ops: it exceeds one max(compute, memory) over the whole step by the smaller side's share.
    expect(e.decode.opsS).toBeGreaterThan(1.3 * Math.max(e.decode.computeS, e.decode.memoryS));
  });
  test("throughput grows with batch in the memory-bound range", () => {
    const t = [1, 8, 64].map((b) => estimateInference(llama70bOn8xH100(b)).outputTokensPerS);
    expect(t[0]).toBeLessThan(t[1] as number);
    expect(t[1]).toBeLessThan(t[2] as number);
  });
  test("TP8 decode at batch 1: 2·80 all-reduces of 8,192 × 2 B, each 8 µs + 2·7/8 · 16,384 B ÷ 450 GB/s (NVLink 4, one direction)", () => {
    const e = estimateInference(llama70bOn8xH100(1));
    const perAllReduce = 8e-6 + (2 * 7 * 16_384) / 8 / 450e9;
    expect(Math.abs(e.decode.communicationS / (160 * perAllReduce) - 1)).toBeLessThan(0.001);
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
  test("Mixtral decode reads the experts the batch touches: 2 of 8 at batch 1, 8·(1 − (3/4)^64) ≈ 8 at batch 64", () => {
    const input = (b: number): InferenceInput => ({ ...llama70bOn8xH100(b), architecture: arch("mixtral-8x7b") });
    const expertBytes = (b: number) =>
      estimateInference(input(b))
        .decode.ops.filter((o) => o.name.startsWith("experts"))
        .reduce((s, o) => s + o.memoryS, 0);
    // One expert of Mixtral: 3 · 4,096 · 14,336 bf16 weights, 32 layers; ÷ 8 chips (EP 8); memory side ≈ weights.
    const perExpertS = (3 * 4096 * 14_336 * 2 * 32) / 8 / 3.35e12;
    expect(Math.abs(expertBytes(1) / (2 * perExpertS) - 1)).toBeLessThan(0.01);
    expect(Math.abs(expertBytes(64) / (8 * perExpertS) - 1)).toBeLessThan(0.02);
  });
});
