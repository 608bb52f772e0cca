import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { ReplicaCostModel } from "../perf/inference.ts";
import { createRng } from "../random.ts";
import { servingMetrics } from "./metrics.ts";
import type { SchedulerKind } from "./scheduler.ts";
import { type ClusterConfig, simulateCluster } from "./simulate.ts";
import { testCost, testReplica, testWorkload } from "./test-fixtures.ts";
import { generateRequests, type WorkloadSpec } from "./workload.ts";

const replica = testReplica;
const workload = testWorkload;
const cost = testCost;
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

describe("benchmark harness timing", () => {
  test("request-path latency d adds exactly d to TTFT and end-to-end latency and leaves TPOT unchanged", () => {
    const spec = workload(300, 0.2, { input: { kind: "fixed", tokens: 500 }, output: { kind: "fixed", tokens: 10 } });
    const cluster: ClusterConfig = { replicas: 1, router: "round-robin", replica: replica("chunked") };
    const base = servingMetrics(run(spec, cluster).records);
    const slow = servingMetrics(run(spec, { ...cluster, requestLatencyS: 0.1 }).records);
    // 5 ms + 20 µs × 500 tokens = 15 ms of prefill, + 100 ms on the request path.
    expect(slow.ttftS.p50).toBeCloseTo(0.115, 4);
    expect(slow.e2eS.p50 - base.e2eS.p50).toBeCloseTo(0.1, 4);
    expect(slow.tpotS.p50).toBeCloseTo(base.tpotS.p50, 9);
  });
  test("closed loop with warm-up: the warm-up drains, then the measured phase sends C requests at once", () => {
    const c = 4;
    const warmup = 8;
    const res = simulateCluster(
      generateRequests(workload(warmup + 40, 1), createRng(3)),
      {
        replicas: 1,
        router: "round-robin",
        replica: replica("chunked"),
      },
      { rng: createRng(4), closedLoop: { concurrency: c, warmupRequests: warmup } },
    );
    const r = res.records;
    const lastWarmupDone = Math.max(...Array.from(r.completedAt.slice(0, warmup)));
    for (let i = warmup; i < warmup + c; i++) expect(r.arrivedAt[i]).toBe(lastWarmupDone);
    for (let i = warmup + c; i < warmup + 40; i++) expect(r.arrivedAt[i] as number).toBeGreaterThan(lastWarmupDone);
    // The warm-up phase itself keeps C in flight: its first C requests are sent at t = 0.
    expect(Array.from(r.arrivedAt.slice(0, c))).toEqual([0, 0, 0, 0]);
    expect(r.arrivedAt[c] as number).toBeGreaterThan(0);
  });
});
