/**
 * `flopcast trends`: doubling time of training compute over the dated runs of ../shared/reference/training-runs.csv
 * (core fits, the catalog holds the data). `frontier` = runs that set a compute record when released; `all` = every
 * run. docs/claims.md "Trends".
 */
import { fractionalYear, trainingRuns } from "@flopcast/catalog";
import { type ComputePoint, fitDoublingTime, frontierRuns } from "@flopcast/core";
import { z } from "zod";
import { formatSignificant } from "./format.ts";
import { roundTo } from "./numbers.ts";

export const TrendsScenario = z
  .object({
    subset: z.enum(["frontier", "all"]).default("frontier"),
    fromYear: z.coerce.number().int().min(2000).max(2100).default(2010),
    toYear: z.coerce.number().int().min(2000).max(2100).default(2100),
    /** Leave out third-party estimates of undisclosed runs (Epoch AI rows). */
    excludeEstimates: z.boolean().default(false),
    confidence: z.coerce.number().gt(0).lt(1).default(0.95),
  })
  .strict();
export type TrendsScenario = z.infer<typeof TrendsScenario>;

export function computeTrend(s: TrendsScenario) {
  const runs = trainingRuns().filter((r) => {
    const y = Number(r.released.slice(0, 4));
    return y >= s.fromYear && y <= s.toYear && !(s.excludeEstimates && r.estimate);
  });
  const points: ComputePoint[] = runs.map((r) => ({ id: r.id, year: fractionalYear(r.released), flop: r.flop }));
  const used = s.subset === "frontier" ? frontierRuns(points) : points;
  const fit = fitDoublingTime(used, s.confidence);
  const byId = new Map(runs.map((r) => [r.id, r]));
  return {
    subset: s.subset,
    fromYear: s.fromYear,
    toYear: s.toYear,
    excludeEstimates: s.excludeEstimates,
    method: "OLS of log2(training FLOP) on release date; doubling = 12 ÷ slope months; interval from Student's t",
    points: used.length,
    doublingMonths: roundTo(fit?.doublingMonths ?? null, 4),
    doublingMonthsLow: roundTo(fit?.doublingMonthsLow ?? null, 4),
    doublingMonthsHigh: roundTo(fit?.doublingMonthsHigh ?? null, 4),
    growthPerYear: roundTo(fit?.growthPerYear ?? null, 4),
    confidence: s.confidence,
    rSquared: roundTo(fit?.rSquared ?? null, 4),
    /** The fitted line: log2(FLOP) = meanLog2Flop + doublingsPerYear · (year − meanYear); the slope interval ends. */
    line: fit
      ? {
          meanYear: roundTo(fit.meanYear, 10),
          meanLog2Flop: roundTo(fit.meanLog2Flop, 10),
          doublingsPerYear: roundTo(fit.doublingsPerYear, 6),
          doublingsPerYearLow: roundTo(fit.doublingsPerYearLow, 6),
          doublingsPerYearHigh: roundTo(fit.doublingsPerYearHigh, 6),
        }
      : null,
    reason: fit ? undefined : "too-few-runs: a fit needs 3 runs in the range",
    runs: used.map((p) => {
      const r = byId.get(p.id);
      return {
        id: p.id,
        model: r?.model,
        released: r?.released,
        year: roundTo(p.year, 10),
        flop: p.flop,
        estimate: r?.estimate ?? false,
      };
    }),
    source: "../shared/reference/training-runs.csv via scripts/import-training-runs.ts",
  };
}

/**
 * Significant digits of the doubling time, its interval and the growth per year in reports: the 95% interval of a
 * fit on a handful of runs spans about a factor of two, so a third digit would be noise. JSON keeps the fit's digits.
 */
const TREND_DIGITS = 2;

type TrendFigures = Pick<
  ReturnType<typeof computeTrend>,
  "doublingMonths" | "doublingMonthsLow" | "doublingMonthsHigh" | "confidence"
>;

/** Months of a doubling time in reports: 5.4987 → "5.5", 10.18 → "10"; a dash when there is no fit. */
export const formatMonths = (months: number | null): string =>
  months === null ? "—" : formatSignificant(months, TREND_DIGITS);

/** The interval level: 0.95 → "95%", 0.995 → "99.5%". */
export const formatConfidence = (confidence: number): string => `${formatSignificant(confidence * 100, 3)}%`;

/** The ends of a doubling time's interval: "3.8–10"; a slope interval that reaches zero (no growth) has no slow end: "3.8–∞". */
export const formatDoublingRange = (t: TrendFigures): string =>
  `${formatMonths(t.doublingMonthsLow)}–${t.doublingMonthsHigh === null ? "∞" : formatMonths(t.doublingMonthsHigh)}`;

/** The interval of a doubling time with its level: "95% CI 3.8–10". */
export const formatDoublingInterval = (t: TrendFigures): string =>
  `${formatConfidence(t.confidence)} CI ${formatDoublingRange(t)}`;

/** A trend's doubling time for people (CLI text, web): "5.5 months (95% CI 3.8–10)", or "no fit". */
export const formatDoublingTime = (t: TrendFigures): string =>
  t.doublingMonths === null ? "no fit" : `${formatMonths(t.doublingMonths)} months (${formatDoublingInterval(t)})`;

/** Growth of training compute per year for people: 4.538 → "×4.5". */
export const formatGrowthPerYear = (growth: number | null): string =>
  growth === null ? "—" : `×${formatSignificant(growth, TREND_DIGITS)}`;

/** R² of a fit for people: 0.862 → "0.86". */
export const formatRSquared = (r2: number | null): string => (r2 === null ? "—" : formatSignificant(r2, TREND_DIGITS));
