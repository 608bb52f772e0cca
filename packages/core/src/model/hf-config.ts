import { type Checked, fail, ok, type Problem } from "../errors.ts";
import { type Architecture, GPT2_BLOCK, type MlaArchitecture, type MoeArchitecture } from "./architecture.ts";

/** Hugging Face `model_type` values this importer understands (docs/model.md §1.6). */
export const SUPPORTED_HF_MODEL_TYPES = [
  "llama",
  "mistral",
  "mixtral",
  "qwen2",
  "qwen3",
  "deepseek_v2",
  "deepseek_v3",
  "gpt2",
  "gpt_neox",
] as const;

type Json = Record<string, unknown>;

/** Reads numbers and flags from a parsed config.json, collecting a problem for each missing or malformed field. */
function reader(config: Json, problems: Problem[]) {
  const int = (key: string, fallback?: number): number => {
    const v = config[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      problems.push({
        path: key,
        message: `missing field "${key}"`,
        hint: "config.json must state it as a positive integer",
      });
      return 1;
    }
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      problems.push({ path: key, message: `"${key}" must be a non-negative integer, got ${JSON.stringify(v)}` });
      return 1;
    }
    return v;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const v = config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") {
      problems.push({ path: key, message: `"${key}" must be true or false, got ${JSON.stringify(v)}` });
      return fallback;
    }
    return v;
  };
  return { int, flag };
}

/** Builds an architecture from a parsed Hugging Face `config.json`; unknown architectures yield problems, never a guess. */
export function architectureFromHfConfig(config: unknown): Checked<Architecture> {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return fail([{ path: "", message: "config.json must be a JSON object" }]);
  }
  const c = config as Json;
  const modelType = c.model_type;
  if (typeof modelType !== "string" || !(SUPPORTED_HF_MODEL_TYPES as readonly string[]).includes(modelType)) {
    return fail([
      {
        path: "model_type",
        message: `unsupported model_type ${JSON.stringify(modelType)}`,
        hint: `supported: ${SUPPORTED_HF_MODEL_TYPES.join(", ")}`,
      },
    ]);
  }
  const problems: Problem[] = [];
  const { int, flag } = reader(c, problems);

  if (modelType === "gpt2") {
    const hidden = int("n_embd");
    const heads = int("n_head");
    const maxContext = int("n_positions", int("n_ctx", 1024));
    const arch: Architecture = {
      layers: int("n_layer"),
      hidden,
      heads,
      kvHeads: heads,
      headDim: Math.floor(hidden / Math.max(heads, 1)),
      ffn: int("n_inner", 4 * hidden),
      vocab: int("vocab_size"),
      tiedEmbeddings: flag("tie_word_embeddings", true),
      maxContext,
      ...GPT2_BLOCK,
    };
    return problems.length ? fail(problems) : ok(arch);
  }

  const hidden = int("hidden_size");
  const heads = int("num_attention_heads");
  const isNeox = modelType === "gpt_neox";
  const isDeepseek = modelType === "deepseek_v2" || modelType === "deepseek_v3";
  let moe: MoeArchitecture | undefined;
  let mla: MlaArchitecture | undefined;
  let ffn = int("intermediate_size", isNeox ? 4 * hidden : undefined);
  if (modelType === "mixtral") {
    moe = {
      experts: int("num_local_experts"),
      active: int("num_experts_per_tok"),
      shared: 0,
      expertFfn: ffn,
      firstDenseLayers: 0,
      routerBias: false,
      expertBias: false,
    };
    ffn = 0;
  }
  if (isDeepseek) {
    moe = {
      experts: int("n_routed_experts"),
      active: int("num_experts_per_tok"),
      shared: int("n_shared_experts", 0),
      expertFfn: int("moe_intermediate_size"),
      firstDenseLayers: int("first_k_dense_replace", 0),
      routerBias: c.topk_method === "noaux_tc",
      expertBias: false,
    };
    mla = {
      qLoraRank: int("q_lora_rank", 0),
      kvLoraRank: int("kv_lora_rank"),
      qkRopeHeadDim: int("qk_rope_head_dim"),
      qkNopeHeadDim: int("qk_nope_head_dim"),
      vHeadDim: int("v_head_dim"),
    };
  }
  const headDim = mla
    ? mla.qkNopeHeadDim + mla.qkRopeHeadDim
    : int("head_dim", Math.floor(hidden / Math.max(heads, 1)));
  const arch: Architecture = {
    layers: int("num_hidden_layers"),
    hidden,
    heads,
    kvHeads: mla ? heads : int("num_key_value_heads", heads),
    headDim,
    ffn,
    ffnGated: !isNeox,
    vocab: int("vocab_size"),
    tiedEmbeddings: flag("tie_word_embeddings", false),
    maxContext: int("max_position_embeddings"),
    positionEmbedding: "rope",
    norm: isNeox ? "layernorm" : "rmsnorm",
    normsPerLayer: 2,
    embeddingNorm: false,
    qkNorm: modelType === "qwen3",
    qkvBias: modelType === "qwen2" || flag("attention_bias", isNeox),
    outBias: flag("attention_bias", isNeox),
    mlpBias: flag("mlp_bias", isNeox),
    lmHeadBias: false,
    moe,
    mla,
  };
  return problems.length ? fail(problems) : ok(arch);
}
