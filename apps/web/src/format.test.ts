import { describe, expect, test } from "vitest";
import { fmt, fmtCount, fmtGb, fmtMs, fmtPct, fmtPowerMw, fmtSeconds, fmtUsd } from "./format.ts";

describe("format", () => {
  test("fmt(x) keeps 4 significant digits with separators, and never prints a blank", () => {
    expect(fmt(3637.588736)).toBe("3,638");
    expect(fmt(0.2225)).toBe("0.2225");
    expect(fmt(null)).toBe("—");
    expect(fmt(Number.NaN)).toBe("—");
  });
  test("fmtUsd(x) picks precision by size", () => {
    expect(fmtUsd(0)).toBe("$0");
    expect(fmtUsd(2.804e-4)).toBe("$0.00028");
    expect(fmtUsd(0.19)).toBe("$0.19");
    expect(fmtUsd(99.4)).toBe("$99");
    expect(fmtUsd(121_600)).toBe("$122k");
    expect(fmtUsd(1_110_000)).toBe("$1.11M");
    expect(fmtUsd(48e9)).toBe("$48B");
  });
  test("fmtSeconds(s) and fmtMs(ms) pick µs/ms/s/min/h/days by size", () => {
    expect(fmtSeconds(2.34e-3)).toBe("2.34 ms");
    expect(fmtSeconds(30.3)).toBe("30.3 s");
    expect(fmtSeconds(300)).toBe("5 min");
    expect(fmtSeconds(25.11 * 86400)).toBe("25.1 days");
    expect(fmtMs(0.5)).toBe("500 µs");
  });
  test("fmtPowerMw(mw) says kW below a megawatt (not 0.001148 MW)", () => {
    expect(fmtPowerMw(0.001148)).toBe("1.15 kW");
    expect(fmtPowerMw(12.5)).toBe("12.5 MW");
    expect(fmtPowerMw(1500)).toBe("1.5 GW");
  });
  test("fmtPct, fmtGb and fmtCount", () => {
    expect(fmtPct(0.2225)).toBe("22.3%");
    expect(fmtGb(0.5)).toBe("500 MB");
    expect(fmtGb(78.8)).toBe("78.8 GB");
    expect(fmtCount(1e6)).toBe("1 million");
    expect(fmtCount(1.5e12)).toBe("1.5 trillion");
  });
});
