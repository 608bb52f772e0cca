import type { PlotOptions, ScaleOptions } from "@observablehq/plot";
import { describe, expect, test } from "vitest";
import * as P from "./plot-lib.ts";
import {
  barsSpec,
  type ChartSpec,
  cdfSpec,
  labelMargin,
  logSpace,
  paretoSpec,
  ratioSpec,
  rooflineSpec,
  scatterSpec,
  stackSpec,
  timelineSpec,
  trendsSpec,
  validationSpec,
} from "./specs.ts";

const specs: Record<string, ChartSpec> = {
  bars: barsSpec([{ label: "compute", value: 26.1 }], { xLabel: "time per step (s)", yLabel: "term" }),
  stack: stackSpec([{ row: "h100", part: "weights", value: 10 }], { xLabel: "memory per chip (GB)", yLabel: "chip" }),
  roofline: rooflineSpec(989.4, 3.35, [{ label: "decode", intensity: 8, tflops: 20 }]),
  cdf: cdfSpec([10, 20, 30], { metric: "TTFT", sloMs: 500 }),
  timeline: timelineSpec([{ id: 0, arrivedS: 0, firstTokenS: 0.1, completedS: 2 }]),
  pareto: paretoSpec([{ x: 0.2, y: 40, group: "mi300x", title: "" }], { xLabel: "$ per 1M", yLabel: "TPOT (ms)" }),
  validation: validationSpec([{ measured: 0.4, predicted: 0.42, group: "held out", title: "" }], {
    metric: "MFU",
    unit: "% of peak",
  }),
  ratio: ratioSpec([{ label: "a", ratio: 1.2, group: "holds", title: "" }], { xLabel: "ratio", yLabel: "claim" }),
  trends: trendsSpec(
    [
      { year: 2020.4, flop: 3.14e23, group: "frontier run", title: "" },
      { year: 2023.2, flop: 2.1e25, group: "frontier run", title: "" },
    ],
    [
      {
        name: "fit",
        meanYear: 2021.8,
        meanLog2Flop: 80,
        doublingsPerYear: 2.2,
        doublingsPerYearLow: 1.2,
        doublingsPerYearHigh: 3.2,
        fromYear: 2020.4,
        toYear: 2023.2,
      },
    ],
  ),
  scatter: scatterSpec([{ x: 3.35, y: 989, group: "NVIDIA", title: "" }], { xLabel: "TB/s", yLabel: "TFLOP/s" }),
};

describe("chart specs", () => {
  test.each(Object.entries(specs))(
    "%s(width) labels both axes, and says 'log scale' exactly when a scale is logarithmic",
    (_, spec) => {
      const o: PlotOptions = spec(600, P);
      for (const axis of [o.x, o.y] as (ScaleOptions | undefined)[]) {
        const label = typeof axis?.label === "string" ? axis.label : "";
        expect(label.replace(/[↑→]/g, "").trim()).not.toBe("");
        expect(label.includes("log scale")).toBe(axis?.type === "log");
      }
      expect(o.width).toBe(600);
      expect(o.marks?.length).toBeGreaterThan(0);
    },
  );

  test("logSpace(lo, hi, n) spans lo to hi evenly in log space", () => {
    const xs = logSpace(1, 1000, 4);
    expect(xs.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 10, 100, 1000]);
  });

  test("labelMargin(labels, width) fits the longest label and the tick, capped at 45% of the width", () => {
    expect(labelMargin(["a100-sxm-80gb"], 1000)).toBe(Math.round(16 + 6.6 * 13));
    expect(labelMargin(["a".repeat(200)], 300)).toBe(135);
  });
});
