/**
 * `fleet`: the smallest fleet that meets TTFT/TPOT SLOs at P99 for a daily volume (docs/model.md §4.3). The sizing
 * (layouts, DES bisection, N+k) is core's `sizeFleet` (core/plan/fleet.ts); this adapter resolves the chip, its
 * precisions and prices from the catalog and prices the chosen fleet (owned or rented).
 */
import { type AcceleratorFile, inferenceEfficiencyFor, siteDefaults, toAccelerator } from "@flopcast/catalog";
import {
  type CodedMessage,
  defaultKvPrecision,
  defaultPrecision,
  type FleetCandidate,
  type Problem,
  resolveComputePrecision,
  SECONDS_PER_DAY,
  type StoragePrecision,
  sizeFleet,
  usdPerMillionTokens,
} from "@flopcast/core";
import { z } from "zod";
import { type ModelSubject, missingChipData } from "./catalog-views.ts";
import {
  DEFAULT_IDLE_POWER_FRACTION,
  DEFAULT_MAINTENANCE_FRACTION_PER_YEAR,
  ownedChipHour,
  purchasePriceView,
  rentalPriceView,
} from "./cost-inputs.ts";
import { codedIssue, codedMessage } from "./messages.ts";
import { fraction, looseNumber, nonNegativeNumber, positiveInt, positiveNumber, roundTo } from "./numbers.ts";
import { PriceBasisName, ScenarioDate, StoragePrecisionName } from "./scenario.ts";

export const FleetScenario = z
  .object({
    model: z.string().min(1),
    hardware: z.string().min(1),
    /** The volume: requests per day, or an average rate in requests per second (exactly one of the two). */
    requestsPerDay: positiveNumber.optional(),
    requestsPerS: positiveNumber.optional(),
    inputTokens: positiveInt.default(1024),
    outputTokens: positiveInt.default(256),
    sloTtftMs: positiveNumber,
    /** Optional: without it only TTFT constrains the fleet. */
    sloTpotMs: positiveNumber.optional(),
    /** Peak hour rate ÷ daily average rate (diurnal swing). */
    peakToAverage: looseNumber.pipe(z.number().min(1, { error: "must be ≥ 1" })).default(1.5),
    /** N+k: spare replicas beyond what the peak needs. */
    headroomReplicas: looseNumber.pipe(z.number().int().min(0)).default(1),
    precision: StoragePrecisionName.optional(),
    tp: positiveInt.optional(),
    /** Requests simulated per DES confirmation run. */
    simRequests: positiveInt.default(3000),
    seed: looseNumber.pipe(z.number().int()).default(1),
    priceUsdPerChip: nonNegativeNumber.optional(),
    priceUsdPerChipHour: nonNegativeNumber.optional(),
    usdPerKwh: nonNegativeNumber.optional(),
    pue: positiveNumber.optional(),
    idlePowerFraction: fraction.default(DEFAULT_IDLE_POWER_FRACTION),
    maintenanceFractionPerYear: nonNegativeNumber.default(DEFAULT_MAINTENANCE_FRACTION_PER_YEAR),
    /** Rental basis; when given (or with a price per chip-hour) the fleet is costed rented instead of owned-first. */
    priceBasis: PriceBasisName.optional(),
    /** The scenario date: prices are the records of the 12 months before it (the CLI passes today). */
    today: ScenarioDate,
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.requestsPerDay === undefined) === (s.requestsPerS === undefined))
      ctx.addIssue(
        codedIssue(["requestsPerDay"], s.requestsPerDay === undefined ? "fleet-needs-volume" : "fleet-one-volume"),
      );
  });
export type FleetScenario = z.infer<typeof FleetScenario>;

/** The daily volume, from whichever of requestsPerDay / requestsPerS the scenario gives. */
export const fleetRequestsPerDay = (s: Pick<FleetScenario, "requestsPerDay" | "requestsPerS">): number =>
  s.requestsPerDay ?? (s.requestsPerS ?? 0) * SECONDS_PER_DAY;

