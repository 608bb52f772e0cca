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
import { ownedChipHour, pueFor, purchasePriceView, type RentalPriceView, rentalPriceView } from "./cost-inputs.ts";
import { formatUsd } from "./format.ts";
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
    /** Rental basis (default market); serving goals are then rented on it instead of owned, as in `fleet`. */
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
 * The price of one chip-hour in the cost objective, by the same method as the goal's own command, so that `search`
 * and `train` / `fleet` agree on a chip's cost:
 * - train, like `train`: rented at the given price, else the `--price-basis` (default market) median of the dated
 *   records in the 12 months before the scenario date;
 * - serve, like `fleet`: owned (capex by the one purchase-price method, TDP, catalog site inputs; full use, as the
 *   search sizes each replica at its saturated throughput) unless a rental basis or price is given, else rented.
 * The record names the records used and their dates and ages (CONTRACT.md: every price names its records).
 */
export interface SearchPrice {
  readonly hardware: string;
  readonly method: "rented" | "owned";
  readonly usdPerChipHour: number;
  /** The rental price (its basis, median, low–high, records with dates and ages), whichever method was used. */
  readonly rental: RentalPriceView;
  /** The owned cost's inputs when the method is owned: capex per chip and its purchase records. */
  readonly owned?: {
    readonly capexUsdPerChip: number;
    readonly asOf: string | null;
    readonly records: readonly { id: string; date: string; kind: string; usdPerChip: number; ageYears: number }[];
  };
}

function chipHourPrice(
  h: AcceleratorFile,
  chip: Accelerator,
  s: SearchScenario,
): { ok: true; price: SearchPrice } | { ok: false; reason: string } {
  const rental = rentalPriceView(h.id, s.today, s.priceBasis ?? "market", s.priceUsdPerChipHour);
  const rented =
    rental.median === null
      ? null
      : ({ hardware: h.id, method: "rented", usdPerChipHour: rental.median, rental } satisfies SearchPrice);
  const rentalGiven = s.priceBasis !== undefined || s.priceUsdPerChipHour !== undefined;
  if (s.goal === "serve" && !rentalGiven) {
    const purchase = purchasePriceView(h.id, s.today);
    const owned =
      purchase.capexUsdPerChip !== null
        ? ownedChipHour(chip, purchase.capexUsdPerChip, s.today, 1, { pue: s.pue })
        : null;
    if (owned && purchase.capexUsdPerChip !== null)
      return {
        ok: true,
        price: {
          hardware: h.id,
          method: "owned",
          usdPerChipHour: roundTo(owned.totalUsd, 6) as number,
          rental,
          owned: { capexUsdPerChip: purchase.capexUsdPerChip, asOf: purchase.asOf, records: purchase.records },
        },
      };
  }
  if (rented) return { ok: true, price: rented };
  return {
    ok: false,
    reason:
      s.goal === "train"
        ? `no-rental-price: no ${rental.basis} rental price in the 12 months before ${s.today} (give --price-usd-per-chip-hour)`
        : "no-price: no rental price and no owned cost (purchase price + TDP) in the catalog",
  };
}

/** The cost-basis column of a front point: method, $/chip-hour and the newest record's date. */
function costBasis(p: SearchPrice): string {
  if (p.method === "owned") return `owned, ${formatUsd(p.owned?.capexUsdPerChip)}/chip of ${p.owned?.asOf}`;
  if (p.rental.basis === "given") return "rented at the given price";
  return `rented, ${p.rental.basis} median of ${p.rental.records.length} to ${p.rental.asOf}`;
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
        /** The chip-hour price of each chip searched, with its records (see chipHourPrice). */
        prices: SearchPrice[];
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
  const prices: SearchPrice[] = [];
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
    const priced = chipHourPrice(h, chip, s);
    if (!priced.ok) {
      skipped.push(`${h.id}: ${priced.reason}`);
      continue;
    }
    const cost = { usd: priced.price.usdPerChipHour, basis: costBasis(priced.price) };
    prices.push(priced.price);
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
      prices,
    },
  };
}
