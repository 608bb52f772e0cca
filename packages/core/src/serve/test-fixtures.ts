/**
 * Shared test fixtures of the serving simulator (simulate.test.ts, scheduler-suite.test.ts): one hand-checkable
 * replica cost model and one workload shape, so both suites test the same numbers. Not exported by the package.
 */
import type { IterationWork, ReplicaCostModel } from "../perf/inference.ts";
import type { ReplicaConfig } from "./simulate.ts";
import type { WorkloadSpec } from "./workload.ts";

/** A hand-checkable replica: 5 ms per iteration + 20 µs per new token + 1 ns per KV token read; 200k KV tokens. */
export const testCost: ReplicaCostModel = {
  iterationS: (w: IterationWork) => 0.005 + 2e-5 * w.newTokens + 1e-9 * w.kvReadTokens,
  kvCapacityTokens: 200_000,
  kvBytesPerToken: 131_072,
  feasible: true,
};

/** One replica of `testCost`: 2048 tokens per iteration, 64 sequences, no prefix cache or LoRA. */
export const testReplica = (
  scheduler: ReplicaConfig["scheduler"],
  over: Partial<ReplicaConfig> = {},
): ReplicaConfig => ({
  cost: testCost,
  maxBatchedTokens: 2048,
  maxSeqs: 64,
  watermark: 0.01,
  scheduler,
  prefixCacheTokens: 0,
  loraSlots: 0,
  loraLoadS: 0,
  ...over,
});

/** Poisson arrivals, prompts uniform 50–900 tokens, outputs uniform 1–300 tokens. */
export const testWorkload = (requests: number, ratePerS: number, over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  requests,
  arrivals: { kind: "poisson", ratePerS },
  input: { kind: "uniform", min: 50, max: 900 },
  output: { kind: "uniform", min: 1, max: 300 },
  ...over,
});
