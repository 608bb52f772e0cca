/** A transformer's shape: only the fields the math needs (docs/model.md §1). Mirrors the catalog's `Architecture`. */
export interface MoeArchitecture {
  readonly experts: number;
  readonly active: number;
  readonly shared: number;
  readonly expertFfn: number;
  readonly firstDenseLayers: number;
  readonly routerBias: boolean;
  readonly expertBias: boolean;
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

/** Number of layers whose FFN is a mixture of experts. */
export const moeLayers = (a: Architecture): number => (a.moe ? a.layers - a.moe.firstDenseLayers : 0);

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
