import type { Architecture } from "./architecture.ts";

/**
 * Quantities derived from an architecture that several estimators need (params, inference, training,
 * serving). One place, so that a new MoE or attention feature is taught once (docs/model.md §1.7).
 */

/** Layers whose FFN is dense: the leading `firstDenseLayers`, or every dense layer when they are interleaved. */
export function denseFfnLayerCount(a: Architecture): number {
  if (!a.moe) return a.layers;
  return Math.min(a.layers, a.moe.denseLayers ?? a.moe.firstDenseLayers);
}

/** Layers whose FFN is a mixture of experts. */
export function moeLayerCount(a: Architecture): number {
  return a.moe ? a.layers - denseFfnLayerCount(a) : 0;
}

/** Routed experts each token goes to in a MoE layer (top-k); 0 for a dense model. */
export function expertsPerToken(a: Architecture): number {
  return a.moe ? a.moe.active : 0;
}

/** Summed intermediate width of the shared (always-on) experts of one MoE layer. */
export function sharedExpertFfnWidth(a: Architecture): number {
  if (!a.moe) return 0;
  return a.moe.shared * (a.moe.sharedExpertFfn ?? a.moe.expertFfn);
}

/**
 * FFN intermediate width one token passes through in a MoE layer: k routed experts + the shared ones
 * (Qwen3-30B-A3B: 8 × 768 = 6144; DeepSeek-V3: 8 × 2048 + 2048 = 18432); `a.ffn` for a dense model.
 */
export function activeFfnWidth(a: Architecture): number {
  if (!a.moe) return a.ffn;
  return a.moe.active * a.moe.expertFfn + sharedExpertFfnWidth(a);
}

/** One FFN of intermediate size `ffn` (dense MLP or one expert): 3 matrices if gated (SwiGLU/GeGLU), else 2; biases if any. */
export function ffnParams(a: Architecture, ffn: number, bias: boolean): number {
  const matrices = a.ffnGated ? 3 : 2;
  const biasParams = bias ? (a.ffnGated ? 2 : 1) * ffn + a.hidden : 0;
  return matrices * a.hidden * ffn + biasParams;
}

/** Parameters of one routed expert (weights + biases). */
export function routedExpertParams(a: Architecture): number {
  return a.moe ? ffnParams(a, a.moe.expertFfn, a.moe.expertBias) : 0;
}

/** Shared experts + router (+ shared-expert gate) of one MoE layer: replicated, never split by expert parallelism. */
export function moeLayerSharedParams(a: Architecture): number {
  if (!a.moe) return 0;
  const m = a.moe;
  const shared = m.shared * ffnParams(a, m.sharedExpertFfn ?? m.expertFfn, m.expertBias);
  const router = a.hidden * m.experts + (m.routerBias ? m.experts : 0);
  const gate = m.sharedExpertGate ? a.hidden : 0;
  return shared + router + gate;
}

/** All routed-expert parameters of the model (the part expert parallelism splits). */
export function routedExpertParamsTotal(a: Architecture): number {
  return a.moe ? moeLayerCount(a) * a.moe.experts * routedExpertParams(a) : 0;
}

/** Routed-expert parameters one token uses (k experts in each MoE layer). */
export function routedExpertParamsActive(a: Architecture): number {
  return a.moe ? moeLayerCount(a) * a.moe.active * routedExpertParams(a) : 0;
}

/** Layers that attend to a local window or chunk, and layers that attend to the whole context. */
export function attentionLayerCounts(a: Architecture): { readonly local: number; readonly global: number } {
  const local = a.window ? Math.min(a.layers, a.window.layers) : 0;
  return { local, global: a.layers - local };
}

/**
 * Positions a token at 1-based position `position` attends to in a local layer: min(position, w) under a
 * sliding window; ((position − 1) mod C) + 1 within its chunk of C (Llama 4 chunked attention).
 */
export function localAttendedPositions(a: Architecture, position: number): number {
  if (!a.window || position <= 0) return Math.max(0, position);
  const w = a.window.tokens;
  return a.window.kind === "sliding" ? Math.min(position, w) : ((position - 1) % w) + 1;
}

/** Σ_{j=1..n} of the positions attended in a local layer, in closed form. */
function localAttendedPrefixSum(a: Architecture, n: number): number {
  if (n <= 0) return 0;
  if (!a.window) return (n * (n + 1)) / 2;
  const w = a.window.tokens;
  if (a.window.kind === "sliding") return n <= w ? (n * (n + 1)) / 2 : (w * (w + 1)) / 2 + (n - w) * w;
  const full = Math.floor(n / w);
  const rest = n - full * w;
  return (full * w * (w + 1)) / 2 + (rest * (rest + 1)) / 2;
}

/**
 * Attended positions summed over the tokens at positions cached+1 … cached+tokens, per layer type: a global
 * layer sees Σ (cached + i) = tokens·cached + tokens(tokens+1)/2 (causal); a local layer at most its window.
 */
export function attendedPositions(
  a: Architecture,
  tokens: number,
  cached = 0,
): { readonly global: number; readonly local: number } {
  const global = tokens * cached + (tokens * (tokens + 1)) / 2;
  const local = localAttendedPrefixSum(a, cached + tokens) - localAttendedPrefixSum(a, cached);
  return { global, local };
}

/**
 * Tokens whose K/V a local layer keeps for a sequence of `context` tokens: min(context, window) (vLLM frees
 * blocks that left the window; chunked attention is allocated as a window of one chunk).
 */
export function localKvTokens(a: Architecture, context: number): number {
  return a.window ? Math.min(context, a.window.tokens) : context;
}
