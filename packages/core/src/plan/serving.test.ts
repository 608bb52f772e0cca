import { describe, expect, test } from "vitest";
import { plannedServingTp } from "./serving.ts";

describe("plannedServingTp", () => {
  // Weights fit from TP 2; each chip holds 100k KV tokens beyond its weights.
  const fits = (tp: number) => ({ weights: tp >= 2, kvCapacityTokens: tp * 100_000 });
  test("the smallest TP holding the weights and every request's KV: 250k tokens → TP 4 (TP 2 holds 200k)", () => {
    const p = plannedServingTp(fits, 250_000);
    expect(p).toMatchObject({ ok: true, tp: 4 });
  });
  test("when no TP ≤ 8 holds the KV, the smallest that holds the weights, and the basis says requests wait", () => {
    const p = plannedServingTp(fits, 1e9);
    expect(p.ok && p.tp).toBe(2);
    expect(p.ok && p.basis).toMatch(/requests wait for memory/);
  });
  test("weights that fit no single node: not planned", () => {
    expect(plannedServingTp(() => ({ weights: false, kvCapacityTokens: 0 }), 1).ok).toBe(false);
  });
});
