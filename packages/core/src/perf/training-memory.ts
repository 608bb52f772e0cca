import type { Architecture } from "../model/architecture.ts";
import { routedExpertParamsTotal } from "../model/derived.ts";
import { paramBreakdown } from "../model/params.ts";
import { type Bytes, bytes } from "../units/index.ts";

export type Recompute = "none" | "selective" | "full";
export type ZeroStage = 0 | 1 | 2 | 3;

export interface Parallelism {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  /** Expert parallelism: experts are sharded over `ep` chips of the data-parallel group (ep divides dp). */
  readonly ep: number;
  /** Context parallelism: the sequence is split over `cp` chips. */
  readonly cp: number;
}

export const chipsOf = (p: Parallelism): number => p.tp * p.pp * p.dp * p.cp;

/**
 * Mixed-precision Adam bytes per parameter (Rajbhandari et al. 2020, ZeRO §3): 2 (bf16 weights) + 2 (bf16
 * gradients) + 12 (fp32 master weights, momentum, variance) = 16; ZeRO stage k shards the optimizer (k ≥ 1),
 * gradients (k ≥ 2) and weights (k = 3) over the data-parallel group.
 */
export const WEIGHT_BYTES_PER_PARAM = 2;
export const GRAD_BYTES_PER_PARAM = 2;
export const OPTIMIZER_BYTES_PER_PARAM = 12;

/** Parameters held by one chip before ZeRO: dense params / (tp·pp), expert params additionally / ep. */
export function paramsPerChip(a: Architecture, p: Parallelism): number {
  const b = paramBreakdown(a);
  // Routed experts split over EP; shared experts and routers are replicated like dense weights.
  const expertParams = routedExpertParamsTotal(a);
  const denseParams = b.total - expertParams;
  return denseParams / (p.tp * p.pp) + expertParams / (p.tp * p.pp * p.ep);
}

export interface TrainingMemory {
  readonly weights: Bytes;
  readonly gradients: Bytes;
  readonly optimizer: Bytes;
  readonly activations: Bytes;
  readonly total: Bytes;
}

/** Pipeline schedule (docs/model.md §2.4). */
export type PipelineSchedule = "1f1b" | "interleaved" | "zero-bubble" | "dualpipe";

/**
 * Activation bytes of one transformer layer for one micro-batch, term by term as Korthikanti et al. 2022 §4.1
 * derive them ("Reducing Activation Recomputation in Large Transformer Models"; 16-bit activations, b·s tokens):
 *   attention: input 2sbh + Q 2sbh + K,V 4sbh·g (g = kvHeads/heads; 1 for MHA) + output-projection input 2sbh
 *              + dropout mask sbh; scores (unless FlashAttention or selective recompute): softmax 2as²b
 *              + dropout mask as²b + dropout output 2as²b = 5as²b (2as²b without dropout)
 *   MLP: input 2sbh + up-projection output 2·sb·ffn (×2 gated: up and gate) + activation output 2·sb·ffn
 *        + dropout mask sbh
 *   norms: 2sbh per norm input
 * For GPT-3 (g = 1, ffn = 4h, dropout) this is Table 2's sbh·(34 + 5as/h). Dropout is assumed for LayerNorm-era
 * (GPT-2-block) models and absent for RMSNorm models (Llama, Mistral, DeepSeek…), an assumption.
 * Under TP t: everything but the norm inputs and dropout masks of the sequence-parallel regions (10sbh) is ÷ t;
 * with sequence parallelism everything is ÷ t (Table 2 rows 2–3). Full recompute keeps only the layer input
 * 2sbh (÷ t with SP).
 */
export function activationBytesPerLayer(
  a: Architecture,
  opts: {
    seqLen: number;
    microBatch: number;
    tp: number;
    sequenceParallel: boolean;
    recompute: Recompute;
    flashAttention?: boolean | undefined;
  },
): Bytes {
  const { seqLen: s, microBatch: b, tp: t, sequenceParallel, recompute } = opts;
  const h = a.hidden;
  if (recompute === "full") return bytes((2 * s * b * h) / (sequenceParallel ? t : 1));
  const dropout = a.norm === "layernorm" ? 1 : 0;
  const g = a.kvHeads / a.heads;
  const ffn = a.moe ? a.moe.expertFfn * (a.moe.active + a.moe.shared) : a.ffn;
  const attention = 2 + 2 + 4 * g + 2 + dropout;
  const mlp = 2 + ((a.ffnGated ? 4 : 2) * ffn) / h + (2 * ffn) / h + dropout;
  const norms = 2 * a.normsPerLayer;
  const linear = attention + mlp + norms;
  // The SP regions (norm inputs, dropout masks) that TP without SP replicates: 4sbh norms + 2 masks + 2sbh
  // (the attention and MLP inputs' copies before the all-gather), = 10sbh for GPT-3 (Table 2 row 2).
  const replicated = norms + 2 * dropout + 4;
  const scores = recompute === "selective" || opts.flashAttention ? 0 : ((dropout ? 5 : 2) * a.heads * s) / (h * t);
  const perToken = sequenceParallel ? linear / t + scores : replicated + (linear - replicated) / t + scores;
  return bytes(s * b * h * perToken);
}

