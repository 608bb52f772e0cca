/**
 * Inference planning inputs (docs/model.md §3): the one builder of a serving replica's estimator input, the
 * precision resolution every inference/serving command shares, and the tensor-parallel degrees a planner tries.
 * Pure: takes resolved records (architecture, chip, efficiency), no catalog look-ups.
 */
import type { Problem } from "../errors.ts";
import { type Accelerator, defaultPrecision } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { type ComputePrecision, computePrecisionFor, type StoragePrecision } from "../model/precision.ts";
import type { CoreWarning } from "../perf/derivation.ts";
import { INFERENCE_ASSUMPTIONS, type InferenceEfficiency, type ReplicaInput } from "../perf/inference.ts";

/** Resolves the matmul precision: the asked one if native, else bf16/fp16 (weight-only quantization) with a warning. */
export function resolveComputePrecision(
  chip: Accelerator,
  weights: StoragePrecision,
  activation?: ComputePrecision,
): { precision: ComputePrecision; warning?: CoreWarning } {
  const wanted = activation ?? computePrecisionFor(weights);
  // int4/fp4 weights without native 4-bit matmuls run as W4A16: dequantized into 16-bit matmuls.
  if (chip.peak[wanted] !== null) return { precision: wanted };
  const fallback = defaultPrecision(chip);
  return {
    precision: fallback,
    warning: {
      code: "weight-only-quantization",
      params: { hardware: chip.id, wanted, weights, fallback },
      message: `${chip.id} has no native ${wanted} matmuls: ${weights} weights are stored at ${weights} but computed at ${fallback} speed (weight-only quantization)`,
    },
  };
}

/** KV-cache precision when not given: the weights' for 8/16-bit formats; 16-bit for int8/int4/fp4 weights (weight-only quantization keeps a 16-bit cache). */
export function defaultKvPrecision(chip: Accelerator, weights: StoragePrecision): StoragePrecision {
  return weights === "int4" || weights === "fp4" || weights === "int8" ? defaultPrecision(chip) : weights;
}

/** Largest tensor-parallel degree a serving planner tries (no engine shards one layer over more ranks). */
export const MAX_SERVING_TP = 64;

/** Tensor-parallel degrees a serving planner tries: powers of two ≤ min(maxTp, 64) that divide the attention heads. */
export function servingTpCandidates(heads: number, maxTp: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= Math.min(Math.max(maxTp, 1), MAX_SERVING_TP); t *= 2) if (heads % t === 0) out.push(t);
  return out;
}

/** A replica's layout: tp × pp chips, experts over ep of them. */
export interface ReplicaLayout {
  readonly tp: number;
  readonly pp: number;
  readonly ep: number;
}

/**
 * The one inference layout builder: tp defaults to filling the scale-up domain (≤ chips ÷ pp), ep to tp·pp; the
 * replica must fit the chips, tp divide the attention heads and pp not exceed the layers. Problems name the field.
 */
export function replicaLayout(
  a: Architecture,
  modelId: string,
  chips: number,
  d: { readonly tp?: number | undefined; readonly pp?: number | undefined; readonly ep?: number | undefined },
  scaleUpDomain: number,
): { ok: true; layout: ReplicaLayout } | { ok: false; problems: Problem[] } {
  const pp = d.pp ?? 1;
  const tp = d.tp ?? Math.max(1, Math.min(Math.floor(chips / pp), scaleUpDomain));
  const problems: Problem[] = [];
  if (tp * pp > chips)
    problems.push({ path: "tp", message: `tp ${tp} × pp ${pp} = ${tp * pp} exceeds ${chips} chips` });
  if (a.heads % tp !== 0)
    problems.push({ path: "tp", message: `tp ${tp} does not divide the ${a.heads} attention heads of ${modelId}` });
  if (pp > a.layers) problems.push({ path: "pp", message: `pp ${pp} exceeds the ${a.layers} layers of ${modelId}` });
  return problems.length ? { ok: false, problems } : { ok: true, layout: { tp, pp, ep: d.ep ?? tp * pp } };
}

/** What a serving replica is: the model on a chip, its layout and precisions (everything but the workload). */
export interface ReplicaSpec {
  readonly architecture: Architecture;
  readonly chip: Accelerator;
  readonly efficiency: InferenceEfficiency;
  readonly tp: number;
  /** Default 1. */
  readonly pp?: number | undefined;
  /** Expert-parallel ranks of the MoE layers; default tp·pp (the experts spread over the whole replica). */
  readonly ep?: number | undefined;
  /** Chips of the deployment (replicas = chips ÷ (tp·pp)); default one replica, tp·pp. */
  readonly chips?: number | undefined;
  readonly weightPrecision: StoragePrecision;
  readonly kvPrecision: StoragePrecision;
  /** Matmul precision; default the weights' resolved to one the chip runs natively. */
  readonly computePrecision?: ComputePrecision | undefined;
  /** Default INFERENCE_ASSUMPTIONS.usableMemoryFraction (vLLM's gpu_memory_utilization). */
  readonly usableMemoryFraction?: number | undefined;
}

/** The one inference estimator-input builder: a replica spec → `ReplicaInput` with the defaults above. */
export function replicaInput(r: ReplicaSpec): ReplicaInput {
  const pp = r.pp ?? 1;
  return {
    architecture: r.architecture,
    chip: r.chip,
    chips: r.chips ?? r.tp * pp,
    tp: r.tp,
    pp,
    ep: r.ep ?? r.tp * pp,
    weightPrecision: r.weightPrecision,
    kvPrecision: r.kvPrecision,
    computePrecision: r.computePrecision ?? resolveComputePrecision(r.chip, r.weightPrecision).precision,
    usableMemoryFraction: r.usableMemoryFraction ?? INFERENCE_ASSUMPTIONS.usableMemoryFraction,
    efficiency: r.efficiency,
  };
}
