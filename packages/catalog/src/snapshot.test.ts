import { describe, expect, test } from "vitest";
import { claimFiles } from "./claims.ts";
import { inferenceCalibrationData, trainingCalibrationData } from "./efficiency.ts";
import { catalog, catalogSnapshot } from "./load.ts";
import { prevalidatedCatalog } from "./prevalidated-catalog.ts";
import { pricePoints } from "./prices.ts";
import { trainingRuns } from "./trends.ts";

// The CLI bundle ships JSON.stringify(prevalidatedCatalog()) (dist/catalog/) instead of validating every
// file on each start (apps/cli/scripts/build.ts): that JSON must carry the validated catalog without loss.
describe("pre-validated catalog", () => {
  test("survives a JSON round trip unchanged (no Infinity, NaN, Date, Map or undefined-only data)", () => {
    const all = prevalidatedCatalog();
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
  });
  test("holds every accelerator, system, model and source of the catalog", () => {
    const c = catalog();
    const s = catalogSnapshot();
    expect(s.accelerators.map((a) => a.id)).toEqual([...c.accelerators.keys()]);
    expect(s.systems).toHaveLength(c.systems.size);
    expect(s.models.map((m) => m.id)).toEqual([...c.models.keys()]);
    expect(Object.keys(s.sources)).toEqual(Object.keys(c.sources));
  });
  test("holds the validated prices, claims, calibrations and trend runs the loaders return", () => {
    const all = prevalidatedCatalog();
    expect(all.prices).toEqual(pricePoints());
    expect(all.claims).toEqual(claimFiles());
    expect(all.trainingCalibration).toEqual(trainingCalibrationData());
    expect(all.inferenceCalibration).toEqual(inferenceCalibrationData());
    expect(all.trainingRuns).toEqual(trainingRuns());
    expect(all.prices.length).toBeGreaterThan(100);
  });
});
