/**
 * `npm run bench`: performance targets from the issues, measured in-process (not part of `npm test`).
 * Prints one line per target: the measured number, the goal, and PASS/MISS.
 */
import {
  findAccelerator,
  findModel,
  inferenceEfficiencyFor,
  toAccelerator,
  trainingEfficiencyFor,
} from "@flopcast/catalog";
import { estimateInference, estimateTraining } from "@flopcast/core";

function timeIt(label: string, goalMs: number, iterations: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(50, iterations); i++) fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const ms = (performance.now() - t0) / iterations;
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(4).padStart(10)} ms   goal < ${goalMs} ms   ${ms < goalMs ? "PASS" : "MISS"}`,
  );
  return ms;
}

const must = <T>(r: { ok: true; value: T } | { ok: false }): T => {
  if (!r.ok) throw new Error("catalog lookup failed");
  return r.value;
};
const gpt3 = must(findModel("gpt3-175b")).architecture;
const h100 = must(findAccelerator("h100-sxm"));
const chip = toAccelerator(h100);
const efficiency = trainingEfficiencyFor(h100);
const input = {
  architecture: gpt3,
  trainingTokens: 300e9,
  seqLen: 2048,
  globalBatchTokens: 1536 * 2048,
  microBatch: 1,
  precision: "bf16" as const,
  sequenceParallel: true,
  ppInterleave: 1,
  zero: 1 as const,
  goodput: 1,
};
const cluster = { chip, chips: 1024, efficiency, powerFraction: 1, pue: 1.1 };

timeIt("train: one estimate, fixed parallelism (GPT-3 175B, 1024 H100)", 1, 20_000, () =>
  estimateTraining({ ...input, recompute: "selective" }, { ...cluster, parallelism: { tp: 8, pp: 8, dp: 16 } }),
);
timeIt("train: parallelism search (GPT-3 175B, 1024 H100)", 1000, 200, () => estimateTraining(input, cluster));

const llama70b = must(findModel("llama-2-70b")).architecture;
timeIt("infer: one estimate (Llama-2-70B, 8 H100, batch 64)", 1, 20_000, () =>
  estimateInference({
    architecture: llama70b,
    chip,
    chips: 8,
    tp: 8,
    pp: 1,
    ep: 8,
    weightPrecision: "bf16",
    kvPrecision: "bf16",
    computePrecision: "bf16",
    inputTokens: 1024,
    outputTokens: 256,
    batch: 64,
    extraPrefillTokens: 0,
    usableMemoryFraction: 0.9,
    efficiency: inferenceEfficiencyFor(h100),
  }),
);
