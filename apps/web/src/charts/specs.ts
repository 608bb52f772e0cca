/**
 * Chart specs: data → Observable Plot options (pure; the page renders them at the container's width).
 * Every chart labels both axes with their unit, uses a linear scale unless the label says "log scale", puts one
 * metric on each axis, and has tooltips (Plot's `tip`). Colours come from the Okabe–Ito palette (colour-blind safe).
 */
import type { PlotOptions } from "@observablehq/plot";
import { fmt } from "../format.ts";
import type * as PlotLib from "./plot-lib.ts";

/** Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999"];
/** The single-series colour (the theme's accent, so it follows light/dark). */
const ACCENT = "var(--chart-accent)";
const MUTED = "var(--chart-muted)";

/** Plot's functions, passed in so that this module has no runtime import of Plot (it loads on demand). */
export type Plot = typeof PlotLib;
export type ChartSpec = (width: number, P: Plot) => PlotOptions;

/** A tick format: a d3-format string (keeps Plot's thinning of log ticks) or a function. */
export type TickFormat = string | ((x: number) => string);

const STYLE = { fontSize: "12px", background: "transparent", overflow: "visible" } as const;

/**
 * Left margin that fits the longest category label at 12 px (≈ 6.6 px a character) and the tick, capped on narrow
 * screens.
 */
export function labelMargin(labels: readonly string[], width: number): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  return Math.round(Math.min(Math.max(44, 16 + 6.6 * longest), width * 0.45));
}

const log10 = (x: number) => Math.log10(x);
/** Tick count for a log axis: few enough that d3 keeps the powers of ten (a readable grid), more on wide charts. */
const logTicks = (width: number) => Math.max(3, Math.floor(width / 140));
/** Evenly spaced points in log space between lo and hi (for lines and bands on log axes). */
export function logSpace(lo: number, hi: number, n = 40): number[] {
  const a = log10(lo);
  const b = log10(hi);
  return Array.from({ length: n }, (_, i) => 10 ** (a + ((b - a) * i) / (n - 1)));
}

export interface BarDatum {
  readonly label: string;
  readonly value: number;
  /** Grey the bar out (an infeasible option) and say why in the tooltip. */
  readonly muted?: boolean;
  readonly note?: string;
}

/**
 * Horizontal bars on a linear scale starting at zero, one metric (`xLabel`, with its unit), values printed at the
 * bar ends in `format`, categories in the given order.
 */
export function barsSpec(
  data: readonly BarDatum[],
  opts: { xLabel: string; yLabel: string; format?: (x: number) => string; tickFormat?: TickFormat },
): ChartSpec {
  const format = opts.format ?? fmt;
  return (width, P) => ({
    width,
    height: Math.max(90, 30 * data.length + 50),
    marginLeft: labelMargin(
      data.map((d) => d.label),
      width,
    ),
    marginRight: 78,
    style: STYLE,
    x: {
      label: `${opts.xLabel} →`,
      grid: true,
      nice: true,
      zero: true,
      type: "linear",
      tickFormat: opts.tickFormat,
      ticks: Math.max(3, Math.floor(width / 110)),
    },
    y: { label: opts.yLabel, labelAnchor: "top", domain: data.map((d) => d.label) },
    marks: [
      P.barX(data, {
        x: "value",
        y: "label",
        fill: (d: BarDatum) => (d.muted ? MUTED : ACCENT),
        fillOpacity: (d: BarDatum) => (d.muted ? 0.5 : 1),
      }),
      P.text(data, {
        x: "value",
        y: "label",
        text: (d: BarDatum) => (d.muted ? (d.note ?? "infeasible") : format(d.value)),
        textAnchor: "start",
        dx: 4,
        fill: "currentColor",
      }),
      P.ruleX([0]),
      P.tip(
        data,
        P.pointer({
          x: "value",
          y: "label",
          title: (d: BarDatum) => `${d.label}\n${opts.xLabel}: ${format(d.value)}${d.note ? `\n${d.note}` : ""}`,
        }),
      ),
    ],
  });
}

