import { type Bytes, bytes } from "../units/index.ts";
import type { Architecture } from "./architecture.ts";
import { activeFfnWidth, attentionLayerCounts, localKvTokens } from "./derived.ts";
import { paramBreakdown } from "./params.ts";
import { bytesPerElement, type StoragePrecision } from "./precision.ts";

/** Bytes of all weights at a storage precision (docs/model.md §1.4). */
export function weightBytes(a: Architecture, precision: StoragePrecision): Bytes {
  return bytes(paramBreakdown(a).total * bytesPerElement(precision));
}

/** Elements cached per token per layer: K and V for each KV head (GQA/MQA), or MLA's compressed latent + RoPE key. */
export function kvElementsPerTokenPerLayer(a: Architecture): number {
  if (a.mla) return a.mla.kvLoraRank + a.mla.qkRopeHeadDim;
  return 2 * a.kvHeads * a.headDim;
}

/**
 * KV-cache bytes of one sequence of `context` tokens: per layer, elements·bytes × the tokens the layer keeps
 * (all of them in a global layer, min(context, window) in a local one) (docs/model.md §1.5).
 */
export function kvBytesPerSequence(a: Architecture, precision: StoragePrecision, context: number): Bytes {
  const { local, global } = attentionLayerCounts(a);
  const perLayerToken = kvElementsPerTokenPerLayer(a) * bytesPerElement(precision);
  return bytes(perLayerToken * (global * context + local * localKvTokens(a, context)));
}

/** KV-cache bytes per token if every layer kept every token: 2·layers·kvHeads·headDim·bytes (MLA: the latent). */
export function kvBytesPerTokenAllLayers(a: Architecture, precision: StoragePrecision): Bytes {
  return bytes(a.layers * kvElementsPerTokenPerLayer(a) * bytesPerElement(precision));
}

/**
 * KV-cache bytes per token: 2·layers·kvHeads·headDim·bytes; MLA: layers·(kvLoraRank + ropeDim)·bytes
 * (docs/model.md §1.5). With local-attention layers the cost per token depends on the context: this is the
 * average over a sequence of `context` tokens (default: the model's max context), kvBytesPerSequence ÷ context.
 */
export function kvBytesPerToken(a: Architecture, precision: StoragePrecision, context: number = a.maxContext): Bytes {
  if (!a.window) return kvBytesPerTokenAllLayers(a, precision);
  return bytes(kvBytesPerSequence(a, precision, context) / Math.max(1, context));
}

/**
 * Bytes of a LoRA adapter of rank r on every attention and MLP projection: each W (in × out) gets A (in × r)
 * and B (r × out), so r·(in + out) parameters per matrix per layer (Hu et al. 2021 §4); 2 bytes each (bf16).
 */
export function loraAdapterBytes(a: Architecture, rank: number, bytesPerParam = 2): Bytes {
  const q = a.heads * a.headDim;
  const kv = a.kvHeads * a.headDim;
  const ffn = activeFfnWidth(a);
  const attention = a.hidden + q + 2 * (a.hidden + kv) + q + a.hidden;
  const mlp = (a.ffnGated ? 2 : 1) * (a.hidden + ffn) + ffn + a.hidden;
  return bytes(rank * (attention + mlp) * a.layers * bytesPerParam);
}
