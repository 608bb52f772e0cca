/**
 * Invariants of the inference step model with the committed calibration (docs/model.md §3.2, §3.5): the decode
 * step is a sum of per-op roofline times, throughput does not fall as the batch grows up to KV capacity, and the
 * TTFT at `--batch max` is one request's prompt under that load.
 */
import { fc, test as propTest } from "@fast-check/vitest";
import { estimateInference, type InferenceInput, iterationDetail, replicaCostModel } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { inferenceEfficiencyFor } from "../../src/efficiency.ts";
import { requireAccelerator, requireModel, toAccelerator } from "../../src/load.ts";

const scenario = (model: string, hw: string, over: Partial<InferenceInput> = {}): InferenceInput => ({
  architecture: requireModel(model).architecture,
  chip: toAccelerator(requireAccelerator(hw)),
  chips: 1,
  tp: 1,
  pp: 1,
  ep: 1,
  weightPrecision: "fp8",
  kvPrecision: "fp8",
  computePrecision: "fp8",
  inputTokens: 1024,
  outputTokens: 256,
  batch: 1,
  extraPrefillTokens: 0,
  usableMemoryFraction: 0.9,
  efficiency: inferenceEfficiencyFor(requireAccelerator(hw)),
  ...over,
});

const CASES = [
  ["llama-3.1-8b", "h100-sxm", {}],
  ["llama-3.1-70b", "h200-sxm", { chips: 2, tp: 2, ep: 2 }],
  ["mixtral-8x7b", "mi300x", {}],
  ["llama-2-70b", "b200", { weightPrecision: "fp4", computePrecision: "fp4" }],
  // Local attention: sliding window (Gemma 3), chunked (Llama 4), sliding + MoE + sinks (gpt-oss).
  ["gemma-3-27b", "h100-sxm", {}],
  ["llama-4-scout", "h200-sxm", {}],
  ["gpt-oss-20b", "h100-sxm", { weightPrecision: "fp4", computePrecision: "fp8" }],
] as const;

describe("decode step = Σ per-op max(compute, memory), not one max over the step", () => {
  propTest.prop([fc.constantFrom(...CASES), fc.integer({ min: 1, max: 512 }), fc.integer({ min: 16, max: 16_384 })])(
    "max(Σcompute, Σmemory) ≤ Σ ops ≤ Σcompute + Σmemory, and each op's time is its max",
    ([m, h, over], batch, input) => {
      const e = estimateInference(scenario(m, h, { ...over, batch, inputTokens: input }));
      const d = e.decode;
      expect(d.opsS).toBeGreaterThanOrEqual(Math.max(d.computeS, d.memoryS) * (1 - 1e-12));
      expect(d.opsS).toBeLessThanOrEqual((d.computeS + d.memoryS) * (1 + 1e-12));
      let sum = 0;
      for (const o of d.ops) {
        expect(o.timeS).toBe(Math.max(o.computeS, o.memoryS));
        sum += o.timeS;
      }
      expect(Math.abs(sum / d.opsS - 1)).toBeLessThan(1e-9);
      expect(d.totalS).toBeCloseTo(d.opsS + d.communicationS + d.overheadS, 12);
    },
  );
});

describe("throughput is monotone non-decreasing in batch until KV capacity", () => {
  propTest.prop([
    fc.constantFrom(...CASES),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 1, max: 64 }),
  ])("throughput(b + Δ) ≥ throughput(b) for b + Δ ≤ max batch", ([m, h, over], at, step) => {
    const maxBatch = estimateInference(scenario(m, h, { ...over, batch: "max" })).maxBatch;
    const b = Math.max(1, Math.floor(at * (maxBatch - 1)));
    const b2 = Math.min(maxBatch, b + step);
    const t1 = estimateInference(scenario(m, h, { ...over, batch: b })).outputTokensPerS;
    const t2 = estimateInference(scenario(m, h, { ...over, batch: b2 })).outputTokensPerS;
    expect(t2).toBeGreaterThanOrEqual(t1 * (1 - 1e-9));
  });
});

describe("TTFT at --batch max is one request's prompt under that load", () => {
  const at = (batch: number | "max") =>
    estimateInference(scenario("llama-3.1-8b", "h100-sxm", { batch, inputTokens: 1024, outputTokens: 256 }));
  const full = at("max");
  const alone = at(1);
  test("Llama-3.1-8B fp8 on one H100 fits ≈ 749 sequences of 1,280 tokens", () => {
    expect(full.maxBatch).toBeGreaterThan(600);
    expect(full.batch).toBe(full.maxBatch);
  });
  test("it is at least the isolated TTFT, and under isolated TTFT + ⌈1,024 ÷ (8,192 − (B − 1))⌉ steady iterations", () => {
    const chunks = Math.ceil(1024 / (8192 - (full.batch - 1)));
    expect(full.ttftS).toBeGreaterThanOrEqual(alone.ttftS);
    expect(full.ttftS).toBeLessThanOrEqual(alone.ttftS + chunks * full.steady.step.totalS);
  });
  test("it is far below prefilling the whole batch at once (B × 1,024 prompt tokens: > B/2 × the isolated TTFT)", () => {
    expect(full.ttftS).toBeLessThan((full.batch / 2) * alone.ttftS * 0.05);
  });
  test("at batch 1 the loaded figures are the isolated ones", () => {
    expect(alone.ttftS).toBe(alone.isolated.ttftS);
    expect(Math.abs(alone.tpotS / alone.isolated.tpotS - 1)).toBeLessThan(0.02);
  });
});

describe("the serving simulator's fast iteration cost equals the per-op sum", () => {
  propTest.prop([
    fc.constantFrom(...CASES),
    fc.integer({ min: 0, max: 4096 }),
    fc.integer({ min: 0, max: 8192 }),
    fc.integer({ min: 1, max: 32_768 }),
    fc.integer({ min: 1, max: 3 }),
    fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
  ])(
    "replicaCostModel(…).iterationS(w) = iterationDetail(…, w).totalS (±1e-9)",
    ([m, h, over], decodes, prefill, context, passes, window) => {
      const input = scenario(m, h, over);
      const local =
        window === undefined
          ? {}
          : {
              localAttendedPositions: decodes * Math.min(context, window) + prefill,
              localKvReadTokens: decodes * Math.min(context, window),
            };
      const w = {
        newTokens: decodes + prefill,
        logitTokens: decodes + (prefill > 0 ? 1 : 0),
        attendedPositions: decodes * context + (prefill * (prefill + 1)) / 2,
        kvReadTokens: decodes * context,
        kvWriteTokens: decodes + prefill,
        passes,
        ...local,
      };
      const fast = replicaCostModel(input).iterationS(w);
      const detailed = iterationDetail(input, w).totalS;
      expect(Math.abs(fast - detailed)).toBeLessThanOrEqual(1e-9 * Math.max(1, detailed));
    },
  );
});