export interface StackDatum {
  readonly row: string;
  readonly part: string;
  readonly value: number;
}

/** Stacked horizontal bars (parts of one total per row, e.g. memory per chip, $ per day), with a colour legend. */
export function stackSpec(
  data: readonly StackDatum[],
  opts: {
    xLabel: string;
    yLabel: string;
    format?: (x: number) => string;
    limit?: { value: number; label: string };
    tickFormat?: TickFormat;
  },
): ChartSpec {
  const format = opts.format ?? fmt;
  const rows = [...new Set(data.map((d) => d.row))];
  const parts = [...new Set(data.map((d) => d.part))];
  const totals = rows.map((row) => ({
    row,
    value: data.filter((d) => d.row === row).reduce((n, d) => n + d.value, 0),
  }));
  return (width, P) => ({
    width,
    height: Math.max(110, 38 * rows.length + 70),
    marginLeft: labelMargin(rows, width),
    marginRight: 78,
    style: STYLE,
    x: {
      label: `${opts.xLabel} →`,
      grid: true,
      nice: true,
      zero: true,
      type: "linear",
      tickFormat: opts.tickFormat,
      ticks: Math.max(3, Math.floor(width / 110)),
    },
    y: { label: opts.yLabel, labelAnchor: "top", domain: rows },
    color: { legend: true, domain: parts, range: PALETTE },
    marks: [
      P.barX(
        data,
        P.stackX({
          x: "value",
          y: "row",
          fill: "part",
          tip: { format: { x: (v: number) => format(v), fill: true, y: true } },
        }),
      ),
      P.text(totals, {
        x: "value",
        y: "row",
        text: (d: { value: number }) => format(d.value),
        textAnchor: "start",
        dx: 4,
      }),
      ...(opts.limit
        ? [
            // The limit's name goes in the chart's note and tooltip; a text mark here collides with the labels.
            P.ruleX([opts.limit], {
              x: "value",
              stroke: "currentColor",
              strokeDasharray: "4,3",
              strokeWidth: 1.5,
              title: "label",
            }),
          ]
        : []),
      P.ruleX([0]),
    ],
  });
}

export interface RooflinePoint {
  readonly label: string;
  /** FLOP per byte moved. */
  readonly intensity: number;
  /** Achieved TFLOP/s per chip. */
  readonly tflops: number;
}

/** Roofline (Williams et al. 2009): attainable = min(peak, intensity × bandwidth), on labelled log–log axes. */
export function rooflineSpec(peakTflops: number, bandwidthTbPerS: number, points: readonly RooflinePoint[]): ChartSpec {
  const ridge = peakTflops / bandwidthTbPerS;
  const xs = [ridge / 100, ridge * 30, ...points.map((p) => p.intensity)].filter((x) => x > 0);
  const lo = Math.min(...xs) / 1.5;
  const hi = Math.max(...xs) * 1.5;
  const roof = logSpace(lo, hi, 80).map((x) => ({ x, y: Math.min(peakTflops, x * bandwidthTbPerS) }));
  const yLo = Math.min(roof[0]?.y ?? 1, ...points.map((p) => p.tflops).filter((y) => y > 0)) / 1.5;
  return (width, P) => ({
    width,
    height: 320,
    marginLeft: 56,
    marginRight: 20,
    style: STYLE,
    x: {
      type: "log",
      label: "arithmetic intensity (FLOP/byte, log scale) →",
      domain: [lo, hi],
      grid: true,
      ticks: logTicks(width),
    },
    y: { type: "log", label: "↑ TFLOP/s per chip (log scale)", domain: [yLo, peakTflops * 1.6], grid: true, ticks: 5 },
    color: { legend: true, domain: points.map((p) => p.label), range: PALETTE.slice(1) },
    marks: [
      P.line(roof, { x: "x", y: "y", stroke: MUTED, strokeWidth: 2 }),
      P.text([{ x: hi, y: peakTflops }], {
        x: "x",
        y: "y",
        text: () => `peak ${fmt(peakTflops)} TFLOP/s`,
        textAnchor: "end",
        dy: -8,
        fill: "currentColor",
      }),
      P.text([{ x: ridge, y: peakTflops }], {
        x: "x",
        y: "y",
        text: () => `ridge ${fmt(ridge)} FLOP/B`,
        textAnchor: "start",
        dx: 6,
        dy: 12,
        fill: "currentColor",
      }),
      P.dot(points, { x: "intensity", y: "tflops", fill: "label", r: 6, stroke: "var(--surface)" }),
      P.text(points, { x: "intensity", y: "tflops", text: "label", dx: 10, textAnchor: "start", fill: "currentColor" }),
      P.tip(
        points,
        P.pointer({
          x: "intensity",
          y: "tflops",
          title: (p: RooflinePoint) =>
            `${p.label}\nintensity: ${fmt(p.intensity)} FLOP/byte\nachieved: ${fmt(p.tflops)} TFLOP/s per chip\n${p.intensity < ridge ? "memory-bound side" : "compute-bound side"} of the ridge`,
        }),
      ),
    ],
  });
}

