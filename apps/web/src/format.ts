/** Human formatting for the page: thousands separators, $ with sensible precision, durations picked by size. */

const sig = (x: number, digits: number) => x.toLocaleString("en-US", { maximumSignificantDigits: digits });

/** A plain number: up to 4 significant digits with separators; SI-style words for very large counts. */
export function fmt(x: unknown): string {
  if (typeof x !== "number") return x === null || x === undefined ? "—" : String(x);
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "—";
  const a = Math.abs(x);
  if (a >= 1e15) return x.toExponential(2).replace("e+", "e");
  if (a !== 0 && a < 1e-3) return x.toExponential(2);
  return sig(x, 4);
}

/** A large count in words: 1.2 million, 3.4 billion; smaller counts as {@link fmt}. */
export function fmtCount(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a >= 1e12) return `${sig(x / 1e12, 3)} trillion`;
  if (a >= 1e9) return `${sig(x / 1e9, 3)} billion`;
  if (a >= 1e6) return `${sig(x / 1e6, 3)} million`;
  return fmt(x);
}

/** US dollars: $1.23 below $10, whole dollars up to $100k, then $1.2M / $3.4B. */
export function fmtUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a === 0) return "$0";
  const sign = x < 0 ? "−" : "";
  if (a >= 1e9) return `${sign}$${sig(a / 1e9, 3)}B`;
  if (a >= 1e6) return `${sign}$${sig(a / 1e6, 3)}M`;
  if (a >= 1e5) return `${sign}$${sig(a / 1e3, 3)}k`;
  if (a >= 10) return `${sign}$${Math.round(a).toLocaleString("en-US")}`;
  if (a >= 0.01) return `${sign}$${a.toFixed(2)}`;
  return `${sign}$${a.toPrecision(2)}`;
}

/** A duration given in seconds: µs/ms/s/min/h/days picked by size. */
export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "—";
  const a = Math.abs(s);
  if (a >= 2 * 86400) return `${sig(s / 86400, 3)} days`;
  if (a >= 2 * 3600) return `${sig(s / 3600, 3)} h`;
  if (a >= 120) return `${sig(s / 60, 3)} min`;
  if (a >= 1) return `${sig(s, 3)} s`;
  if (a >= 1e-3) return `${sig(s * 1e3, 3)} ms`;
  return `${sig(s * 1e6, 3)} µs`;
}

/** A duration given in milliseconds. */
export const fmtMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "—" : fmtSeconds(ms / 1e3);

/** A fraction as a percentage: 0.2225 → "22.3%". */
export function fmtPct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${(x * 100).toFixed(digits)}%`;
}

/** Power given in MW: kW below 1 MW, GW above 1000 MW. */
export function fmtPowerMw(mw: number | null | undefined): string {
  if (mw === null || mw === undefined || !Number.isFinite(mw)) return "—";
  if (mw >= 1000) return `${sig(mw / 1000, 3)} GW`;
  if (mw >= 1) return `${sig(mw, 3)} MW`;
  return `${sig(mw * 1000, 3)} kW`;
}

/** Bytes given in GB (1e9): "812 MB", "80 GB", "1.2 TB". */
export function fmtGb(gb: number | null | undefined): string {
  if (gb === null || gb === undefined || !Number.isFinite(gb)) return "—";
  if (gb >= 1000) return `${sig(gb / 1000, 3)} TB`;
  if (gb >= 1) return `${sig(gb, 3)} GB`;
  return `${sig(gb * 1000, 3)} MB`;
}
