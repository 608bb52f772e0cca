/**
 * Sweeps (docs/sweep.md): a grid file expands to scenarios in a fixed order (the first grid key varies slowest),
 * each evaluated by `runScenario`. Sharding and merging are pure functions of the scenario index, so N shards
 * merged equal one unsharded run byte for byte.
 */
import type { Problem } from "@flopcast/core";
import { z } from "zod";
import { problemsFromZod } from "./problems.ts";
import { SCENARIO_COMMANDS } from "./run-scenario.ts";

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const GridFile = z
  .object({
    command: z.enum(SCENARIO_COMMANDS, { error: () => `command must be one of ${SCENARIO_COMMANDS.join(", ")}` }),
    base: z.record(z.string(), scalar).default({}),
    grid: z.record(z.string(), z.array(scalar).min(1, { error: "a grid key needs at least one value" })).default({}),
  })
  .strict();
export type GridFile = z.infer<typeof GridFile>;

export function parseGrid(data: unknown): { ok: true; grid: GridFile } | { ok: false; problems: Problem[] } {
  const r = GridFile.safeParse(data);
  return r.success ? { ok: true, grid: r.data } : { ok: false, problems: problemsFromZod(r.error) };
}

/** Number of scenarios a grid expands to. */
export const gridSize = (g: GridFile): number => Object.values(g.grid).reduce((n, values) => n * values.length, 1);

/** The scenario at `index` of the expansion (mixed-radix: the last grid key varies fastest). */
export function scenarioAt(g: GridFile, index: number): Record<string, unknown> {
  const keys = Object.keys(g.grid);
  const out: Record<string, unknown> = { ...g.base };
  let rest = index;
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k] as string;
    const values = g.grid[key] as (string | number | boolean)[];
    out[key] = values[rest % values.length];
    rest = Math.floor(rest / values.length);
  }
  return out;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `"i/N"` → shard i of N (0-based). */
export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count > 0 && index < count ? { index, count } : null;
}

/** Shard from the environment: Kubernetes Indexed Job (JOB_COMPLETION_INDEX + JOB_COMPLETIONS) or a Slurm array. */
export function shardFromEnv(env: Record<string, string | undefined>): Shard | null {
  const k8sIndex = env.JOB_COMPLETION_INDEX;
  const k8sCount = env.JOB_COMPLETIONS ?? env.FLOPCAST_SHARDS;
  if (k8sIndex !== undefined && k8sCount !== undefined) return parseShard(`${k8sIndex}/${k8sCount}`);
  const slurmIndex = env.SLURM_ARRAY_TASK_ID;
  const slurmCount = env.SLURM_ARRAY_TASK_COUNT;
  const slurmMin = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
  if (slurmIndex !== undefined && slurmCount !== undefined)
    return parseShard(`${Number(slurmIndex) - slurmMin}/${slurmCount}`);
  return null;
}

/** Indices this shard evaluates: a contiguous block, so each shard's output is already in order. */
export function shardIndices(total: number, shard: Shard | null): number[] {
  if (!shard) return Array.from({ length: total }, (_, i) => i);
  const start = Math.floor((total * shard.index) / shard.count);
  const end = Math.floor((total * (shard.index + 1)) / shard.count);
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** One output line: the scenario index, the scenario, and its result (or problems). */
export interface SweepRow {
  readonly index: number;
  readonly scenario: Record<string, unknown>;
  readonly result?: unknown;
  readonly problems?: readonly Problem[];
}

export const formatRow = (r: SweepRow): string => JSON.stringify(r);

/** Merges shard outputs into the unsharded output: rows ordered by index, duplicates dropped, gaps reported. */
export function mergeRows(
  rows: readonly SweepRow[],
  total?: number,
): { lines: string[]; missing: number[]; duplicates: number } {
  const byIndex = new Map<number, SweepRow>();
  let duplicates = 0;
  for (const r of rows) {
    if (byIndex.has(r.index)) duplicates++;
    else byIndex.set(r.index, r);
  }
  const indices = [...byIndex.keys()].sort((a, b) => a - b);
  const last = total ?? (indices.length ? (indices[indices.length - 1] as number) + 1 : 0);
  const missing: number[] = [];
  for (let i = 0; i < last; i++) if (!byIndex.has(i)) missing.push(i);
  return { lines: indices.map((i) => formatRow(byIndex.get(i) as SweepRow)), missing, duplicates };
}
