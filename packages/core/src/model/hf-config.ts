import { type Checked, fail, ok, type Problem } from "../errors.ts";
import {
  type Architecture,
  type AttentionWindow,
  GPT2_BLOCK,
  type MlaArchitecture,
  type MoeArchitecture,
} from "./architecture.ts";

/**
 * Hugging Face `config.json` import as a registry: one mapper per `model_type` (docs/model.md §1.6). Each
 * mapper reads the fields its architecture's transformers class reads, with that class's defaults where a
 * released config omits a field (e.g. Gemma 3's nested `text_config`, which states only what differs).
 */

type Json = Record<string, unknown>;

/** Reads numbers, flags and lists from a parsed config.json, collecting a problem for each missing or malformed field. */
export interface HfConfigReader {
  /** A non-negative integer; `fallback` when absent or null, else a problem. */
  int(key: string, fallback?: number): number;
  /** An integer that may be null/absent (then `undefined`). */
  optInt(key: string): number | undefined;
  flag(key: string, fallback: boolean): boolean;
  str(key: string): string | undefined;
  /** A list of integers (absent → `undefined`). */
  ints(key: string): number[] | undefined;
  /** A list of strings (absent → `undefined`). */
  strings(key: string): string[] | undefined;
}

function reader(config: Json, problems: Problem[], prefix = ""): HfConfigReader {
  const path = (key: string) => `${prefix}${key}`;
  const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
  const int = (key: string, fallback?: number): number => {
    const v = config[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      problems.push({
        path: path(key),
        message: `missing field "${key}"`,
        hint: "config.json must state it as a non-negative integer",
      });
      return 1;
    }
    if (!isInt(v)) {
      problems.push({ path: path(key), message: `"${key}" must be a non-negative integer, got ${JSON.stringify(v)}` });
      return 1;
    }
    return v;
  };
  const optInt = (key: string): number | undefined =>
    config[key] === undefined || config[key] === null ? undefined : int(key);
  const flag = (key: string, fallback: boolean): boolean => {
    const v = config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") {
      problems.push({ path: path(key), message: `"${key}" must be true or false, got ${JSON.stringify(v)}` });
      return fallback;
    }
    return v;
  };
  const str = (key: string): string | undefined =>
    typeof config[key] === "string" ? (config[key] as string) : undefined;
  const list = <T>(key: string, ok: (x: unknown) => x is T, what: string): T[] | undefined => {
    const v = config[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every(ok)) {
      problems.push({ path: path(key), message: `"${key}" must be a list of ${what}` });
      return undefined;
    }
    return v;
  };
  return {
    int,
    optInt,
    flag,
    str,
    ints: (key) => list(key, isInt, "non-negative integers"),
    strings: (key) => list(key, (x): x is string => typeof x === "string", "strings"),
  };
}

export type HfMapper = (r: HfConfigReader) => Architecture;

/** Fields shared by the Llama-style decoders (RoPE, RMSNorm, SwiGLU, pre-norm, untied unless stated). */
interface LlamaLikeOptions {
  readonly tiedDefault?: boolean;
  readonly ffnGated?: boolean;
  readonly norm?: Architecture["norm"];
  readonly normsPerLayer?: number;
  readonly qkNorm?: boolean;
  readonly qkNormWidth?: Architecture["qkNormWidth"];
  readonly qkvBias?: boolean;
  readonly outBias?: boolean;
  readonly mlpBias?: boolean;
  readonly vocabDefault?: number;
  readonly maxContextDefault?: number;
  readonly headDimDefault?: number;
  readonly ffn?: number;
  readonly moe?: MoeArchitecture;
  readonly mla?: MlaArchitecture;
  readonly window?: AttentionWindow;
  readonly attentionSinks?: boolean;
}

function llamaLike(r: HfConfigReader, o: LlamaLikeOptions = {}): Architecture {
  const hidden = r.int("hidden_size");
  const heads = r.int("num_attention_heads");
  const mla = o.mla;
  const headDim = mla
    ? mla.qkNopeHeadDim + mla.qkRopeHeadDim
    : r.int("head_dim", o.headDimDefault ?? Math.floor(hidden / Math.max(heads, 1)));
  return {
    layers: r.int("num_hidden_layers"),
    hidden,
    heads,
    kvHeads: mla ? heads : r.int("num_key_value_heads", heads),
    headDim,
    ffn: o.ffn ?? r.int("intermediate_size"),
    ffnGated: o.ffnGated ?? true,
    vocab: r.int("vocab_size", o.vocabDefault),
    tiedEmbeddings: r.flag("tie_word_embeddings", o.tiedDefault ?? false),
    maxContext: r.int("max_position_embeddings", o.maxContextDefault),
    positionEmbedding: "rope",
    norm: o.norm ?? "rmsnorm",
    normsPerLayer: o.normsPerLayer ?? 2,
    embeddingNorm: false,
    qkNorm: o.qkNorm ?? false,
    qkNormWidth: o.qkNorm ? (o.qkNormWidth ?? "head") : undefined,
    qkvBias: o.qkvBias ?? r.flag("attention_bias", false),
    outBias: o.outBias ?? r.flag("attention_bias", false),
    mlpBias: o.mlpBias ?? r.flag("mlp_bias", false),
    lmHeadBias: false,
    moe: o.moe,
    mla: o.mla,
    window: o.window,
    attentionSinks: o.attentionSinks,
  };
}

