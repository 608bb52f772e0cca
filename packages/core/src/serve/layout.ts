/**
 * Parallel layouts of real serving engines on top of the inference iteration-cost model (docs/model.md §4).
 *
 * The simulator sees a replica only through `ReplicaCostModel` (iteration seconds, KV capacity); this module
 * builds one for a layout from a `ReplicaCostFactory` — by default the inference model's `replicaCostModel` —
 * so a new inference model drops in without touching the simulator. Layouts:
 * - TP (with EP for the experts when ep > 1): the factory's own model.
 * - DP attention (DeepSeek/SGLang `--enable-dp-attention`, TensorRT-LLM attention DP): the replica's D = tp
 *   ranks each run attention for 1/D of the batch with a full copy of the attention weights; the MoE layers
 *   run expert-parallel over the same ranks with a dispatch and a combine all-to-all per layer (already in the
 *   factory's EP collectives). Relative to TP this (a) reads each sequence's KV on one rank only — for MLA,
 *   whose latent TP replicates on every rank, the per-chip KV read falls by D — and (b) streams the whole
 *   attention weights on every rank: (1 − 1/D) · attention bytes more per iteration, and that much less
 *   memory for KV.
 */
import { kvBytesPerToken } from "../model/memory.ts";
import { paramBreakdown } from "../model/params.ts";
import { bytesPerElement } from "../model/precision.ts";
import { type ReplicaCostModel, type ReplicaInput, replicaCostModel } from "../perf/inference.ts";

export interface ServingLayout {
  /** Tensor-parallel degree of the dense parts (= the replica's chips per pipeline stage). */
  readonly tp: number;
  readonly pp: number;
  /** Expert-parallel degree of the MoE layers (≤ tp·pp). */
  readonly ep: number;
  /** Data-parallel attention over the tp ranks (MoE models). */
  readonly dpAttention: boolean;
}

/** The narrow interface to the inference step model: replica input → iteration cost and KV capacity. */
export type ReplicaCostFactory = (input: ReplicaInput) => ReplicaCostModel;

export type LayoutInput = Omit<ReplicaInput, "tp" | "pp" | "ep" | "chips">;

/** Attention weight bytes of the whole model (all layers) at the weight precision. */
export function attentionWeightBytes(input: Pick<ReplicaInput, "architecture" | "weightPrecision">): number {
  const p = paramBreakdown(input.architecture);
  return input.architecture.layers * p.attentionPerLayer * bytesPerElement(input.weightPrecision);
}

export function layoutCostModel(
  base: LayoutInput,
  layout: ServingLayout,
  factory: ReplicaCostFactory = replicaCostModel,
): ReplicaCostModel & { readonly kvTransferBytesPerToken: number } {
  const chips = layout.tp * layout.pp;
  const inner = factory({ ...base, chips, tp: layout.tp, pp: layout.pp, ep: layout.ep });
  const fullKvPerToken = kvBytesPerToken(base.architecture, base.kvPrecision);
  const kvTransferBytesPerToken = fullKvPerToken;
  const d = layout.tp;
  if (!layout.dpAttention || d <= 1) return { ...inner, kvTransferBytesPerToken };
  const kvPerChipTp = inner.kvBytesPerToken / chips;
  // Bytes per chip one sequence-token costs under TP ÷ under DP attention (one rank holds it whole, per stage).
  const kvReadScale = kvPerChipTp / (fullKvPerToken / layout.pp);
  const extraWeightBytes = (attentionWeightBytes(base) * (1 - 1 / d)) / layout.pp;
  const hbm = (base.chip.memoryBandwidth ?? 0) * base.efficiency.fractions.hbmFraction;
  const extraWeightS = hbm > 0 ? extraWeightBytes / hbm : 0;
  const freePerChip = inner.kvCapacityTokens * kvPerChipTp - extraWeightBytes;
  const kvCapacityTokens = Math.max(0, (d * freePerChip) / (fullKvPerToken / layout.pp));
  const feasible = inner.feasible && freePerChip > 0;
  return {
    iterationS: (w) =>
      inner.iterationS({
        ...w,
        kvReadTokens: w.kvReadTokens / (d * kvReadScale),
        kvWriteTokens: w.kvWriteTokens / (d * kvReadScale),
      }) +
      extraWeightS * w.passes,
    draftIterationS: inner.draftIterationS,
    kvCapacityTokens,
    kvBytesPerToken: fullKvPerToken,
    kvTransferBytesPerToken,
    feasible,
    ...(feasible
      ? {}
      : { reason: inner.reason ?? "attention weights replicated on every rank (DP attention) leave no room for KV" }),
  };
}
