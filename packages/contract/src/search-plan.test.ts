import { requireModel } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { rentalPriceView } from "./cost-inputs.ts";
import { SearchScenario, search } from "./search-plan.ts";

const model = requireModel("llama-3.1-8b");
const today = "2026-11-23";

function run(raw: Record<string, unknown>) {
  const r = search(SearchScenario.parse({ model: "llama-3.1-8b", today, ...raw }), model);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.result;
}

describe("search prices a chip-hour as the goal's own command does, and names the records", () => {
  test("train: rented at the market median of the dated records, as `train` prices (never owned-first)", () => {
    const r = run({ goal: "train", tokens: 1e11, hardware: "h100-sxm", maxChips: 64 });
    const market = rentalPriceView("h100-sxm", today);
    expect(r.prices).toHaveLength(1);
    expect(r.prices[0]?.method).toBe("rented");
    expect(r.prices[0]?.usdPerChipHour).toBe(market.median);
    expect(r.prices[0]?.rental.records.length).toBeGreaterThan(0);
    for (const rec of r.prices[0]?.rental.records ?? []) expect(rec.date).toMatch(/^\d{4}/);
    // cost = chips × days × 24 h × the median (goodput 1 in search).
    for (const p of r.front) {
      const hours = (p.days as number) * 24 * p.chips;
      expect((p.costUsd as number) / hours).toBeCloseTo(market.median as number, 3);
    }
  });

  test("train: a chip with no rental price is skipped with a coded reason instead of being priced as owned", () => {
    const r = run({ goal: "train", tokens: 1e11, hardware: "h100-sxm,gaudi3", maxChips: 16 });
    expect(r.skipped.some((x) => x.code === "no-rental-price" && x.params.hardware === "gaudi3")).toBe(true);
    expect(r.front.every((p) => p.hardware === "h100-sxm")).toBe(true);
  });

  test("serve: owned at full use like `fleet`, rented once a rental basis is given", () => {
    const owned = run({ goal: "serve", hardware: "h100-sxm", top: 1 });
    expect(owned.prices[0]?.method).toBe("owned");
    expect(owned.prices[0]?.owned?.records.length).toBeGreaterThan(0);
    const rented = run({ goal: "serve", hardware: "h100-sxm", top: 1, priceBasis: "on-demand" });
    expect(rented.prices[0]?.method).toBe("rented");
    expect(rented.prices[0]?.usdPerChipHour).toBe(rentalPriceView("h100-sxm", today, "on-demand").median);
    const given = run({ goal: "serve", hardware: "h100-sxm", top: 1, priceUsdPerChipHour: 2 });
    expect(given.prices[0]?.usdPerChipHour).toBe(2);
    expect(given.front[0]?.costBasis).toBe("rented at the given price");
  });
});
