import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { Accelerator } from "../hardware/accelerator.ts";
import { gemmEfficiency, gemmFlops, type Op, opTime, PRIOR_PHYSICAL_FRACTIONS as PRIOR, timeOps } from "./roofline.ts";

// H100 SXM datasheet: 989.4 TFLOP/s dense bf16, 1,978.9 dense fp8, 3.35 TB/s HBM3.
const h100 = {
  peak: { fp32: 66.9e12, tf32: 494.7e12, bf16: 989.4e12, fp16: 989.4e12, fp8: 1978.9e12, int8: 1978.9e12, fp4: null },
  memoryBandwidth: 3.35e12,
} as unknown as Pick<Accelerator, "peak" | "memoryBandwidth">;

describe("η_gemm(M,N,K)", () => {
  it("a 4096³ GEMM: 0.75 · 4096/4160 · 4096/4192 · 4096/4160 = 0.71045 (hand-computed)", () => {
    expect(gemmEfficiency({ m: 4096, n: 4096, k: 4096 }, PRIOR)).toBeCloseTo(0.71045, 4);
  });
  it("halves along M at the half-dimension", () => {
    const big = 1e9;
    expect(gemmEfficiency({ m: 64, n: big, k: big }, PRIOR)).toBeCloseTo(0.375, 6);
  });
  test.prop([
    fc.integer({ min: 1, max: 65536 }),
    fc.integer({ min: 1, max: 65536 }),
    fc.integer({ min: 1, max: 65536 }),
  ])("monotone in each dimension and below the peak fraction", (m, n, k) => {
    const e = gemmEfficiency({ m, n, k }, PRIOR);
    expect(e).toBeLessThan(PRIOR.matmulPeakFraction);
    expect(gemmEfficiency({ m: m + 1, n, k }, PRIOR)).toBeGreaterThan(e);
    expect(gemmEfficiency({ m, n: n * 2, k }, PRIOR)).toBeGreaterThan(e);
  });
});

describe("op time = max(compute, memory)", () => {
  it("4096³ bf16 GEMM on H100: 2·4096³ ÷ (989.4e12 · 0.71045) = 195.5 µs, compute-bound", () => {
    const shape = { m: 4096, n: 4096, k: 4096 };
    const t = opTime(
      { name: "g", kind: "gemm", flops: gemmFlops(shape), bytes: 3 * 4096 * 4096 * 2, precision: "bf16", shape },
      h100,
      PRIOR,
    );
    expect(t.timeS).toBeCloseTo(1.9553e-4, 7);
    expect(t.bound).toBe("compute");
  });
  it("a decode GEMV (M = 1) reading 8192² bf16 weights is memory-bound: 2·8192² ÷ (3.35e12 · 0.85) = 47.1 µs", () => {
    const shape = { m: 1, n: 8192, k: 8192 };
    const t = opTime(
      { name: "g", kind: "gemm", flops: gemmFlops(shape), bytes: 2 * 8192 * 8192, precision: "bf16", shape },
      h100,
      PRIOR,
    );
    expect(t.timeS).toBeCloseTo(4.7135e-5, 8);
    expect(t.bound).toBe("memory");
  });
  it("a 1 GB norm is timed at HBM bandwidth only: 1e9 ÷ (3.35e12 · 0.85) = 351.2 µs", () => {
    const t = opTime({ name: "norm", kind: "memory", flops: 5e9, bytes: 1e9, precision: "bf16" }, h100, PRIOR);
    expect(t.timeS).toBeCloseTo(3.5119e-4, 7);
    expect(t.computeS).toBe(0);
  });
  it("FP8 halves the compute side of a compute-bound GEMM (fp8 peak = 2× bf16 on H100)", () => {
    const shape = { m: 8192, n: 8192, k: 8192 };
    const op: Op = { name: "g", kind: "gemm", flops: gemmFlops(shape), bytes: 0, precision: "bf16", shape };
    const t16 = opTime(op, h100, PRIOR).computeS;
    const t8 = opTime({ ...op, precision: "fp8" }, h100, PRIOR).computeS;
    expect(t16 / t8).toBeCloseTo(1978.9 / 989.4, 6);
  });
  it("count repeats the op", () => {
    const op: Op = { name: "n", kind: "memory", flops: 0, bytes: 1e6, precision: "bf16" };
    expect(opTime({ ...op, count: 80 }, h100, PRIOR).timeS).toBeCloseTo(80 * opTime(op, h100, PRIOR).timeS, 12);
  });
});

describe("a step is the sum of its ops", () => {
  const arbOp = fc.record({
    m: fc.integer({ min: 1, max: 16384 }),
    n: fc.integer({ min: 1, max: 16384 }),
    k: fc.integer({ min: 1, max: 16384 }),
    bytes: fc.double({ min: 0, max: 1e10, noNaN: true }),
    kind: fc.constantFrom("gemm", "attention", "memory") as fc.Arbitrary<"gemm" | "attention" | "memory">,
  });
  test.prop([fc.array(arbOp, { minLength: 1, maxLength: 12 })])(
    "max(Σcompute, Σmemory) ≤ Σ op time ≤ Σcompute + Σmemory",
    (raw) => {
      const ops: Op[] = raw.map((r, i) => {
        const shape = { m: r.m, n: r.n, k: r.k };
        return { name: `op${i}`, kind: r.kind, flops: gemmFlops(shape), bytes: r.bytes, precision: "bf16", shape };
      });
      const t = timeOps(ops, h100, PRIOR);
      const lo = Math.max(t.computeS, t.memoryS);
      expect(t.totalS).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
      expect(t.totalS).toBeLessThanOrEqual((t.computeS + t.memoryS) * (1 + 1e-12));
      for (const o of t.ops) expect(o.timeS).toBe(Math.max(o.computeS, o.memoryS));
    },
  );
});
