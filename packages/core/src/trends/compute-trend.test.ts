import { describe, expect, test } from "vitest";
import { fitDoublingTime, fittedLog2Flop, frontierRuns, normalQuantile, studentTQuantile } from "./compute-trend.ts";

const pt = (year: number, flop: number, id = String(year)) => ({ id, year, flop });

describe("studentTQuantile(p, df) against t tables", () => {
  test.each([
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [5, 2.571],
    [10, 2.228],
    [30, 2.042],
  ])("df %i: t(0.975) = %f", (df, t) => expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 2));
  test("normalQuantile(0.975) = 1.95996", () => expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5));
});

describe("fitDoublingTime(points)", () => {
  test("compute that doubles every 6 months exactly: 6.000 months, zero-width interval", () => {
    const f = fitDoublingTime([pt(2020, 1e20), pt(2020.5, 2e20), pt(2021, 4e20), pt(2022, 16e20)]);
    expect(f?.doublingMonths).toBeCloseTo(6, 9);
    expect(f?.doublingMonthsLow).toBeCloseTo(6, 6);
    expect(f?.doublingMonthsHigh).toBeCloseTo(6, 6);
    expect(f?.growthPerYear).toBeCloseTo(4, 9);
  });
  test("hand-worked 3 points log2 = 0, 2, 3 at years 0, 1, 2: slope 1.5/yr → 8 months; se 0.2887, t(1) 12.706", () => {
    const f = fitDoublingTime([pt(0, 1), pt(1, 4), pt(2, 8)]);
    expect(f?.doublingsPerYear).toBeCloseTo(1.5, 9);
    expect(f?.doublingMonths).toBeCloseTo(8, 9);
    expect(f?.doublingsPerYearStdError).toBeCloseTo(Math.sqrt(1 / 12), 9);
    // fast end: 12 / (1.5 + 12.706 × 0.2887) = 2.322 months; the slow end's slope interval reaches 0 → unbounded.
    expect(f?.doublingMonthsLow).toBeCloseTo(12 / (1.5 + 12.7062 * Math.sqrt(1 / 12)), 2);
    expect(f?.doublingMonthsHigh).toBeNull();
  });
  test("the hand-worked line: centre (1, 5/3), log2 at year 3 = 5/3 + 1.5·2 = 4.667, band from the slope ends", () => {
    const f = fitDoublingTime([pt(0, 1), pt(1, 4), pt(2, 8)]);
    if (!f) throw new Error("no fit");
    expect(f.meanYear).toBeCloseTo(1, 12);
    expect(f.meanLog2Flop).toBeCloseTo(5 / 3, 12);
    const at3 = fittedLog2Flop(f, 3);
    expect(at3.mid).toBeCloseTo(5 / 3 + 3, 9);
    // Slope ends 1.5 ± 12.706 × 0.2887 = −2.168 and 5.168 doublings/yr, two years from the centre.
    expect(at3.low).toBeCloseTo(5 / 3 + 2 * (1.5 - 12.7062 * Math.sqrt(1 / 12)), 2);
    expect(at3.high).toBeCloseTo(5 / 3 + 2 * (1.5 + 12.7062 * Math.sqrt(1 / 12)), 2);
    // At the centre the band has zero width: the interval is the slope's.
    const at1 = fittedLog2Flop(f, 1);
    expect(at1.high - at1.low).toBeCloseTo(0, 12);
  });
  test("fewer than 3 points: null", () => expect(fitDoublingTime([pt(0, 1), pt(1, 2)])).toBeNull());
});

describe("frontierRuns(points)", () => {
  test("keeps only runs that beat every earlier run", () => {
    const ids = frontierRuns([pt(2020, 10, "a"), pt(2021, 5, "b"), pt(2021.5, 20, "c"), pt(2022, 20, "d")]).map(
      (p) => p.id,
    );
    expect(ids).toEqual(["a", "c"]);
  });
});
