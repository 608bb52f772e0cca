import { type Bytes, bytes } from "../units/index.ts";
import type { Architecture } from "./architecture.ts";
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

/** KV-cache bytes per token: 2·layers·kvHeads·headDim·bytes; MLA: layers·(kvLoraRank + ropeDim)·bytes (docs/model.md §1.5). */
export function kvBytesPerToken(a: Architecture, precision: StoragePrecision): Bytes {
  return bytes(a.layers * kvElementsPerTokenPerLayer(a) * bytesPerElement(precision));
}

/**
 * Bytes of a LoRA adapter of rank r on every attention and MLP projection: each W (in × out) gets A (in × r)
 * and B (r × out), so r·(in + out) parameters per matrix per layer (Hu et al. 2021 §4); 2 bytes each (bf16).
 */
export function loraAdapterBytes(a: Architecture, rank: number, bytesPerParam = 2): Bytes {
  const q = a.heads * a.headDim;
  const kv = a.kvHeads * a.headDim;
  const ffn = a.moe ? a.moe.expertFfn * (a.moe.active + a.moe.shared) : a.ffn;
  const attention = a.hidden + q + 2 * (a.hidden + kv) + q + a.hidden;
  const mlp = (a.ffnGated ? 2 : 1) * (a.hidden + ffn) + ffn + a.hidden;
  return bytes(rank * (attention + mlp) * a.layers * bytesPerParam);
}
