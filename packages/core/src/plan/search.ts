/**
 * The search planner (docs/sweep.md): chip type × count × parallelism × batch × precision for a training or serving
 * goal. Configurations that cannot fit are pruned before evaluation (weights vs memory), the rest are evaluated by
 * the analytic estimators, and the Pareto front is returned: cost vs time for training, $/1M tokens vs TPOT for
 * serving. Pure: takes resolved chips with their efficiencies and $/chip-hour; catalog look-ups are the caller's.
 */

import { usdPerMillionTokens } from "../cost/owned.ts";
import { type Accelerator, defaultPrecision } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { weightBytes } from "../model/memory.ts";
import type { ComputePrecision, StoragePrecision } from "../model/precision.ts";
import { estimateInference, INFERENCE_ASSUMPTIONS, type InferenceEfficiency } from "../perf/inference.ts";
import type { TrainingEfficiency } from "../perf/training.ts";
import { SECONDS_PER_DAY } from "../units/constants.ts";
import { roundTo } from "../units/convert.ts";
import { replicaInput, servingTpCandidates } from "./inference.ts";
import { planTrainingRun } from "./training.ts";

/**
 * TTFT SLO of `search --goal serve` when none is given: 2 s, the p99 TTFT bound of MLPerf Inference's Llama-2-70B
 * and Llama-3.1-8B Server scenarios (mlcommons/inference_results_v4.1 and v5.1 logs, `ttft_latency`). Without one the
 * cheapest points are huge batches whose requests wait seconds for their first token.
 */
export const DEFAULT_SERVE_SLO_TTFT_MS = 2000;

/** Global batch of every `search --goal train` point: 4 Mi tokens (the practice floor, docs/model.md §2.1). */
export const SEARCH_GLOBAL_BATCH_TOKENS = 4_194_304;

export interface FrontPoint {
  readonly hardware: string;
  readonly chips: number;
  readonly parallelism: Record<string, number>;
  readonly [objective: string]: unknown;
}

/** Points not dominated on (a, b), both minimised; ties keep the first (input order). */
export function paretoFront<T>(points: readonly T[], a: (p: T) => number, b: (p: T) => number): T[] {
  const sorted = [...points]
    .filter((p) => Number.isFinite(a(p)) && Number.isFinite(b(p)))
    .sort((x, y) => a(x) - a(y) || b(x) - b(y));
  const front: T[] = [];
  let bestB = Number.POSITIVE_INFINITY;
  for (const p of sorted) {
    if (b(p) < bestB) {
      front.push(p);
      bestB = b(p);
    }
  }
  return front;
}

/** Powers of two 1, 2, 4, … ≤ max. */
export const powersOfTwo = (max: number): number[] =>
  Array.from({ length: Math.floor(Math.log2(max)) + 1 }, (_, i) => 2 ** i);

/** One chip type to search, resolved by the caller (it runs the goal's precision natively and has a price). */
export interface SearchChip {
  readonly id: string;
  readonly chip: Accelerator;
  readonly training: TrainingEfficiency;
  readonly inference: InferenceEfficiency;
  /** $ per chip-hour and the records behind it (`costBasis` of each point). */
  readonly cost: { readonly usd: number; readonly basis: string };
}

export type SearchGoal =
  | {
      readonly goal: "train";
      readonly tokens: number;
      readonly maxChips: number;
      /** Power usage effectiveness for the energy of each point (the caller resolves the sourced default). */
      readonly pue: number;
      /** Only this matmul precision, instead of the chip's 16-bit default. */
      readonly precision?: ComputePrecision | undefined;
    }
  | {
      readonly goal: "serve";
      readonly inputTokens: number;
      readonly outputTokens: number;
      /** Replicas are sized for this volume (one replica without it). */
      readonly requestsPerDay?: number | undefined;
      readonly sloTpotMs?: number | undefined;
      readonly sloTtftMs: number;
      /** Only this weight precision, instead of the chip's 16-bit default and fp8 where native. */
      readonly precision?: StoragePrecision | undefined;
    };

export interface SearchOutcome {
  readonly front: FrontPoint[];
  readonly evaluated: number;
  readonly pruned: number;
}

