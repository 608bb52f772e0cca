import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { IterationWork, ReplicaCostModel } from "../perf/inference.ts";
import { createRng } from "../random.ts";
import { servingMetrics } from "./metrics.ts";
import type { SchedulerKind } from "./scheduler.ts";
import { type ClusterConfig, type ReplicaConfig, simulateCluster } from "./simulate.ts";
import { generateRequests, type WorkloadSpec } from "./workload.ts";

/** A hand-checkable replica: 5 ms per iteration + 20 µs per new token + 1 ns per KV token read; 200k KV tokens. */
const cost: ReplicaCostModel = {
  iterationS: (w: IterationWork) => 0.005 + 2e-5 * w.newTokens + 1e-9 * w.kvReadTokens,
  kvCapacityTokens: 200_000,
  kvBytesPerToken: 131_072,
  feasible: true,
};
const replica = (scheduler: SchedulerKind, over: Partial<ReplicaConfig> = {}): ReplicaConfig => ({
  cost,
  maxBatchedTokens: 2048,
  maxSeqs: 64,
  watermark: 0.01,
  scheduler,
  prefixCacheTokens: 0,
  loraSlots: 0,
  loraLoadS: 0,
  ...over,
});
const workload = (requests: number, ratePerS: number, over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  requests,
  arrivals: { kind: "poisson", ratePerS },
  input: { kind: "uniform", min: 50, max: 900 },
  output: { kind: "uniform", min: 1, max: 300 },
  ...over,
});
const run = (spec: WorkloadSpec, cluster: ClusterConfig, seed = 1) =>
  simulateCluster(generateRequests(spec, createRng(seed)), cluster, { rng: createRng(seed + 1) });

describe("FCFS order", () => {
  test.each(["fcfs", "chunked"] as const)(
    "%s: on one replica without preemption, prefills start in arrival order",
    (scheduler) => {
      const res = run(workload(2000, 20, { input: { kind: "fixed", tokens: 300 } }), {
        replicas: 1,
        router: "round-robin",
        replica: replica(scheduler),
      });
      expect(res.preemptions).toBe(0);
      const first = Array.from(res.records.firstTokenAt);
      for (let i = 1; i < first.length; i++) expect(first[i] as number).toBeGreaterThanOrEqual(first[i - 1] as number);
    },
  );
});

describe("queueing sanity", () => {
  test("at very low load TTFT ≈ one prefill iteration: 5 ms + 20 µs × 500 tokens = 15 ms", () => {
    const res = run(
      workload(300, 0.2, { input: { kind: "fixed", tokens: 500 }, output: { kind: "fixed", tokens: 10 } }),
      { replicas: 1, router: "round-robin", replica: replica("chunked") },
    );
    const m = servingMetrics(res.records);
    expect(m.ttftS.p50).toBeCloseTo(0.015, 4);
  });
  test("throughput saturates: doubling an overload rate leaves tokens/s unchanged (within 5%)", () => {
    const spec = (rate: number) =>
      workload(4000, rate, { input: { kind: "fixed", tokens: 200 }, output: { kind: "fixed", tokens: 200 } });
    const cluster: ClusterConfig = { replicas: 1, router: "round-robin", replica: replica("chunked") };
    const a = servingMetrics(run(spec(500), cluster).records).outputTokensPerS;
    const b = servingMetrics(run(spec(1000), cluster).records).outputTokensPerS;
    expect(Math.abs(a / b - 1)).toBeLessThan(0.05);
  });
});

describe("conservation properties (fast-check)", () => {
  propTest.prop(
    [
      fc.integer({ min: 1, max: 400 }),
      fc.double({ min: 0.5, max: 200, noNaN: true }),
      fc.constantFrom<SchedulerKind>("fcfs", "chunked"),
      fc.integer({ min: 1, max: 1000 }),
    ],
    { numRuns: 40 },
  )("all requests complete, the clock is monotone and KV stays within capacity", (n, rate, scheduler, seed) => {
    const res = run(
      workload(n, rate),
      { replicas: 2, router: "round-robin", replica: replica(scheduler, { maxSeqs: 16 }) },
      seed,
    );
    expect(servingMetrics(res.records).completed).toBe(n);
    expect(res.kvUtilisationMax).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe("features", () => {
  test("a tiny KV cache forces preemptions, and every request still completes", () => {
    const small: ReplicaCostModel = { ...cost, kvCapacityTokens: 6000 };
    const res = run(workload(400, 100), {
      replicas: 1,
      router: "round-robin",
      replica: replica("chunked", { cost: small }),
    });
    expect(res.preemptions).toBeGreaterThan(0);
    expect(servingMetrics(res.records).completed).toBe(400);
  });
  test("prefix caching: shared prefixes hit the cache and cut mean TTFT", () => {
    const spec = workload(2000, 20, { prefix: { groups: 4, tokens: 800, fraction: 1 } });
    const without = servingMetrics(
      run(spec, { replicas: 1, router: "round-robin", replica: replica("chunked") }).records,
    );
    const withCache = run(spec, {
      replicas: 1,
      router: "round-robin",
      replica: replica("chunked", { prefixCacheTokens: 20_000 }),
    });
    expect(withCache.prefixHits / withCache.prefixLookups).toBeGreaterThan(0.9);
    expect(servingMetrics(withCache.records).ttftS.mean).toBeLessThan(without.ttftS.mean);
  });
  test("multi-LoRA: more adapters than slots cause loads; Zipf popularity keeps most requests on hot adapters", () => {
    const res = run(workload(2000, 20, { lora: { adapters: 50, zipfS: 1.2, fraction: 1 } }), {
      replicas: 1,
      router: "round-robin",
      replica: replica("chunked", { loraSlots: 8, loraLoadS: 0.003 }),
    });
    expect(res.loraLoads).toBeGreaterThan(8);
    expect(res.loraLoads).toBeLessThan(2000);
  });
  test("speculative decoding (α 0.8, k 4, draft cost 5%) cuts TPOT at low load", () => {
    const spec = workload(500, 1, { output: { kind: "fixed", tokens: 200 } });
    const plain = servingMetrics(
      run(spec, { replicas: 1, router: "round-robin", replica: replica("chunked") }).records,
    );
    const fast = servingMetrics(
      run(spec, {
        replicas: 1,
        router: "round-robin",
        replica: replica("chunked", { speculative: { k: 4, acceptance: 0.8, draftCostRatio: 0.05 } }),
      }).records,
    );
    expect(fast.tpotS.mean).toBeLessThan(plain.tpotS.mean / 2);
  });
});