/** Empirical CDF of latencies (sorted, evenly spaced quantiles) with p50/p90/p99 and an optional SLO rule. */
export function cdfSpec(sortedMs: readonly number[], opts: { metric: string; sloMs?: number | undefined }): ChartSpec {
  const n = sortedMs.length;
  const data = sortedMs.map((ms, i) => ({ ms, fraction: n === 1 ? 1 : (i + 1) / n }));
  const q = (p: number) => sortedMs[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] ?? 0;
  const marks = [
    { label: "p50", ms: q(0.5) },
    { label: "p90", ms: q(0.9) },
    { label: "p99", ms: q(0.99) },
  ];
  return (width, P) => ({
    width,
    height: 240,
    marginLeft: 48,
    marginRight: 24,
    style: STYLE,
    x: { label: `${opts.metric} (ms) →`, grid: true, nice: true, type: "linear" },
    y: {
      label: "↑ share of requests",
      domain: [0, 1],
      grid: true,
      tickFormat: (v: number) => `${Math.round(v * 100)}%`,
    },
    marks: [
      P.line(data, { x: "ms", y: "fraction", stroke: ACCENT, strokeWidth: 2, curve: "step-after" }),
      P.ruleX(marks, { x: "ms", stroke: MUTED, strokeDasharray: "2,3" }),
      // Staggered heights so that close percentiles do not print over each other.
      ...marks.map((m, i) =>
        P.text([m], {
          x: "ms",
          text: "label",
          frameAnchor: "bottom",
          dy: -6 - 14 * i,
          dx: 3,
          textAnchor: "start",
          fill: "currentColor",
        }),
      ),
      ...(opts.sloMs !== undefined
        ? [
            P.ruleX([opts.sloMs], { stroke: PALETTE[3], strokeWidth: 1.5 }),
            P.text([opts.sloMs], {
              x: (d: number) => d,
              text: () => "SLO",
              frameAnchor: "top",
              dy: 10,
              dx: 3,
              textAnchor: "start",
              fill: PALETTE[3],
            }),
          ]
        : []),
      P.ruleY([0]),
      P.tip(
        data,
        P.pointer({
          x: "ms",
          y: "fraction",
          title: (d: { ms: number; fraction: number }) =>
            `${(d.fraction * 100).toFixed(1)}% of requests ≤ ${fmt(d.ms)} ms`,
        }),
      ),
    ],
  });
}

export interface TimelineRequest {
  readonly id: number;
  readonly arrivedS: number;
  readonly firstTokenS: number;
  readonly completedS: number;
}

