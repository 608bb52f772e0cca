/**
 * Sweeps (docs/sweep.md): a grid file expands to scenarios in a fixed order (the first grid key varies slowest),
 * each evaluated by `runScenario`. Sharding and merging are pure functions of the scenario index, so N shards
 * merged equal one unsharded run byte for byte.
 */
import type { Problem } from "@flopcast/core";
import { z } from "zod";
import type { SweepRowOutput } from "./outputs.ts";
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

/** A whole number written in decimal, else NaN (environment values: "abc", "", "1.5" are not shard numbers). */
const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/**
 * Shard from the environment: Kubernetes Indexed Job (JOB_COMPLETION_INDEX + JOB_COMPLETIONS, or FLOPCAST_SHARDS)
 * or a Slurm array (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT). `shard: null` when
 * neither is set; problems when one is set but malformed, incomplete or out of range (running the whole grid
 * by mistake on every array task would silently multiply the work).
 */
export function shardFromEnv(
  env: Record<string, string | undefined>,
): { ok: true; shard: Shard | null } | { ok: false; problems: Problem[] } {
  const bad = (path: string, message: string) => ({
    ok: false as const,
    problems: [{ path, message, hint: "fix the variable, or pass --shard i/N (which takes precedence)" }],
  });
  const check = (indexVar: string, countVar: string, index: number, count: number) => {
    if (!Number.isInteger(count) || count < 1) return bad(countVar, `${countVar} must be a whole number ≥ 1`);
    if (!Number.isInteger(index) || index < 0 || index >= count)
      return bad(indexVar, `${indexVar} gives shard ${Number.isNaN(index) ? "?" : index}, not in 0…${count - 1}`);
    return { ok: true as const, shard: { index, count } };
  };
  const k8sIndex = env.JOB_COMPLETION_INDEX;
  if (k8sIndex !== undefined) {
    const countVar = env.JOB_COMPLETIONS !== undefined ? "JOB_COMPLETIONS" : "FLOPCAST_SHARDS";
    const count = env[countVar];
    if (count === undefined)
      return bad("JOB_COMPLETIONS", "JOB_COMPLETION_INDEX is set but neither JOB_COMPLETIONS nor FLOPCAST_SHARDS is");
    return check("JOB_COMPLETION_INDEX", countVar, wholeNumber(k8sIndex), wholeNumber(count));
  }
  const slurmIndex = env.SLURM_ARRAY_TASK_ID;
  if (slurmIndex !== undefined) {
    const count = env.SLURM_ARRAY_TASK_COUNT;
    if (count === undefined)
      return bad("SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
    const min = wholeNumber(env.SLURM_ARRAY_TASK_MIN ?? "0");
    if (Number.isNaN(min)) return bad("SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MIN must be a whole number");
    return check("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", wholeNumber(slurmIndex) - min, wholeNumber(count));
  }
  return { ok: true, shard: null };
}

/** Indices this shard evaluates: a contiguous block, so each shard's output is already in order. */
export function shardIndices(total: number, shard: Shard | null): number[] {
  if (!shard) return Array.from({ length: total }, (_, i) => i);
  const start = Math.floor((total * shard.index) / shard.count);
  const end = Math.floor((total * (shard.index + 1)) / shard.count);
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/**
 * One output line: the scenario index, the grid it belongs to (hash and size: resume and merge refuse rows of
 * another grid and know what is missing), the scenario, and its result (or problems). The shape is the registry's
 * `SweepRowOutput` (outputs.ts): a row's result is exactly what the grid's command returns alone.
 */
export type SweepRow = SweepRowOutput;

export const formatRow = (r: SweepRow): string => JSON.stringify(r);

/** Compact index ranges for messages: [0,1,2,5,7,8] → "0–2, 5, 7–8" (at most `max` ranges, then "…"). */
export function indexRanges(indices: readonly number[], max = 10): string {
  const ranges: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && (indices[j + 1] as number) === (indices[j] as number) + 1) j++;
    ranges.push(i === j ? String(indices[i]) : `${indices[i]}–${indices[j]}`);
    i = j + 1;
  }
  return ranges.length > max ? `${ranges.slice(0, max).join(", ")}, …` : ranges.join(", ");
}

/**
 * Merges shard outputs into the unsharded output: rows ordered by index, duplicates dropped, gaps reported
 * against `total` (the grid size, which rows carry as `gridSize`; else the highest index + 1).
 */
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
