import type { Architecture } from "./architecture.ts";

/** Parameter counts, split so that each term can be explained (docs/model.md §1.1). */
export interface ParamBreakdown {
  readonly embedding: number;
  readonly positions: number;
  readonly lmHead: number;
  readonly attentionPerLayer: number;
  readonly normsPerLayer: number;
  readonly denseMlpPerLayer: number;
  /** Every routed + shared expert + router of one MoE layer. */
  readonly moeMlpPerLayerTotal: number;
  /** Active routed experts + shared experts + router of one MoE layer. */
  readonly moeMlpPerLayerActive: number;
  readonly finalNorm: number;
  readonly total: number;
  readonly active: number;
}

const normParams = (a: Architecture, width: number): number => (a.norm === "layernorm" ? 2 * width : width);

/** One FFN (dense or one expert) of intermediate size `ffn`: 3 matrices if gated (SwiGLU), else 2; biases if any. */
const ffnParams = (a: Architecture, ffn: number, bias: boolean): number => {
  const matrices = a.ffnGated ? 3 : 2;
  const biasParams = bias ? (a.ffnGated ? 2 : 1) * ffn + a.hidden : 0;
  return matrices * a.hidden * ffn + biasParams;
};

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
  const qkNorm = a.qkNorm ? 2 * normParams(a, a.headDim) : 0;
  return projections + qkvBias + outBias + qkNorm;
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
  let denseLayers = a.layers;
  if (a.moe) {
    const m = a.moe;
    const expert = ffnParams(a, m.expertFfn, m.expertBias);
    const router = a.hidden * m.experts + (m.routerBias ? m.experts : 0);
    moeMlpPerLayerTotal = (m.experts + m.shared) * expert + router;
    moeMlpPerLayerActive = (m.active + m.shared) * expert + router;
    denseLayers = m.firstDenseLayers;
  }
  const moeLayerCount = a.layers - denseLayers;
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
    total: shared + moeLayerCount * moeMlpPerLayerTotal,
    active: shared + moeLayerCount * moeMlpPerLayerActive,
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