/** A window on `layers` layers, or none when no layer is local or the window covers the whole context. */
function window(
  kind: AttentionWindow["kind"],
  tokens: number | undefined,
  layers: number,
): AttentionWindow | undefined {
  return tokens !== undefined && tokens > 0 && layers > 0 ? { kind, tokens, layers } : undefined;
}

/** Local layers from an explicit `layer_types` list (transformers ≥ 4.53 writes it), else from the model's rule. */
function localLayerCount(r: HfConfigReader, rule: (layerIndex: number) => boolean): number {
  const types = r.strings("layer_types");
  if (types) return types.filter((t) => t === "sliding_attention" || t === "chunked_attention").length;
  const layers = r.int("num_hidden_layers");
  let local = 0;
  for (let i = 0; i < layers; i++) if (rule(i)) local++;
  return local;
}

/** Mistral, Mixtral, Phi-3: `sliding_window` (when set) applies to every layer. */
function everyLayerWindow(r: HfConfigReader): AttentionWindow | undefined {
  const w = r.optInt("sliding_window");
  const maxContext = r.int("max_position_embeddings", 0);
  if (w === undefined || (maxContext > 0 && w >= maxContext)) return undefined;
  return window(
    "sliding",
    w,
    localLayerCount(r, () => true),
  );
}

/** Qwen2/Qwen3 (+MoE): sliding window only with `use_sliding_window`, on layers ≥ `max_window_layers`. */
function qwenWindow(r: HfConfigReader): AttentionWindow | undefined {
  if (!r.flag("use_sliding_window", false)) return undefined;
  const layers = r.int("num_hidden_layers");
  const from = r.int("max_window_layers", layers);
  return window(
    "sliding",
    r.optInt("sliding_window"),
    localLayerCount(r, (i) => i >= from),
  );
}

/** Layers whose FFN is dense: `mlp_only_layers`, and those that `decoder_sparse_step` skips (Qwen2-MoE, Qwen3-MoE). */
function qwenDenseLayers(r: HfConfigReader): number {
  const layers = r.int("num_hidden_layers");
  const step = Math.max(1, r.int("decoder_sparse_step", 1));
  const mlpOnly = new Set(r.ints("mlp_only_layers") ?? []);
  let dense = 0;
  for (let i = 0; i < layers; i++) if (mlpOnly.has(i) || (i + 1) % step !== 0) dense++;
  return dense;
}

/** DeepSeek-V2/V3, Kimi K2, GLM-4.5: MoE from layer `first_k_dense_replace` on, every `moe_layer_freq`-th layer. */
function deepseekMoe(r: HfConfigReader, routerBias: boolean): MoeArchitecture {
  const layers = r.int("num_hidden_layers");
  const firstDense = r.int("first_k_dense_replace", 0);
  const freq = Math.max(1, r.int("moe_layer_freq", 1));
  let dense = 0;
  for (let i = 0; i < layers; i++) if (i < firstDense || i % freq !== 0) dense++;
  return {
    experts: r.int("n_routed_experts"),
    active: r.int("num_experts_per_tok"),
    shared: r.int("n_shared_experts", 0),
    expertFfn: r.int("moe_intermediate_size"),
    firstDenseLayers: firstDense,
    denseLayers: dense === firstDense ? undefined : dense,
    routerBias,
    expertBias: false,
    normTopkProb: r.flag("norm_topk_prob", false),
  };
}

const deepseek: HfMapper = (r) => {
  const mla: MlaArchitecture = {
    qLoraRank: r.int("q_lora_rank", 0),
    kvLoraRank: r.int("kv_lora_rank"),
    qkRopeHeadDim: r.int("qk_rope_head_dim"),
    qkNopeHeadDim: r.int("qk_nope_head_dim"),
    vHeadDim: r.int("v_head_dim"),
  };
  // V3's sigmoid router adds a learned `e_score_correction_bias` per expert (topk_method "noaux_tc").
  return llamaLike(r, { moe: deepseekMoe(r, r.str("topk_method") === "noaux_tc"), mla });
};

