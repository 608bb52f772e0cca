/**
 * Trends: training compute of the dated runs over time on a log axis, with the frontier and all-runs OLS fits and
 * the doubling time's interval as a band (`flopcast trends`; docs/claims.md "Trends").
 */
import {
  computeTrend,
  formatConfidence,
  formatDoublingInterval,
  formatDoublingRange,
  formatDoublingTime,
  formatGrowthPerYear,
  formatMonths,
  formatRSquared,
  formatValue,
  TrendsScenario,
} from "@flopcast/contract";
import { html } from "htm/preact";
import { useMemo } from "preact/hooks";
import { PlotFigure } from "../charts/plot-figure.ts";
import { type TrendLine, type TrendRun, trendsSpec } from "../charts/specs.ts";
import { Headline, Table } from "../components.ts";

type Trend = ReturnType<typeof computeTrend>;

function line(name: string, t: Trend): TrendLine[] {
  const l = t.line;
  const years = t.runs.map((r) => r.year ?? Number.NaN);
  if (!l || l.meanYear === null || l.meanLog2Flop === null || l.doublingsPerYear === null) return [];
  return [
    {
      name: `${name}: doubles every ${formatDoublingTime(t)}`,
      meanYear: l.meanYear,
      meanLog2Flop: l.meanLog2Flop,
      doublingsPerYear: l.doublingsPerYear,
      doublingsPerYearLow: l.doublingsPerYearLow ?? l.doublingsPerYear,
      doublingsPerYearHigh: l.doublingsPerYearHigh ?? l.doublingsPerYear,
      fromYear: Math.min(...years),
      toYear: Math.max(...years),
    },
  ];
}

export function TrendsView() {
  const { frontier, all } = useMemo(
    () => ({
      frontier: computeTrend(TrendsScenario.parse({ subset: "frontier" })),
      all: computeTrend(TrendsScenario.parse({ subset: "all" })),
    }),
    [],
  );
  const onFrontier = new Set(frontier.runs.map((r) => r.id));
  const runs: TrendRun[] = all.runs.map((r) => ({
    year: r.year ?? Number.NaN,
    flop: r.flop,
    group: onFrontier.has(r.id) ? "frontier run (set a compute record)" : "other run",
    title: `${r.model}\nreleased ${r.released}\n${formatValue(r.flop)} FLOP${r.estimate ? "\nthird-party estimate (Epoch AI)" : ""}`,
  }));
  const level = formatConfidence(frontier.confidence);
  return html`
    <${Headline} testid="trends-headline" label="Frontier training compute doubles every" value=${frontier.doublingMonths === null ? "—" : `${formatMonths(frontier.doublingMonths)} months`} band=${`${formatDoublingInterval(frontier)} months · ${frontier.points} frontier runs · ${formatGrowthPerYear(frontier.growthPerYear)} per year`} context=${`All ${all.points} runs: doubles every ${formatDoublingTime(all)}, R² ${formatRSquared(all.rSquared)}.`} />
    <div class="charts charts-wide">
      <${PlotFigure} name="trends" title="Training compute of dated runs, with the frontier and all-runs fits" spec=${trendsSpec(runs, [...line("frontier fit", frontier), ...line("all-runs fit", all)])} note=${`Lines: OLS of log2(FLOP) on the release date; shaded: the ${level} interval of the doubling time (the slope's interval ends, pivoting at the runs' centre). Data: the dated training runs of the catalog (packages/catalog/data/trends/training-runs.json), from 2019, so the fit says nothing about earlier years.`} />
    </div>
    <${Table}
      testid="trends-table"
      columns=${[{ label: "Runs" }, { label: "Count", num: true }, { label: "Doubling time (months)", num: true }, { label: `${level} CI (months)`, num: true }, { label: "Growth per year", num: true }, { label: "R²", num: true }]}
      rows=${[frontier, all].map((t) => [
        t.subset === "frontier" ? "frontier (set a compute record)" : "all runs",
        formatValue(t.points),
        formatMonths(t.doublingMonths),
        formatDoublingRange(t),
        formatGrowthPerYear(t.growthPerYear),
        formatRSquared(t.rSquared),
      ])}
    />
    <p class="muted">${frontier.method}.</p>`;
}
