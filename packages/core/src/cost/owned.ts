import { DAYS_PER_YEAR, JOULES_PER_KWH, SECONDS_PER_HOUR } from "../units/index.ts";

const HOURS_PER_YEAR = DAYS_PER_YEAR * 24;
/** Hours in an average month (8,760 / 12). */
const HOURS_PER_MONTH = HOURS_PER_YEAR / 12;

/** Inputs of the owned-hardware cost of one chip-hour (docs/model.md §5.1). Every field is labelled in outputs. */
export interface OwnedCostInput {
  /** Chip + its share of the server and the network, in USD. */
  readonly capexPerChipUsd: number;
  readonly depreciationYears: number;
  /** Chip TDP (or measured board power), W. */
  readonly tdpW: number;
  /** Fraction of the time the chip is busy (from the load, not typed in). */
  readonly utilisation: number;
  /** Draw when idle as a fraction of TDP. */
  readonly idlePowerFraction: number;
  readonly pue: number;
  readonly usdPerKwh: number;
  /** Colocation/hosting price per kW of IT power provisioned (TDP) per month. */
  readonly hostingUsdPerKwMonth: number;
  /** Maintenance and staff per year, as a fraction of capex. */
  readonly maintenanceFractionPerYear: number;
}

export interface OwnedCostPerChipHour {
  readonly capexUsd: number;
  readonly energyUsd: number;
  readonly hostingUsd: number;
  readonly maintenanceUsd: number;
  readonly totalUsd: number;
  /** Facility power per chip at this utilisation (IT draw × PUE), W. */
  readonly facilityPowerW: number;
}

/**
 * Owned cost of one chip-hour: straight-line depreciation capex ÷ (years·8,760 h) + energy
 * (TDP·(idle + (1 − idle)·utilisation)·PUE·$/kWh) + hosting ($/kW-month × TDP ÷ 730 h) + maintenance.
 */
export function ownedCostPerChipHour(i: OwnedCostInput): OwnedCostPerChipHour {
  const drawW = i.tdpW * (i.idlePowerFraction + (1 - i.idlePowerFraction) * i.utilisation);
  const facilityPowerW = drawW * i.pue;
  const capexUsd = i.capexPerChipUsd / (i.depreciationYears * HOURS_PER_YEAR);
  const energyUsd = ((facilityPowerW * SECONDS_PER_HOUR) / JOULES_PER_KWH) * i.usdPerKwh;
  const hostingUsd = ((i.tdpW / 1000) * i.hostingUsdPerKwMonth) / HOURS_PER_MONTH;
  const maintenanceUsd = (i.capexPerChipUsd * i.maintenanceFractionPerYear) / HOURS_PER_YEAR;
  return {
    capexUsd,
    energyUsd,
    hostingUsd,
    maintenanceUsd,
    totalUsd: capexUsd + energyUsd + hostingUsd + maintenanceUsd,
    facilityPowerW,
  };
}

/** Energy in MWh for `chips` drawing `facilityPowerW` each for `hours`. */
export const energyMwh = (chips: number, facilityPowerW: number, hours: number): number =>
  (chips * facilityPowerW * hours) / 1e6;

/** $ per million output tokens from a fleet's $/hour and its output tokens per second. */
export const usdPerMillionTokens = (usdPerHour: number, tokensPerS: number): number =>
  (usdPerHour / (tokensPerS * SECONDS_PER_HOUR)) * 1e6;

/** Rented cost: $/chip-hour × hours × chips. */
export const rentalCostUsd = (usdPerChipHour: number, hours: number, chips: number): number =>
  usdPerChipHour * hours * chips;