export function planFleet(
  s: FleetScenario,
  model: ModelSubject,
  hardware: AcceleratorFile,
  /** Called with the fraction of layouts searched so far (the CLI draws a progress bar). */
  onProgress?: (fraction: number) => void,
): { ok: true; result: ReturnType<typeof fleetResult> } | { ok: false; problems: Problem[] } {
  const chip = toAccelerator(hardware);
  const weights: StoragePrecision = s.precision ?? defaultPrecision(chip);
  const { precision: compute, warning } = resolveComputePrecision(chip, weights);
  const missing = missingChipData(hardware, compute);
  if (missing.length) return { ok: false, problems: missing };
  const requestsPerDay = fleetRequestsPerDay(s);
  const avgRate = requestsPerDay / SECONDS_PER_DAY;
  const peakRate = avgRate * s.peakToAverage;
  const sized = sizeFleet(
    {
      architecture: model.architecture,
      chip,
      efficiency: inferenceEfficiencyFor(hardware),
      weightPrecision: weights,
      kvPrecision: defaultKvPrecision(chip, weights),
      computePrecision: compute,
      tp: s.tp,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      sloTtftS: s.sloTtftMs / 1e3,
      sloTpotS: s.sloTpotMs === undefined ? Number.POSITIVE_INFINITY : s.sloTpotMs / 1e3,
      peakRateReqPerS: peakRate,
      headroomReplicas: s.headroomReplicas,
      simRequests: s.simRequests,
      seed: s.seed,
    },
    onProgress,
  );
  const { chosen, reasons } = sized;
  return {
    ok: true,
    result: fleetResult(s, model, hardware, chosen, {
      avgRate,
      peakRate,
      desRuns: sized.desRuns,
      reasons: chosen || reasons.length ? [...reasons] : [codedMessage("no-layout-meets-slo")],
      warnings: warning ? [warning] : [],
      candidates: sized.candidates,
    }),
  };
}

