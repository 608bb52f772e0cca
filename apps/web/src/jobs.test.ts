import { describe, expect, test } from "vitest";
import { quantileSample } from "./jobs.ts";

describe("jobs", () => {
  test("quantileSample(values, n) sorts, drops non-finite values, and keeps the min and max", () => {
    expect(quantileSample([3, Number.NaN, 1, 2])).toEqual([1, 2, 3]);
    const xs = Array.from({ length: 1001 }, (_, i) => 1000 - i);
    const s = quantileSample(xs, 11);
    expect(s).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });
});
