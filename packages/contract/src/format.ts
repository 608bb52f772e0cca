/**
 * The one number formatter for people, shared by the CLI's text reports and the web app (which runs it in the
 * browser: no Node API here): thousands separators, dollars with sensible precision, percentages, durations,
 * powers and byte sizes in the unit that suits their size, and the same k/M/B/T suffixes for large counts that
 * the command line accepts (`--tokens 300B` prints as "300B").
 * Machine outputs (JSON, CSV) never go through here: they carry raw numbers in the unit their name states.
 * No Intl/toLocaleString: ICU start-up costs tens of milliseconds per CLI call, and the output must not
 * depend on the machine's locale.
 */

const DASH = "—";

const missing = (x: number | null | undefined): x is null | undefined => x === null || x === undefined;

/** Inserts thousands separators into the integer part of a plain decimal string ("1234567.5" → "1,234,567.5"). */
function group(decimal: string): string {
  const neg = decimal.startsWith("-");
  const body = neg ? decimal.slice(1) : decimal;
  const [int = "", frac] = body.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${grouped}${frac !== undefined ? `.${frac}` : ""}`;
}

/** `digits` significant digits as a plain decimal without trailing zeros (never exponent form below 1e21). */
function significant(x: number, digits: number): string {
  const s = Number(x.toPrecision(digits));
  if (Number.isInteger(s)) return String(s);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(s))));
  return s.toFixed(Math.min(decimals, 20)).replace(/\.?0+$/, "");
}

/** `digits` significant digits with thousands separators, never in exponent form: 12,350 or 0.0001234. */
export const formatSignificant = (x: number, digits: number): string =>
  Number.isFinite(x) ? group(significant(x, digits)) : formatNumber(x);

/** A whole number with thousands separators (rounded), never in exponent form: 1,048,576. */
export const formatInteger = (x: number): string =>
  Number.isFinite(x) ? group(Math.round(x).toFixed(0)) : formatNumber(x);

/** Scientific notation with `digits` significant digits: 3.14e23. */
const scientific = (x: number, digits: number) => x.toExponential(digits - 1).replace("e+", "e");

/** A table cell of any type: numbers as {@link formatNumber}, a dash for null/undefined, anything else as text. */
export function formatValue(x: unknown): string {
  if (typeof x === "number") return formatNumber(x);
  return x === null || x === undefined ? DASH : String(x);
}

/** A plain quantity: 4 significant digits, thousands separators, scientific only when huge or tiny. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (missing(x)) return DASH;
  if (!Number.isFinite(x)) return x > 0 ? "∞" : x < 0 ? "-∞" : "NaN";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e15 || abs < 1e-4) return scientific(x, Math.min(digits, 3));
  if (abs >= 10 ** digits) return group(String(Math.round(x)));
  return group(significant(x, digits));
}

const COUNT_SUFFIXES: readonly (readonly [number, string])[] = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
];

/**
 * A count (tokens, requests, parameters, chips, batch): exact with separators below a million ("65,536"),
 * then 3-4 significant digits with the suffix the command line accepts ("1.5M", "300B", "1.75T"), and
 * scientific from 1e15 (FLOPs: "3.14e23").
 */
export function formatCount(x: number | null | undefined): string {
  if (missing(x)) return DASH;
  if (!Number.isFinite(x)) return formatNumber(x);
  const abs = Math.abs(x);
  if (abs >= 1e15) return scientific(x, 3);
  for (const [scale, suffix] of COUNT_SUFFIXES) if (abs >= scale) return `${significant(x / scale, 3)}${suffix}`;
  return Number.isInteger(x) ? group(String(x)) : formatNumber(x);
}

/**
 * Dollars: "$4.6M", "$1.23B" from a million; whole dollars with separators from $100 ("$12,345");
 * cents below ("$12.34", "$0.28"); 2 significant digits below a cent ("$0.00028").
 */
export function formatUsd(x: number | null | undefined): string {
  if (missing(x)) return DASH;
  if (!Number.isFinite(x)) return formatNumber(x);
  const sign = x < 0 ? "-" : "";
  const abs = Math.abs(x);
  if (abs >= 1e12) return `${sign}$${significant(abs / 1e12, 3)}T`;
  if (abs >= 1e9) return `${sign}$${significant(abs / 1e9, 3)}B`;
  if (abs >= 1e6) return `${sign}$${significant(abs / 1e6, 3)}M`;
  if (abs >= 100) return `${sign}$${group(String(Math.round(abs)))}`;
  if (abs >= 0.01 || abs === 0) return `${sign}$${abs.toFixed(2)}`;
  return `${sign}$${significant(abs, 2)}`;
}

/** A ratio as a percentage: 0.2225 → "22.3%" (one decimal, two below 1%). */
export function formatPercent(ratio: number | null | undefined): string {
  if (missing(ratio)) return DASH;
  if (!Number.isFinite(ratio)) return formatNumber(ratio);
  const pct = ratio * 100;
  const abs = Math.abs(pct);
  return `${abs !== 0 && abs < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

const YEAR_S = 365.25 * 86_400;
/** [shown from, seconds per unit, unit]: days from 2 days, years from 2 years (a "1.2 days" reads worse than "29 h"). */
const DURATION_UNITS: readonly (readonly [number, number, string])[] = [
  [2 * YEAR_S, YEAR_S, "years"],
  [2 * 86_400, 86_400, "days"],
  [3_600, 3_600, "h"],
  [60, 60, "min"],
  [1, 1, "s"],
  [1e-3, 1e-3, "ms"],
  [1e-6, 1e-6, "µs"],
];

/** A duration in seconds, in the unit that suits it: "850 µs", "12.3 ms", "4.2 s", "7.5 min", "19.2 h", "34.5 days". */
export function formatDuration(seconds: number | null | undefined): string {
  if (missing(seconds)) return DASH;
  if (!Number.isFinite(seconds)) return formatNumber(seconds);
  if (seconds === 0) return "0 s";
  const abs = Math.abs(seconds);
  const [, scale, unit] = DURATION_UNITS.find(([from]) => abs >= from) ?? [0, 1e-9, "ns"];
  return `${formatNumber(seconds / scale, 3)} ${unit}`;
}

/** A duration in milliseconds (the unit of `…Ms` fields), shown like formatDuration. */
export const formatMs = (ms: number | null | undefined): string => formatDuration(missing(ms) ? ms : ms / 1e3);

function withPrefix(x: number | null | undefined, unit: string): string {
  if (missing(x)) return DASH;
  if (!Number.isFinite(x)) return formatNumber(x);
  if (x === 0) return `0 ${unit}`;
  const abs = Math.abs(x);
  const [scale, prefix] = (
    [
      [1e12, "T"],
      [1e9, "G"],
      [1e6, "M"],
      [1e3, "k"],
      [1, ""],
    ] as const
  ).find(([s]) => abs >= s) ?? [1, ""];
  return `${formatNumber(x / scale, 3)} ${prefix}${unit}`;
}

/** Power in watts: "700 W", "1.15 kW", "42.3 MW". */
export const formatPower = (watts: number | null | undefined): string => withPrefix(watts, "W");

/** Power in megawatts (the unit of `…Mw` fields), shown like formatPower: 0.001148 → "1.15 kW". */
export const formatMw = (mw: number | null | undefined): string => formatPower(missing(mw) ? mw : mw * 1e6);

/** A size in bytes, SI prefixes (1 GB = 1e9 B, as the datasheets state memory): "812 MB", "80 GB", "1.2 TB". */
export const formatBytes = (bytes: number | null | undefined): string => withPrefix(bytes, "B");

/** A size in gigabytes (the unit of `…Gb` fields), shown like formatBytes: 0.5 → "500 MB". */
export const formatGb = (gb: number | null | undefined): string => formatBytes(missing(gb) ? gb : gb * 1e9);

/** Energy in watt-hours: "830 Wh", "12.4 kWh", "1,287 MWh" (megawatt-hours stay MWh up to a GWh). */
export const formatEnergy = (wattHours: number | null | undefined): string => withPrefix(wattHours, "Wh");
