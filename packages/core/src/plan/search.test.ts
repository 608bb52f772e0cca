import { describe, expect, test } from "vitest";
import { paretoFront, powersOfTwo } from "./search.ts";

describe("paretoFront(points, a, b)", () => {
  test("keeps exactly the non-dominated points (both objectives minimised)", () => {
    const pts = [
      { a: 1, b: 9 },
      { a: 2, b: 5 },
      { a: 3, b: 6 },
      { a: 4, b: 1 },
      { a: 5, b: 1 },
    ];
    expect(
      paretoFront(
        pts,
        (p) => p.a,
        (p) => p.b,
      ),
    ).toEqual([pts[0], pts[1], pts[3]]);
  });
});

describe("powersOfTwo(max)", () => {
  test("1, 2, 4, … up to and including max", () => {
    expect(powersOfTwo(1)).toEqual([1]);
    expect(powersOfTwo(72)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(powersOfTwo(1024)).toHaveLength(11);
  });
});
