/**
 * `compare`: the same workload across several chips, side by side (docs/model.md §5): training (chips, days,
 * $ rented and owned, MWh) or serving (fleet under the SLOs, $/1M output tokens, MW), with the bottleneck.
 */
import { type AcceleratorFile, toAccelerator } from "@flopcast/catalog";
import { z } from "zod";
import type { ModelSubject } from "./catalog-views.ts";
import { mixedCostBasis, ownedChipHour, purchasePriceView, rentalPriceView } from "./cost-inputs.ts";
import { FleetScenario, planFleet } from "./fleet-plan.ts";
import { type CodedMessage, codedIssue, codedMessage, reasonFromProblem } from "./messages.ts";
import { positiveInt, positiveNumber, roundTo } from "./numbers.ts";
import { PriceBasisName, ScenarioDate, StoragePrecisionName, TrainScenario } from "./scenario.ts";
import { planTraining } from "./train-plan.ts";

export const CompareScenario = z
  .object({
    model: z.string().min(1),
    hardware: z.string().min(1),
    tokens: positiveNumber.optional(),
    chips: positiveInt.optional(),
    requestsPerDay: positiveNumber.optional(),
    inputTokens: positiveInt.default(1024),
    outputTokens: positiveInt.default(256),
    sloTtftMs: positiveNumber.optional(),
    sloTpotMs: positiveNumber.optional(),
    simRequests: positiveInt.default(1500),
    /** Rent every chip at this price instead of its catalog price (same price for all rows). */
    priceUsdPerChipHour: positiveNumber.optional(),
    /** Rental basis; when given, serving rows are costed rented on it instead of owned-first. */
    priceBasis: PriceBasisName.optional(),
    /** Power usage effectiveness for energy and owned cost (default: cost-inputs.ts `pueFor`, 1.2). */
    pue: positiveNumber.optional(),
    /** Training: matmul precision; serving: weight precision (default: bf16 where native, else fp16). */
    precision: StoragePrecisionName.optional(),
    today: ScenarioDate,
  })
  .strict()
  .superRefine((s, ctx) => {
    const train = s.tokens !== undefined;
    const serve = s.requestsPerDay !== undefined;
    if (train === serve) ctx.addIssue(codedIssue(["tokens"], "compare-needs-goal"));
    if (train && s.chips === undefined)
      ctx.addIssue(codedIssue(["chips"], "mode-needs-field", { subject: "training comparison", field: "chips" }));
    if (serve && s.sloTtftMs === undefined)
      ctx.addIssue(
        codedIssue(["sloTtftMs"], "mode-needs-field", { subject: "serving comparison", field: "sloTtftMs" }),
      );
    if (train && s.precision === "int4") ctx.addIssue(codedIssue(["precision"], "training-no-int4"));
  });
export type CompareScenario = z.infer<typeof CompareScenario>;

export function compareHardware(s: CompareScenario, model: ModelSubject, chips: readonly AcceleratorFile[]) {
  const goal = s.tokens !== undefined ? "train" : "serve";
  const rows = chips.map((h) => (goal === "train" ? trainRow(s, model, h) : serveRow(s, model, h)));
  // Training rows show rented and owned cost side by side; serving rows are costed owned-first, one basis per row.
  const warnings =
    goal === "serve"
      ? mixedCostBasis(
          rows.map((r) => ({ hardware: r.hardware, basis: "costBasis" in r ? (r.costBasis ?? null) : null })),
        )
      : [];
  return { model: model.id, goal, rows, warnings };
}

