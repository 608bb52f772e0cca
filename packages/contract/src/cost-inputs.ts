/**
 * Owned cost of one chip-hour from the catalog: the newest dated purchase price (unless given) and the site
 * inputs (electricity, PUE, hosting, useful life), each overridable. One place for fleet, compare and search.
 */
import { siteDefaults } from "@flopcast/catalog";
import { type Accelerator, type OwnedCostPerChipHour, ownedCostPerChipHour } from "@flopcast/core";

/** Assumptions of the owned-cost model not in the catalog (labelled in outputs): idle draw and maintenance. */
export const DEFAULT_IDLE_POWER_FRACTION = 0.3;
export const DEFAULT_MAINTENANCE_FRACTION_PER_YEAR = 0.05;

export interface OwnedCostOverrides {
  readonly usdPerKwh?: number | undefined;
  readonly pue?: number | undefined;
  readonly idlePowerFraction?: number | undefined;
  readonly maintenanceFractionPerYear?: number | undefined;
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
