import { type Flop, flop, type Tokens } from "../units/index.ts";
import type { Architecture } from "./architecture.ts";
import { attendedPositions, attentionLayerCounts, localAttendedPositions } from "./derived.ts";
import { matmulParamsPerToken, paramBreakdown } from "./params.ts";

/** Width of one head's query·key product and of its value (they differ under MLA). */
function attentionHeadDims(a: Architecture): { qk: number; v: number } {
  if (a.mla) return { qk: a.mla.qkNopeHeadDim + a.mla.qkRopeHeadDim, v: a.mla.vHeadDim };
  return { qk: a.headDim, v: a.headDim };
}

/** Score + weighted-sum FLOPs of one layer for one attended position: 2·heads·(d_qk + d_v) (docs/model.md §1.2). */
export function attentionFlopsPerLayerPosition(a: Architecture): number {
  const { qk, v } = attentionHeadDims(a);
  return 2 * a.heads * (qk + v);
}

/**
 * Attention score + weighted-sum FLOPs for one token with `context` tokens of context (itself included):
 * 2·heads·(d_qk + d_v)·(global layers·context + local layers·min(context, window)). With no local layers and
 * d_qk = d_v = headDim this is Kaplan et al. 2020's 2·n_layer·n_ctx·d_attn per matmul, ×2 matmuls
 * (docs/model.md §1.2); a sliding-window layer attends to at most its window (Beltagy et al. 2020 §3.1).
 */
export function attentionFlopsPerToken(a: Architecture, context: number): Flop {
  const { local, global } = attentionLayerCounts(a);
  return flop(attentionFlopsPerLayerPosition(a) * (global * context + local * localAttendedPositions(a, context)));
}

/** Causal attention FLOPs of `tokens` new tokens after `cached` ones, per layer type (docs/model.md §3.1). */
export function attentionFlops(a: Architecture, tokens: number, cached = 0): Flop {
  const { local, global } = attentionLayerCounts(a);
  const p = attendedPositions(a, tokens, cached);
  return flop(attentionFlopsPerLayerPosition(a) * (global * p.global + local * p.local));
}

/** Forward FLOPs per token at a context length: 2·N_matmul + attention (docs/model.md §1.2). */
export function forwardFlopsPerToken(a: Architecture, context: number = a.maxContext): Flop {
  return flop(2 * matmulParamsPerToken(a) + attentionFlopsPerToken(a, context));
}

/** Training FLOPs, Kaplan/Chinchilla rule: exactly 6·N_active·D (docs/model.md §1.3). */
export function trainingFlops6nd(a: Architecture, trainingTokens: Tokens): Flop {
  return flop(6 * paramBreakdown(a).active * trainingTokens);
}

/**
 * Model training FLOPs with attention: 3 × forward (backward = 2 × forward) at sequence length
 * `seqLen`, i.e. 6·N_matmul·D + 12·layers·heads·headDim·seqLen·D (PaLM, Chowdhery et al. 2022 App. B;
 * like PaLM, non-causal: every token is charged the full `seqLen`, local layers their window).
 */
export function trainingFlops(a: Architecture, trainingTokens: Tokens, seqLen: number): Flop {
  return flop(3 * forwardFlopsPerToken(a, seqLen) * trainingTokens);
}

/** Prefill FLOPs for a prompt of `promptTokens`, causal: token i attends to i earlier tokens (docs/model.md §3.1). */
export function prefillFlops(a: Architecture, promptTokens: number, cachedContext = 0): Flop {
  const linear = 2 * matmulParamsPerToken(a) * promptTokens;
  // Global layers: Σ_{i=1..P} (cached + i) = P·cached + P(P+1)/2 attended positions; local layers at most their window.
  return flop(linear + attentionFlops(a, promptTokens, cachedContext));
}
