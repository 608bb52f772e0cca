import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  FLOP_PER_PF_DAY,
  flop,
  gibibytes,
  gigabitsPerSecond,
  gigabytes,
  hours,
  milliseconds,
  seconds,
  teraflopsPerSecond,
  toDays,
  toGibibytes,
  toGigabytes,
  toHours,
  toMilliseconds,
  toPfDays,
  toTeraflopsPerSecond,
} from "./index.ts";

const positive = fc.double({ min: 1e-6, max: 1e12, noNaN: true });
const close = (a: number, b: number) => Math.abs(a / b - 1) < 1e-12;

describe("unit conversions", () => {
  test.prop([positive])("gigabytes → bytes → gigabytes round-trips", (x) => close(toGigabytes(gigabytes(x)), x));
  test.prop([positive])("gibibytes → bytes → gibibytes round-trips", (x) => close(toGibibytes(gibibytes(x)), x));
  test.prop([positive])("TFLOP/s round-trips", (x) => close(toTeraflopsPerSecond(teraflopsPerSecond(x)), x));
  test.prop([positive])("milliseconds round-trip", (x) => close(toMilliseconds(milliseconds(x)), x));
  test.prop([positive])("hours round-trip", (x) => close(toHours(hours(x)), x));

  test("constants match their definitions", () => {
    expect(FLOP_PER_PF_DAY).toBe(8.64e19);
    expect(gibibytes(1)).toBe(1073741824);
    expect(gigabitsPerSecond(400)).toBe(50e9); // 400 Gbit/s = 50 GB/s
    expect(toDays(seconds(86_400 * 3))).toBe(3);
    expect(toPfDays(flop(3.14e23))).toBeCloseTo(3634.26, 1);
  });
});
