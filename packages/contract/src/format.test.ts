import { describe, expect, test } from "vitest";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatEnergy,
  formatGb,
  formatInteger,
  formatMs,
  formatMw,
  formatNumber,
  formatPercent,
  formatPower,
  formatSignificant,
  formatUsd,
  formatValue,
} from "./format.ts";

// Expected strings are written by hand from the rules in format.ts's doc comments.
describe("one number formatter", () => {
  test("plain numbers: 4 significant digits, separators, scientific only when huge or tiny", () => {
    expect(formatNumber(0.2225)).toBe("0.2225");
    expect(formatNumber(989.4)).toBe("989.4");
    expect(formatNumber(3.35)).toBe("3.35");
    expect(formatNumber(1234.56)).toBe("1,235");
    expect(formatNumber(76_830_000)).toBe("76,830,000");
    expect(formatNumber(-12_345.6)).toBe("-12,346");
    expect(formatNumber(35)).toBe("35");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(3.14e23)).toBe("3.14e23");
    expect(formatNumber(2.8e-5)).toBe("2.80e-5");
    expect(formatNumber(null)).toBe("—");
  });
  test("counts: exact below a million, the CLI's own k/M/B/T suffixes above, scientific from 1e15", () => {
    expect(formatCount(65_536)).toBe("65,536");
    expect(formatCount(1_000_000)).toBe("1M");
    expect(formatCount(4_194_304)).toBe("4.19M");
    expect(formatCount(20e6)).toBe("20M");
    expect(formatCount(300e9)).toBe("300B");
    expect(formatCount(1.75e12)).toBe("1.75T");
    expect(formatCount(3.14e23)).toBe("3.14e23");
  });
  test("dollars: $M/$B from a million, whole dollars from $100, cents, 2 significant digits below a cent", () => {
    expect(formatUsd(2.804e-4)).toBe("$0.00028");
    expect(formatUsd(0.2849)).toBe("$0.28");
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(12_345.6)).toBe("$12,346");
    expect(formatUsd(4_600_000)).toBe("$4.6M");
    expect(formatUsd(1.234e9)).toBe("$1.23B");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(-250)).toBe("-$250");
  });
  test("percentages, durations, power and energy pick their unit by size", () => {
    expect(formatPercent(0.2225)).toBe("22.3%");
    expect(formatPercent(0.004)).toBe("0.40%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatDuration(0.00085)).toBe("850 µs");
    expect(formatDuration(0.01234)).toBe("12.3 ms");
    expect(formatDuration(4.2)).toBe("4.2 s");
    expect(formatDuration(450)).toBe("7.5 min");
    expect(formatDuration(19.2 * 3600)).toBe("19.2 h");
    expect(formatDuration(34.5 * 86_400)).toBe("34.5 days");
    expect(formatDuration(3 * 365.25 * 86_400)).toBe("3 years");
    expect(formatPower(1148)).toBe("1.15 kW");
    expect(formatPower(0.001148e6)).toBe("1.15 kW");
    expect(formatPower(42.3e6)).toBe("42.3 MW");
    expect(formatPower(700)).toBe("700 W");
    expect(formatEnergy(1_287e6)).toBe("1.29 GWh");
    expect(formatEnergy(12_400)).toBe("12.4 kWh");
  });
  test("the web app's units: …Mw and …Gb fields, bytes with SI prefixes, ms fields", () => {
    expect(formatMw(0.001148)).toBe("1.15 kW"); // not "0.001148 MW"
    expect(formatMw(12.5)).toBe("12.5 MW");
    expect(formatMw(1500)).toBe("1.5 GW");
    expect(formatMw(null)).toBe("—");
    expect(formatGb(0.5)).toBe("500 MB");
    expect(formatGb(78.8)).toBe("78.8 GB");
    expect(formatGb(1200)).toBe("1.2 TB");
    expect(formatBytes(640)).toBe("640 B");
    expect(formatMs(0.5)).toBe("500 µs");
    expect(formatMs(2_340)).toBe("2.34 s");
  });
  test("table cells of any type, and the two exact forms (significant digits, whole numbers)", () => {
    expect(formatValue(3637.588736)).toBe("3,638");
    expect(formatValue("h100-sxm")).toBe("h100-sxm");
    expect(formatValue(null)).toBe("—");
    expect(formatValue(undefined)).toBe("—");
    expect(formatValue(true)).toBe("true");
    expect(formatSignificant(12_345.6, 4)).toBe("12,350");
    expect(formatSignificant(0.000123456, 3)).toBe("0.000123");
    expect(formatInteger(1_048_576)).toBe("1,048,576");
    expect(formatInteger(2e6 + 0.4)).toBe("2,000,000");
    expect(formatInteger(-1234.5)).toBe("-1,234");
  });
});
