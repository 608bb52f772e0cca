import { requireAccelerator, requireModel } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { CompareScenario, compareHardware } from "./compare-plan.ts";
import { mixedCostBasis } from "./cost-inputs.ts";

// Serving rows are costed owned-first (fleet's method): a chip with a purchase price is costed owned, one without
// (MI325X: no published purchase price in the catalog) rented. Their $/1M tokens then differ in kind, and compare
// must say so instead of ranking them on one axis silently.
describe("compare (serving): one cost basis or a warning", () => {
  const model = { value: requireModel("llama-3.1-8b") }.value;
  const chips = ["h100-sxm", "mi325x"].map((id) => requireAccelerator(id));
  const scenario = {
    model: "llama-3.1-8b",
    hardware: "h100-sxm,mi325x",
    requestsPerDay: 1e6,
    sloTtftMs: 2000,
    simRequests: 200,
    today: "2026-11-29",
  };

  test("owned H100 beside rented MI325X: rows keep their basis and a mixed-cost-basis warning names both", () => {
    const r = compareHardware(CompareScenario.parse(scenario), model, chips);
    expect(r.rows.map((x) => ("costBasis" in x ? x.costBasis : null))).toEqual(["owned", "rented"]);
    expect(r.warnings.map((w) => [w.code, w.params])).toEqual([
      ["mixed-cost-basis", { owned: ["h100-sxm"], rented: ["mi325x"] }],
    ]);
    expect(r.warnings[0]?.message).toContain('priceBasis: "market"');
  });

  test("a rental basis rents every chip: no warning", () => {
    const r = compareHardware(CompareScenario.parse({ ...scenario, priceBasis: "market" }), model, chips);
    expect(r.rows.map((x) => ("costBasis" in x ? x.costBasis : null))).toEqual(["rented", "rented"]);
    expect(r.warnings).toEqual([]);
  });

  test("mixedCostBasis: one basis (or unpriced rows) is no warning", () => {
    expect(
      mixedCostBasis([
        { hardware: "a", basis: "owned" },
        { hardware: "b", basis: null },
      ]),
    ).toEqual([]);
    expect(
      mixedCostBasis([
        { hardware: "a", basis: "rented" },
        { hardware: "b", basis: "rented" },
      ]),
    ).toEqual([]);
  });
});
