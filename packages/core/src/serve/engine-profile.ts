/**
 * Engine profiles (ARCHITECTURE §3): the few per-engine constants a serving engine adds on top of the chip
 * physics — CPU/scheduler time per iteration, captured CUDA-graph batch sizes, default caps on running
 * requests and tokens per iteration, prefill chunk size. Chip physics (matmul/HBM/link fractions) is not
 * here: it stays in the inference step model shared with `infer` and `train`, so a profile cannot absorb a
 * chip difference. `iterationOverheadS` and `requestLatencyS` are the fitted constants (scripts/calibrate-serving.ts, dev rows
 * of reference/serving-measured.csv); the caps are the engines' documented defaults.
 */

import type { CoreWarning } from "../perf/derivation.ts";

export interface EngineProfile {
  readonly id: string;
  readonly name: string;
  /** Host-side time per iteration not overlapped with the GPU (scheduling, sampling, detokenise, launch). */
  readonly iterationOverheadS: number;
  /**
   * Request-path latency outside the GPU iterations (HTTP, tokenise, schedule, detokenise; Dynamo's frontend
   * hop), part of TTFT and end-to-end latency; fitted on the dev rows at concurrency ≤ 4, 0 until fitted.
   */
  readonly requestLatencyS: number;
  /** Captured CUDA-graph batch sizes for decode-only iterations, ascending (a decode batch is padded up). */
  readonly graphBatchSizes: readonly number[];
  /** Default cap on running requests per engine instance. */
  readonly maxRunningRequests: number;
  /** Default token budget per iteration (prefill chunk size under chunked prefill). */
  readonly maxBatchedTokens: number;
  /** Where each number comes from. */
  readonly basis: string;
  /** True for the fallback profile used when the engine is unknown. */
  readonly generic: boolean;
}

/** 1, 2, 4, then multiples of `step` up to `max` (vLLM's and SGLang's default capture lists have this shape). */
export function captureSizes(step: number, max: number): number[] {
  const out = [1, 2, 4];
  for (let b = step; b <= max; b += step) out.push(b);
  return out;
}

/** Fitted per-iteration host overheads (seconds); regenerate with `npm run calibrate:serving`. */
export const FITTED_ITERATION_OVERHEAD_S: Readonly<Record<string, number>> = {
  generic: 0.002,
};

const overhead = (id: string) => FITTED_ITERATION_OVERHEAD_S[id] ?? FITTED_ITERATION_OVERHEAD_S.generic ?? 0.002;

export const ENGINE_PROFILES = {
  vllm: {
    id: "vllm",
    name: "vLLM (V1 engine)",
    iterationOverheadS: overhead("vllm"),
    requestLatencyS: 0,
    graphBatchSizes: captureSizes(8, 512),
    maxRunningRequests: 1024,
    maxBatchedTokens: 8192,
    basis:
      "vLLM EngineArgs V1 defaults on ≥ 70 GiB GPUs (OpenAI server: max_num_seqs 1024, max_num_batched_tokens 8192); cudagraph capture sizes 1, 2, 4, 8…512 step 8; iteration overhead fitted when the calibration has vLLM rows (none of the DeepSeek-R1 dev rows runs vLLM: then the generic 2 ms assumption)",
    generic: false,
  },
  sglang: {
    id: "sglang",
    name: "SGLang",
    iterationOverheadS: overhead("sglang"),
    requestLatencyS: 0,
    graphBatchSizes: captureSizes(8, 512),
    maxRunningRequests: 4096,
    maxBatchedTokens: 16384,
    basis:
      "SGLang ServerArgs: chunked_prefill_size 16384 on ≥ 80 GB Hopper/Blackwell GPUs (assumption: 8192–16384 by GPU memory), max_running_requests bounded by the KV pool (cap 4096 here), cuda_graph_max_bs up to 512 in benchmark recipes; iteration overhead fitted",
    generic: false,
  },
  "trt-llm": {
    id: "trt-llm",
    name: "TensorRT-LLM (PyTorch backend, trtllm-serve)",
    iterationOverheadS: overhead("trt-llm"),
    requestLatencyS: 0,
    graphBatchSizes: captureSizes(8, 1024),
    maxRunningRequests: 2048,
    maxBatchedTokens: 8192,
    basis:
      "trtllm-serve defaults max_batch_size 2048, max_num_tokens 8192; CUDA graph batch sizes up to the recipe's max (1024 assumed); iteration overhead fitted",
    generic: false,
  },
  generic: {
    id: "generic",
    name: "generic continuous-batching engine",
    iterationOverheadS: overhead("generic"),
    requestLatencyS: 0,
    graphBatchSizes: [],
    maxRunningRequests: 256,
    maxBatchedTokens: 8192,
    basis: "assumption: vLLM V0-like defaults (max_num_seqs 256, 8192 tokens per iteration), 2 ms per iteration",
    generic: true,
  },
} as const satisfies Record<string, EngineProfile>;

export type EngineId = keyof typeof ENGINE_PROFILES;
export const ENGINE_IDS = Object.keys(ENGINE_PROFILES) as [EngineId, ...EngineId[]];

/**
 * Engine names as benchmarks spell them (InferenceX `framework`): Dynamo runs a disaggregated cluster of the
 * named engine, so `dynamo-trt` uses the TensorRT-LLM profile.
 */
const ALIASES: Readonly<Record<string, EngineId>> = {
  trt: "trt-llm",
  tensorrt: "trt-llm",
  "tensorrt-llm": "trt-llm",
  trtllm: "trt-llm",
  "dynamo-trt": "trt-llm",
  "dynamo-sglang": "sglang",
  "mori-sglang": "sglang",
  "dynamo-vllm": "vllm",
};

/** The profile of an engine name; unknown names get the generic profile and say so. */
export function engineProfile(name: string | undefined): { profile: EngineProfile; warning?: CoreWarning } {
  if (name === undefined) return { profile: ENGINE_PROFILES.generic };
  const key = name.toLowerCase();
  const id = (key in ENGINE_PROFILES ? key : ALIASES[key]) as EngineId | undefined;
  if (id) return { profile: ENGINE_PROFILES[id] };
  return {
    profile: ENGINE_PROFILES.generic,
    warning: {
      code: "unknown-engine",
      params: { engine: name, known: [...ENGINE_IDS, ...Object.keys(ALIASES)] },
      message: `unknown engine "${name}": using the generic engine profile (known: ${[...ENGINE_IDS, ...Object.keys(ALIASES)].join(", ")})`,
    },
  };
}
