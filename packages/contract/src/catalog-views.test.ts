import { catalog, findAccelerator } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { hardwareSummary, hardwareView, missingChipData } from "./catalog-views.ts";

const DATE = "2026-11-23";
const chips = [...catalog().accelerators.values()];
const show = (id: string) => {
  const h = findAccelerator(id);
  if (!h.ok) throw new Error(id);
  return hardwareView(h.value, DATE);
};

describe("hardware list and show read one resolved record", () => {
  test.each(chips.map((c) => c.id))("%s: list == show for memory, SRAM, bandwidth, peaks, TDP and rent", (id) => {
    const f = chips.find((c) => c.id === id);
    if (!f) throw new Error(id);
    const l = hardwareSummary(f, DATE);
    const s = hardwareView(f, DATE);
    expect(l.memoryGb).toBe(s.memoryGb);
    expect(l.sramMb).toBe(s.sramMb);
    expect(l.memBandwidthTbPerS).toBe(s.memBandwidthTbPerS);
    expect(l.peakTflops).toEqual(s.peakTflops);
    expect(l.tdpW).toBe(s.tdpW);
    expect(l.rentalUsdPerChipHour).toBe(s.price.rentalUsdPerChipHour.median);
  });
  test("every chip with a TDP and a purchase price has an owned $/day; without either it says why", () => {
    for (const f of chips) {
      const s = hardwareView(f, DATE);
      if (s.tdpW !== null && s.price.capexUsdPerChip !== null) expect(s.price.ownedUsdPerDay, f.id).toBeGreaterThan(0);
      else expect(["no-tdp", "no-purchase-price"], f.id).toContain(s.price.ownedReason);
    }
  });
  test("memoryGb is 1e9 bytes: tpu-v4 32 GiB = 34.36 GB; h100-sxm 80 GB stays 80", () => {
    expect(show("tpu-v4").memoryGb).toBeCloseTo((32 * 2 ** 30) / 1e9, 3);
    expect(show("tpu-v4").memoryGb).toBeCloseTo(34.36, 2);
    expect(show("h100-sxm").memoryGb).toBe(80);
  });
  test("on-chip SRAM is sramMb, never GB: hanguang-800 192 MB, groq 230 MB", () => {
    expect(show("hanguang-800").sramMb).toBe(192);
    expect(show("hanguang-800").memoryGb).toBeNull();
    expect(show("hanguang-800").unknown.memoryGb).toMatch(/^sram-only/);
    expect(show("groq-lpu-v1").sramMb).toBe(230);
  });
  test("unknown TDP is null with a coded reason (tpu-v5e); trainium2 has a sourced 500 W estimate", () => {
    expect(show("tpu-v5e").tdpW).toBeNull();
    expect(show("tpu-v5e").unknown.tdpW).toMatch(/^no-tdp: /);
    expect(show("trainium2").tdpW).toBe(500);
  });
  test("show has price.purchaseUsdPerChip and rentalUsdPerChipHour {median, low, high, asOf, basis, records}", () => {
    const p = show("h100-sxm").price;
    expect(p.purchaseUsdPerChip).toBe(23750);
    expect(p.capexUsdPerChip).toBeCloseTo(23750 * 1.45, 6);
    const r = p.rentalUsdPerChipHour;
    expect(r.basis).toBe("market");
    expect(r.median).toBeCloseTo(2.69, 2);
    expect(r.low).toBeLessThan(r.median ?? 0);
    expect(r.high).toBeGreaterThan(r.median ?? 0);
    for (const rec of r.records) expect(Object.keys(rec)).toEqual(expect.arrayContaining(["id", "date", "kind"]));
    const none = show("kunlun-r200").price;
    expect(none.purchaseUsdPerChip).toBeNull();
    expect(none.rentalUsdPerChipHour).toMatchObject({ median: null, records: [], reason: "no-rental-price" });
  });
});

describe("missingChipData: missing data is a coded problem at the edge", () => {
  test("ascend-910b has no memory bandwidth → no-memory-bandwidth (never TTFT Infinity)", () => {
    const h = findAccelerator("ascend-910b");
    if (!h.ok) throw new Error("ascend-910b");
    expect(missingChipData(h.value).map((p) => p.message.split(":")[0])).toEqual(["no-memory-bandwidth"]);
  });
  test("h100-sxm at bf16 lacks nothing; at fp4 it lacks the peak", () => {
    const h = findAccelerator("h100-sxm");
    if (!h.ok) throw new Error("h100-sxm");
    expect(missingChipData(h.value, "bf16")).toEqual([]);
    expect(missingChipData(h.value, "fp4").map((p) => p.message.split(":")[0])).toEqual(["no-peak"]);
  });
});
