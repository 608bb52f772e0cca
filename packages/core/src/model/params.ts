import type { Architecture } from "./architecture.ts";
import { denseFfnLayerCount, ffnParams, moeLayerCount, moeLayerSharedParams, routedExpertParams } from "./derived.ts";

/** Parameter counts, split so that each term can be explained (docs/model.md §1.1). */
export interface ParamBreakdown {
  readonly embedding: number;
  readonly positions: number;
  readonly lmHead: number;
  readonly attentionPerLayer: number;
  readonly normsPerLayer: number;
  readonly denseMlpPerLayer: number;
  /** Every routed + shared expert + router (+ shared-expert gate) of one MoE layer. */
  readonly moeMlpPerLayerTotal: number;
  /** Active routed experts + shared experts + router of one MoE layer. */
  readonly moeMlpPerLayerActive: number;
  readonly finalNorm: number;
  readonly total: number;
  readonly active: number;
}

const normParams = (a: Architecture, width: number): number => (a.norm === "layernorm" ? 2 * width : width);

/** Attention projections of one layer: MHA/GQA/MQA (Q, K, V, O) or MLA (DeepSeek-V2 §2.1 low-rank Q and KV). */
export function attentionParams(a: Architecture): number {
  const h = a.hidden;
  if (a.mla) {
    const m = a.mla;
    const qkHead = m.qkNopeHeadDim + m.qkRopeHeadDim;
    const q =
      m.qLoraRank > 0
        ? h * m.qLoraRank + m.qLoraRank /* q_a_layernorm */ + m.qLoraRank * a.heads * qkHead
        : h * a.heads * qkHead;
    const kvDown = h * (m.kvLoraRank + m.qkRopeHeadDim) + m.kvLoraRank; /* kv_a_proj_with_mqa + kv_a_layernorm */
    const kvUp = m.kvLoraRank * a.heads * (m.qkNopeHeadDim + m.vHeadDim);
    const out = a.heads * m.vHeadDim * h;
    return q + kvDown + kvUp + out;
  }
  const qWidth = a.heads * a.headDim;
  const kvWidth = a.kvHeads * a.headDim;
  const projections = h * qWidth + 2 * h * kvWidth + qWidth * h;
  const qkvBias = a.qkvBias ? qWidth + 2 * kvWidth : 0;
  const outBias = a.outBias ? h : 0;
  // q/k norms: per head (Qwen3, Gemma 3: head_dim each) or over the whole projection (OLMo 2: q width + k width).
  const qkNorm = !a.qkNorm
    ? 0
    : a.qkNormWidth === "projection"
      ? normParams(a, qWidth) + normParams(a, kvWidth)
      : 2 * normParams(a, a.headDim);
  // gpt-oss: one learned sink logit per head, added to each softmax denominator (OpenAI gpt-oss model card §2).
  const sinks = a.attentionSinks ? a.heads : 0;
  return projections + qkvBias + outBias + qkNorm + sinks;
}

/** Exact parameter counts from an architecture (total, and active per token for MoE). */
export function paramBreakdown(a: Architecture): ParamBreakdown {
  const embedding = a.vocab * a.hidden + (a.embeddingNorm ? normParams(a, a.hidden) : 0);
  // Learned: a table of positions × hidden. Relative (Transformer-XL, Dai et al. 2019 §3.3, used by Gopher and
  // Chinchilla): one hidden × hidden projection W_R of the sinusoid encodings per layer.
  const positions =
    a.positionEmbedding === "learned"
      ? (a.positionTableRows ?? a.maxContext) * a.hidden
      : a.positionEmbedding === "relative"
        ? a.layers * a.hidden * a.hidden
        : 0;
  const lmHead = (a.tiedEmbeddings ? 0 : a.vocab * a.hidden) + (a.lmHeadBias ? a.vocab : 0);
  const attentionPerLayer = attentionParams(a);
  const normsPerLayer = a.normsPerLayer * normParams(a, a.hidden);
  const denseMlpPerLayer = a.ffn > 0 ? ffnParams(a, a.ffn, a.mlpBias) : 0;
  let moeMlpPerLayerTotal = 0;
  let moeMlpPerLayerActive = 0;
  if (a.moe) {
    const expert = routedExpertParams(a);
    const shared = moeLayerSharedParams(a);
    moeMlpPerLayerTotal = a.moe.experts * expert + shared;
    moeMlpPerLayerActive = a.moe.active * expert + shared;
  }
  const denseLayers = denseFfnLayerCount(a);
  const moeLayers = moeLayerCount(a);
  const finalNorm = normParams(a, a.hidden);
  const shared =
    embedding +
    positions +
    lmHead +
    finalNorm +
    a.layers * (attentionPerLayer + normsPerLayer) +
    denseLayers * denseMlpPerLayer;
  return {
    embedding,
    positions,
    lmHead,
    attentionPerLayer,
    normsPerLayer,
    denseMlpPerLayer,
    moeMlpPerLayerTotal,
    moeMlpPerLayerActive,
    finalNorm,
    total: shared + moeLayers * moeMlpPerLayerTotal,
    active: shared + moeLayers * moeMlpPerLayerActive,
  };
}

/**
 * Parameters that take part in matrix multiplies for one token: active parameters minus the input
 * embedding lookup and the learned position table (a tied embedding is still the LM head's matmul).
 */
export function matmulParamsPerToken(a: Architecture): number {
  const p = paramBreakdown(a);
  const inputLookup = a.tiedEmbeddings ? 0 : a.vocab * a.hidden;
  return p.active - inputLookup - p.positions;
}