const qwenMoe =
  (sharedExpert: boolean): HfMapper =>
  (r) => {
    const sharedFfn = sharedExpert ? r.int("shared_expert_intermediate_size", 0) : 0;
    const dense = qwenDenseLayers(r);
    const moe: MoeArchitecture = {
      experts: r.int("num_experts"),
      active: r.int("num_experts_per_tok"),
      shared: sharedFfn > 0 ? 1 : 0,
      expertFfn: r.int("moe_intermediate_size"),
      firstDenseLayers: 0,
      denseLayers: dense,
      routerBias: false,
      expertBias: false,
      sharedExpertFfn: sharedFfn > 0 ? sharedFfn : undefined,
      sharedExpertGate: sharedFfn > 0,
      normTopkProb: r.flag("norm_topk_prob", false),
    };
    return llamaLike(r, {
      moe,
      ffn: dense > 0 ? r.int("intermediate_size") : 0,
      qkvBias: !sharedExpert ? r.flag("attention_bias", false) : true,
      outBias: false,
      qkNorm: !sharedExpert,
      window: qwenWindow(r),
    });
  };

/** Gemma 3 text model (transformers Gemma3TextConfig defaults for what the 4B–27B `text_config`s leave out). */
const gemma3Text: HfMapper = (r) => {
  const pattern = Math.max(1, r.int("sliding_window_pattern", r.int("_sliding_window_pattern", 6)));
  return llamaLike(r, {
    tiedDefault: true,
    normsPerLayer: 4,
    qkNorm: true,
    vocabDefault: 262_208,
    maxContextDefault: 131_072,
    headDimDefault: 256,
    window: window(
      "sliding",
      r.int("sliding_window", 4096),
      localLayerCount(r, (i) => (i + 1) % pattern !== 0),
    ),
  });
};

/** Llama 4 text model: MoE with one shared expert, interleaved dense layers, chunked attention on RoPE layers. */
const llama4Text: HfMapper = (r) => {
  const layers = r.int("num_hidden_layers");
  const step = Math.max(1, r.int("interleave_moe_layer_step", 1));
  const listed = r.ints("moe_layers");
  const moeLayers = listed ?? Array.from({ length: layers }, (_, i) => i).filter((i) => (i + 1) % step === 0);
  const expertFfn = r.int("intermediate_size");
  const noRope = r.ints("no_rope_layers");
  const ropeLayer = (i: number) => (noRope && noRope.length > 0 ? noRope[i] === 1 : (i + 1) % 4 !== 0);
  const dense = layers - moeLayers.length;
  return llamaLike(r, {
    ffn: dense > 0 ? r.int("intermediate_size_mlp") : 0,
    moe: {
      experts: r.int("num_local_experts"),
      active: r.int("num_experts_per_tok"),
      shared: 1,
      expertFfn,
      firstDenseLayers: 0,
      denseLayers: dense,
      routerBias: false,
      expertBias: false,
    },
    // use_qk_norm is a weightless L2 norm (Llama4TextL2Norm): no parameters.
    window: window("chunked", r.optInt("attention_chunk_size"), localLayerCount(r, ropeLayer)),
  });
};

/**
 * One mapper per Hugging Face `model_type`: the supported list and the error hint derive from these keys.
 * Sources: each model's transformers `configuration_*.py` / `modeling_*.py`; fixtures in core/test/fixtures.
 */
