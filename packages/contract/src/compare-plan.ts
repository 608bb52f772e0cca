/**
 * `compare`: the same workload across several chips, side by side (docs/model.md §5): training (chips, days,
 * $ rented and owned, MWh) or serving (fleet under the SLOs, $/1M output tokens, MW), with the bottleneck.
 */
import { type AcceleratorFile, purchasePricePerChip, rentalPricePerChipHour, toAccelerator } from "@flopcast/catalog";
import { z } from "zod";
import type { ModelSubject } from "./catalog-views.ts";
import { ownedChipHour } from "./cost-inputs.ts";
import { FleetScenario, planFleet } from "./fleet-plan.ts";
import { nonNegativeNumber, positiveInt, positiveNumber, roundTo } from "./numbers.ts";
import { StoragePrecisionName, TrainScenario } from "./scenario.ts";
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
    /** One $/chip-hour for every chip compared (rented), instead of each chip's catalog price. */
    priceUsdPerChipHour: nonNegativeNumber.optional(),
    /** Training: matmul precision; serving: weight precision (default: bf16 where native, else fp16). */
    precision: StoragePrecisionName.optional(),
    today: z.string().default("2026-11-23"),
  })
  .strict()
  .superRefine((s, ctx) => {
    const train = s.tokens !== undefined;
    const serve = s.requestsPerDay !== undefined;
    if (train === serve)
      ctx.addIssue({
        code: "custom",
        path: ["tokens"],
        message: "give --tokens and --chips (training) or --requests-per-day with SLOs (serving)",
      });
    if (train && s.chips === undefined)
      ctx.addIssue({ code: "custom", path: ["chips"], message: "training comparison needs --chips" });
    if (serve && s.sloTtftMs === undefined)
      ctx.addIssue({ code: "custom", path: ["sloTtftMs"], message: "serving comparison needs --slo-ttft-ms" });
    if (train && s.precision === "int4")
      ctx.addIssue({ code: "custom", path: ["precision"], message: "training has no int4 matmuls" });
  });
export type CompareScenario = z.infer<typeof CompareScenario>;

export function compareHardware(s: CompareScenario, model: ModelSubject, chips: readonly AcceleratorFile[]) {
  const goal = s.tokens !== undefined ? "train" : "serve";
  const rows = chips.map((h) => (goal === "train" ? trainRow(s, model, h) : serveRow(s, model, h)));
  return { model: model.id, goal, rows };
}

function trainRow(s: CompareScenario, model: ModelSubject, h: AcceleratorFile) {
  const rent =
    s.priceUsdPerChipHour !== undefined
      ? { value: s.priceUsdPerChipHour, pointId: "given", asOf: s.today }
      : rentalPricePerChipHour(h.id, s.today);
  const planned = planTraining(
    TrainScenario.parse({
      model: s.model,
      tokens: s.tokens,
      hardware: h.id,
      chips: s.chips,
      precision: s.precision,
      priceUsdPerChipHour: rent?.value,
    }),
    model,
    h,
  );
  if (!planned.ok)
    return {
      hardware: h.id,
      feasible: false,
      chips: s.chips ?? 0,
      costUsd: null,
      reasons: planned.problems.map((p) => p.message),
    };
  const r = planned.result as Record<string, unknown> & {
    chipHours?: number;
    days?: number;
    mfu?: number;
    feasible?: boolean;
    bottleneck?: string;
    energyMwh?: number | null;
    costUsd?: number | null;
    reasons?: { message: string }[];
  };
  const chip = toAccelerator(h);
  const price = purchasePricePerChip(h.id, s.today);
  const owned = price ? ownedChipHour(chip, price.value, s.today, 1) : null;
  return {
    hardware: h.id,
    feasible: r.feasible ?? false,
    chips: s.chips ?? 0,
    days: roundTo(r.days),
    mfu: roundTo(r.mfu, 4),
    costUsd: roundTo(r.costUsd),
    costOwnedUsd: owned && r.chipHours ? roundTo(owned.totalUsd * r.chipHours) : null,
    usdPerChipHour: roundTo(rent?.value),
    priceSource:
      s.priceUsdPerChipHour !== undefined
        ? "given (--price-usd-per-chip-hour)"
        : rent
          ? `${rent.pointId} (${rent.asOf})`
          : "no rental price in the catalog",
    energyMwh: roundTo(r.energyMwh),
    bottleneck: r.bottleneck ?? null,
    reasons: (r.reasons ?? []).map((x) => x.message),
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
      reasons: planned.problems.map((p) => p.message),
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
    reasons: [...f.reasons, ...f.warnings],
  };
}
