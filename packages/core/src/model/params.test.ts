import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Architecture } from "./architecture.ts";
import { architectureFromHfConfig } from "./hf-config.ts";
import { kvBytesPerToken, weightBytes } from "./memory.ts";
import { paramBreakdown } from "./params.ts";

const fixture = (name: string): Architecture => {
  const r = architectureFromHfConfig(
    JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.config.json`, import.meta.url), "utf8")),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

describe("paramBreakdown(architecture) from Hugging Face configs (exact, tolerance 0)", () => {
  test("Llama-2-7B = 6,738,415,616 (embeddings + 32 × (attention + SwiGLU + 2 RMSNorm) + final norm + LM head)", () => {
    expect(paramBreakdown(fixture("llama-2-7b")).total).toBe(6_738_415_616);
  });
  test("Llama-2-70B = 68,976,648,192 (GQA: 8 KV heads)", () => {
    expect(paramBreakdown(fixture("llama-2-70b")).total).toBe(68_976_648_192);
  });
  test("GPT-2 small = 124,439,808 (tied embeddings, learned positions, biases, LayerNorm)", () => {
    expect(paramBreakdown(fixture("gpt2")).total).toBe(124_439_808);
  });
  test("Qwen2.5-7B = 7,615,616,512 (QKV bias only)", () => {
    expect(paramBreakdown(fixture("qwen2.5-7b")).total).toBe(7_615_616_512);
  });
  test("Mixtral-8x7B = 46,702,792,704 total, 12,879,925,248 active (2 of 8 experts + router)", () => {
    const p = paramBreakdown(fixture("mixtral-8x7b"));
    expect(p.total).toBe(46_702_792_704);
    expect(p.active).toBe(12_879_925_248);
  });
  test("DeepSeek-V3: 671.03B total, 37.55B active (MLA + 1 shared + 8 of 256 routed experts, 3 dense layers)", () => {
    const p = paramBreakdown(fixture("deepseek-v3"));
    expect(p.total).toBe(671_026_419_200);
    expect(p.active).toBe(37_552_297_472);
  });
});

describe("KV-cache and weight bytes (hand-computed)", () => {
  test("kvBytesPerToken(Llama-2-70B, bf16) = 2·80 layers·8 KV heads·128·2 B = 327,680 B", () => {
    expect(kvBytesPerToken(fixture("llama-2-70b"), "bf16")).toBe(327_680);
  });
  test("kvBytesPerToken(Llama-2-7B, fp8) = 2·32·32·128·1 B = 262,144 B", () => {
    expect(kvBytesPerToken(fixture("llama-2-7b"), "fp8")).toBe(262_144);
  });
  test("kvBytesPerToken(DeepSeek-V3, bf16) = 61 layers·(512 latent + 64 RoPE)·2 B = 70,272 B (MLA)", () => {
    expect(kvBytesPerToken(fixture("deepseek-v3"), "bf16")).toBe(70_272);
  });
  test("weightBytes(Llama-2-70B, int4) = params / 2", () => {
    expect(weightBytes(fixture("llama-2-70b"), "int4")).toBe(68_976_648_192 / 2);
  });
});