function trainRow(s: CompareScenario, model: ModelSubject, h: AcceleratorFile) {
  const planned = planTraining(
    TrainScenario.parse({
      model: s.model,
      tokens: s.tokens,
      hardware: h.id,
      chips: s.chips,
      precision: s.precision,
      priceUsdPerChipHour: s.priceUsdPerChipHour,
      priceBasis: s.priceBasis,
      pue: s.pue,
      today: s.today,
    }),
    model,
    h,
  );
  const rent = rentalPriceView(h.id, s.today, s.priceBasis ?? "market", s.priceUsdPerChipHour);
  if (!planned.ok)
    return {
      hardware: h.id,
      feasible: false,
      chips: s.chips ?? 0,
      costUsd: null,
      reasons: planned.problems.map((p) => reasonFromProblem(p)),
    };
  const r = planned.result as Record<string, unknown> & {
    chipHours?: number;
    days?: number;
    mfu?: number;
    feasible?: boolean;
    bottleneck?: string;
    energyMwh?: number | null;
    costUsd?: number | null;
    costLowUsd?: number | null;
    costHighUsd?: number | null;
    reasons?: CodedMessage[];
  };
  const chip = toAccelerator(h);
  const purchase = purchasePriceView(h.id, s.today);
  const owned =
    purchase.capexUsdPerChip !== null
      ? ownedChipHour(chip, purchase.capexUsdPerChip, s.today, 1, { pue: s.pue })
      : null;
  const reasons: CodedMessage[] = [...(r.reasons ?? [])];
  if (rent.median === null)
    reasons.push(
      codedMessage("no-rental-price", { hardware: h.id, basis: rent.basis, detail: rent.reasonDetail ?? null }),
    );
  if (purchase.capexUsdPerChip === null)
    reasons.push(
      codedMessage("no-purchase-price", {
        hardware: h.id,
        detail: ("reasonDetail" in purchase && purchase.reasonDetail) || null,
        canGive: false,
      }),
    );
  else if (chip.tdp === null) reasons.push(codedMessage("no-tdp", { hardware: h.id, capexShown: false }));
  return {
    hardware: h.id,
    feasible: r.feasible ?? false,
    chips: s.chips ?? 0,
    days: roundTo(r.days),
    mfu: roundTo(r.mfu, 4),
    costUsd: roundTo(r.costUsd),
    costLowUsd: roundTo(r.costLowUsd),
    costHighUsd: roundTo(r.costHighUsd),
    costOwnedUsd: owned && r.chipHours ? roundTo(owned.totalUsd * r.chipHours) : null,
    usdPerChipHour: rent.median,
    price: rent,
    /** The purchase price the owned cost used, with its records and dates. */
    purchase,
    energyMwh: roundTo(r.energyMwh),
    bottleneck: r.bottleneck ?? null,
    reasons,
  };
}

function serveRow(s: CompareScenario, model: ModelSubject, h: AcceleratorFile) {
  const planned = planFleet(
    FleetScenario.parse({
      model: s.model,
      hardware: h.id,
      requestsPerDay: s.requestsPerDay,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      sloTtftMs: s.sloTtftMs,
      sloTpotMs: s.sloTpotMs,
      simRequests: s.simRequests,
      precision: s.precision,
      priceUsdPerChipHour: s.priceUsdPerChipHour,
      priceBasis: s.priceBasis,
      pue: s.pue,
      today: s.today,
    }),
    model,
    h,
  );
  if (!planned.ok)
    return {
      hardware: h.id,
      feasible: false,
      chips: 0,
      usdPerMillionOutputTokens: null,
      reasons: planned.problems.map((p) => reasonFromProblem(p)),
    };
  const f = planned.result;
  return {
    hardware: h.id,
    feasible: f.feasible,
    chips: f.chips,
    replicas: f.replicas,
    tp: "parallelism" in f ? f.parallelism.tp : null,
    usdPerMillionOutputTokens: f.usdPerMillionOutputTokens,
    usdPerDay: f.usdPerDay,
    costBasis: "costBasis" in f ? f.costBasis : null,
    capexUsd: f.capexUsd,
    powerMw: f.powerMw,
    rentedUsdPerMillionOutputTokens: "rented" in f && f.rented ? f.rented.usdPerMillionOutputTokens : null,
    price: "prices" in f ? f.prices.rental : null,
    purchase: "prices" in f && "method" in f.prices.purchase ? f.prices.purchase : null,
    reasons: [...f.reasons, ...f.warnings],
  };
}