/** Micro-batches whose activations the busiest stage holds at once (docs/model.md §2.6). */
export function microBatchesInFlight(pp: number, microBatches: number, schedule: PipelineSchedule): number {
  if (pp <= 1) return 1;
  // DualPipe holds PP + 1 micro-batches' worth (DeepSeek-V3 report Table 2); the others p (Narayanan et al. 2021 §2.2).
  return Math.min(schedule === "dualpipe" ? pp + 1 : pp, Math.max(1, microBatches));
}

export interface MemoryOptions {
  seqLen: number;
  microBatch: number;
  sequenceParallel: boolean;
  recompute: Recompute;
  zero: ZeroStage;
  ppInterleave: number;
  flashAttention?: boolean | undefined;
  schedule?: PipelineSchedule | undefined;
  /** Micro-batches per pipeline per step (caps the in-flight count); default: enough to fill the pipeline. */
  microBatches?: number | undefined;
}

/**
 * Memory per chip: weights, gradients and optimizer state after ZeRO sharding, plus activations of the
 * micro-batches in flight on the busiest stage. 1F1B: the first stage holds p micro-batches of its ceil(L/p)
 * layers (one stage's layers per micro-batch; Korthikanti et al. 2022 §4.2.3); interleaving with v chunks holds
 * a further (p−1)/(p·v) (Narayanan et al. 2021 §2.2.2), none at v = 1; DualPipe keeps two copies of the
 * parameters and p + 1 micro-batches (DeepSeek-V3 report §3.2.1). Full recompute stores layer inputs only,
 * plus one layer's full working set while it is recomputed. The last stage also holds one micro-batch's
 * logits (fp32 for the loss, ÷ t).
 */
export function trainingMemoryPerChip(a: Architecture, p: Parallelism, opts: MemoryOptions): TrainingMemory {
  const n = paramsPerChip(a, p);
  const schedule = opts.schedule ?? (opts.ppInterleave > 1 ? "interleaved" : "1f1b");
  const copies = schedule === "dualpipe" ? 2 : 1;
  const shard = (stage: ZeroStage) => (opts.zero >= stage ? p.dp : 1);
  const layersPerStage = Math.ceil(a.layers / p.pp);
  // ZeRO-3 gathers one layer's weights ahead of use (prefetch): two layers' full weights are resident.
  const gatheredLayer = opts.zero === 3 ? (2 * 2 * n) / layersPerStage : 0;
  const weights = bytes((copies * n * WEIGHT_BYTES_PER_PARAM) / shard(3) + gatheredLayer);
  const gradients = bytes((copies * n * GRAD_BYTES_PER_PARAM) / shard(2));
  const optimizer = bytes((n * OPTIMIZER_BYTES_PER_PARAM) / shard(1));
  const layerOpts = { ...opts, seqLen: opts.seqLen / p.cp, tp: p.tp };
  const perLayer = activationBytesPerLayer(a, layerOpts);
  const inFlight = microBatchesInFlight(p.pp, opts.microBatches ?? p.pp, schedule);
  const interleave = schedule === "interleaved" && p.pp > 1 ? 1 + (p.pp - 1) / (p.pp * opts.ppInterleave) : 1;
  const working = opts.recompute === "full" ? activationBytesPerLayer(a, { ...layerOpts, recompute: "selective" }) : 0;
  // When p does not divide L, the end stages get the shorter share (Llama 3: one layer fewer on the first and last
  // stage, Dubey et al. 2024 §3.3.2); stage 1 then holds one micro-batch fewer of a full ceil(L/p) share.
  const endLayers = a.layers % p.pp === 0 ? layersPerStage : Math.floor(a.layers / p.pp);
  const heldLayers = Math.max(endLayers * inFlight, p.pp > 1 ? layersPerStage * (inFlight - 1) : 0);
  const firstStage = perLayer * heldLayers * interleave + working;
  const logits = (opts.seqLen / p.cp) * opts.microBatch * (a.vocab / p.tp) * 4;
  const lastStage = p.pp > 1 ? perLayer * endLayers * interleave + working + logits : firstStage + logits;
  const activations = bytes(Math.max(firstStage, lastStage));
  return { weights, gradients, optimizer, activations, total: bytes(weights + gradients + optimizer + activations) };
}
