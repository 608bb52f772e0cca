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
import {
  mixedCostBasis,
  ownedChipHour,
  pueFor,
  purchasePriceView,
  type RentalPriceView,
  rentalPriceView,
} from "./cost-inputs.ts";
import { formatUsd } from "./format.ts";
import { type CodedMessage, codedIssue, codedMessage, reasonFromProblem } from "./messages.ts";
import { positiveInt, positiveNumber, roundTo } from "./numbers.ts";
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
): { ok: true; price: SearchPrice } | { ok: false; reason: CodedMessage } {
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
        ? codedMessage("no-rental-price", {
            hardware: h.id,
            basis: rental.basis,
            detail: `none in the 12 months before ${s.today}`,
          })
        : codedMessage("no-price", { hardware: h.id }),
  };
}

/** The cost-basis column of a front point: method, $/chip-hour and the newest record's date. */
function costBasis(p: SearchPrice): string {
  if (p.method === "owned") return `owned, ${formatUsd(p.owned?.capexUsdPerChip)}/chip of ${p.owned?.asOf}`;
  if (p.rental.basis === "given") return "rented at the given price";
  return `rented, ${p.rental.basis} median of ${p.rental.records.length} to ${p.rental.asOf}`;
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
        skipped: CodedMessage[];
        /** The chip-hour price of each chip searched, with its records (see chipHourPrice). */
        prices: SearchPrice[];
        /** `mixed-cost-basis` when the serving front prices some chips owned and others rented. */
        warnings: CodedMessage[];
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
  const skipped: CodedMessage[] = [];
  const prices: SearchPrice[] = [];
  for (const h of files) {
    const chip = toAccelerator(h);
    if (s.precision !== undefined && s.precision !== "int4" && !supportsPrecision(chip, s.precision)) {
      skipped.push(codedMessage("no-native-precision", { hardware: h.id, precision: s.precision }));
      continue;
    }
    const missing = missingChipData(h);
    if (missing.length) {
      skipped.push(...missing.map((m) => reasonFromProblem(m, { hardware: h.id })));
      continue;
    }
    const priced = chipHourPrice(h, chip, s);
    if (!priced.ok) {
      skipped.push(priced.reason);
      continue;
    }
    prices.push(priced.price);
    const cost = { usd: priced.price.usdPerChipHour, basis: costBasis(priced.price) };
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
          pue: pueFor(s.today, s.pue).value,
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
      prices,
      warnings:
        s.goal === "serve" ? mixedCostBasis(prices.map((p) => ({ hardware: p.hardware, basis: p.method }))) : [],
    },
  };
}
