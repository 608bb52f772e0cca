import { describe, expect, test } from "vitest";
import { missingPriceReasons, type PriceRecordRef, priceRange, purchasePrice, rentalPrice } from "./prices.ts";

const ref = (id: string, value: number, ageYears: number, low = value, high = value): PriceRecordRef => ({
  id,
  date: "x",
  kind: "neocloud-on-demand",
  value,
  low,
  high,
  unit: "USD/chip-hour",
  ageYears,
  item: id,
});

describe("priceRange(records): the 12-month window before the scenario date", () => {
  test("median of the records in the window; low/high from their ranges; older records left out", () => {
    const r = priceRange([ref("a", 2, 0.1), ref("b", 4, 0.5, 3, 5), ref("c", 10, 0.9), ref("old", 1, 1.5)]);
    expect(r?.median).toBe(4);
    expect(r?.low).toBe(2);
    expect(r?.high).toBe(10);
    expect(r?.records.map((x) => x.id)).toEqual(["a", "b", "c"]);
    expect(r?.stale).toBe(false);
  });
  test("no record in the window: the 12 months before the newest record, flagged stale", () => {
    const r = priceRange([ref("a", 2, 2.0), ref("b", 6, 2.5), ref("c", 9, 3.5)]);
    expect(r?.median).toBe(4);
    expect(r?.stale).toBe(true);
    expect(r?.asOf).toBe("x");
    expect(r?.ageYears).toBe(2);
  });
  test("no records: null", () => expect(priceRange([])).toBeNull());
});

describe("rentalPrice(chip, date, basis) over the catalog records", () => {
  test("h100-sxm market median in the 12 months before 2026-11-23 (hand-sorted: 11 records, median $2.69)", () => {
    // Per-GPU values of the h100-sxm records dated 2025-11-23..2026-11-23, excluding spot:
    // 1.52 vast, 1.79 cw-1yr, 1.85 lambda-res, 2.23 cw-od, 2.67 tier-2, 2.69 runpod, 2.79 runpod, 2.99 lambda,
    // 10.08 aws-jan26, 12.25 azure, 12.29 aws-stated → 11 records, median = 2.69.
    const p = rentalPrice("h100-sxm", "2026-11-23");
    expect(p?.records.length).toBe(11);
    expect(p?.median).toBeCloseTo(2.69, 2);
    expect(p?.low).toBeCloseTo(1.52, 2);
    expect(p?.high).toBeCloseTo(98.32 / 8, 2);
    expect(p?.stale).toBe(false);
  });
  test("the list basis takes hyperscaler on-demand only: AWS $80.62/8, Azure $98/8, AWS $98.32/8 → median $12.25", () => {
    expect(rentalPrice("h100-sxm", "2026-11-23", "list")?.median).toBeCloseTo(12.25, 2);
  });
  test("records dated after the scenario date are not used: A100 40GB at 2023-02-01 is 2022 records only", () => {
    const p = rentalPrice("a100-sxm-40gb", "2023-02-01");
    expect(p?.records.every((r) => r.ageYears >= 0 && !r.date.startsWith("~2024"))).toBe(true);
    // Records 2022-02..2023-02: Lambda $1.10 (2022-08), GCP $2.93 (2022-12), GCP (AssemblyAI ~2022) $2.93 → median 2.93.
    expect(p?.median).toBeCloseTo(2.93, 2);
  });
  test("tpu-v6e reserved basis: 1-yr $1.89 and 3-yr $1.22 CUDs (2024-12) → $1.555, stale at 2026-11-23", () => {
    const p = rentalPrice("tpu-v6e", "2026-11-23", "reserved");
    expect(p?.median).toBeCloseTo(1.555, 3);
    expect(p?.stale).toBe(true);
  });
  test("no rental record: null (gaudi3)", () => expect(rentalPrice("gaudi3", "2026-11-23")).toBeNull());
});

describe("purchasePrice(chip, date): one method for every chip", () => {
  test("h100-sxm: chip = median(27,500, 20,000) = 23,750 (2023 records); capex = ×1.45 = 34,437.5", () => {
    const p = purchasePrice("h100-sxm", "2026-11-23");
    expect(p?.chip.median).toBe(23750);
    expect(p?.chip.low).toBe(20000);
    expect(p?.chip.high).toBe(30000);
    expect(p?.capexUsdPerChip).toBeCloseTo(34437.5, 6);
    // DGX H100 $270k ÷ 8 (2023-05) and HGX $296,644 ÷ 8 (2024-03) as a cross-check of the 35% overhead.
    expect(p?.serverCheck?.median).toBeCloseTo((270000 / 8 + 296644 / 8) / 2, 3);
  });
  test("gb200 has only a rack price: chip = $3M ÷ 72 ÷ 1.35 = $30,864", () => {
    const p = purchasePrice("gb200", "2026-11-23");
    expect(p?.chipDerivedFromServer).toBe(true);
    expect(p?.chip.median).toBeCloseTo(3e6 / 72 / 1.35, 3);
  });
  test("gaudi3: Intel's 8-accelerator kit list $125,000 ÷ 8 = $15,625 per chip", () => {
    expect(purchasePrice("gaudi3", "2026-11-23")?.chip.median).toBe(15625);
  });
  test("no purchase record: null (mi325x)", () => expect(purchasePrice("mi325x", "2026-11-23")).toBeNull());
});

describe("missingPriceReasons(chip, what): why a price searched for is null", () => {
  test("gaudi3 rental and mi325x purchase name the null record that says what was searched", () => {
    const g = missingPriceReasons("gaudi3", "rental");
    expect(g).toHaveLength(1);
    expect(g[0]).toMatch(/IBM Cloud.*\(gaudi3-rental-unpublished-2026, 2026-05\)$/);
    expect(missingPriceReasons("mi325x", "purchase")[0]).toMatch(/mi325x-purchase-unpublished-2026/);
    // A null rental record says nothing about the purchase price, and a priced chip has no reasons.
    expect(missingPriceReasons("gaudi3", "purchase")).toEqual([]);
    expect(missingPriceReasons("h100-sxm", "rental")).toEqual([]);
  });
});
