/**
 * Sliding-window and chunked local attention in the per-op inference model (docs/model.md §3.2): a local layer
 * attends to, reads and keeps the KV of at most its window, min(context, w) (sliding: Gemma 2/3, gpt-oss), or the
 * positions of its own chunk (Llama 4). Expected values are hand-computed from the model cards' configs.
 */
import {
  estimateInference,
  type InferenceEfficiency,
  type InferenceInput,
  kvBytesPerSequencePerChip,
  PRIOR_PHYSICAL_FRACTIONS,
} from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { requireAccelerator, requireModel, toAccelerator } from "../../src/load.ts";

/** The prior with HBM fraction 1 and no iteration overhead, so that op times are bytes ÷ datasheet bandwidth. */
const plain: InferenceEfficiency = {
  fractions: { ...PRIOR_PHYSICAL_FRACTIONS, hbmFraction: 1 },
  stepOverheadS: 0,
  basis: "test",
  validated: true,
  band: { low: 1, high: 1 },
};
const scenario = (model: string, hw: string, over: Partial<InferenceInput>): InferenceInput => ({
  architecture: requireModel(model).architecture,
  chip: toAccelerator(requireAccelerator(hw)),
  chips: 1,
  tp: 1,
  pp: 1,
  ep: 1,
  weightPrecision: "bf16",
  kvPrecision: "bf16",
  computePrecision: "bf16",
  inputTokens: 1024,
  outputTokens: 256,
  batch: 1,
  extraPrefillTokens: 0,
  usableMemoryFraction: 0.9,
  efficiency: plain,
  ...over,
});
const op = (ops: readonly { name: string; memoryS: number; computeS: number }[], prefix: string) => {
  const found = ops.find((o) => o.name.startsWith(prefix));
  if (!found) throw new Error(`no op ${prefix} in ${ops.map((o) => o.name).join(", ")}`);
  return found;
};
const rel = (x: number, expected: number) => Math.abs(x / expected - 1);

// Gemma-3-27B: 62 layers = 52 sliding-window (1,024 tokens) + 10 global; 16 KV heads × 128; 32 heads.
// bf16 KV per token per layer = 2·16·128·2 B = 8,192 B; Q read + O written per token per layer = 32·(128+128)·2 B.
describe("Gemma-3-27B (sliding window 1,024 on 52 of 62 layers) on one H100 SXM, bf16", () => {
  const prompt = 32_768;
  const output = 256;
  const e = estimateInference(scenario("gemma-3-27b", "h100-sxm", { inputTokens: prompt, outputTokens: output }));

  test("KV of one 33,024-token sequence: (10·33,024 + 52·1,024)·8,192 B = 3,141,533,696 B, not 62·33,024·8,192", () => {
    const a = requireModel("gemma-3-27b").architecture;
    expect(kvBytesPerSequencePerChip(a, "bf16", 1, 1, 33_024)).toBe(3_141_533_696);
    // TP 2 splits the 16 KV heads: half per chip.
    expect(kvBytesPerSequencePerChip(a, "bf16", 2, 1, 33_024)).toBe(3_141_533_696 / 2);
    expect(e.memoryPerChip.kvCache).toBe(3_141_533_696);
  });

  test("max batch = ⌊free memory ÷ 3,141,533,696 B⌋: the 32K request fits (charged at full attention it would not)", () => {
    const free = e.memoryPerChip.capacity - e.memoryPerChip.weights - e.memoryPerChip.workspace;
    expect(e.maxBatch).toBe(Math.floor(free / 3_141_533_696));
    expect(e.maxBatch).toBeGreaterThanOrEqual(1);
    expect(free).toBeLessThan(16_773_021_696); // 62 layers × 33,024 tokens × 8,192 B would not fit
    expect(e.feasible).toBe(true);
  });

  test("decode at batch 1: local layers read 1,024 + 1 KV tokens, global layers 32,896 + 1 (mean context)", () => {
    // Sliding layers: 52·(1,025·8,192 + 16,384) B = 437,485,568 B ÷ 3.35 TB/s = 130.593 µs.
    // Global layers: 10·(32,897·8,192 + 16,384) B = 2,695,086,080 B ÷ 3.35 TB/s = 804.503 µs.
    const local = op(e.decode.ops, "attention, sliding-window layers");
    const global = op(e.decode.ops, "attention, global layers");
    expect(rel(local.memoryS, 437_485_568 / 3.35e12)).toBeLessThan(1e-9);
    expect(rel(global.memoryS, 2_695_086_080 / 3.35e12)).toBeLessThan(1e-9);
  });

  test("prefill of 4,096 tokens: local layers attend Σ min(i, 1,024) = 3,670,528 positions, global 8,390,656", () => {
    const p = estimateInference(scenario("gemma-3-27b", "h100-sxm", { inputTokens: 4096 })).prefill;
    // 2·32·(128 + 128) = 16,384 FLOPs per attended position per layer, at 989.4 TFLOP/s × 0.6 (attention fraction).
    const peak = 989.4e12 * PRIOR_PHYSICAL_FRACTIONS.attentionPeakFraction;
    expect(rel(op(p.ops, "attention, sliding-window").computeS, (52 * 3_670_528 * 16_384) / peak)).toBeLessThan(1e-9);
    expect(rel(op(p.ops, "attention, global").computeS, (10 * 8_390_656 * 16_384) / peak)).toBeLessThan(1e-9);
  });
});

// Llama-4-Scout: 48 layers = 36 chunked (8,192-token chunks) + 12 global; 8 KV heads × 128; 40 heads.
// bf16 KV per token per layer = 2·8·128·2 = 4,096 B; Q + O per token per layer = 40·256·2 = 20,480 B.
describe("Llama-4-Scout (chunked attention, 8,192-token chunks on 36 of 48 layers) on one H200 SXM", () => {
  test("decoding positions 10,001…10,100 attends 1,809…1,908 positions in a chunked layer: mean 1,858.5", () => {
    const e = estimateInference(
      scenario("llama-4-scout", "h200-sxm", {
        weightPrecision: "fp8",
        computePrecision: "fp8",
        inputTokens: 10_000,
        outputTokens: 100,
      }),
    );
    expect(e.feasible).toBe(true);
    // Chunked: 36·((1,858.5 + 1)·4,096 + 20,480) B = 274,931,712 B ÷ 4.8 TB/s; global: 12·((10,050 + 1)·4,096 +
    // 20,480) B = 494,272,512 B ÷ 4.8 TB/s.
    expect(rel(op(e.decode.ops, "attention, chunked layers").memoryS, 274_931_712 / 4.8e12)).toBeLessThan(1e-9);
    expect(rel(op(e.decode.ops, "attention, global layers").memoryS, 494_272_512 / 4.8e12)).toBeLessThan(1e-9);
  });
});

describe("models without local layers keep one attention op over every layer", () => {
  test("Llama-3.1-8B: a single 'attention (KV cache)' op", () => {
    const e = estimateInference(scenario("llama-3.1-8b", "h100-sxm", {}));
    expect(e.decode.ops.filter((o) => o.name.startsWith("attention")).map((o) => o.name)).toEqual([
      "attention (KV cache)",
    ]);
  });
});