/** Evaluates every configuration of every chip and returns the Pareto front (docs/sweep.md). */
export function searchFront(
  a: Architecture,
  chips: readonly SearchChip[],
  g: SearchGoal,
  /** Called with the fraction of chips searched so far. */
  onProgress?: (fraction: number) => void,
): SearchOutcome {
  const points: FrontPoint[] = [];
  let evaluated = 0;
  let pruned = 0;
  for (const [i, h] of chips.entries()) {
    onProgress?.(i / chips.length);
    const { chip, cost } = h;
    if (g.goal === "train") {
      const precision: ComputePrecision = g.precision ?? defaultPrecision(chip);
      // Prune: weights + grads + optimizer (16 B/param) must fit across the chips (ZeRO-3 bound).
      const minChips = Math.max(1, Math.ceil((weightBytes(a, "bf16") * 8) / ((chip.memory ?? 1) * 0.9)));
      for (const n of powersOfTwo(g.maxChips)) {
        if (n < minChips) {
          pruned++;
          continue;
        }
        evaluated++;
        // The one estimator-input builder, fixed micro-batch 1, v = 1, ZeRO-1 and SP; the layout is searched.
        const e = planTrainingRun(
          a,
          {
            tokens: g.tokens,
            seqLen: Math.min(a.maxContext, 8192),
            globalBatchTokens: SEARCH_GLOBAL_BATCH_TOKENS,
            microBatch: 1,
            precision,
            sequenceParallel: true,
            ppInterleave: 1,
            zero: 1,
            chips: n,
            pue: g.pue,
          },
          { chip, efficiency: h.training },
        );
        const c = e.cluster;
        if (!c?.feasible) continue;
        const p = c.parallelism;
        points.push({
          hardware: h.id,
          chips: n,
          parallelism: { tp: p.tp, pp: p.pp, dp: p.dp, ep: p.ep },
          days: roundTo(c.days, 5),
          costUsd: roundTo(c.chipHours * cost.usd, 5),
          mfu: roundTo(c.mfu, 4),
          costBasis: cost.basis,
        });
      }
    } else {
      const precisions: StoragePrecision[] = g.precision
        ? [g.precision]
        : [defaultPrecision(chip), ...(chip.peak.fp8 !== null ? (["fp8"] as const) : [])];
      const tps = servingTpCandidates(a.heads, chip.scaleUpDomain ?? 1);
      for (const precision of precisions)
        for (const tp of tps) {
          // Prune: weights must fit the replica's usable memory.
          if (weightBytes(a, precision) / tp > (chip.memory ?? 0) * INFERENCE_ASSUMPTIONS.usableMemoryFraction) {
            pruned++;
            continue;
          }
          for (const batch of powersOfTwo(1024)) {
            evaluated++;
            const e = estimateInference({
              ...replicaInput({
                architecture: a,
                chip,
                efficiency: h.inference,
                tp,
                weightPrecision: precision,
                kvPrecision: precision,
              }),
              inputTokens: g.inputTokens,
              outputTokens: g.outputTokens,
              batch,
              extraPrefillTokens: 0,
            });
            if (!e.feasible) break; // larger batches do not fit either
            if (g.sloTpotMs !== undefined && e.tpotS * 1e3 > g.sloTpotMs) break;
            if (e.ttftS * 1e3 > g.sloTtftMs) continue;
            const replicas = g.requestsPerDay
              ? Math.ceil((g.requestsPerDay * g.outputTokens) / SECONDS_PER_DAY / e.outputTokensPerS)
              : 1;
            points.push({
              hardware: h.id,
              chips: replicas * tp,
              parallelism: { tp, pp: 1 },
              precision,
              batch,
              tpotMs: roundTo(e.tpotS * 1e3, 5),
              ttftMs: roundTo(e.ttftS * 1e3, 5),
              outputTokensPerSPerChip: roundTo(e.outputTokensPerSPerChip, 5),
              usdPerMillionOutputTokens: roundTo(usdPerMillionTokens(cost.usd * tp, e.outputTokensPerS)),
              costBasis: cost.basis,
            });
          }
        }
    }
  }
  const front =
    g.goal === "train"
      ? paretoFront(
          points,
          (p) => p.costUsd as number,
          (p) => p.days as number,
        )
      : paretoFront(
          points,
          (p) => p.usdPerMillionOutputTokens as number,
          (p) => p.tpotMs as number,
        );
  return { front, evaluated, pruned };
}
