import { requireAccelerator, requireModel } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { FleetScenario, planFleet } from "./fleet-plan.ts";

const m = { value: requireModel("llama-3.1-8b") };
const h = { value: requireAccelerator("h100-sxm") };

describe("planFleet(scenario)", () => {
  const base = {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    requestsPerDay: 2e6,
    inputTokens: 512,
    outputTokens: 128,
    sloTtftMs: 1000,
    sloTpotMs: 50,
    simRequests: 800,
  };
  const r = planFleet(FleetScenario.parse(base), m.value, h.value);
  if (!r.ok || !r.result.feasible || !("chipsPerReplica" in r.result)) throw new Error("infeasible");
  const f = r.result;
  test("enough replicas for the peak at the DES-confirmed per-replica rate, plus N+1", () => {
    expect(f.replicas).toBeGreaterThanOrEqual(Math.ceil((f.peakRateReqPerS ?? 0) / (f.perReplicaRateReqPerS ?? 1)) + 1);
    expect(f.p99TtftMsAtThatRate).toBeLessThanOrEqual(1000);
    expect(f.p99TpotMsAtThatRate).toBeLessThanOrEqual(50);
  });
  test("cost fields are consistent: $/query × queries = $/day; $/1M tokens from $/day", () => {
    expect((f.usdPerQuery ?? 0) * 2e6).toBeCloseTo(f.usdPerDay ?? 0, -1);
    expect(f.usdPerMillionOutputTokens).toBeCloseTo(((f.usdPerDay ?? 0) / (2e6 * 128)) * 1e6, 3);
  });
  test("twice the traffic never needs fewer chips", () => {
    const r2 = planFleet(FleetScenario.parse({ ...base, requestsPerDay: 4e6 }), m.value, h.value);
    if (!r2.ok) throw new Error("problems");
    expect(r2.result.chips).toBeGreaterThanOrEqual(f.chips);
  });
  test("an impossible TPOT SLO is a normal infeasible result with reasons", () => {
    const r3 = planFleet(FleetScenario.parse({ ...base, sloTpotMs: 0.5 }), m.value, h.value);
    if (!r3.ok) throw new Error("problems");
    expect(r3.result.feasible).toBe(false);
    expect(r3.result.reasons.length).toBeGreaterThan(0);
  });
});
