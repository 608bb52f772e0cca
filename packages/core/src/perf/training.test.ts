import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { Accelerator } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { estimateTraining } from "../plan/training.ts";
import type { Bytes, BytesPerSecond, FlopPerSecond } from "../units/index.ts";
import { type Op, PRIOR_PHYSICAL_FRACTIONS, timeOps } from "./roofline.ts";
import { type ClusterInput, estimateLayout, PRIOR_TRAINING_EFFICIENCY, type TrainingInput } from "./training.ts";
import { activationBytesPerLayer, type Parallelism, trainingMemoryPerChip } from "./training-memory.ts";

// An H100 SXM as the datasheet states it: 989 TFLOP/s dense bf16, 1,979 fp8, 80 GB at 3.35 TB/s, NVLink
// 450 GB/s per direction in domains of 8, 400 Gb/s NDR per GPU.
const h100: Accelerator = {
  id: "test-h100",
  vendor: "test",
  name: "H100-like",
  family: "test",
  memory: 80e9 as Bytes,
  memoryBandwidth: 3.35e12 as BytesPerSecond,
  peak: {
    fp32: 67e12 as FlopPerSecond,
    tf32: 495e12 as FlopPerSecond,
    bf16: 989e12 as FlopPerSecond,
    fp16: 989e12 as FlopPerSecond,
    fp8: 1979e12 as FlopPerSecond,
    int8: 1979e12 as FlopPerSecond,
    fp4: null,
  },
  scaleUpBandwidth: 450e9 as BytesPerSecond,
  scaleUpDomain: 8,
  scaleOutBandwidth: 50e9 as BytesPerSecond,
  tdp: null,
};

const dense = (layers: number, hidden = 4096, heads = 32): Architecture => ({
  layers,
  hidden,
  heads,
  kvHeads: heads,
  headDim: hidden / heads,
  ffn: 4 * hidden,
  ffnGated: false,
  vocab: 32000,
  tiedEmbeddings: false,
  maxContext: 4096,
  positionEmbedding: "rope",
  norm: "rmsnorm",
  normsPerLayer: 2,
  embeddingNorm: false,
  qkNorm: false,
  qkvBias: false,
  outBias: false,
  mlpBias: false,
  lmHeadBias: false,
});

const input = (a: Architecture, over: Partial<TrainingInput> = {}): TrainingInput => ({
  architecture: a,
  trainingTokens: 1e12,
  seqLen: 4096,
  globalBatchTokens: 4096 * 512,
  microBatch: 1,
  precision: "bf16",
  ppInterleave: 1,
  zero: 1,
  goodput: 1,
  ...over,
});
const cluster = (chips: number, over: Partial<ClusterInput> = {}): ClusterInput => ({
  chip: h100,
  chips,
  efficiency: PRIOR_TRAINING_EFFICIENCY,
  powerFraction: 1,
  pue: 1,
  ...over,
});
const P = (tp: number, pp: number, dp: number, ep = 1, cp = 1): Parallelism => ({ tp, pp, dp, ep, cp });