/** Per-request timeline: queue + prefill (arrival → first token) and decode (first token → last), one row a request. */
export function timelineSpec(requests: readonly TimelineRequest[]): ChartSpec {
  const segs = requests.flatMap((r) => [
    { id: r.id, phase: "waiting + prefill", x1: r.arrivedS, x2: r.firstTokenS },
    { id: r.id, phase: "decode", x1: r.firstTokenS, x2: r.completedS },
  ]);
  return (width, P) => ({
    width,
    height: Math.min(420, 120 + 4 * requests.length),
    marginLeft: 56,
    marginRight: 24,
    style: STYLE,
    x: { label: "time since the first arrival (s) →", grid: true, type: "linear" },
    y: { label: "↓ request (arrival order)", reverse: true, type: "linear" },
    color: { legend: true, domain: ["waiting + prefill", "decode"], range: [PALETTE[1], PALETTE[0]] },
    marks: [
      P.ruleY(segs, { y: "id", x1: "x1", x2: "x2", stroke: "phase", strokeWidth: 3 }),
      P.tip(
        segs,
        P.pointer({
          x: (d: { x1: number; x2: number }) => (d.x1 + d.x2) / 2,
          y: "id",
          title: (d: { id: number; phase: string; x1: number; x2: number }) =>
            `request ${d.id}\n${d.phase}: ${fmt((d.x2 - d.x1) * 1e3)} ms (from ${fmt(d.x1)} s to ${fmt(d.x2)} s)`,
        }),
      ),
    ],
  });
}

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly group: string;
  readonly title: string;
}

/** The search Pareto front: cost vs latency, log–log (labelled), the front joined by a line, coloured by chip. */
export function paretoSpec(
  points: readonly ScatterPoint[],
  opts: { xLabel: string; yLabel: string; xTickFormat?: TickFormat; yTickFormat?: TickFormat },
): ChartSpec {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  return (width, P) => ({
    width,
    height: 340,
    marginLeft: 56,
    marginRight: 24,
    style: STYLE,
    x: {
      type: "log",
      label: `${opts.xLabel} (log scale) →`,
      grid: true,
      nice: true,
      tickFormat: opts.xTickFormat,
      ticks: logTicks(width),
    },
    y: {
      type: "log",
      label: `↑ ${opts.yLabel} (log scale)`,
      grid: true,
      nice: true,
      tickFormat: opts.yTickFormat,
      ticks: 5,
    },
    color: { legend: true, domain: [...new Set(points.map((p) => p.group))], range: PALETTE },
    marks: [
      P.line(sorted, { x: "x", y: "y", stroke: MUTED, curve: "step-after" }),
      P.dot(points, { x: "x", y: "y", fill: "group", r: 5, stroke: "var(--surface)" }),
      P.tip(points, P.pointer({ x: "x", y: "y", title: "title" })),
    ],
  });
}

export interface ValidationPoint {
  readonly measured: number;
  readonly predicted: number;
  readonly group: string;
  readonly title: string;
}

/**
 * Predicted vs measured for one metric on log–log axes: the y = x line and ±10% / ±25% bands, points coloured by
 * estimator (or any group).
 */
export function validationSpec(
  points: readonly ValidationPoint[],
  opts: { metric: string; unit: string; tickFormat?: TickFormat },
): ChartSpec {
  const vals = points.flatMap((p) => [p.measured, p.predicted]).filter((v) => v > 0);
  const lo = Math.min(...vals) / 1.35;
  const hi = Math.max(...vals) * 1.35;
  const grid = logSpace(lo, hi, 30);
  const band = (f: number) => grid.map((x) => ({ x, y1: x * (1 - f), y2: x * (1 + f) }));
  const unit = opts.unit ? ` (${opts.unit}, log scale)` : " (log scale)";
  return (width, P) => ({
    width,
    height: Math.min(width, 340),
    marginLeft: 56,
    marginRight: 16,
    style: STYLE,
    x: {
      type: "log",
      label: `measured ${opts.metric}${unit} →`,
      domain: [lo, hi],
      grid: true,
      tickFormat: opts.tickFormat,
    },
    y: {
      type: "log",
      label: `↑ predicted ${opts.metric}${unit}`,
      domain: [lo, hi],
      grid: true,
      tickFormat: opts.tickFormat,
    },
    color: { legend: true, domain: [...new Set(points.map((p) => p.group))], range: PALETTE },
    marks: [
      P.areaY(band(0.25), { x: "x", y1: "y1", y2: "y2", fill: MUTED, fillOpacity: 0.12, clip: true }),
      P.areaY(band(0.1), { x: "x", y1: "y1", y2: "y2", fill: MUTED, fillOpacity: 0.22, clip: true }),
      P.line(
        grid.map((x) => ({ x, y: x })),
        { x: "x", y: "y", stroke: "currentColor", strokeOpacity: 0.6 },
      ),
      P.dot(points, { x: "measured", y: "predicted", fill: "group", r: 4, stroke: "var(--surface)" }),
      P.tip(points, P.pointer({ x: "measured", y: "predicted", title: "title" })),
    ],
  });
}

