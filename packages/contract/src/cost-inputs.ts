/**
 * Prices for every command that prices something (train, fleet, compare, search, claims, hardware show): the rental
 * price on a basis with its dated records, the purchase price by one method, and the owned cost of one chip-hour from
 * the capex and the site inputs (electricity, PUE, hosting, useful life), each overridable. docs/claims.md.
 */
import { missingPriceReasons, type PriceBasis, purchasePrice, rentalPrice, siteDefaults } from "@flopcast/catalog";
import { type Accelerator, type CodedMessage, type OwnedCostPerChipHour, ownedCostPerChipHour } from "@flopcast/core";
import { codedMessage } from "./messages.ts";

/** Assumptions of the owned-cost model not in the catalog (labelled in outputs): idle draw and maintenance. */
export const DEFAULT_IDLE_POWER_FRACTION = 0.3;
export const DEFAULT_MAINTENANCE_FRACTION_PER_YEAR = 0.05;

export interface OwnedCostOverrides {
  readonly usdPerKwh?: number | undefined;
  readonly pue?: number | undefined;
  readonly idlePowerFraction?: number | undefined;
  readonly maintenanceFractionPerYear?: number | undefined;
}

/** The catalog price point behind the default PUE (packages/catalog/data/prices/semianalysis-ai-dc-pue.json). */
export const DEFAULT_PUE_POINT = "semianalysis-ai-dc-pue";

/**
 * PUE when none is given, for every command that turns chip power into facility power (train, fleet, compare,
 * search, owned cost): the catalog's AI-data-centre PUE, 1.2 (range 1.1–1.3; SemiAnalysis 2024, point
 * `semianalysis-ai-dc-pue`). A capacity planner sizing an AI cluster plans a new, dense, often liquid-cooled
 * AI hall, not the average of every data centre: the Uptime Institute 2024 survey's all-sites average, 1.56
 * (`uptime-pue-2024`), describes the installed enterprise/colocation base, and hyperscalers report ≈ 1.1 fleet-wide
 * (Google 2021: `google-pue-2021q2`). Give `pue` (--pue) for a specific site.
 */
export function pueFor(today: string, given?: number): { value: number; basis: string } {
  if (given !== undefined) return { value: given, basis: "given" };
  const p = siteDefaults(today).pue;
  return { value: p.value, basis: `${p.pointId}: ${p.basis}` };
}

/** Owned $/chip-hour at a utilisation, or null when the catalog lacks the chip's TDP. */
export function ownedChipHour(
  chip: Accelerator,
  capexPerChipUsd: number,
  today: string,
  utilisation: number,
  o: OwnedCostOverrides = {},
): OwnedCostPerChipHour | null {
  if (chip.tdp === null) return null;
  const site = siteDefaults(today);
  return ownedCostPerChipHour({
    capexPerChipUsd,
    depreciationYears: site.depreciationYears.value,
    tdpW: chip.tdp,
    utilisation,
    idlePowerFraction: o.idlePowerFraction ?? DEFAULT_IDLE_POWER_FRACTION,
    pue: o.pue ?? site.pue.value,
    usdPerKwh: o.usdPerKwh ?? site.usdPerKwh.value,
    hostingUsdPerKwMonth: site.hostingUsdPerKwMonth.value,
    maintenanceFractionPerYear: o.maintenanceFractionPerYear ?? DEFAULT_MAINTENANCE_FRACTION_PER_YEAR,
  });
}

/** The rental price an output used: its records with their dates and ages (CONTRACT.md `rentalUsdPerChipHour`). */
export interface RentalPriceView {
  readonly median: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Date of the newest record used (null when given or unknown). */
  readonly asOf: string | null;
  readonly ageYears: number | null;
  readonly basis: PriceBasis | "given";
  /** The scenario date the 12-month window ends at. */
  readonly scenarioDate: string;
  readonly stale: boolean;
  readonly records: readonly {
    id: string;
    date: string;
    kind: string;
    usdPerChipHour: number;
    ageYears: number;
  }[];
  /** Coded reason when there is no price (`no-rental-price`). */
  readonly reason?: string;
  /** Why: what was searched and not found (the catalog's null-valued records for the chip), when known. */
  readonly reasonDetail?: string;
}

const r6 = (x: number) => Number(x.toPrecision(6));

/** `reasonDetail` from the catalog's searched-for-but-unpublished price records, when there are any. */
function detail(chipId: string, what: "rental" | "purchase"): { reasonDetail?: string } {
  const reasons = missingPriceReasons(chipId, what);
  return reasons.length ? { reasonDetail: reasons.join("; ") } : {};
}

