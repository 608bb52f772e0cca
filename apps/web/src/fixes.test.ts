import { describe, expect, test } from "vitest";
import { applyFix, type Fix, fleetFixes, inferFixes, trainFixes, verifiedFixes } from "./fixes.ts";

const memory = { code: "exceeds-memory", message: "", requiredBytes: 845.5e9, availableBytes: 80e9 };

describe("fixes", () => {
  test("trainFixes(params, reasons) for a model that does not fit: ZeRO 3, full recompute, fp8, more chips", () => {
    const fixes = trainFixes({ model: "llama-3.1-405b", hardware: "h100-sxm", chips: "8" }, [memory]);
    expect(fixes.map((f) => f.label)).toEqual(["ZeRO 3", "full recompute", "fp8", "more chips"]);
    // 8 chips × 845.5/80 = 84.6 → rounded up to a whole node of 8: 88; then doublings.
    const more = fixes[3];
    expect(more?.patch).toEqual({ chips: "88" });
    expect(more?.ladder?.[0]).toEqual({ chips: "176" });
  });

  test("trainFixes offers no fp8 on a chip without native fp8 (a100), and frees a fixed layout", () => {
    const fixes = trainFixes({ hardware: "a100-sxm-80gb", chips: "64", tp: "8", zero: "3" }, [memory]);
    expect(fixes.map((f) => f.label)).toEqual(["let the planner choose tp/pp/dp", "full recompute", "more chips"]);
  });

  test("inferFixes(params, reasons, maxBatch): the largest batch that fits, fp8 KV, more chips with pipeline stages", () => {
    const fixes = inferFixes(
      { model: "llama-3.1-70b", hardware: "h100-sxm", chips: "1", batch: "400" },
      [{ code: "batch-exceeds-kv", message: "" }],
      37,
    );
    expect(fixes.map((f) => f.label)).toEqual(["batch 37 (largest that fits)", "fp8 KV cache", "more chips"]);
    // h100-sxm: an 8-chip NVLink domain, so 16 chips = tp 8 × pp 2.
    expect(fixes[2]?.ladder?.[0]).toEqual({ chips: "16", tp: "8", pp: "2" });
  });

  test("verifiedFixes keeps only what the estimate confirms, climbing a ladder to the first step that works", () => {
    const candidates: Fix[] = [
      { label: "ZeRO 3", patch: { zero: "3" } },
      { label: "more chips", patch: { chips: "16" }, ladder: [{ chips: "32" }, { chips: "64" }] },
    ];
    const tried: string[] = [];
    const fixes = verifiedFixes({ chips: "8" }, candidates, (p) => {
      tried.push(JSON.stringify(p));
      return Number(p.chips) >= 32 ? "fits" : null;
    });
    expect(fixes).toEqual([{ label: "32 chips", patch: { chips: "32" }, outcome: "fits" }]);
    expect(tried).toHaveLength(3); // zero 3; 16 chips; 32 chips (64 never tried)
  });

  test("applyFix(params, fix) sets keys and removes those patched to empty", () => {
    expect(applyFix({ tp: "8", chips: "8" }, { label: "", patch: { tp: "", chips: "16" } })).toEqual({ chips: "16" });
  });

  test("fleetFixes(params, reasons) doubles the SLOs when latency is the limit", () => {
    const params = { hardware: "a100-sxm-80gb", sloTpotMs: "20", sloTtftMs: "500" };
    const reasons = [
      { code: "slo-missed-at-batch-1", message: "tp 1: even one request misses the SLO (TTFT 90 ms, TPOT 25.0 ms)" },
    ];
    expect(fleetFixes(params, reasons).map((f) => f.patch)).toEqual([{ sloTpotMs: "40" }, { sloTtftMs: "1000" }]);
  });

  test("fleetFixes(params, reasons) offers smaller weights, not looser SLOs, when the weights do not fit", () => {
    const params = { hardware: "l4", sloTpotMs: "10", sloTtftMs: "200" };
    const reasons = [
      { code: "weights-exceed-memory", message: "tp 1: weights need 141.1 GB per chip, usable memory is 21.6 GB" },
    ];
    expect(fleetFixes(params, reasons).map((f) => f.label)).toEqual(["fp8 weights", "int4 weights"]);
  });
});
