import { requireAccelerator, requireModel } from "@flopcast/catalog";
import type { ClusterConfig, ReplicaCostModel } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { compositionCheck, FleetScenario, planFleet } from "./fleet-plan.ts";

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

describe("compositionCheck: one representative replica vs the full fleet (small scale)", () => {
  const cost: ReplicaCostModel = {
    iterationS: (w) => 0.005 + 2e-5 * w.newTokens + 1e-9 * w.kvReadTokens,
    kvCapacityTokens: 200_000,
    kvBytesPerToken: 1e5,
    feasible: true,
  };
  const cluster: ClusterConfig = {
    replicas: 8,
    router: "least-outstanding",
    replica: {
      cost,
      maxBatchedTokens: 2048,
      maxSeqs: 64,
      watermark: 0.01,
      scheduler: "chunked",
      prefixCacheTokens: 0,
      loraSlots: 0,
      loraLoadS: 0,
    },
  };
  const c = compositionCheck(cluster, 8 * 15, 16_000, 400, 150, 3);
  test("least-outstanding router: throughput within 5%, p99 TTFT and TPOT within 10%", () => {
    expect(Math.abs(c.throughputRatio - 1)).toBeLessThan(0.05);
    expect(Math.abs(c.p99TtftRatio - 1)).toBeLessThan(0.1);
    expect(Math.abs(c.p99TpotRatio - 1)).toBeLessThan(0.1);
  });
  test("round-robin: one Poisson replica overstates p99 TTFT (conservative), never understates it", () => {
    const rr = compositionCheck({ ...cluster, router: "round-robin" }, 8 * 15, 16_000, 400, 150, 3);
    expect(rr.p99TtftRatio).toBeGreaterThanOrEqual(1);
  });
});
