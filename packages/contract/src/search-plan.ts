/**
 * `search` (docs/sweep.md): chip type × count × parallelism × batch × precision for a training or serving goal;
 * configurations that cannot fit are pruned before evaluation (weights vs memory), the rest are evaluated by the
 * analytic estimators and the Pareto front is returned: cost vs time for training, $/1M tokens vs TPOT for serving.
 */
import {
  type AcceleratorFile,
  findAccelerator,
  inferenceEfficiencyFor,
  toAccelerator,
  trainingEfficiencyFor,
} from "@flopcast/catalog";
import {
  type Accelerator,
  type ComputePrecision,
  defaultPrecision,
  estimateInference,
  estimateTraining,
  INFERENCE_ASSUMPTIONS,
  type Problem,
  SECONDS_PER_DAY,
  type StoragePrecision,
  usdPerMillionTokens,
  weightBytes,
} from "@flopcast/core";
import { z } from "zod";
import { type ModelSubject, missingChipData } from "./catalog-views.ts";
import { ownedChipHour, pueFor, purchasePriceView, rentalPriceView } from "./cost-inputs.ts";
import { resolveComputePrecision } from "./infer-plan.ts";
import { codedIssue } from "./messages.ts";
import { positiveInt, positiveNumber, roundTo } from "./numbers.ts";
import { PriceBasisName, ScenarioDate, StoragePrecisionName } from "./scenario.ts";

/** The eight chips searched when none are named: the most common data-centre accelerators in the catalog. */
export const DEFAULT_SEARCH_HARDWARE = [
  "h100-sxm",
  "h200-sxm",
  "b200",
  "a100-sxm-80gb",
  "mi300x",
  "mi325x",
  "gaudi3",
  "tpu-v6e",
] as const;

/**
 * TTFT SLO of `search --goal serve` when none is given: 2 s, the p99 TTFT bound of MLPerf Inference's Llama-2-70B
 * and Llama-3.1-8B Server scenarios (mlcommons/inference_results_v4.1 and v5.1 logs, `ttft_latency`). Without one the
 * cheapest points are huge batches whose requests wait seconds for their first token.
 */
export const DEFAULT_SERVE_SLO_TTFT_MS = 2000;

export const SearchScenario = z
  .object({
    goal: z.enum(["train", "serve"]),
    model: z.string().min(1),
    hardware: z.string().optional(),
    tokens: positiveNumber.optional(),
    maxChips: positiveInt.default(16384),
    requestsPerDay: positiveNumber.optional(),
    inputTokens: positiveInt.default(1024),
    outputTokens: positiveInt.default(256),
    sloTpotMs: positiveNumber.optional(),
    sloTtftMs: positiveNumber.optional(),
    top: positiveInt.optional(),
    /** Rent every chip at this price (the cost objective is then rented for all chips). */
    priceUsdPerChipHour: positiveNumber.optional(),
    /** Rental basis; when given, the cost objective is rented on it instead of owned-first. */
    priceBasis: PriceBasisName.optional(),
    /** Power usage effectiveness for energy and owned cost (default: cost-inputs.ts `pueFor`, 1.2). */
    pue: positiveNumber.optional(),
    /** Only this precision (training: the matmul precision; serving: the weights'), instead of the defaults. */
    precision: StoragePrecisionName.optional(),
    today: ScenarioDate,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.goal === "train" && s.tokens === undefined)
      ctx.addIssue(codedIssue(["tokens"], "setting-needs-field", { setting: "goal", value: "train", needs: "tokens" }));
    if (s.goal === "train" && s.precision === "int4") ctx.addIssue(codedIssue(["precision"], "training-no-int4"));
  });
export type SearchScenario = z.infer<typeof SearchScenario>;

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

/**
 * $ per chip-hour: owned (purchase price by the one method, full utilisation, catalog site inputs) else rented at the
 * market median; rented first when a rental basis or price is given. The basis names the records used.
 */
function chipHourUsd(h: AcceleratorFile, chip: Accelerator, s: SearchScenario): { usd: number; basis: string } | null {
  const rent = rentalPriceView(h.id, s.today, s.priceBasis ?? "market", s.priceUsdPerChipHour);
  const rented =
    rent.median === null
      ? null
      : {
          usd: rent.median,
          basis: `rented ${rent.basis}${rent.records.length ? ` (${rent.records.map((r) => `${r.id} ${r.date}`).join(", ")})` : ""}`,
        };
  if (rented && (s.priceBasis !== undefined || s.priceUsdPerChipHour !== undefined)) return rented;
  const purchase = purchasePriceView(h.id, s.today);
  const owned =
    purchase.capexUsdPerChip !== null
      ? ownedChipHour(chip, purchase.capexUsdPerChip, s.today, 1, { pue: s.pue })
      : null;
  if (owned && purchase.capexUsdPerChip !== null)
    return { usd: owned.totalUsd, basis: `owned (${purchase.records?.map((r) => `${r.id} ${r.date}`).join(", ")})` };
  return rented;
}

