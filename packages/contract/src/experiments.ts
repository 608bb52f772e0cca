/**
 * Documented experiments (docs/experiments.md) that compare the DES with the analytic step model where both
 * apply: throughput and $/1M tokens against concurrency (the GPU-poor batch-size argument), speculative
 * decoding, and multi-LoRA pooling vs dedicated replicas.
 */

import {
  type AcceleratorFile,
  inferenceEfficiencyFor,
  requireAccelerator,
  requireModel,
  toAccelerator,
} from "@flopcast/catalog";
import {
  type Architecture,
  type ClusterConfig,
  createRng,
  estimateInference,
  generateRequests,
  type ReplicaConfig,
  replicaCostModel,
  replicaInput,
  servingMetrics,
  simulateCluster,
  usdPerMillionTokens,
  type WorkloadSpec,
} from "@flopcast/core";
import { DEFAULT_SCENARIO_DATE } from "./context.ts";
import { type RentalPriceView, rentalPriceView } from "./cost-inputs.ts";

export interface ExperimentSetup {
  readonly architecture: Architecture;
  readonly hardware: AcceleratorFile;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly today: string;
}

/** The setting of docs/experiments.md and its tests: Llama-3.1-8B on one H100, 512 prompt / 256 output tokens. */
export function defaultExperimentSetup(today = DEFAULT_SCENARIO_DATE): ExperimentSetup {
  return {
    architecture: requireModel("llama-3.1-8b").architecture,
    hardware: requireAccelerator("h100-sxm"),
    inputTokens: 512,
    outputTokens: 256,
    today,
  };
}

/** Chip-hours per million output tokens: the price-free cost of serving (chips × 1e6 ÷ (tokens/s × 3600)). */
const chipHoursPerMillionTokens = (chips: number, tokensPerS: number) => (chips * 1e6) / (tokensPerS * 3600);

/**
 * $/1M output tokens at the market-median rental price, or null with the price's coded reason (never a silent $0
 * when the catalog has no rental price for the chip).
 */
function priced(price: RentalPriceView, chips: number, tokensPerS: number) {
  return price.median === null
    ? { usdPerMillionTokens: null, usdReason: price.reason ?? "no-rental-price" }
    : { usdPerMillionTokens: usdPerMillionTokens(price.median * chips, tokensPerS) };
}

/** One chip, bf16 weights and KV, through the one replica-input builder. */
const base = (e: ExperimentSetup) =>
  replicaInput({
    architecture: e.architecture,
    chip: toAccelerator(e.hardware),
    efficiency: inferenceEfficiencyFor(e.hardware),
    tp: 1,
    weightPrecision: "bf16",
    kvPrecision: "bf16",
    computePrecision: "bf16",
  });

const replica = (cost: ReplicaConfig["cost"], maxSeqs: number, over: Partial<ReplicaConfig> = {}): ReplicaConfig => ({
  cost,
  maxBatchedTokens: 8192,
  maxSeqs,
  watermark: 0.01,
  scheduler: "fcfs",
  prefixCacheTokens: 0,
  loraSlots: 0,
  loraLoadS: 0,
  ...over,
});

/** Saturated throughput and $/1M output tokens at each concurrency: DES (all requests queued at once) vs analytic. */
export function batchSizeSweep(e: ExperimentSetup, concurrencies: readonly number[]) {
  const b = base(e);
  const cost = replicaCostModel(b);
  const price = rentalPriceView(e.hardware.id, e.today);
  const rows = concurrencies.map((c) => {
    const analytic = estimateInference({
      ...b,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      batch: c,
      extraPrefillTokens: 0,
    });
    const spec: WorkloadSpec = {
      requests: c * 20,
      arrivals: { kind: "poisson", ratePerS: 1e6 },
      input: { kind: "fixed", tokens: e.inputTokens },
      output: { kind: "fixed", tokens: e.outputTokens },
    };
    const m = servingMetrics(
      simulateCluster(
        generateRequests(spec, createRng(1)),
        { replicas: 1, router: "round-robin", replica: replica(cost, c) },
        { rng: createRng(2) },
      ).records,
    );
    return {
      concurrency: c,
      analyticTokensPerS: analytic.outputTokensPerS,
      desTokensPerS: m.outputTokensPerS,
      ratio: m.outputTokensPerS / analytic.outputTokensPerS,
      chipHoursPerMillionTokens: chipHoursPerMillionTokens(1, m.outputTokensPerS),
      ...priced(price, 1, m.outputTokensPerS),
      tpotMs: m.tpotS.p50 * 1e3,
    };
  });
  return { price, rows };
}

