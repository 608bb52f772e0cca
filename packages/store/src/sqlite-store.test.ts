import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openStore } from "./sqlite-store.ts";

describe("openStore(path)", () => {
  test("sweep rows round-trip; filters and ordering use JSON fields", () => {
    const s = openStore(":memory:");
    s.putSweepRows([
      {
        sweep: "a",
        index: 0,
        command: "infer",
        scenario: { hardware: "h100-sxm", batch: 1 },
        result: { outputTokensPerS: 100 },
        problems: undefined,
      },
      {
        sweep: "a",
        index: 1,
        command: "infer",
        scenario: { hardware: "mi300x", batch: 1 },
        result: { outputTokensPerS: 300 },
        problems: undefined,
      },
      {
        sweep: "a",
        index: 2,
        command: "infer",
        scenario: { hardware: "h100-sxm", batch: 8 },
        result: { outputTokensPerS: 200 },
        problems: undefined,
      },
    ]);
    expect(s.querySweepRows({ where: [{ field: "hardware", value: "h100-sxm" }] }).map((r) => r.index)).toEqual([0, 2]);
    expect(s.querySweepRows({ orderBy: "result.outputTokensPerS", descending: true, limit: 1 })[0]?.index).toBe(1);
    expect(() => s.querySweepRows({ orderBy: "x'); DROP TABLE sweep_rows; --" })).toThrow();
    s.close();
  });
  test("migrations run once and the file reopens (WAL)", () => {
    const path = join(mkdtempSync(join(tmpdir(), "flopcast-store-")), "r.sqlite");
    const a = openStore(path);
    a.saveScenario({
      id: "s1",
      name: "<script>x</script>",
      command: "train",
      scenario: { model: "gpt3-175b" },
      createdAt: "2026-11-23T00:00:00Z",
    });
    a.close();
    const b = openStore(path);
    expect(b.getScenario("s1")?.name).toBe("<script>x</script>");
    expect(b.listScenarios()).toHaveLength(1);
    expect(b.deleteScenario("s1")).toBe(true);
    b.close();
  });
});
