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
