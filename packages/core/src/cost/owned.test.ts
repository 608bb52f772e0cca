import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { energyMwh, type OwnedCostInput, ownedCostPerChipHour, rentalCostUsd, usdPerMillionTokens } from "./owned.ts";

const h100: OwnedCostInput = {
  capexPerChipUsd: 35_000,
  depreciationYears: 5,
  tdpW: 700,
  utilisation: 1,
  idlePowerFraction: 0.3,
  pue: 1.2,
  usdPerKwh: 0.08,
  hostingUsdPerKwMonth: 180,
  maintenanceFractionPerYear: 0.05,
};

describe("ownedCostPerChipHour (hand-computed)", () => {
  test("H100 at $35k over 5 years, 700 W, PUE 1.2, 8 c/kWh, $180/kW-month, 5%/yr maintenance", () => {
    const c = ownedCostPerChipHour(h100);
    expect(c.capexUsd).toBeCloseTo(35_000 / 43_800, 9); // 0.799 $/h
    expect(c.energyUsd).toBeCloseTo(0.7 * 1.2 * 0.08, 9); // 0.0672 $/h
    expect(c.hostingUsd).toBeCloseTo((0.7 * 180) / 730, 9); // 0.1726 $/h
    expect(c.maintenanceUsd).toBeCloseTo((35_000 * 0.05) / 8760, 9);
    expect(c.facilityPowerW).toBeCloseTo(840, 9);
  });
  test("energyMwh: 10,000 chips × 330 W × 1.1 PUE × 14.8 days ≈ 1,289 MWh (Patterson et al. 2021: 1,287)", () => {
    expect(energyMwh(10_000, 330 * 1.1, 14.8 * 24)).toBeCloseTo(1289.4, 0);
  });
  test("usdPerMillionTokens: $98/h at 10,000 tokens/s = $2.72 per 1M", () => {
    expect(usdPerMillionTokens(98, 10_000)).toBeCloseTo(2.7222, 3);
  });
});

describe("cost properties", () => {
  test.prop([
    fc.double({ min: 0.1, max: 100, noNaN: true }),
    fc.double({ min: 1, max: 1e5, noNaN: true }),
    fc.integer({ min: 1, max: 1e5 }),
  ])(
    "rental cost is monotone in price, hours and chips",
    (price, hours, chips) =>
      rentalCostUsd(price * 1.5, hours, chips) > rentalCostUsd(price, hours, chips) &&
      rentalCostUsd(price, hours * 2, chips) > rentalCostUsd(price, hours, chips) &&
      rentalCostUsd(price, hours, chips + 1) > rentalCostUsd(price, hours, chips),
  );
  const frac = fc.double({ min: 0, max: 1, noNaN: true });
  test.prop([fc.double({ min: 1000, max: 1e5, noNaN: true }), fc.double({ min: 1.01, max: 3, noNaN: true })])(
    "monotone in price",
    (price, k) => {
      return (
        ownedCostPerChipHour({ ...h100, capexPerChipUsd: price * k }).totalUsd >
        ownedCostPerChipHour({ ...h100, capexPerChipUsd: price }).totalUsd
      );
    },
  );
  test.prop([frac, frac])("more utilisation never costs less per hour", (a, b) => {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    return (
      ownedCostPerChipHour({ ...h100, utilisation: hi }).totalUsd >=
      ownedCostPerChipHour({ ...h100, utilisation: lo }).totalUsd
    );
  });
  test.prop([
    fc.integer({ min: 1, max: 1e5 }),
    fc.double({ min: 1, max: 2000, noNaN: true }),
    fc.double({ min: 0.1, max: 1e4, noNaN: true }),
  ])("energy is linear in time at constant power", (chips, w, h) => {
    return Math.abs(energyMwh(chips, w, 2 * h) / energyMwh(chips, w, h) - 2) < 1e-9;
  });
});