const powersOfTwo = (max: number) => Array.from({ length: Math.floor(Math.log2(max)) + 1 }, (_, i) => 2 ** i);

export function search(
  s: SearchScenario,
  model: ModelSubject,
  /** Called with the fraction of chips searched so far (the CLI draws a progress bar). */
  onProgress?: (fraction: number) => void,
):
  | {
      ok: true;
      result: {
        goal: string;
        sloTtftMs?: number;
        front: FrontPoint[];
        evaluated: number;
        pruned: number;
        skipped: string[];
      };
    }
  | { ok: false; problems: Problem[] } {
  const ids = s.hardware ? s.hardware.split(",").map((x) => x.trim()) : [...DEFAULT_SEARCH_HARDWARE];
  const chips: AcceleratorFile[] = [];
  const problems: Problem[] = [];
  ids.forEach((id, i) => {
    const h = findAccelerator(id, `hardware[${i}]`);
    if (h.ok) chips.push(h.value);
    else problems.push(...h.problems);
  });
  if (problems.length) return { ok: false, problems };
  const a = model.architecture;
  const points: FrontPoint[] = [];
  const skipped: string[] = [];
  let evaluated = 0;
  let pruned = 0;
  for (const [i, h] of chips.entries()) {
    onProgress?.(i / chips.length);
    const chip = toAccelerator(h);
    if (s.precision !== undefined && s.precision !== "int4" && chip.peak[s.precision] === null) {
      skipped.push(`${h.id}: no native ${s.precision}`);
      continue;
    }
    const missing = missingChipData(h);
    if (missing.length) {
      skipped.push(...missing.map((m) => `${h.id}: ${m.message}`));
      continue;
    }
    const cost = chipHourUsd(h, chip, s);
    if (!cost) {
      skipped.push(`${h.id}: no-price: no rental price and no owned cost (purchase price + TDP) in the catalog`);
      continue;
    }
    if (s.goal === "train") {
      const precision: ComputePrecision = (s.precision as ComputePrecision | undefined) ?? defaultPrecision(chip);
      // Prune: weights + grads + optimizer (16 B/param) must fit across the chips (ZeRO-3 bound).
      const minChips = Math.max(1, Math.ceil((weightBytes(a, "bf16") * 8) / ((chip.memory ?? 1) * 0.9)));
      for (const n of powersOfTwo(s.maxChips)) {
        if (n < minChips) {
          pruned++;
          continue;
        }
        evaluated++;
        const e = estimateTraining(
          {
            architecture: a,
            trainingTokens: s.tokens ?? 0,
            seqLen: Math.min(a.maxContext, 8192),
            globalBatchTokens: 4_194_304,
            microBatch: 1,
            precision,
            sequenceParallel: true,
            ppInterleave: 1,
            zero: 1,
            goodput: 1,
          },
          { chip, chips: n, efficiency: trainingEfficiencyFor(h), powerFraction: 1, pue: pueFor(s.today, s.pue).value },
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
      const precisions: StoragePrecision[] = s.precision
        ? [s.precision]
        : [defaultPrecision(chip), ...(chip.peak.fp8 !== null ? (["fp8"] as const) : [])];
      const tps = powersOfTwo(Math.max(1, chip.scaleUpDomain ?? 1)).filter((t) => t <= 64 && a.heads % t === 0);
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
              architecture: a,
              chip,
              chips: tp,
              tp,
              pp: 1,
              ep: tp,
              weightPrecision: precision,
              kvPrecision: precision,
              computePrecision: resolveComputePrecision(chip, precision).precision,
              inputTokens: s.inputTokens,
              outputTokens: s.outputTokens,
              batch,
              extraPrefillTokens: 0,
              usableMemoryFraction: INFERENCE_ASSUMPTIONS.usableMemoryFraction,
              efficiency: inferenceEfficiencyFor(h),
            });
            if (!e.feasible) break; // larger batches do not fit either
            if (s.sloTpotMs !== undefined && e.tpotS * 1e3 > s.sloTpotMs) break;
            if (e.ttftS * 1e3 > (s.sloTtftMs ?? DEFAULT_SERVE_SLO_TTFT_MS)) continue;
            const replicas = s.requestsPerDay
              ? Math.ceil((s.requestsPerDay * s.outputTokens) / SECONDS_PER_DAY / e.outputTokensPerS)
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
    s.goal === "train"
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
  return {
    ok: true,
    result: {
      goal: s.goal,
      ...(s.goal === "serve" ? { sloTtftMs: s.sloTtftMs ?? DEFAULT_SERVE_SLO_TTFT_MS } : {}),
      front: s.top ? front.slice(0, s.top) : front,
      evaluated,
      pruned,
      skipped,
    },
  };
}
