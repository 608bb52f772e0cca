import type { Architecture } from "../model/architecture.ts";
import { activeFfnWidth, routedExpertParamsTotal } from "../model/derived.ts";
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

/**
 * Activation bytes of one transformer layer for one micro-batch (Korthikanti et al. 2022, "Reducing
 * Activation Recomputation in Large Transformer Models", Table 2; 16-bit activations):
 *   no parallelism: s·b·h·(34 + 5·a·s/h)
 *   TP t, no sequence parallelism: s·b·h·(10 + 24/t + 5·a·s/(h·t))
 *   TP t + sequence parallelism: s·b·h·(34/t + 5·a·s/(h·t))
 *   selective recompute drops the 5·a·s/h attention-score term; full recompute keeps only the 2·s·b·h input.
 * The 34 assumes a 4h non-gated MLP; the MLP share (19 of 34) is scaled by ffn/(4h), ×1.5 when gated.
 */
export function activationBytesPerLayer(
  a: Architecture,
  opts: { seqLen: number; microBatch: number; tp: number; sequenceParallel: boolean; recompute: Recompute },
): Bytes {
  const { seqLen: s, microBatch: b, tp: t, sequenceParallel, recompute } = opts;
  const h = a.hidden;
  const ffn = activeFfnWidth(a);
  const mlpShare = 19 * (ffn / (4 * h)) * (a.ffnGated ? 1.5 : 1);
  const linear = 15 + mlpShare; // 11 attention + 4 layer norms + MLP
  if (recompute === "full") return bytes((2 * s * b * h) / (sequenceParallel ? t : 1));
  const scores = recompute === "selective" ? 0 : (5 * a.heads * s) / (h * t);
  const perToken = sequenceParallel ? linear / t + scores : 10 + (linear - 10) / t + scores;
  return bytes(s * b * h * perToken);
}

/**
 * Memory per chip: weights, gradients and optimizer state after ZeRO sharding, plus activations of the
 * micro-batches in flight. With 1F1B the first stage holds p micro-batches of L/p layers = L layers' worth
 * (Korthikanti et al. 2022 §4.2.3); interleaving adds a factor 1 + (p−1)/(p·v).
 */
export function trainingMemoryPerChip(
  a: Architecture,
  p: Parallelism,
  opts: {
    seqLen: number;
    microBatch: number;
    sequenceParallel: boolean;
    recompute: Recompute;
    zero: ZeroStage;
    ppInterleave: number;
  },
): TrainingMemory {
  const n = paramsPerChip(a, p);
  const shard = (stage: ZeroStage) => (opts.zero >= stage ? p.dp : 1);
  const weights = bytes((n * WEIGHT_BYTES_PER_PARAM) / shard(3));
  const gradients = bytes((n * GRAD_BYTES_PER_PARAM) / shard(2));
  const optimizer = bytes((n * OPTIMIZER_BYTES_PER_PARAM) / shard(1));
  const perLayer = activationBytesPerLayer(a, { ...opts, seqLen: opts.seqLen / p.cp, tp: p.tp });
  const interleave = p.pp > 1 ? 1 + (p.pp - 1) / (p.pp * opts.ppInterleave) : 1;
  const activations = bytes(perLayer * a.layers * interleave);
  return { weights, gradients, optimizer, activations, total: bytes(weights + gradients + optimizer + activations) };
}
