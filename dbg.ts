import { findAccelerator, findModel, inferenceEfficiencyFor, toAccelerator } from "@flopcast/catalog";
import {
  createRng,
  estimateInference,
  generateRequests,
  replicaCostModel,
  servingMetrics,
  simulateCluster,
} from "@flopcast/core";

const m = findModel("llama-3.1-8b");
const h = findAccelerator("h100-sxm");
if (!m.ok || !h.ok) throw 1;
const chip = toAccelerator(h.value);
const base = {
  architecture: m.value.architecture,
  chip,
  chips: 1,
  tp: 1,
  pp: 1,
  ep: 1,
  weightPrecision: "bf16" as const,
  kvPrecision: "bf16" as const,
  computePrecision: "bf16" as const,
  usableMemoryFraction: 0.9,
  efficiency: inferenceEfficiencyFor(h.value),
};
const cost = replicaCostModel(base);
for (const [rate, N] of [
  [0.1, 2000],
  [20, 200000],
  [60, 100000],
] as const) {
  const t0 = performance.now();
  const reqs = generateRequests(
    {
      requests: N,
      arrivals: { kind: "poisson", ratePerS: rate },
      input: { kind: "fixed", tokens: 512 },
      output: { kind: "fixed", tokens: 256 },
    },
    createRng(7),
  );
  const res = simulateCluster(
    reqs,
    {
      replicas: 1,
      router: "round-robin",
      replica: {
        cost,
        maxBatchedTokens: 8192,
        maxSeqs: 256,
        watermark: 0.01,
        scheduler: "chunked",
        prefixCacheTokens: 0,
        loraSlots: 0,
        loraLoadS: 0,
      },
    },
    { rng: createRng(7) },
  );
  const ms = performance.now() - t0;
  const mt = servingMetrics(res.records, { ttftS: 2, tpotS: 0.1 });
  console.log(
    rate,
    N,
    `${ms.toFixed(0)} ms`,
    `${((N / ms) * 1000).toFixed(0)} req/s`,
    res.simulatedEvents,
    res.iterations,
    "ttft p50",
    (mt.ttftS.p50 * 1000).toFixed(2),
    "tpot p50",
    (mt.tpotS.p50 * 1000).toFixed(2),
    "thr",
    mt.outputTokensPerS.toFixed(0),
    "kv",
    res.kvUtilisationMax.toFixed(2),
    res.warnings,
  );
}
const e = estimateInference({ ...base, inputTokens: 512, outputTokens: 256, batch: 1, extraPrefillTokens: 0 });
console.log("analytic ttft", e.ttftS * 1000, "tpot", e.tpotS * 1000);
