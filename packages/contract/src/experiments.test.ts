import { requireAccelerator } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { batchSizeSweep, defaultExperimentSetup, loraPooling, speculativeComparison } from "./experiments.ts";

const e = defaultExperimentSetup();

describe("DES vs analytic model where both apply (within 10%)", () => {
  test.each(batchSizeSweep(e, [1, 16, 128]).rows)("saturated throughput at concurrency $concurrency", (row) => {
    expect(Math.abs(row.ratio - 1)).toBeLessThan(0.1);
  });
  test("$/1M tokens falls with batch size (the GPU-poor argument)", () => {
    const { price, rows } = batchSizeSweep(e, [1, 8, 64]);
    expect(rows[0]?.usdPerMillionTokens).toBeGreaterThan((rows[2]?.usdPerMillionTokens ?? 0) * 10);
    // $ = chip-hours per 1M tokens × the market median, which names its records.
    expect(price.records.length).toBeGreaterThan(0);
    for (const r of rows)
      expect(r.usdPerMillionTokens).toBeCloseTo(r.chipHoursPerMillionTokens * (price.median as number), 6);
  });
  test("a chip without a rental price gets null $/1M tokens with a coded reason, never $0", () => {
    // H20: no rental record in the catalog (hardware show h20); the throughput is still computed.
    const { price, rows } = batchSizeSweep({ ...e, hardware: requireAccelerator("h20") }, [1]);
    expect(price.median).toBeNull();
    expect(rows[0]?.usdPerMillionTokens).toBeNull();
    expect(rows[0]?.usdReason).toBe("no-rental-price");
    expect(rows[0]?.chipHoursPerMillionTokens).toBeGreaterThan(0);
  });
  test("speculative decoding α 0.8, k 4, c 0.05: DES TPOT speed-up matches the modelled one", () => {
    const r = speculativeComparison(e, 4, 0.8, 0.05);
    expect(Math.abs(r.desSpeedup / r.analyticSpeedup - 1)).toBeLessThan(0.1);
  });
  test("multi-LoRA pool on one replica costs far less per token than 8 dedicated replicas at the same traffic", () => {
    const r = loraPooling(e, 8, 4, 0.0027);
    expect(Math.abs(r.pooled.tokensPerS / r.dedicated.tokensPerS - 1)).toBeLessThan(0.1);
    expect(r.pooled.chipHoursPerMillionTokens).toBeLessThan(r.dedicated.chipHoursPerMillionTokens / 4);
    expect(r.pooled.usdPerMillionTokens).toBeLessThan((r.dedicated.usdPerMillionTokens ?? 0) / 4);
  });
});
