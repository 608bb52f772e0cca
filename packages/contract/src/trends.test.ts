import { describe, expect, test } from "vitest";
import {
  formatConfidence,
  formatDoublingInterval,
  formatDoublingRange,
  formatDoublingTime,
  formatGrowthPerYear,
  formatMonths,
  formatRSquared,
} from "./trends.ts";

// Expected strings are written by hand: two significant digits for the doubling time, its interval and the growth.
describe("doubling time for people", () => {
  const frontier = { doublingMonths: 5.499, doublingMonthsLow: 3.767, doublingMonthsHigh: 10.18, confidence: 0.95 };

  test("headline with its interval, two significant digits", () => {
    expect(formatDoublingTime(frontier)).toBe("5.5 months (95% CI 3.8–10)");
    expect(formatDoublingInterval(frontier)).toBe("95% CI 3.8–10");
    expect(formatDoublingRange(frontier)).toBe("3.8–10");
    expect(
      formatDoublingTime({
        doublingMonths: 8.079,
        doublingMonthsLow: 6.006,
        doublingMonthsHigh: 12.34,
        confidence: 0.9,
      }),
    ).toBe("8.1 months (90% CI 6–12)");
    expect(formatMonths(23.6)).toBe("24");
    expect(formatMonths(0.456)).toBe("0.46");
  });

  test("an interval without a slow end, no fit, odd levels", () => {
    expect(formatDoublingTime({ ...frontier, doublingMonthsHigh: null })).toBe("5.5 months (95% CI 3.8–∞)");
    expect(formatDoublingTime({ ...frontier, doublingMonths: null })).toBe("no fit");
    expect(formatConfidence(0.995)).toBe("99.5%");
    expect(formatConfidence(0.07)).toBe("7%");
    expect(formatGrowthPerYear(4.538)).toBe("×4.5");
    expect(formatGrowthPerYear(null)).toBe("—");
    expect(formatRSquared(0.3472)).toBe("0.35");
  });
});