export interface RatioPoint {
  readonly label: string;
  readonly ratio: number;
  readonly group: string;
  readonly title: string;
}

/** One dot per item on a labelled log axis of a ratio (reproduced ÷ published), with the 1× line and a ±25% band. */
export function ratioSpec(
  points: readonly RatioPoint[],
  opts: { xLabel: string; yLabel: string; colors?: Record<string, string> },
): ChartSpec {
  const rs = points.map((p) => p.ratio).filter((r) => r > 0);
  // Ratios beyond 1000× either way are pinned to the edge (clamped): a unit mix-up should not squash the rest.
  const lo = Math.max(1e-3, Math.min(0.5, ...rs) / 1.3);
  const hi = Math.min(1e3, Math.max(2, ...rs) * 1.3);
  const ticksFor = (width: number) =>
    (width < 520 ? [1e-3, 1e-2, 0.1, 1, 10, 100, 1e3] : [1e-3, 1e-2, 0.1, 0.5, 1, 2, 10, 100, 1e3]).filter(
      (t) => t >= lo && t <= hi,
    );
  const groups = [...new Set(points.map((p) => p.group))];
  return (width, P) => ({
    width,
    height: Math.max(140, 24 * points.length + 70),
    marginLeft: labelMargin(
      points.map((p) => p.label),
      width,
    ),
    marginRight: 20,
    style: STYLE,
    x: {
      type: "log",
      label: `${opts.xLabel} (log scale) →`,
      domain: [lo, hi],
      clamp: true,
      grid: true,
      ticks: ticksFor(width),
      tickFormat: (x: number) => `${fmt(x)}×`,
    },
    y: { label: opts.yLabel, labelAnchor: "top", domain: points.map((p) => p.label) },
    color: {
      legend: true,
      domain: groups,
      range: groups.map((g, i) => opts.colors?.[g] ?? PALETTE[i % PALETTE.length] ?? "gray"),
    },
    marks: [
      P.ruleX([0.75, 1.25], { stroke: MUTED, strokeDasharray: "3,3" }),
      P.ruleX([1], { stroke: "currentColor" }),
      P.dot(points, { x: "ratio", y: "label", fill: "group", r: 5 }),
      P.tip(points, P.pointer({ x: "ratio", y: "label", title: "title" })),
    ],
  });
}

/** A plain scatter on linear axes (one metric per axis), coloured by group, with a tooltip per point. */
export function scatterSpec(points: readonly ScatterPoint[], opts: { xLabel: string; yLabel: string }): ChartSpec {
  return (width, P) => ({
    width,
    height: 340,
    marginLeft: 56,
    marginRight: 24,
    style: STYLE,
    x: { label: `${opts.xLabel} →`, grid: true, nice: true, zero: true, type: "linear" },
    y: { label: `↑ ${opts.yLabel}`, grid: true, nice: true, zero: true, type: "linear" },
    color: { legend: true, domain: [...new Set(points.map((p) => p.group))], range: PALETTE },
    marks: [
      P.dot(points, { x: "x", y: "y", fill: "group", r: 5, stroke: "var(--surface)" }),
      P.tip(points, P.pointer({ x: "x", y: "y", title: "title" })),
    ],
  });
}

export interface TrendRun {
  /** Release date as a fractional year. */
  readonly year: number;
  /** Training compute, FLOP. */
  readonly flop: number;
  /** Legend group: "frontier run" or "other run". */
  readonly group: string;
  readonly title: string;
}