export const HF_MAPPERS: Readonly<Record<string, HfMapper>> = {
  llama: (r) => llamaLike(r),
  mistral: (r) => llamaLike(r, { window: everyLayerWindow(r) }),
  mixtral: (r) =>
    llamaLike(r, {
      ffn: 0,
      moe: {
        experts: r.int("num_local_experts"),
        active: r.int("num_experts_per_tok"),
        shared: 0,
        expertFfn: r.int("intermediate_size"),
        firstDenseLayers: 0,
        routerBias: false,
        expertBias: false,
      },
      window: everyLayerWindow(r),
    }),
  // Qwen2: bias on q/k/v only (Qwen2Attention), none on o.
  qwen2: (r) => llamaLike(r, { qkvBias: true, outBias: false, window: qwenWindow(r) }),
  qwen2_moe: qwenMoe(true),
  qwen3: (r) => llamaLike(r, { qkNorm: true, window: qwenWindow(r) }),
  qwen3_moe: qwenMoe(false),
  // Gemma: GeGLU, tied embeddings, explicit head_dim (256 on 7B: heads·head_dim ≠ hidden).
  gemma: (r) => llamaLike(r, { tiedDefault: true }),
  // Gemma 2: pre- and post-norm around attention and MLP (4 norms), sliding window on even layers.
  gemma2: (r) =>
    llamaLike(r, {
      tiedDefault: true,
      normsPerLayer: 4,
      window: window(
        "sliding",
        r.optInt("sliding_window"),
        localLayerCount(r, (i) => i % 2 === 0),
      ),
    }),
  gemma3_text: gemma3Text,
  // Multimodal wrappers: the language model is read from `text_config` (NESTED_TEXT_CONFIG).
  gemma3: gemma3Text,
  // Phi-3: fused qkv_proj and gate_up_proj (same counts as separate matrices).
  phi3: (r) => llamaLike(r, { window: everyLayerWindow(r) }),
  // gpt-oss: q/k/v/o biases, learned sinks, biased experts and router, banded (128) attention on even layers.
  gpt_oss: (r) =>
    llamaLike(r, {
      ffn: 0,
      qkvBias: true,
      outBias: true,
      attentionSinks: true,
      moe: {
        experts: r.int("num_local_experts"),
        active: r.int("num_experts_per_tok", r.int("experts_per_token", 4)),
        shared: 0,
        expertFfn: r.int("intermediate_size"),
        firstDenseLayers: 0,
        routerBias: true,
        expertBias: true,
      },
      window: window(
        "sliding",
        r.optInt("sliding_window"),
        localLayerCount(r, (i) => i % 2 === 0),
      ),
    }),
  llama4_text: llama4Text,
  llama4: llama4Text,
  deepseek_v2: deepseek,
  deepseek_v3: deepseek,
  // Kimi K2 ships DeepseekV3ForCausalLM under its own model_type.
  kimi_k2: deepseek,
  // GLM-4.5: q/k/v bias (o none), optional per-head qk norm, DeepSeek-style MoE with a biased sigmoid router.
  glm4_moe: (r) =>
    llamaLike(r, {
      qkvBias: r.flag("attention_bias", false),
      outBias: false,
      qkNorm: r.flag("use_qk_norm", false),
      moe: deepseekMoe(r, true),
    }),
  // OLMo 2: post-norms only (2 per layer) and RMSNorm over the whole q and k projections.
  olmo2: (r) => llamaLike(r, { qkNorm: true, qkNormWidth: "projection" }),
  // Granite 3: Llama with scalar multipliers (no parameters), tied embeddings.
  granite: (r) => llamaLike(r),
  gpt2: (r) => {
    const hidden = r.int("n_embd");
    const heads = r.int("n_head");
    return {
      layers: r.int("n_layer"),
      hidden,
      heads,
      kvHeads: heads,
      headDim: Math.floor(hidden / Math.max(heads, 1)),
      ffn: r.int("n_inner", 4 * hidden),
      vocab: r.int("vocab_size"),
      tiedEmbeddings: r.flag("tie_word_embeddings", true),
      maxContext: r.int("n_positions", r.int("n_ctx", 1024)),
      ...GPT2_BLOCK,
    };
  },
  // GPT-NeoX / Pythia: LayerNorm, biases everywhere, 4h GELU MLP, untied.
  gpt_neox: (r) => {
    const hidden = r.int("hidden_size");
    return llamaLike(r, {
      ffnGated: false,
      norm: "layernorm",
      ffn: r.int("intermediate_size", 4 * hidden),
      qkvBias: r.flag("attention_bias", true),
      outBias: r.flag("attention_bias", true),
      mlpBias: true,
    });
  },
};

/** Hugging Face `model_type` values this importer understands (docs/model.md §1.6). */
export const SUPPORTED_HF_MODEL_TYPES: readonly string[] = Object.keys(HF_MAPPERS);

/** Model types whose language model sits in a nested `text_config` (multimodal releases). */
const NESTED_TEXT_CONFIG = new Set(["gemma3", "llama4"]);

/** Builds an architecture from a parsed Hugging Face `config.json`; unknown architectures yield problems, never a guess. */
export function architectureFromHfConfig(config: unknown): Checked<Architecture> {
  const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(config)) return fail([{ path: "", message: "config.json must be a JSON object" }]);
  const modelType = config.model_type;
  const mapper =
    typeof modelType === "string" && Object.hasOwn(HF_MAPPERS, modelType) ? HF_MAPPERS[modelType] : undefined;
  if (!mapper) {
    return fail([
      {
        path: "model_type",
        message: `unsupported model_type ${JSON.stringify(modelType)}`,
        hint: `supported: ${SUPPORTED_HF_MODEL_TYPES.join(", ")}`,
      },
    ]);
  }
  const problems: Problem[] = [];
  let source: Json = config;
  let prefix = "";
  if (NESTED_TEXT_CONFIG.has(modelType as string)) {
    const text = config.text_config;
    if (!isObject(text))
      return fail([{ path: "text_config", message: `${modelType} config.json needs a text_config object` }]);
    // The wrapper states tie_word_embeddings for the whole model when the text part does not (Llama 4).
    source = { ...text, tie_word_embeddings: text.tie_word_embeddings ?? config.tie_word_embeddings };
    prefix = "text_config.";
  }
  const arch = mapper(reader(source, problems, prefix));
  return problems.length ? fail(problems) : ok(arch);
}
