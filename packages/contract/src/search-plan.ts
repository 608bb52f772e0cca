/**
 * `search` (docs/sweep.md): validates the scenario, resolves the chips from the catalog (efficiencies, missing
 * data, $/chip-hour) and runs core's search planner (core/plan/search.ts), which prunes, evaluates and returns the
 * Pareto front: cost vs time for training, $/1M tokens vs TPOT for serving.
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
  DEFAULT_SERVE_SLO_TTFT_MS,
  type FrontPoint,
  type Problem,
  type SearchChip,
  searchFront,
  supportsPrecision,
} from "@flopcast/core";
import { z } from "zod";
import { type ModelSubject, missingChipData } from "./catalog-views.ts";
import { ownedChipHour, purchasePriceView, rentalPriceView } from "./cost-inputs.ts";
import { positiveInt, positiveNumber } from "./numbers.ts";
import { PriceBasisName, ScenarioDate, StoragePrecisionName } from "./scenario.ts";

/** The point type of the front (core/plan/search.ts), re-exported for the CLI and web columns. */
export type { FrontPoint } from "@flopcast/core";

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
    /** Only this precision (training: the matmul precision; serving: the weights'), instead of the defaults. */
    precision: StoragePrecisionName.optional(),
    today: ScenarioDate,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.goal === "train" && s.tokens === undefined)
      ctx.addIssue({ code: "custom", path: ["tokens"], message: "--goal train needs --tokens" });
    if (s.goal === "train" && s.precision === "int4")
      ctx.addIssue({ code: "custom", path: ["precision"], message: "training has no int4 matmuls" });
  });
export type SearchScenario = z.infer<typeof SearchScenario>;

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
  const owned = purchase.capexUsdPerChip !== null ? ownedChipHour(chip, purchase.capexUsdPerChip, s.today, 1) : null;
  if (owned && purchase.capexUsdPerChip !== null)
    return { usd: owned.totalUsd, basis: `owned (${purchase.records?.map((r) => `${r.id} ${r.date}`).join(", ")})` };
  return rented;
}

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
  const files: AcceleratorFile[] = [];
  const problems: Problem[] = [];
  ids.forEach((id, i) => {
    const h = findAccelerator(id, `hardware[${i}]`);
    if (h.ok) files.push(h.value);
    else problems.push(...h.problems);
  });
  if (problems.length) return { ok: false, problems };
  // Resolve each chip (efficiencies, $/chip-hour); those that cannot be searched are reported, in chip order.
  const chips: SearchChip[] = [];
  const skipped: string[] = [];
  for (const h of files) {
    const chip = toAccelerator(h);
    if (s.precision !== undefined && s.precision !== "int4" && !supportsPrecision(chip, s.precision)) {
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
    chips.push({ id: h.id, chip, training: trainingEfficiencyFor(h), inference: inferenceEfficiencyFor(h), cost });
  }
  const sloTtftMs = s.sloTtftMs ?? DEFAULT_SERVE_SLO_TTFT_MS;
  const r = searchFront(
    model.architecture,
    chips,
    s.goal === "train"
      ? {
          goal: "train",
          tokens: s.tokens ?? 0,
          maxChips: s.maxChips,
          precision: s.precision as ComputePrecision | undefined,
        }
      : {
          goal: "serve",
          inputTokens: s.inputTokens,
          outputTokens: s.outputTokens,
          requestsPerDay: s.requestsPerDay,
          sloTpotMs: s.sloTpotMs,
          sloTtftMs,
          precision: s.precision,
        },
    onProgress,
  );
  return {
    ok: true,
    result: {
      goal: s.goal,
      ...(s.goal === "serve" ? { sloTtftMs } : {}),
      front: s.top ? r.front.slice(0, s.top) : r.front,
      evaluated: r.evaluated,
      pruned: r.pruned,
      skipped,
    },
  };
}
