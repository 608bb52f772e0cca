import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Architecture } from "./architecture.ts";
import { activeFfnWidth, moeLayerCount } from "./derived.ts";
import { architectureFromHfConfig, HF_MAPPERS } from "./hf-config.ts";
import { kvBytesPerSequence, kvBytesPerToken, kvBytesPerTokenAllLayers } from "./memory.ts";
import { paramBreakdown } from "./params.ts";

/**
 * One real config.json per HF_MAPPERS key (core/test/fixtures; each file's `_source` names the Hugging Face
 * repo). Expected counts are written out by hand from the config fields (never computed by the code under
 * test) or copied from a published exact count; the card check asserts the card's rounding interval.
 */
const raw = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.config.json`, import.meta.url), "utf8"));
const fixture = (name: string): Architecture => {
  const r = architectureFromHfConfig(raw(name));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

/** A card's "30.5B" means [30.45, 30.55)·1e9: half a unit of its last digit either side. */
const withinCard = (count: number, card: string) => {
  const m = /^([\d.]+)([BT])$/.exec(card);
  if (!m?.[1] || !m[2]) throw new Error(card);
  const digits = m[1].split(".")[1]?.length ?? 0;
  const unit = m[2] === "T" ? 1e12 : 1e9;
  const half = 0.5 * 10 ** -digits * unit;
  return Math.abs(count - Number(m[1]) * unit) <= half;
};

interface Case {
  readonly fixture: string;
  readonly modelType: string;
  readonly total: number;
  /** Active per token including the input embedding (our `paramBreakdown.active`). */
  readonly active?: number;
  /** The model card's figures, and what our count is compared with ("active" may exclude the input embedding). */
  readonly card?: { readonly total?: string; readonly active?: string; readonly activeExcludesEmbedding?: boolean };
  readonly why: string;
}

// Hand arithmetic helpers: h hidden, q = heads·headDim, kv = kvHeads·headDim.
const attn = (h: number, q: number, kv: number) => 2 * h * q + 2 * h * kv;
const swiglu = (h: number, f: number) => 3 * h * f;

const cases: Case[] = [
  {
    fixture: "llama-2-7b",
    modelType: "llama",
    total: 6_738_415_616,
    why: "Meta's Llama-2-7B checkpoint count",
  },
  {
    fixture: "llama-3.1-8b",
    modelType: "llama",
    total: 2 * 128256 * 4096 + 32 * (attn(4096, 4096, 1024) + swiglu(4096, 14336) + 2 * 4096) + 4096,
    card: { total: "8B" },
    why: "untied 128256-token vocab, GQA 8 KV heads",
  },
  {
    fixture: "mistral-7b-v0.1",
    modelType: "mistral",
    total: 2 * 32000 * 4096 + 32 * (attn(4096, 4096, 1024) + swiglu(4096, 14336) + 2 * 4096) + 4096,
    // Mistral's announcement says 7.3B; the config gives 7.24B, which rounds to 7.2B: config wins (docs/model.md §1.6).
    why: "sliding window 4096 on every layer changes no count",
  },
  {
    fixture: "mixtral-8x7b",
    modelType: "mixtral",
    total: 46_702_792_704,
    active: 12_879_925_248,
    card: { total: "46.7B", active: "12.9B" },
    why: "8 experts, top-2",
  },
  {
    fixture: "qwen2.5-7b",
    modelType: "qwen2",
    total: 7_615_616_512,
    card: { total: "7.6B" },
    why: "q/k/v bias only",
  },
  {
    fixture: "qwen1.5-moe-a2.7b",
    modelType: "qwen2_moe",
    total:
      2 * 151936 * 2048 +
      24 *
        (attn(2048, 2048, 2048) +
          3 * 2048 +
          60 * swiglu(2048, 1408) +
          swiglu(2048, 5632) +
          2048 * 60 +
          2048 +
          2 * 2048) +
      2048,
    active:
      2 * 151936 * 2048 +
      24 *
        (attn(2048, 2048, 2048) +
          3 * 2048 +
          4 * swiglu(2048, 1408) +
          swiglu(2048, 5632) +
          2048 * 60 +
          2048 +
          2 * 2048) +
      2048,
    card: { total: "14.3B", active: "2.7B" },
    why: "60 routed (1408) top-4 + one 5632-wide shared expert with a sigmoid gate, qkv bias",
  },
  {
    fixture: "qwen3-8b",
    modelType: "qwen3",
    total: 2 * 151936 * 4096 + 36 * (attn(4096, 4096, 1024) + 2 * 128 + swiglu(4096, 12288) + 2 * 4096) + 4096,
    card: { total: "8.2B" },
    why: "per-head q/k RMSNorm (128 each)",
  },
  {
    fixture: "qwen3-30b-a3b",
    modelType: "qwen3_moe",
    total:
      2 * 151936 * 2048 + 48 * (attn(2048, 4096, 512) + 256 + 128 * swiglu(2048, 768) + 2048 * 128 + 2 * 2048) + 2048,
    active:
      2 * 151936 * 2048 + 48 * (attn(2048, 4096, 512) + 256 + 8 * swiglu(2048, 768) + 2048 * 128 + 2 * 2048) + 2048,
    // Card: 30.5B total, 3.3B activated. Active incl. embeddings is 3.353B, which rounds to 3.4B: the card
    // truncates; without the input embedding it is 3.04B. Config wins (docs/model.md §1.6).
    card: { total: "30.5B" },
    why: "128 experts top-8, no shared expert, heads·head_dim 4096 > hidden 2048",
  },
  {
    fixture: "qwen3-235b-a22b",
    modelType: "qwen3_moe",
    total:
      2 * 151936 * 4096 + 94 * (attn(4096, 8192, 512) + 256 + 128 * swiglu(4096, 1536) + 4096 * 128 + 2 * 4096) + 4096,
    active:
      2 * 151936 * 4096 + 94 * (attn(4096, 8192, 512) + 256 + 8 * swiglu(4096, 1536) + 4096 * 128 + 2 * 4096) + 4096,
    card: { total: "235B", active: "22B" },
    why: "94 MoE layers, 128 experts top-8",
  },
  {
    fixture: "gemma-7b",
    modelType: "gemma",
    total: 786_432_000 + 7_751_248_896,
    card: { total: "8.5B" },
    why: "Gemma report (Gemma Team 2024) Table 1: 786,432,000 embedding + 7,751,248,896 non-embedding; tied, head_dim 256",
  },
  {
    fixture: "gemma-2-27b",
    modelType: "gemma2",
    total: 256000 * 4608 + 26_047_480_320,
    card: { total: "27.2B" },
    why: "Gemma 2 report Table 2 non-embedding 26,047,480,320 + the config's 256000 x 4608 embedding (= keras-hub 27,227,128,320; the report's embedding row uses vocab 256128); 4 norms per layer",
  },
  {
    fixture: "gemma-3-1b",
    modelType: "gemma3_text",
    total: 262144 * 1152 + 26 * (attn(1152, 1024, 256) + 2 * 256 + swiglu(1152, 6912) + 4 * 1152) + 1152,
    card: { total: "1.0B" },
    why: "Gemma 3 report Table 1: 302M embedding + 698M non-embedding; per-head q/k norms, 4 norms",
  },
  {
    fixture: "gemma-3-27b",
    modelType: "gemma3",
    total: 262208 * 5376 + 62 * (attn(5376, 4096, 2048) + 2 * 128 + swiglu(5376, 21504) + 4 * 5376) + 5376,
    card: { total: "27B" },
    why: "text_config only (the 417M SigLIP encoder is not the language model); non-embedding 25.60B = report's 25,600M",
  },
  {
    fixture: "phi-3-mini-4k",
    modelType: "phi3",
    total: 2 * 32064 * 3072 + 32 * (attn(3072, 3072, 3072) + swiglu(3072, 8192) + 2 * 3072) + 3072,
    card: { total: "3.8B" },
    why: "fused qkv_proj / gate_up_proj count the same as separate matrices",
  },
  {
    fixture: "gpt-oss-20b",
    modelType: "gpt_oss",
    total:
      2 * 201088 * 2880 +
      24 *
        (attn(2880, 4096, 512) +
          4096 +
          2 * 512 +
          2880 +
          64 +
          32 * (swiglu(2880, 2880) + 2 * 2880 + 2880) +
          2880 * 32 +
          32 +
          2 * 2880) +
      2880,
    active:
      2 * 201088 * 2880 +
      24 *
        (attn(2880, 4096, 512) +
          4096 +
          2 * 512 +
          2880 +
          64 +
          4 * (swiglu(2880, 2880) + 2 * 2880 + 2880) +
          2880 * 32 +
          32 +
          2 * 2880) +
      2880,
    card: { total: "20.91B", active: "3.61B", activeExcludesEmbedding: true },
    why: "q/k/v/o biases, 64 sinks per layer, biased experts (32, top-4) and router",
  },
  {
    fixture: "gpt-oss-120b",
    modelType: "gpt_oss",
    total: 116_829_156_672,
    card: { total: "116.83B", active: "5.13B", activeExcludesEmbedding: true },
    why: "keras-hub gpt_oss_120b_en preset count (sinks included)",
  },
  {
    fixture: "llama-4-scout",
    modelType: "llama4",
    total: 2 * 202048 * 5120 + 48 * (attn(5120, 5120, 1024) + 17 * swiglu(5120, 8192) + 5120 * 16 + 2 * 5120) + 5120,
    active: 2 * 202048 * 5120 + 48 * (attn(5120, 5120, 1024) + 2 * swiglu(5120, 8192) + 5120 * 16 + 2 * 5120) + 5120,
    // Card "109B total" includes the vision encoder (HF checkpoint 109,676,279,296); the language model is 107.77B.
    card: { active: "17B" },
    why: "16 routed + 1 shared expert (8192) on all 48 layers, top-1; L2 qk norm has no weights",
  },
  {
    fixture: "llama-4-scout-text",
    modelType: "llama4_text",
    total: 2 * 202048 * 5120 + 48 * (attn(5120, 5120, 1024) + 17 * swiglu(5120, 8192) + 5120 * 16 + 2 * 5120) + 5120,
    why: "the same language model read from a stand-alone llama4_text config",
  },
  {
    fixture: "llama-4-maverick",
    modelType: "llama4",
    total:
      2 * 202048 * 5120 +
      48 * (attn(5120, 5120, 1024) + 2 * 5120) +
      24 * (129 * swiglu(5120, 8192) + 5120 * 128) +
      24 * swiglu(5120, 16384) +
      5120,
    active:
      2 * 202048 * 5120 +
      48 * (attn(5120, 5120, 1024) + 2 * 5120) +
      24 * (2 * swiglu(5120, 8192) + 5120 * 128) +
      24 * swiglu(5120, 16384) +
      5120,
    // Card: 400B total; the language model alone is 400.71B (rounds to 401B): config wins (docs/model.md §1.6).
    card: { active: "17B" },
    why: "MoE (128 + shared) on every 2nd layer, dense 16384 SwiGLU on the others",
  },
  {
    fixture: "deepseek-v2-lite",
    modelType: "deepseek_v2",
    total:
      2 * 102400 * 2048 +
      27 * (2048 * 16 * 192 + 2048 * 576 + 512 + 512 * 16 * 256 + 16 * 128 * 2048 + 2 * 2048) +
      swiglu(2048, 10944) +
      26 * (66 * swiglu(2048, 1408) + 2048 * 64) +
      2048,
    active:
      2 * 102400 * 2048 +
      27 * (2048 * 16 * 192 + 2048 * 576 + 512 + 512 * 16 * 256 + 16 * 128 * 2048 + 2 * 2048) +
      swiglu(2048, 10944) +
      26 * (8 * swiglu(2048, 1408) + 2048 * 64) +
      2048,
    // Card: 15.7B total, 2.4B activated; active without the input embedding is 2.45B (rounds to 2.5B): config wins.
    card: { total: "15.7B" },
    why: "MLA without q compression (q_lora_rank null), 2 shared + 6 of 64 routed, 1 dense layer",
  },
  {
    fixture: "deepseek-v3",
    modelType: "deepseek_v3",
    total: 671_026_419_200,
    active: 37_552_297_472,
    card: { total: "671B" },
    why: "main model without the MTP module (docs/model.md §1.6)",
  },
  {
    fixture: "kimi-k2",
    modelType: "kimi_k2",
    total:
      2 * 163840 * 7168 +
      61 * (7168 * 1536 + 1536 + 1536 * 64 * 192 + 7168 * 576 + 512 + 512 * 64 * 256 + 64 * 128 * 7168 + 2 * 7168) +
      swiglu(7168, 18432) +
      60 * (385 * swiglu(7168, 2048) + 7168 * 384 + 384) +
      7168,
    active:
      2 * 163840 * 7168 +
      61 * (7168 * 1536 + 1536 + 1536 * 64 * 192 + 7168 * 576 + 512 + 512 * 64 * 256 + 64 * 128 * 7168 + 2 * 7168) +
      swiglu(7168, 18432) +
      60 * (9 * swiglu(7168, 2048) + 7168 * 384 + 384) +
      7168,
    card: { total: "1T", active: "32B", activeExcludesEmbedding: true },
    why: "DeepSeek-V3 layout with 384 experts, 64 heads, 1 dense layer",
  },
  {
    fixture: "glm-4.5",
    modelType: "glm4_moe",
    total:
      2 * 151552 * 5120 +
      92 * (attn(5120, 12288, 1024) + 12288 + 2 * 1024 + 2 * 128 + 2 * 5120) +
      3 * swiglu(5120, 12288) +
      89 * (161 * swiglu(5120, 1536) + 5120 * 160 + 160) +
      5120,
    active:
      2 * 151552 * 5120 +
      92 * (attn(5120, 12288, 1024) + 12288 + 2 * 1024 + 2 * 128 + 2 * 5120) +
      3 * swiglu(5120, 12288) +
      89 * (9 * swiglu(5120, 1536) + 5120 * 160 + 160) +
      5120,
    // Card: 355B total / 32B active. The main model is 352.80B; with the MTP layer (and its embedding/head
    // copies) the checkpoint holds ≈358B. Neither is 355B: config wins (docs/model.md §1.6).
    why: "qkv bias, per-head qk norm, 1 shared + 8 of 160 routed (1536), 3 dense layers, sigmoid router bias",
  },
  {
    fixture: "olmo-2-7b",
    modelType: "olmo2",
    total: 2 * 100352 * 4096 + 32 * (attn(4096, 4096, 4096) + 4096 + 4096 + swiglu(4096, 11008) + 2 * 4096) + 4096,
    card: { total: "7B" },
    why: "q/k RMSNorm over the whole projection (4096 + 4096), post-norms",
  },
  {
    fixture: "granite-3.3-8b",
    modelType: "granite",
    total: 49159 * 4096 + 40 * (attn(4096, 4096, 1024) + swiglu(4096, 12800) + 2 * 4096) + 4096,
    card: { total: "8B" },
    why: "tied embeddings, scalar multipliers (no parameters)",
  },
  {
    fixture: "gpt2",
    modelType: "gpt2",
    total: 124_439_808,
    why: "OpenAI GPT-2 small checkpoint count",
  },
  {
    fixture: "pythia-1b",
    modelType: "gpt_neox",
    total: 1_011_781_632,
    why: "Pythia paper (Biderman et al. 2023) Table 1: 1,011,781,632 total, 805,736,448 non-embedding",
  },
];

describe("HF_MAPPERS: one real config.json per model_type, exact counts (tolerance 0)", () => {
  test("every mapper key has a fixture", () => {
    const covered = new Set(cases.map((c) => c.modelType));
    expect(Object.keys(HF_MAPPERS).filter((k) => !covered.has(k))).toEqual([]);
  });
  test.each(cases)("$fixture ($modelType): $why", (c) => {
    expect(raw(c.fixture).model_type).toBe(c.modelType);
    const a = fixture(c.fixture);
    const p = paramBreakdown(a);
    expect(p.total).toBe(c.total);
    if (c.active !== undefined) expect(p.active).toBe(c.active);
    if (c.card?.total) expect(withinCard(p.total, c.card.total)).toBe(true);
    if (c.card?.active) {
      const active = c.card.activeExcludesEmbedding ? p.active - a.vocab * a.hidden : p.active;
      expect(withinCard(active, c.card.active)).toBe(true);
    }
  });
});

describe("architecture features read from the configs", () => {
  test("gemma-3-27b: 52 sliding (1024) + 10 global layers (pattern 6); KV at 128K = (10·131072 + 52·1024)/131072 × 2·16·128·2 B", () => {
    const a = fixture("gemma-3-27b");
    expect(a.window).toEqual({ kind: "sliding", tokens: 1024, layers: 52 });
    expect(kvBytesPerToken(a, "bf16", 131072)).toBe(((10 * 131072 + 52 * 1024) / 131072) * 2 * 16 * 128 * 2);
    expect(kvBytesPerSequence(a, "bf16", 512)).toBe(62 * 512 * 2 * 16 * 128 * 2);
    expect(kvBytesPerTokenAllLayers(a, "bf16")).toBe(62 * 2 * 16 * 128 * 2);
  });
  test("gpt-oss-120b: 18 of 36 layers banded to 128 tokens; 8192-token sequence holds (18·8192 + 18·128)·2·8·64·2 B", () => {
    const a = fixture("gpt-oss-120b");
    expect(a.window).toEqual({ kind: "sliding", tokens: 128, layers: 18 });
    expect(a.attentionSinks).toBe(true);
    expect(kvBytesPerSequence(a, "bf16", 8192)).toBe((18 * 8192 + 18 * 128) * 2 * 8 * 64 * 2);
  });
  test("llama-4-scout: chunked attention (8192) on the 36 RoPE layers, 12 NoPE layers global", () => {
    expect(fixture("llama-4-scout").window).toEqual({ kind: "chunked", tokens: 8192, layers: 36 });
  });
  test("mistral-7b-v0.1: every layer slides over 4096 tokens, so KV per sequence stops growing at 4096", () => {
    const a = fixture("mistral-7b-v0.1");
    expect(kvBytesPerSequence(a, "bf16", 32768)).toBe(kvBytesPerSequence(a, "bf16", 4096));
  });
  test("qwen3 and llama configs with sliding_window set but use_sliding_window false have no window", () => {
    expect(fixture("qwen3-30b-a3b").window).toBeUndefined();
    expect(fixture("qwen2.5-7b").window).toBeUndefined();
  });
  test("llama-4-maverick: 24 MoE layers (interleave step 2), dense FFN 16384 on the other 24", () => {
    const a = fixture("llama-4-maverick");
    expect(moeLayerCount(a)).toBe(24);
    expect(a.ffn).toBe(16384);
  });
  test("qwen3-30b-a3b: active FFN width 8 × 768 = 6144; glm-4.5: 8 × 1536 + 1536 = 13824; qwen1.5-moe: 4 × 1408 + 5632", () => {
    expect(activeFfnWidth(fixture("qwen3-30b-a3b"))).toBe(6144);
    expect(activeFfnWidth(fixture("glm-4.5"))).toBe(13824);
    expect(activeFfnWidth(fixture("qwen1.5-moe-a2.7b"))).toBe(4 * 1408 + 5632);
  });
  test("decoder_sparse_step 2 makes every even-indexed layer dense, mlp_only_layers [1] one more", () => {
    const c = { ...raw("qwen3-30b-a3b"), decoder_sparse_step: 2, mlp_only_layers: [1] };
    const r = architectureFromHfConfig(c);
    expect(r.ok && moeLayerCount(r.value)).toBe(23); // odd layers 1,3,…,47 are sparse (24) minus listed layer 1
  });
  test("glm-4.5 and deepseek-v3: first_k_dense_replace dense layers, the rest MoE", () => {
    expect(moeLayerCount(fixture("glm-4.5"))).toBe(89);
    expect(moeLayerCount(fixture("deepseek-v3"))).toBe(58);
    expect(moeLayerCount(fixture("kimi-k2"))).toBe(60);
  });
});