/** TPOT with and without speculative decoding at low load: DES vs the analytic modelled speed-up. */
export function speculativeComparison(e: ExperimentSetup, k: number, acceptance: number, draftCostRatio: number) {
  const b = base(e);
  const cost = replicaCostModel(b);
  const spec: WorkloadSpec = {
    requests: 400,
    arrivals: { kind: "poisson", ratePerS: 0.2 },
    input: { kind: "fixed", tokens: e.inputTokens },
    output: { kind: "fixed", tokens: e.outputTokens },
  };
  const run = (r: ReplicaConfig) =>
    servingMetrics(
      simulateCluster(
        generateRequests(spec, createRng(3)),
        { replicas: 1, router: "round-robin", replica: r },
        { rng: createRng(4) },
      ).records,
    ).tpotS.mean;
  const plain = run(replica(cost, 64));
  const fast = run(replica(cost, 64, { speculative: { k, acceptance, draftCostRatio } }));
  const analytic = estimateInference({
    ...b,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    batch: 1,
    extraPrefillTokens: 0,
    speculative: { k, acceptance, draftCostRatio },
  });
  return {
    desSpeedup: plain / fast,
    analyticSpeedup: analytic.speculative?.modelledSpeedup ?? Number.NaN,
    leviathanSpeedup: analytic.speculative?.analyticSpeedup ?? Number.NaN,
  };
}

/**
 * The GPU-poor argument for shared serving: N fine-tuned models on N dedicated replicas, each at 1/N of the
 * traffic, vs one multi-LoRA replica pool serving all adapters. Same traffic; compares chips and $/1M tokens.
 */
export function loraPooling(e: ExperimentSetup, adapters: number, totalRatePerS: number, loraLoadS: number) {
  const b = base(e);
  const cost = replicaCostModel(b);
  const price = rentalPriceView(e.hardware.id, e.today);
  const requests = 4000;
  const spec = (rate: number, lora?: WorkloadSpec["lora"]): WorkloadSpec => ({
    requests,
    arrivals: { kind: "poisson", ratePerS: rate },
    input: { kind: "fixed", tokens: e.inputTokens },
    output: { kind: "fixed", tokens: e.outputTokens },
    lora,
  });
  const dedicated = servingMetrics(
    simulateCluster(
      generateRequests(spec(totalRatePerS / adapters), createRng(5)),
      { replicas: 1, router: "round-robin", replica: replica(cost, 256) },
      { rng: createRng(6) },
    ).records,
  );
  const pooled: ClusterConfig = {
    replicas: 1,
    router: "round-robin",
    replica: replica(cost, 256, { loraSlots: 16, loraLoadS }),
  };
  const shared = servingMetrics(
    simulateCluster(generateRequests(spec(totalRatePerS, { adapters, zipfS: 1, fraction: 1 }), createRng(5)), pooled, {
      rng: createRng(6),
    }).records,
  );
  const dedicatedTokensPerS = dedicated.outputTokensPerS * adapters;
  return {
    price,
    dedicated: {
      chips: adapters,
      tokensPerS: dedicatedTokensPerS,
      chipHoursPerMillionTokens: chipHoursPerMillionTokens(adapters, dedicatedTokensPerS),
      ...priced(price, adapters, dedicatedTokensPerS),
      p99TtftMs: dedicated.ttftS.p99 * 1e3,
      p99TpotMs: dedicated.tpotS.p99 * 1e3,
    },
    pooled: {
      chips: 1,
      tokensPerS: shared.outputTokensPerS,
      chipHoursPerMillionTokens: chipHoursPerMillionTokens(1, shared.outputTokensPerS),
      ...priced(price, 1, shared.outputTokensPerS),
      p99TtftMs: shared.ttftS.p99 * 1e3,
      p99TpotMs: shared.tpotS.p99 * 1e3,
    },
  };
}
