/**
 * `flopcast trends`: doubling time of training compute over the dated runs of ../shared/reference/training-runs.csv
 * (core fits, the catalog holds the data). `frontier` = runs that set a compute record when released; `all` = every
 * run. docs/claims.md "Trends".
 */
import { fractionalYear, trainingRuns } from "@flopcast/catalog";
import { type ComputePoint, fitDoublingTime, frontierRuns } from "@flopcast/core";
import { z } from "zod";
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