function fleetResult(
  s: FleetScenario,
  model: ModelSubject,
  hardware: AcceleratorFile,
  c: FleetCandidate | undefined,
  ctx: {
    avgRate: number;
    peakRate: number;
    desRuns: number;
    reasons: CodedMessage[];
    warnings: CodedMessage[];
    candidates: readonly FleetCandidate[];
  },
) {
  const chip = toAccelerator(hardware);
  const site = siteDefaults(s.today);
  const purchase = purchasePriceView(hardware.id, s.today);
  const rental = rentalPriceView(hardware.id, s.today, s.priceBasis ?? "market", s.priceUsdPerChipHour);
  const forceRented = s.priceBasis !== undefined || s.priceUsdPerChipHour !== undefined;
  const base = {
    model: model.id,
    hardware: hardware.id,
    requestsPerDay: fleetRequestsPerDay(s),
    avgRateReqPerS: roundTo(ctx.avgRate),
    peakRateReqPerS: roundTo(ctx.peakRate),
  };
  if (!c)
    return {
      ...base,
      feasible: false,
      reasons: ctx.reasons,
      replicas: 0,
      chips: 0,
      capexUsd: null,
      usdPerDay: null,
      usdPerMillionOutputTokens: null,
      usdPerQuery: null,
      powerMw: null,
      warnings: ctx.warnings,
    };
  // Utilisation: the average load as a share of what the fleet can carry within the SLO.
  const utilisation = Math.min(1, ctx.avgRate / (c.replicas * c.rateReqPerS));
  const capexPerChip = s.priceUsdPerChip ?? purchase.capexUsdPerChip;
  const tdp = chip.tdp ?? null;
  const owned =
    capexPerChip !== null
      ? ownedChipHour(chip, capexPerChip, s.today, utilisation, {
          idlePowerFraction: s.idlePowerFraction,
          pue: s.pue,
          usdPerKwh: s.usdPerKwh,
          maintenanceFractionPerYear: s.maintenanceFractionPerYear,
        })
      : null;
  const rentalPerChipHour = rental.median;
  const requestsPerDay = fleetRequestsPerDay(s);
  const outputTokensPerS = (requestsPerDay * s.outputTokens) / SECONDS_PER_DAY;
  const useOwned = owned !== null && !(forceRented && rentalPerChipHour !== null);
  const usdPerHour = useOwned
    ? (owned?.totalUsd ?? 0) * c.chips
    : rentalPerChipHour !== null
      ? rentalPerChipHour * c.chips
      : null;
  const usdPerDay = usdPerHour === null ? null : usdPerHour * 24;
  const warnings = [...ctx.warnings];
  // Each missing input is named by what it blocks, with a coded reason (no message claims "no price" while a capex shows).
  if (capexPerChip === null)
    warnings.push(
      codedMessage("no-purchase-price", {
        hardware: hardware.id,
        detail: ("reasonDetail" in purchase && purchase.reasonDetail) || null,
        canGive: true,
      }),
    );
  if (tdp === null) warnings.push(codedMessage("no-tdp", { hardware: hardware.id, capexShown: capexPerChip !== null }));
  if (rentalPerChipHour === null)
    warnings.push(
      codedMessage("no-rental-price", {
        hardware: hardware.id,
        basis: rental.basis,
        detail: rental.reasonDetail ?? null,
      }),
    );
  if (usdPerHour === null) warnings.push(codedMessage("no-cost", { hardware: hardware.id }));
  return {
    ...base,
    feasible: true,
    reasons: [],
    replicas: c.replicas,
    chips: c.chips,
    chipsPerReplica: c.tp,
    parallelism: { tp: c.tp, pp: 1 },
    maxSeqsPerReplica: c.maxSeqs,
    perReplicaRateReqPerS: roundTo(c.rateReqPerS),
    p99TtftMsAtThatRate: roundTo(c.p99TtftMs),
    p99TpotMsAtThatRate: roundTo(c.p99TpotMs),
    headroomReplicas: s.headroomReplicas,
    utilisation: roundTo(utilisation, 4),
    capexUsd: capexPerChip === null ? null : roundTo(capexPerChip * c.chips),
    usdPerDay: usdPerDay === null ? null : roundTo(usdPerDay),
    usdPerMillionOutputTokens: usdPerHour === null ? null : roundTo(usdPerMillionTokens(usdPerHour, outputTokensPerS)),
    usdPerQuery: usdPerDay === null ? null : roundTo(usdPerDay / requestsPerDay),
    costBasis: useOwned ? "owned" : rentalPerChipHour !== null ? "rented" : "none",
    powerMw: owned
      ? roundTo((owned.facilityPowerW * c.chips) / 1e6, 4)
      : tdp !== null
        ? roundTo((tdp * c.chips * (s.pue ?? site.pue.value)) / 1e6, 4)
        : null,
    owned: owned
      ? {
          usdPerChipHour: roundTo(owned.totalUsd),
          breakdownUsdPerChipHour: {
            capex: roundTo(owned.capexUsd),
            energy: roundTo(owned.energyUsd),
            hosting: roundTo(owned.hostingUsd),
            maintenance: roundTo(owned.maintenanceUsd),
          },
        }
      : null,
    rented:
      rentalPerChipHour === null
        ? null
        : {
            usdPerChipHour: roundTo(rentalPerChipHour),
            usdPerDay: roundTo(rentalPerChipHour * c.chips * 24),
            usdPerMillionOutputTokens: roundTo(usdPerMillionTokens(rentalPerChipHour * c.chips, outputTokensPerS)),
          },
    prices: {
      purchase: s.priceUsdPerChip !== undefined ? { capexUsdPerChip: s.priceUsdPerChip, basis: "given" } : purchase,
      rental,
      usdPerKwh: s.usdPerKwh !== undefined ? { value: s.usdPerKwh, basis: "given" } : site.usdPerKwh,
      pue: s.pue !== undefined ? { value: s.pue, basis: "given" } : site.pue,
      hostingUsdPerKwMonth: site.hostingUsdPerKwMonth,
      depreciationYears: site.depreciationYears,
    },
    assumptions: [
      { name: "peak-to-average", value: s.peakToAverage, basis: "given or default 1.5 (assumption: diurnal swing)" },
      { name: "idle power", value: s.idlePowerFraction, unit: "fraction of TDP", basis: "assumption" },
      {
        name: "maintenance",
        value: s.maintenanceFractionPerYear,
        unit: "fraction of capex per year",
        basis: "assumption",
      },
      { name: "scheduler", value: "chunked prefill, 2,048-token budget", basis: "Sarathi-Serve style (vLLM V1)" },
    ],
    candidatesEvaluated: ctx.candidates.length,
    desRuns: ctx.desRuns,
    warnings,
  };
}
