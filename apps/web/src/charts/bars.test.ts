import { describe, expect, test } from "vitest";
import { barChart, logScatter } from "./bars.ts";

describe("barChart(data)", () => {
  test("the largest value spans the plot; others scale linearly", () => {
    const g = barChart(
      [
        { label: "a", value: 10 },
        { label: "b", value: 5 },
      ],
      { width: 520 },
    );
    expect(g.bars[0]?.w).toBeCloseTo(290, 6);
    expect(g.bars[1]?.w).toBeCloseTo(145, 6);
  });
  test("log scale keeps small values visible", () => {
    const g = barChart(
      [
        { label: "a", value: 1000 },
        { label: "b", value: 1 },
      ],
      { log: true },
    );
    expect(g.bars[1]?.w).toBeGreaterThan(10);
  });
});

describe("logScatter(points)", () => {
  test("a point on y = x sits on the diagonal", () => {
    const g = logScatter([
      { x: 10, y: 10, label: "p" },
      { x: 1, y: 100, label: "q" },
    ]);
    const p = g.points[0];
    expect(p && p.cx + p.cy).toBeCloseTo(g.size, 6);
  });
});

describe("roofline(peak, bandwidth, points)", () => {
  test("the ridge point is peak ÷ bandwidth (H100: 989.4 TFLOP/s ÷ 3.35 TB/s ≈ 295 FLOP/B)", async () => {
    const { roofline } = await import("./bars.ts");
    expect(roofline(989.4e12, 3.35e12, []).ridge).toBeCloseTo(295.3, 1);
  });
});
