/**
 * Dated prices (docs/claims.md "Price method"). Every price says which records it used, their dates and ages at the
 * scenario date; the caller passes that date (the catalog reads no clock).
 */
import { prevalidated } from "./prevalidated.ts";
import { validatedPrices } from "./raw.ts";
import type { PriceFile, RentalKind } from "./schema.ts";

let parsed: PriceFile[] | undefined;
export function pricePoints(): readonly PriceFile[] {
  parsed ??= prevalidated("prices") ?? validatedPrices();
  return parsed;
}

export interface PriceLookup {
  readonly value: number;
  readonly unit: string;
  readonly pointId: string;
  readonly kind: string;
  readonly asOf: string;
  /** Years between the price's date and `today` (null when the date is vague). */
  readonly ageYears: number | null;
  readonly basis: string;
}

/** Years from an `asOf` like "2023-05-29", "2023-08", "2024-H2", "2026-Q2" or "2023" to `today` (YYYY-MM-DD). */
export function ageInYears(asOf: string, today: string): number | null {
  const m = /^~?(\d{4})(?:-(\d{2}|Q\d|H\d))?/.exec(asOf);
  if (!m) return null;
  const year = Number(m[1]);
  const part = m[2] ?? "";
  const month = /^\d{2}$/.test(part)
    ? Number(part)
    : part.startsWith("Q")
      ? Number(part[1]) * 3 - 1
      : part.startsWith("H")
        ? Number(part[1]) * 6 - 3
        : 6;
  const [ty, tm] = today.split("-").map(Number);
  return Number(((((ty ?? year) - year) * 12 + ((tm ?? 6) - month)) / 12).toFixed(2));
}

function lookup(p: PriceFile, value: number, today: string, basis: string): PriceLookup {
  return { value, unit: p.unit, pointId: p.id, kind: p.kind, asOf: p.asOf, ageYears: ageInYears(p.asOf, today), basis };
}

/**
 * Which rental segments each price basis takes (docs/claims.md "Price method"). `market` is every segment a buyer can
 * use without interruption risk beyond a marketplace's; spot is never in a default.
 */
export const PRICE_BASES = ["market", "on-demand", "reserved", "list"] as const;
export type PriceBasis = (typeof PRICE_BASES)[number];
const BASIS_KINDS: Record<PriceBasis, readonly RentalKind[]> = {
  market: ["hyperscaler-on-demand", "reserved", "capacity-block", "neocloud-on-demand", "marketplace"],
  "on-demand": ["hyperscaler-on-demand", "neocloud-on-demand"],
  reserved: ["reserved", "capacity-block"],
  list: ["hyperscaler-on-demand"],
};

/** Months of records a price takes: the 12 months before the scenario date (or before the newest record, if none). */
export const PRICE_WINDOW_YEARS = 1;

/** One dated price record as used by a price: its id, date, segment, per-chip value and age at the scenario date. */
export interface PriceRecordRef {
  readonly id: string;
  readonly date: string;
  readonly kind: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly unit: string;
  readonly ageYears: number;
  readonly item: string;
}

/** A price from several dated records: their median, the lowest low and highest high, the newest date. */
export interface PriceRange {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** Date of the newest record used. */
  readonly asOf: string;
  readonly ageYears: number;
  readonly records: readonly PriceRecordRef[];
  /** True when no record fell in the 12 months before the scenario date and older records were used. */
  readonly stale: boolean;
}

const median = (xs: readonly number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
};

function refOf(p: PriceFile, today: string, perChip = 1 / p.chipsPerUnit): PriceRecordRef | null {
  const age = ageInYears(p.asOf, today);
  if (p.value === null || age === null || age < 0) return null;
  return {
    id: p.id,
    date: p.asOf,
    kind: p.rentalKind ?? p.kind,
    value: p.value * perChip,
    low: (p.low ?? p.value) * perChip,
    high: (p.high ?? p.value) * perChip,
    unit: p.unit === "USD/chip-hour" ? "USD/chip-hour" : "USD/chip",
    ageYears: age,
    item: p.item,
  };
}

