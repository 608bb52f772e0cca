import { describe, expect, test } from "vitest";
import { catalog, catalogSnapshot } from "./load.ts";

// The CLI bundle embeds JSON.stringify(catalogSnapshot()) instead of validating every file on each start
// (apps/cli/scripts/build.ts): that JSON must carry the validated catalog without loss.
describe("catalog snapshot", () => {
  test("survives a JSON round trip unchanged (no Infinity, NaN, Date, Map or undefined-only data)", () => {
    const snapshot = catalogSnapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
  test("holds every accelerator, system, model and source of the catalog", () => {
    const c = catalog();
    const s = catalogSnapshot();
    expect(s.accelerators.map((a) => a.id)).toEqual([...c.accelerators.keys()]);
    expect(s.systems).toHaveLength(c.systems.size);
    expect(s.models.map((m) => m.id)).toEqual([...c.models.keys()]);
    expect(Object.keys(s.sources)).toEqual(Object.keys(c.sources));
  });
});