export interface TrendLine {
  /** Legend name, e.g. "frontier fit: doubles every 5.5 months (3.8–10)". */
  readonly name: string;
  /** The line through (meanYear, meanLog2Flop) with `doublingsPerYear`, and the slope interval ends (the band). */
  readonly meanYear: number;
  readonly meanLog2Flop: number;
  readonly doublingsPerYear: number;
  readonly doublingsPerYearLow: number;
  readonly doublingsPerYearHigh: number;
  readonly fromYear: number;
  readonly toYear: number;
}

/**
 * Training compute over time: runs as dots on a log FLOP axis against the release date, with each OLS fit drawn as a
 * line over the years it covers and its doubling-time interval as a shaded band (the slope's interval ends pivoting at
 * the runs' centre, docs/claims.md "Trends").
 */
export function trendsSpec(runs: readonly TrendRun[], lines: readonly TrendLine[]): ChartSpec {
  const flops = runs.map((r) => r.flop).filter((f) => f > 0);
  const lo = Math.min(...flops) / 3;
  const hi = Math.max(...flops) * 3;
  const years = runs.map((r) => r.year);
  const x0 = Math.floor(Math.min(...years));
  const x1 = Math.ceil(Math.max(...years));
  const at = (l: TrendLine, year: number, slope: number) => 2 ** (l.meanLog2Flop + slope * (year - l.meanYear));
  const curve = (l: TrendLine) =>
    Array.from({ length: 41 }, (_, i) => l.fromYear + ((l.toYear - l.fromYear) * i) / 40).map((year) => {
      const a = at(l, year, l.doublingsPerYearLow);
      const b = at(l, year, l.doublingsPerYearHigh);
      return { year, mid: at(l, year, l.doublingsPerYear), low: Math.min(a, b), high: Math.max(a, b), fit: l.name };
    });
  const groups = [...new Set(runs.map((r) => r.group))];
  // Runs: blue (frontier) and grey; fits: vermillion and orange (Okabe–Ito).
  const runColors = [PALETTE[0], PALETTE[7]];
  const lineColors = [PALETTE[3], PALETTE[1]];
  // Powers of ten inside the domain, every second one when there are many (labels stay apart on a phone).
  const decades = Array.from(
    { length: Math.floor(Math.log10(hi)) - Math.ceil(Math.log10(lo)) + 1 },
    (_, i) => 10 ** (Math.ceil(Math.log10(lo)) + i),
  );
  return (width, P) => ({
    width,
    height: 380,
    marginLeft: 56,
    marginRight: 20,
    style: STYLE,
    x: {
      label: "release date (year) →",
      domain: [x0, x1],
      grid: true,
      type: "linear",
      ticks: Math.max(3, Math.min(x1 - x0, Math.floor(width / 90))),
      tickFormat: (y: number) => String(Math.round(y)),
    },
    y: {
      type: "log",
      label: "↑ training compute (FLOP, log scale)",
      domain: [lo, hi],
      grid: true,
      ticks: decades.length > 6 ? decades.filter((_, i) => i % 2 === 0) : decades,
      tickFormat: (f: number) => `1e${Math.round(Math.log10(f))}`,
    },
    color: {
      legend: true,
      domain: [...groups, ...lines.map((l) => l.name)],
      range: [...groups.map((_, i) => runColors[i % 2] ?? "gray"), ...lines.map((_, i) => lineColors[i % 2] ?? "gray")],
    },
    marks: [
      ...lines.flatMap((l) => {
        const pts = curve(l);
        return [
          P.areaY(pts, { x: "year", y1: "low", y2: "high", fill: "fit", fillOpacity: 0.12, clip: true }),
          P.line(pts, { x: "year", y: "mid", stroke: "fit", strokeWidth: 2, clip: true }),
        ];
      }),
      P.dot(runs, { x: "year", y: "flop", fill: "group", r: 4, stroke: "var(--surface)" }),
      P.tip(runs, P.pointer({ x: "year", y: "flop", title: "title" })),
    ],
  });
}