describe("activation memory (Korthikanti et al. 2022 §4)", () => {
  const a = dense(32);
  const opts = { seqLen: 4096, microBatch: 1, recompute: "none" as const, flashAttention: true };
  it("sequence parallelism divides every activation by t", () => {
    const one = activationBytesPerLayer(a, { ...opts, tp: 1, sequenceParallel: false });
    const eight = activationBytesPerLayer(a, { ...opts, tp: 8, sequenceParallel: true });
    expect(eight * 8).toBeCloseTo(one, 0);
  });
  it("no s² term with FlashAttention: bytes are linear in the sequence length", () => {
    const at = (seqLen: number, flashAttention: boolean) =>
      activationBytesPerLayer(a, { ...opts, seqLen, tp: 1, sequenceParallel: false, flashAttention });
    expect(at(8192, true) / at(4096, true)).toBeCloseTo(2, 10);
    expect(at(8192, false) / at(4096, false)).toBeGreaterThan(2.05); // the 2as²b softmax term grows as s²
  });
  it("1F1B holds p micro-batches of one stage's L/p layers, with no interleave factor at v = 1", () => {
    const perLayer = activationBytesPerLayer(a, { ...opts, tp: 1, sequenceParallel: false });
    const mem = trainingMemoryPerChip(a, P(1, 4, 1), {
      ...opts,
      sequenceParallel: false,
      zero: 0,
      ppInterleave: 1,
      schedule: "1f1b",
      microBatches: 16,
    });
    // 4 in flight × 8 layers = 32 layer-activations on the first stage (hand count).
    expect(mem.activations / perLayer).toBeCloseTo(32, 6);
    const interleaved = trainingMemoryPerChip(a, P(1, 4, 1), {
      ...opts,
      sequenceParallel: false,
      zero: 0,
      ppInterleave: 2,
      schedule: "interleaved",
      microBatches: 16,
    });
    // Narayanan et al. 2021 §2.2.2: × (1 + (p−1)/(p·v)) = 1 + 3/8.
    expect(interleaved.activations / perLayer).toBeCloseTo(32 * 1.375, 6);
  });
});

