/**
 * Growth of training compute over time (docs/claims.md "Trends"): an ordinary least-squares line through
 * log2(FLOP) against the date, so the slope is doublings per year and the doubling time is 12 ÷ slope months; the
 * confidence interval comes from the slope's standard error and Student's t with n − 2 degrees of freedom.
 */

/** One training run: its date as a fractional year (2020.37 = mid-May 2020) and its training compute. */
export interface ComputePoint {
  readonly id: string;
  readonly year: number;
  readonly flop: number;
}

export interface DoublingFit {
  readonly points: number;
  readonly fromYear: number;
  readonly toYear: number;
  /** log2(FLOP) per year. */
  readonly doublingsPerYear: number;
  readonly doublingsPerYearStdError: number;
  readonly doublingMonths: number;
  /** Interval ends of the doubling time at `confidence`; high is null when the slope's interval reaches zero. */
  readonly doublingMonthsLow: number;
  readonly doublingMonthsHigh: number | null;
  /** Growth factor per year (2^slope). */
  readonly growthPerYear: number;
  readonly confidence: number;
  readonly rSquared: number;
  /** The fitted line passes through (meanYear, meanLog2Flop): log2(FLOP) = meanLog2Flop + slope · (year − meanYear). */
  readonly meanYear: number;
  readonly meanLog2Flop: number;
  /** Slope interval ends (doublings per year) at `confidence`: the doubling-time interval as slopes. */
  readonly doublingsPerYearLow: number;
  readonly doublingsPerYearHigh: number;
}

/** Runs that set a new compute record when they appeared (ties and smaller runs dropped), in date order. */
export function frontierRuns(points: readonly ComputePoint[]): ComputePoint[] {
  const sorted = [...points].sort((a, b) => a.year - b.year || b.flop - a.flop);
  const out: ComputePoint[] = [];
  let best = 0;
  for (const p of sorted) {
    if (p.flop > best) {
      out.push(p);
      best = p.flop;
    }
  }
  return out;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const [a1, a2, a3, a4, a5, a6] = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const [b1, b2, b3, b4, b5] = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const [c1, c2, c3, c4, c5, c6] = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const [d1, d2, d3, d4] = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = 0.02425;
  if (p < tail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  if (p > 1 - tail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) /
    (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1)
  );
}

/**
 * Student's t quantile: exact for 1 and 2 degrees of freedom, else the Cornish–Fisher expansion in 1/ν
 * (Abramowitz & Stegun 26.7.5), within 1e-3 of tables from ν = 3.
 */
export function studentTQuantile(p: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p)));
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

/**
 * log2 of the fitted training compute at `year` (the OLS line), and the ends of the slope interval pivoting at the
 * runs' centre: the band a plot shades for the doubling time's interval.
 */
export function fittedLog2Flop(fit: DoublingFit, year: number): { mid: number; low: number; high: number } {
  const dx = year - fit.meanYear;
  const a = fit.meanLog2Flop + fit.doublingsPerYearLow * dx;
  const b = fit.meanLog2Flop + fit.doublingsPerYearHigh * dx;
  return { mid: fit.meanLog2Flop + fit.doublingsPerYear * dx, low: Math.min(a, b), high: Math.max(a, b) };
}

/** OLS fit of log2(FLOP) on year; null with fewer than 3 points or no spread in time. */
export function fitDoublingTime(points: readonly ComputePoint[], confidence = 0.95): DoublingFit | null {
  const n = points.length;
  if (n < 3) return null;
  const xs = points.map((p) => p.year);
  const ys = points.map((p) => Math.log2(p.flop));
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const ssr = syy - slope * sxy;
  const se = Math.sqrt(Math.max(0, ssr) / (n - 2) / sxx);
  const t = studentTQuantile(0.5 + confidence / 2, n - 2);
  const fast = slope + t * se;
  const slow = slope - t * se;
  return {
    points: n,
    fromYear: Math.min(...xs),
    toYear: Math.max(...xs),
    doublingsPerYear: slope,
    doublingsPerYearStdError: se,
    doublingMonths: 12 / slope,
    doublingMonthsLow: 12 / fast,
    doublingMonthsHigh: slow > 0 ? 12 / slow : null,
    growthPerYear: 2 ** slope,
    confidence,
    rSquared: syy === 0 ? 1 : (slope * sxy) / syy,
    meanYear: mx,
    meanLog2Flop: my,
    doublingsPerYearLow: slow,
    doublingsPerYearHigh: fast,
  };
}
