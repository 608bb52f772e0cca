import { type Flop, flop, type Tokens } from "../units/index.ts";
import type { Architecture } from "./architecture.ts";
import { matmulParamsPerToken, paramBreakdown } from "./params.ts";

/** Width of one head's query·key product and of its value (they differ under MLA). */
function attentionHeadDims(a: Architecture): { qk: number; v: number } {
  if (a.mla) return { qk: a.mla.qkNopeHeadDim + a.mla.qkRopeHeadDim, v: a.mla.vHeadDim };
  return { qk: a.headDim, v: a.headDim };
}

/**
 * Attention score + weighted-sum FLOPs for one token attending to `context` tokens:
 * 2·layers·context·heads·(d_qk + d_v); with d_qk = d_v = headDim this is Kaplan et al. 2020's
 * 2·n_layer·n_ctx·d_attn per matmul, ×2 matmuls (docs/model.md §1.2).
 */
export function attentionFlopsPerToken(a: Architecture, context: number): Flop {
  const { qk, v } = attentionHeadDims(a);
  return flop(2 * a.layers * context * a.heads * (qk + v));
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
 * `seqLen`, i.e. 6·N_matmul·D + 12·layers·heads·headDim·seqLen·D (PaLM, Chowdhery et al. 2022 App. B).
 */
export function trainingFlops(a: Architecture, trainingTokens: Tokens, seqLen: number): Flop {
  return flop(3 * forwardFlopsPerToken(a, seqLen) * trainingTokens);
}

/** Prefill FLOPs for a prompt of `promptTokens`, causal: token i attends to i earlier tokens (docs/model.md §3.1). */
export function prefillFlops(a: Architecture, promptTokens: number, cachedContext = 0): Flop {
  const linear = 2 * matmulParamsPerToken(a) * promptTokens;
  // Σ_{i=1..P} (cached + i) = P·cached + P(P+1)/2 attended positions.
  const attendedPositions = promptTokens * cachedContext + (promptTokens * (promptTokens + 1)) / 2;
  return flop(linear + attentionFlopsPerToken(a, attendedPositions));
}