describe("step-time invariants", () => {
  it("the ceil(L/p) stage sets the pace: 29 and 32 layers on 4 stages take the same compute, 33 more", () => {
    const compute = (layers: number) =>
      estimateLayout(input(dense(layers)), cluster(32), P(8, 4, 1), "none").step.computeS;
    expect(compute(29)).toBeCloseTo(compute(32), 12);
    expect(compute(33) / compute(32)).toBeGreaterThan(1.08); // 9 layers vs 8 on the slowest stage
  });
  test.prop([
    fc.array(
      fc.record({
        kind: fc.constantFrom("gemm", "attention", "memory"),
        m: fc.integer({ min: 1, max: 16384 }),
        n: fc.integer({ min: 1, max: 16384 }),
        k: fc.integer({ min: 1, max: 16384 }),
        bytes: fc.double({ min: 0, max: 1e10, noNaN: true }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  ])("max(compute, memory) ≤ step ops time ≤ compute + memory", (xs) => {
    const ops: Op[] = xs.map((x, i) => ({
      name: `op${i}`,
      kind: x.kind,
      flops: 2 * x.m * x.n * x.k,
      bytes: x.bytes,
      precision: "bf16",
      shape: { m: x.m, n: x.n, k: x.k },
    }));
    const t = timeOps(ops, h100, PRIOR_PHYSICAL_FRACTIONS);
    expect(t.totalS).toBeGreaterThanOrEqual(Math.max(t.computeS, t.memoryS) * (1 - 1e-12));
    expect(t.totalS).toBeLessThanOrEqual((t.computeS + t.memoryS) * (1 + 1e-12));
  });
  it("exposed all-to-all ≤ the all-to-all: overlapping EP never makes a MoE step slower, and hides most of it", () => {
    const moe: Architecture = {
      ...dense(16, 2048, 16),
      ffn: 0,
      moe: {
        experts: 64,
        active: 6,
        shared: 0,
        expertFfn: 1408,
        firstDenseLayers: 0,
        routerBias: false,
        expertBias: false,
      },
    };
    const run = (epOverlap: "none" | "1f1b", chips: number) =>
      estimateLayout(input(moe, { epOverlap }), cluster(chips), P(1, 1, chips, chips), "none").step.expertParallelS;
    for (const chips of [8, 64]) {
      expect(run("none", chips)).toBeGreaterThan(0);
      expect(run("1f1b", chips)).toBeLessThanOrEqual(run("none", chips));
    }
    // Inside one NVLink domain the all-to-all is shorter than a layer's compute: all but the slowdown is hidden.
    expect(run("1f1b", 8)).toBeLessThan(run("none", 8) / 2);
  });
  it("FP8 speeds up only the matmuls: the speed-up is below the 2× peak ratio", () => {
    const step = (precision: "bf16" | "fp8") =>
      estimateLayout(input(dense(32), { precision }), cluster(8), P(8, 1, 1), "none").step.computeS;
    const speedup = step("bf16") / step("fp8");
    expect(speedup).toBeGreaterThan(1.2);
    expect(speedup).toBeLessThan(2);
  });
  it("int8 (AQT) training pays the same quantisation casts as FP8: equal step at equal peaks, slower than the pure 2× GEMM speed-up", () => {
    // The test chip's int8 and fp8 peaks are both 1,979 TFLOP/s, so only the cast and precision path differ.
    const step = (precision: "bf16" | "fp8" | "int8") =>
      estimateLayout(input(dense(32), { precision }), cluster(8), P(8, 1, 1), "none").step.computeS;
    expect(step("int8")).toBeCloseTo(step("fp8"), 12);
    expect(step("bf16") / step("int8")).toBeLessThan(2);
  });
  it("a system's pod and DCN tiers: DP inside one pod is unchanged, DP spanning pods over a slow DCN is slower", () => {
    const system = (podChips: number) => ({
      id: "test-system",
      scaleUpDomain: 8,
      scaleUpBandwidth: 450e9,
      scaleOutBandwidth: 50e9,
      podChips,
      dcnBandwidth: 50e9 / 7,
    });
    const dp = (sys?: ReturnType<typeof system>) =>
      estimateLayout(input(dense(32), { dpOverlap: false }), cluster(64, { system: sys }), P(8, 1, 8), "none").step
        .dataParallelS;
    expect(dp(system(64))).toBeCloseTo(dp(), 12);
    // 8 DP ranks, stride 8: a 32-chip pod holds 4 of them, so the last halving crosses the 1:7 DCN tier.
    expect(dp(system(32))).toBeGreaterThan(dp() * 1.5);
  });
  it("interleaving needs micro-batches divisible by pp (a reason, not a silent fraction)", () => {
    const e = estimateLayout(
      input(dense(32), { ppInterleave: 2, globalBatchTokens: 4096 * 6 }),
      cluster(4),
      P(1, 4, 1),
      "none",
    );
    expect(e.reasons.map((r) => r.code)).toContain("interleave-microbatches");
  });
});

describe("planner", () => {
  // Memory-minimal brute force, independent of the planner's candidate code: every tp ≤ 8 dividing the heads,
  // every pp dividing chips/tp up to L, every ZeRO stage and recompute mode, micro-batch 1, 1F1B.
  function bruteForceFeasible(a: Architecture, chips: number, inp: TrainingInput): boolean {
    for (const tp of [1, 2, 4, 8])
      for (let pp = 1; pp <= a.layers; pp++) {
        if (a.heads % tp !== 0 || chips % (tp * pp) !== 0) continue;
        for (const zero of [0, 1, 2, 3] as const)
          for (const r of ["none", "full"] as const)
            if (estimateLayout({ ...inp, zero }, cluster(chips), P(tp, pp, chips / (tp * pp)), r).feasible) return true;
      }
    return false;
  }
  test.prop(
    [
      fc.integer({ min: 2, max: 96 }),
      fc.integer({ min: 4, max: 48 }),
      fc.constantFrom(16, 32, 64, 96, 128),
      fc.integer({ min: 1, max: 700 }),
    ],
    { numRuns: 25 },
  )("returns a feasible plan whenever one exists in the space", (layers, hidden64, headDim, chips) => {
    const hidden = hidden64 * 128;
    const a = dense(layers, hidden, hidden / headDim);
    const inp = input(a, { globalBatchTokens: 4096 * 1024 });
    const planned = estimateTraining(inp, cluster(chips), {
      zero: false,
      microBatch: false,
      ppInterleave: false,
      recompute: false,
    }).cluster;
    if (bruteForceFeasible(a, chips, inp)) expect(planned?.feasible).toBe(true);
  });
});
