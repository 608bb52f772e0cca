import { describe, expect, test } from "vitest";
import type { Accelerator } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import type { InferenceEfficiency } from "../perf/inference.ts";
import { PRIOR_PHYSICAL_FRACTIONS } from "../perf/roofline.ts";
import type { Bytes, BytesPerSecond, FlopPerSecond } from "../units/index.ts";
import {
  defaultKvPrecision,
  replicaInput,
  replicaLayout,
  resolveComputePrecision,
  servingTpCandidates,
} from "./inference.ts";

// An A100-like chip (datasheet: 312 TFLOP/s bf16/fp16, 624 TOPS int8, no fp8), 80 GB, NVLink domain of 8.
const a100: Accelerator = {
  id: "test-a100",
  vendor: "test",
  name: "A100-like",
  family: "test",
  memory: 80e9 as Bytes,
  memoryBandwidth: 2.039e12 as BytesPerSecond,
  peak: {
    fp32: 19.5e12 as FlopPerSecond,
    tf32: 156e12 as FlopPerSecond,
    bf16: 312e12 as FlopPerSecond,
    fp16: 312e12 as FlopPerSecond,
    fp8: null,
    int8: 624e12 as FlopPerSecond,
    fp4: null,
  },
  scaleUpBandwidth: 300e9 as BytesPerSecond,
  scaleUpDomain: 8,
  scaleOutBandwidth: 25e9 as BytesPerSecond,
  tdp: null,
};
const efficiency: InferenceEfficiency = {
  fractions: PRIOR_PHYSICAL_FRACTIONS,
  stepOverheadS: 0,
  basis: "test",
  validated: false,
  band: { low: 1, high: 1 },
};
const arch = { heads: 64, layers: 80 } as Architecture;

describe("resolveComputePrecision(chip, weights)", () => {
  test("native precision is kept; fp8 on a chip without fp8 falls back to bf16 with a warning", () => {
    expect(resolveComputePrecision(a100, "int8")).toEqual({ precision: "int8" });
    const r = resolveComputePrecision(a100, "fp8");
    expect(r.precision).toBe("bf16");
    expect(r.warning).toMatchObject({ code: "weight-only-quantization", params: { wanted: "fp8", fallback: "bf16" } });
    expect(r.warning?.message).toMatch(/no native fp8/);
  });
});

describe("defaultKvPrecision(chip, weights)", () => {
  test("16-bit KV under weight-only int8/int4/fp4; the weights' otherwise", () => {
    expect(defaultKvPrecision(a100, "int4")).toBe("bf16");
    expect(defaultKvPrecision(a100, "fp8")).toBe("fp8");
  });
});

describe("servingTpCandidates(heads, maxTp)", () => {
  test("powers of two ≤ min(maxTp, 64) dividing the heads", () => {
    expect(servingTpCandidates(64, 8)).toEqual([1, 2, 4, 8]);
    expect(servingTpCandidates(40, 72)).toEqual([1, 2, 4, 8]);
    expect(servingTpCandidates(128, 256)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(servingTpCandidates(32, 0)).toEqual([1]);
  });
});

describe("replicaInput(spec): the one inference estimator-input builder", () => {
  test("one replica of tp·pp chips, experts over all of them, vLLM's 0.9 usable memory", () => {
    const r = replicaInput({
      architecture: arch,
      chip: a100,
      efficiency,
      tp: 4,
      pp: 2,
      weightPrecision: "fp8",
      kvPrecision: "fp8",
    });
    expect([r.chips, r.tp, r.pp, r.ep]).toEqual([8, 4, 2, 8]);
    expect(r.computePrecision).toBe("bf16");
    expect(r.usableMemoryFraction).toBe(0.9);
  });
  test("stated chips, ep and precisions are kept", () => {
    const r = replicaInput({
      architecture: arch,
      chip: a100,
      efficiency,
      tp: 2,
      ep: 1,
      chips: 16,
      weightPrecision: "bf16",
      kvPrecision: "fp16",
      computePrecision: "fp16",
      usableMemoryFraction: 0.8,
    });
    expect([r.chips, r.tp, r.pp, r.ep, r.kvPrecision, r.computePrecision, r.usableMemoryFraction]).toEqual([
      16,
      2,
      1,
      1,
      "fp16",
      "fp16",
      0.8,
    ]);
  });
});

describe("replicaLayout(a, id, chips, degrees, domain): the one inference layout builder", () => {
  test("tp fills the scale-up domain within chips ÷ pp; ep defaults to tp·pp", () => {
    expect(replicaLayout(arch, "m", 16, {}, 8)).toEqual({ ok: true, layout: { tp: 8, pp: 1, ep: 8 } });
    expect(replicaLayout(arch, "m", 4, { pp: 2 }, 8)).toEqual({ ok: true, layout: { tp: 2, pp: 2, ep: 4 } });
    expect(replicaLayout(arch, "m", 8, { tp: 4, ep: 1 }, 8)).toEqual({ ok: true, layout: { tp: 4, pp: 1, ep: 1 } });
  });
  test("too many chips per replica, tp not dividing the heads, pp over the layers: one problem each", () => {
    const r = replicaLayout(arch, "m", 4, { tp: 3, pp: 96 }, 8);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(["tp", "tp", "pp"]);
  });
});
