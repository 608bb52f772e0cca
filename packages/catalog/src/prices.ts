/**
 * Dated price lookups (docs/model.md §5). A lookup says which price point it used and how old it is; the
 * caller passes today's date (the catalog reads no clock).
 */
import * as index from "./data-index.ts";
import { type PriceFile, PriceFile as PriceSchema } from "./schema.ts";

let parsed: PriceFile[] | undefined;
export function pricePoints(): readonly PriceFile[] {
  parsed ??= index.pricesFiles.map((f) => PriceSchema.parse(f));
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

const newestFirst = (a: PriceFile, b: PriceFile) => b.asOf.replace("~", "").localeCompare(a.asOf.replace("~", ""));

function lookup(p: PriceFile, value: number, today: string, basis: string): PriceLookup {
  return { value, unit: p.unit, pointId: p.id, kind: p.kind, asOf: p.asOf, ageYears: ageInYears(p.asOf, today), basis };
}

/**
 * Server share on top of a bare chip price when no server price exists: DGX H100 at $270,000 (SemiAnalysis
 * 2023) ÷ 8 = $33,750 vs an H100 at $25,000 (Raymond James 2023, low end) → +35%. Network fabric adds 10%
 * (assumption). Both are labelled in outputs.
 */
export const SERVER_OVERHEAD_FRACTION = 0.35;
export const NETWORK_SHARE_FRACTION = 0.1;

/** Purchase price per chip including its server (and network share): the newest server price, else the newest chip price × (1 + server overhead). */
export function purchasePricePerChip(chipId: string, today: string): PriceLookup | null {
  const points = pricePoints().filter((p) => p.appliesTo.includes(chipId) && p.value !== null && !p.doNotUse);
  const server = points.filter((p) => p.unit === "USD/server").sort(newestFirst)[0];
  if (server?.value != null)
    return lookup(
      server,
      (server.value / server.chipsPerUnit) * (1 + NETWORK_SHARE_FRACTION),
      today,
      `${server.item} ÷ ${server.chipsPerUnit} chips, + ${NETWORK_SHARE_FRACTION * 100}% network (assumption)`,
    );
  const chip = points.filter((p) => p.unit === "USD/chip").sort(newestFirst)[0];
  if (chip?.value != null)
    return lookup(
      chip,
      chip.value * (1 + SERVER_OVERHEAD_FRACTION + NETWORK_SHARE_FRACTION),
      today,
      `${chip.item} + ${SERVER_OVERHEAD_FRACTION * 100}% server + ${NETWORK_SHARE_FRACTION * 100}% network (assumptions)`,
    );
  return null;
}

type RentalKind = "cloud-on-demand" | "cloud-reserved" | "cloud-spot";

/** Rental price per chip-hour: the newest point of the preferred kind, else of the other kinds (on-demand, reserved, spot). */
export function rentalPricePerChipHour(
  chipId: string,
  today: string,
  kind: RentalKind = "cloud-on-demand",
): PriceLookup | null {
  const order: RentalKind[] = [
    kind,
    ...(["cloud-on-demand", "cloud-reserved", "cloud-spot"] as const).filter((k) => k !== kind),
  ];
  const candidates = pricePoints().filter(
    (x) => x.appliesTo.includes(chipId) && x.value !== null && !x.doNotUse && x.unit === "USD/chip-hour",
  );
  const p = order.map((k) => candidates.filter((x) => x.kind === k).sort(newestFirst)[0]).find((x) => x !== undefined);
  if (!p || p.value === null) return null;
  return lookup(
    p,
    p.value / p.chipsPerUnit,
    today,
    `${p.item}${p.chipsPerUnit > 1 ? ` ÷ ${p.chipsPerUnit} chips` : ""}`,
  );
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
