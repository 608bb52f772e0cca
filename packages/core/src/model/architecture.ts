/** A transformer's shape: only the fields the math needs (docs/model.md §1). Mirrors the catalog's `Architecture`. */
export interface MoeArchitecture {
  readonly experts: number;
  readonly active: number;
  readonly shared: number;
  readonly expertFfn: number;
  /** Leading layers with a dense FFN (DeepSeek/GLM `first_k_dense_replace`). */
  readonly firstDenseLayers: number;
  /**
   * All layers with a dense FFN, wherever they sit (Qwen `decoder_sparse_step`/`mlp_only_layers`, Llama 4
   * `interleave_moe_layer_step`); default `firstDenseLayers`. Read it through `denseFfnLayerCount` (derived.ts).
   */
  readonly denseLayers?: number | undefined;
  readonly routerBias: boolean;
  readonly expertBias: boolean;
  /** Intermediate size of each shared expert when it differs from `expertFfn` (Qwen2-MoE `shared_expert_intermediate_size`). */
  readonly sharedExpertFfn?: number | undefined;
  /** A hidden→1 sigmoid gate on the shared expert output (Qwen2-MoE `shared_expert_gate`). */
  readonly sharedExpertGate?: boolean | undefined;
  /** Top-k routing weights renormalised to sum to 1 (`norm_topk_prob`): changes no count, kept for the record. */
  readonly normTopkProb?: boolean | undefined;
}

/**
 * Local attention on some layers: a sliding window (Mistral, Gemma 2/3, gpt-oss) or fixed chunks (Llama 4
 * iRoPE `attention_chunk_size`); the other `layers − layers` attend to the whole context.
 */
export interface AttentionWindow {
  readonly kind: "sliding" | "chunked";
  readonly tokens: number;
  readonly layers: number;
}

export interface MlaArchitecture {
  readonly qLoraRank: number;
  readonly kvLoraRank: number;
  readonly qkRopeHeadDim: number;
  readonly qkNopeHeadDim: number;
  readonly vHeadDim: number;
}

export interface Architecture {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly ffn: number;
  readonly ffnGated: boolean;
  readonly vocab: number;
  readonly tiedEmbeddings: boolean;
  readonly maxContext: number;
  readonly positionEmbedding: "learned" | "rope" | "alibi" | "relative";
  readonly positionTableRows?: number | undefined;
  readonly norm: "layernorm" | "rmsnorm";
  readonly normsPerLayer: number;
  readonly embeddingNorm: boolean;
  readonly qkNorm: boolean;
  /** Width of each q/k norm: one head (`head_dim`, Qwen3/Gemma 3/GLM) or the whole projection (OLMo 2). Default "head". */
  readonly qkNormWidth?: "head" | "projection" | undefined;
  /** Sliding-window or chunked local attention on some layers (see `AttentionWindow`). */
  readonly window?: AttentionWindow | undefined;
  /** One learned sink logit per head per layer (gpt-oss `sinks`). */
  readonly attentionSinks?: boolean | undefined;
  readonly qkvBias: boolean;
  readonly outBias: boolean;
  readonly mlpBias: boolean;
  readonly lmHeadBias: boolean;
  readonly moe?: MoeArchitecture | undefined;
  readonly mla?: MlaArchitecture | undefined;
}

/** A named model: an architecture plus identity. */
export interface ModelSpec {
  readonly id: string;
  readonly name: string;
  readonly architecture: Architecture;
}

export const isMoe = (a: Architecture): a is Architecture & { moe: MoeArchitecture } => a.moe !== undefined;

/** The GPT-2/GPT-3 block (Radford et al. 2019; Brown et al. 2020): learned positions, pre-LayerNorm, biases on every linear except the LM head. */
export const GPT2_BLOCK = {
  ffnGated: false,
  positionEmbedding: "learned",
  norm: "layernorm",
  normsPerLayer: 2,
  embeddingNorm: false,
  qkNorm: false,
  qkvBias: true,
  outBias: true,
  mlpBias: true,
  lmHeadBias: false,
} as const satisfies Partial<Architecture>;
