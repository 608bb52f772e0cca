import { describe, expect, test } from "vitest";
import {
  formatRow,
  GridFile,
  gridSize,
  indexRanges,
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
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: "3", JOB_COMPLETIONS: "8" })).toEqual({
      ok: true,
      shard: { index: 3, count: 8 },
    });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "6", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({
      ok: true,
      shard: { index: 4, count: 6 },
    });
    expect(shardFromEnv({})).toEqual({ ok: true, shard: null });
  });
  test("a malformed, incomplete or out-of-range shard environment is a problem, not the whole grid", () => {
    const path = (env: Record<string, string>) => {
      const r = shardFromEnv(env);
      return r.ok ? null : r.problems[0]?.path;
    };
    expect(path({ JOB_COMPLETION_INDEX: "5", JOB_COMPLETIONS: "4" })).toBe("JOB_COMPLETION_INDEX");
    expect(path({ JOB_COMPLETION_INDEX: "1", JOB_COMPLETIONS: "0" })).toBe("JOB_COMPLETIONS");
    expect(path({ JOB_COMPLETION_INDEX: "0" })).toBe("JOB_COMPLETIONS");
    expect(path({ SLURM_ARRAY_TASK_ID: "abc" })).toBe("SLURM_ARRAY_TASK_COUNT");
    expect(path({ SLURM_ARRAY_TASK_ID: "abc", SLURM_ARRAY_TASK_COUNT: "4" })).toBe("SLURM_ARRAY_TASK_ID");
    expect(path({ SLURM_ARRAY_TASK_ID: "1.5", SLURM_ARRAY_TASK_COUNT: "4" })).toBe("SLURM_ARRAY_TASK_ID");
    expect(path({ FLOPCAST_SHARDS: "x", JOB_COMPLETION_INDEX: "0" })).toBe("FLOPCAST_SHARDS");
  });
  test("index ranges for messages", () => {
    expect(indexRanges([0, 1, 2, 5, 7, 8])).toBe("0–2, 5, 7–8");
    expect(indexRanges([])).toBe("");
  });
  test("mergeRows orders by index, drops duplicates and reports gaps", () => {
    const row = (index: number) => ({ index, scenario: { i: index }, problems: [] });
    const m = mergeRows([row(2), row(0), row(0), row(3)], 4);
    expect(m.lines).toEqual([row(0), row(2), row(3)].map(formatRow));
    expect(m.missing).toEqual([1]);
    expect(m.duplicates).toBe(1);
  });
});