/** Rental $/chip-hour for a chip: the given price, else the market (or chosen basis) median with its records. */
export function rentalPriceView(
  chipId: string,
  date: string,
  basis: PriceBasis = "market",
  givenUsdPerChipHour?: number,
): RentalPriceView {
  if (givenUsdPerChipHour !== undefined)
    return {
      median: givenUsdPerChipHour,
      low: givenUsdPerChipHour,
      high: givenUsdPerChipHour,
      asOf: null,
      ageYears: null,
      basis: "given",
      scenarioDate: date,
      stale: false,
      records: [],
    };
  const p = rentalPrice(chipId, date, basis);
  if (!p)
    return {
      median: null,
      low: null,
      high: null,
      asOf: null,
      ageYears: null,
      basis,
      scenarioDate: date,
      stale: false,
      records: [],
      reason: "no-rental-price",
      ...detail(chipId, "rental"),
    };
  return {
    median: r6(p.median),
    low: r6(p.low),
    high: r6(p.high),
    asOf: p.asOf,
    ageYears: p.ageYears,
    basis,
    scenarioDate: date,
    stale: p.stale,
    records: p.records.map((r) => ({
      id: r.id,
      date: r.date,
      kind: r.kind,
      usdPerChipHour: r6(r.value),
      ageYears: r.ageYears,
    })),
  };
}

/** Purchase price per chip (chip alone and with its server and network share), or null with a coded reason. */
export function purchasePriceView(chipId: string, date: string) {
  const p = purchasePrice(chipId, date);
  if (!p)
    return {
      purchaseUsdPerChip: null,
      capexUsdPerChip: null,
      reason: "no-purchase-price" as const,
      ...detail(chipId, "purchase"),
    };
  return {
    purchaseUsdPerChip: r6(p.chip.median),
    purchaseLowUsdPerChip: r6(p.chip.low),
    purchaseHighUsdPerChip: r6(p.chip.high),
    capexUsdPerChip: r6(p.capexUsdPerChip),
    capexLowUsdPerChip: r6(p.capexLowUsdPerChip),
    capexHighUsdPerChip: r6(p.capexHighUsdPerChip),
    asOf: p.chip.asOf,
    ageYears: p.chip.ageYears,
    chipDerivedFromServer: p.chipDerivedFromServer,
    serverOverheadFraction: p.serverOverheadFraction,
    networkShareFraction: p.networkShareFraction,
    serverCheckUsdPerChip: p.serverCheck ? r6(p.serverCheck.median) : null,
    method: p.method,
    records: p.chip.records.map((r) => ({
      id: r.id,
      date: r.date,
      kind: r.kind,
      usdPerChip: r6(r.value),
      ageYears: r.ageYears,
    })),
  };
}

/** One line naming a price's records and their ages, for text outputs and warnings. */
export function describeRental(v: RentalPriceView): string {
  if (v.basis === "given") return `$${v.median}/chip-hour (given)`;
  if (v.median === null)
    return `no ${v.basis} rental price in the catalog${v.reasonDetail ? `: ${v.reasonDetail}` : ""}`;
  const recs = v.records.map((r) => `${r.id} ${r.date}`).join(", ");
  return `$${v.median}/chip-hour ${v.basis} median (${v.low}–${v.high}) of ${v.records.length} record(s) ${v.stale ? "older than 12 months" : "in the 12 months"} before ${v.scenarioDate}: ${recs}`;
}

/** One line naming a purchase price's records and dates and the capex method, for text outputs. */
export function describePurchase(p: ReturnType<typeof purchasePriceView>): string {
  if (p.purchaseUsdPerChip === null)
    return `no purchase price in the catalog${"reasonDetail" in p && p.reasonDetail ? `: ${p.reasonDetail}` : ""}`;
  const recs = "records" in p ? p.records.map((r) => `${r.id} ${r.date}`).join(", ") : "";
  const method = "method" in p ? p.method : "";
  return `$${Math.round(p.purchaseUsdPerChip).toLocaleString("en-US")} per chip, capex $${Math.round(p.capexUsdPerChip ?? 0).toLocaleString("en-US")} (${recs}); ${method}`;
}

/**
 * A warning when chips compared on one $ axis (compare's serving rows, search's serving front) were priced on different
 * bases: owned-first pricing costs chips with a purchase price as owned and the rest as rented (docs/claims.md
 * "Price method"), and an owned $/1M tokens is not comparable with a rented one.
 */
export function mixedCostBasis(rows: readonly { hardware: string; basis: string | null }[]): CodedMessage[] {
  const on = (basis: string) => [...new Set(rows.filter((r) => r.basis === basis).map((r) => r.hardware))];
  const owned = on("owned");
  const rented = on("rented");
  return owned.length && rented.length ? [codedMessage("mixed-cost-basis", { owned, rented })] : [];
}