/** The records in the window before `today` (else the 12 months before the newest one), summarised. */
export function priceRange(refs: readonly PriceRecordRef[]): PriceRange | null {
  if (refs.length === 0) return null;
  const newest = Math.min(...refs.map((r) => r.ageYears));
  const stale = newest > PRICE_WINDOW_YEARS;
  const from = stale ? newest : 0;
  const used = refs.filter((r) => r.ageYears >= from && r.ageYears <= from + PRICE_WINDOW_YEARS);
  // Ordinal, not localeCompare: ids are lower-case ASCII, and the first localeCompare of a process loads ICU's
  // collation (tens of milliseconds of CLI start-up).
  used.sort((a, b) => a.ageYears - b.ageYears || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = used[0] as PriceRecordRef;
  return {
    median: median(used.map((r) => r.value)),
    low: Math.min(...used.map((r) => r.low)),
    high: Math.max(...used.map((r) => r.high)),
    asOf: first.date,
    ageYears: first.ageYears,
    records: used,
    stale,
  };
}

const usable = (chipId: string) =>
  pricePoints().filter((p) => p.appliesTo.includes(chipId) && p.value !== null && !p.doNotUse);

export interface RentalPrice extends PriceRange {
  readonly basis: PriceBasis;
}

/**
 * Rental $/chip-hour on a basis: the median of the basis' dated records in the 12 months before `today` (the
 * scenario date), low = lowest, high = highest; records dated after `today` are not used (docs/claims.md).
 */
export function rentalPrice(chipId: string, today: string, basis: PriceBasis = "market"): RentalPrice | null {
  const kinds = BASIS_KINDS[basis];
  const refs = usable(chipId)
    .filter((p) => p.unit === "USD/chip-hour" && p.rentalKind !== undefined && kinds.includes(p.rentalKind))
    .map((p) => refOf(p, today))
    .filter((r): r is PriceRecordRef => r !== null);
  const range = priceRange(refs);
  return range ? { ...range, basis } : null;
}

/**
 * Why a chip has no rental (`USD/chip-hour`) or purchase (`USD/chip`, `USD/server`) price: the reasons of the
 * catalog's null-valued records for it (a searched-for price that no public document gives), newest first; empty when
 * nobody looked. Outputs print them next to the coded `no-rental-price` / `no-purchase-price`.
 */
export function missingPriceReasons(chipId: string, what: "rental" | "purchase"): string[] {
  const units = what === "rental" ? ["USD/chip-hour"] : ["USD/chip", "USD/server"];
  return pricePoints()
    .filter((p) => p.appliesTo.includes(chipId) && p.value === null && units.includes(p.unit) && p.reason)
    .sort((a, b) => b.asOf.localeCompare(a.asOf))
    .map((p) => `${p.reason} (${p.id}, ${p.asOf})`);
}

/**
 * Server share and network share added to a chip's price to get its capex (one method for every chip): DGX H100 at
 * $270,000 (SemiAnalysis 2023) ÷ 8 = $33,750 vs an H100 at $25,000 (Raymond James 2023, low end) → +35% for the
 * server (host CPUs, memory, NVSwitch, NICs, chassis); network fabric +10% (assumption). Both labelled in outputs.
 */
export const SERVER_OVERHEAD_FRACTION = 0.35;
export const NETWORK_SHARE_FRACTION = 0.1;
const CAPEX_MULTIPLIER = 1 + SERVER_OVERHEAD_FRACTION + NETWORK_SHARE_FRACTION;

export interface PurchasePrice {
  /** The chip alone, USD: chip-level records (list, street, analyst), or a server record ÷ chips ÷ (1 + overhead). */
  readonly chip: PriceRange;
  readonly chipDerivedFromServer: boolean;
  /** The chip's share of a server and network: chip × (1 + server overhead + network share), USD. */
  readonly capexUsdPerChip: number;
  readonly capexLowUsdPerChip: number;
  readonly capexHighUsdPerChip: number;
  readonly serverOverheadFraction: number;
  readonly networkShareFraction: number;
  /** Server price records ÷ chips per server, shown as a cross-check of the overhead (not used for capex). */
  readonly serverCheck: PriceRange | null;
  readonly method: string;
}

/** Purchase price per chip by one method for every chip (docs/claims.md "Price method"). */
export function purchasePrice(chipId: string, today: string): PurchasePrice | null {
  const points = usable(chipId);
  const chipRefs = points
    .filter((p) => p.unit === "USD/chip")
    .map((p) => refOf(p, today))
    .filter((r): r is PriceRecordRef => r !== null);
  const serverRefs = points
    .filter((p) => p.unit === "USD/server")
    .map((p) => refOf(p, today))
    .filter((r): r is PriceRecordRef => r !== null);
  const serverCheck = priceRange(serverRefs);
  let chip = priceRange(chipRefs);
  const derived = chip === null && serverCheck !== null;
  if (!chip && serverCheck) {
    const k = 1 / (1 + SERVER_OVERHEAD_FRACTION);
    chip = {
      ...serverCheck,
      median: serverCheck.median * k,
      low: serverCheck.low * k,
      high: serverCheck.high * k,
    };
  }
  if (!chip) return null;
  return {
    chip,
    chipDerivedFromServer: derived,
    capexUsdPerChip: chip.median * CAPEX_MULTIPLIER,
    capexLowUsdPerChip: chip.low * CAPEX_MULTIPLIER,
    capexHighUsdPerChip: chip.high * CAPEX_MULTIPLIER,
    serverOverheadFraction: SERVER_OVERHEAD_FRACTION,
    networkShareFraction: NETWORK_SHARE_FRACTION,
    serverCheck,
    method: derived
      ? `chip = server price ÷ chips ÷ ${1 + SERVER_OVERHEAD_FRACTION} (no chip-level price); capex = chip × ${CAPEX_MULTIPLIER.toFixed(2)} (server ${SERVER_OVERHEAD_FRACTION * 100}% + network ${NETWORK_SHARE_FRACTION * 100}%, assumptions)`
      : `chip = median of chip-level records; capex = chip × ${CAPEX_MULTIPLIER.toFixed(2)} (server ${SERVER_OVERHEAD_FRACTION * 100}% + network ${NETWORK_SHARE_FRACTION * 100}%, assumptions)`,
  };
}

/** Site inputs with their price points: electricity, PUE, hosting, useful life (docs/model.md §5.2). */
export function siteDefaults(today: string) {
  const byId = (id: string) => {
    const p = pricePoints().find((x) => x.id === id);
    if (!p || p.value === null) throw new Error(`price point ${id} missing`);
    return lookup(p, p.value, today, p.item);
  };
  return {
    usdPerKwh: byId("eia-us-industrial-2023"),
    pue: byId("semianalysis-ai-dc-pue"),
    hostingUsdPerKwMonth: byId("cbre-colo-2024"),
    depreciationYears: byId("amzn-server-life-2025"),
  };
}
