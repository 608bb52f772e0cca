import { describe, expect, test } from "vitest";
import { paretoFront } from "./search-plan.ts";
import {
  formatRow,
  GridFile,
  gridSize,
  mergeRows,
  parseShard,
  scenarioAt,
  shardFromEnv,
  shardIndices,
} from "./sweep.ts";

const grid = GridFile.parse({
  command: "infer",
  base: { model: "llama-3.1-8b" },
  grid: { batch: [1, 4, 16], hardware: ["h100-sxm", "mi300x"] },
});

describe("grid expansion", () => {
  test("size is the product of the value counts; the last key varies fastest", () => {
    expect(gridSize(grid)).toBe(6);
    expect([0, 1, 2].map((i) => scenarioAt(grid, i))).toEqual([
      { model: "llama-3.1-8b", batch: 1, hardware: "h100-sxm" },
      { model: "llama-3.1-8b", batch: 1, hardware: "mi300x" },
      { model: "llama-3.1-8b", batch: 4, hardware: "h100-sxm" },
    ]);
  });
  test("shards partition the indices exactly, in order", () => {
    for (const n of [1, 3, 4, 7]) {
      const all = Array.from({ length: n }, (_, i) => shardIndices(20, { index: i, count: n })).flat();
      expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
  });
  test("parseShard and the Kubernetes / Slurm environment", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard("4/4")).toBeNull();
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: "3", JOB_COMPLETIONS: "8" })).toEqual({ index: 3, count: 8 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "6", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({
      index: 4,
      count: 6,
    });
    expect(shardFromEnv({})).toBeNull();
  });
  test("mergeRows orders by index, drops duplicates and reports gaps", () => {
    const row = (index: number) => ({ index, scenario: { i: index }, result: { ok: true } });
    const m = mergeRows([row(2), row(0), row(0), row(3)], 4);
    expect(m.lines).toEqual([row(0), row(2), row(3)].map(formatRow));
    expect(m.missing).toEqual([1]);
    expect(m.duplicates).toBe(1);
  });
});

describe("paretoFront(points, a, b)", () => {
  test("keeps exactly the non-dominated points (both objectives minimised)", () => {
    const pts = [
      { a: 1, b: 9 },
      { a: 2, b: 5 },
      { a: 3, b: 6 },
      { a: 4, b: 1 },
      { a: 5, b: 1 },
    ];
    expect(
      paretoFront(
        pts,
        (p) => p.a,
        (p) => p.b,
      ),
    ).toEqual([pts[0], pts[1], pts[3]]);
  });
});
