/**
 * The Interactivity page's chart spec, in its own module so that it loads with that page's chunk (the entry bundle
 * has a size budget). Same conventions as specs.ts: labelled axes with units, log scales say so, Okabe–Ito colours.
 */
import { type ChartSpec, logTicks, PALETTE, STYLE } from "./specs.ts";

export interface InteractivityPoint {
  readonly series: string;
  readonly engine: string;
  readonly concurrency: number;
  readonly perUser: number;
  readonly perGpu: number;
  readonly title: string;
}

/**
 * Throughput per GPU against interactivity (output tokens/s per user), both on log scales, the way InferenceX
 * reads serving sweeps: measured points (filled dots) and the simulated points of the same configuration (rings,
 * joined by a line through its concurrencies), coloured by engine.
 */
export function interactivitySpec(
  measured: readonly InteractivityPoint[],
  predicted: readonly InteractivityPoint[],
): ChartSpec {
  const xs = [...measured, ...predicted].map((p) => p.perUser).filter((v) => v > 0);
  const ys = [...measured, ...predicted].map((p) => p.perGpu).filter((v) => v > 0);
  const engines = [...new Set([...measured, ...predicted].map((p) => p.engine))].sort();
  return (width, P) => ({
    width,
    height: Math.min(Math.max(260, width * 0.6), 380),
    marginLeft: 56,
    marginRight: 16,
    style: STYLE,
    x: {
      type: "log",
      label: "interactivity: output tokens/s per user (log scale) →",
      domain: [Math.min(...xs) / 1.2, Math.max(...xs) * 1.2],
      grid: true,
      ticks: logTicks(width),
      tickFormat: "~s",
    },
    y: {
      type: "log",
      label: "↑ throughput per GPU: input + output tokens/s (log scale)",
      domain: [Math.min(...ys) / 1.2, Math.max(...ys) * 1.2],
      grid: true,
      tickFormat: "~s",
    },
    color: { legend: true, domain: engines, range: PALETTE },
    marks: [
      P.line(predicted, {
        x: "perUser",
        y: "perGpu",
        z: "series",
        stroke: "engine",
        strokeOpacity: 0.7,
        strokeWidth: 1.5,
      }),
      P.dot(predicted, { x: "perUser", y: "perGpu", stroke: "engine", fill: "none", r: 3, strokeOpacity: 0.8 }),
      P.dot(measured, { x: "perUser", y: "perGpu", fill: "engine", r: 3.5, stroke: "var(--surface)" }),
      P.tip(measured, P.pointer({ x: "perUser", y: "perGpu", title: "title" })),
    ],
  });
}
