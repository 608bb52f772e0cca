import { kvBytesPerToken, paramBreakdown } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { requireModel } from "../../src/load.ts";

const arch = (id: string) => requireModel(id).architecture;
const relErr = (x: number, y: number) => Math.abs(x / y - 1);

describe("Brown et al. 2020 Table D.1: GPT-3 parameter counts (within 1%: the table rounds to 3-4 digits)", () => {
  const table: [string, number][] = [
    ["gpt3-small", 125e6],
    ["gpt3-medium", 356e6],
    ["gpt3-large", 760e6],
    ["gpt3-xl", 1320e6],
    ["gpt3-2.7b", 2650e6],
    ["gpt3-6.7b", 6660e6],
    ["gpt3-13b", 12850e6],
    ["gpt3-175b", 174600e6],
  ];
  test.each(table)("%s ≈ %d", (id, published) => {
    expect(relErr(paramBreakdown(arch(id)).total, published)).toBeLessThanOrEqual(0.01);
  });
});

describe("exact counts from configs (tolerance 0)", () => {
  test("Llama-2-7B = 6,738,415,616", () => expect(paramBreakdown(arch("llama-2-7b")).total).toBe(6_738_415_616));
  test("Llama-2-70B = 68,976,648,192", () => expect(paramBreakdown(arch("llama-2-70b")).total).toBe(68_976_648_192));
  test("Llama-3.1-405B = 405,853,388,800 (Llama 3 Herd paper Table 4 row)", () =>
    expect(paramBreakdown(arch("llama-3.1-405b")).total).toBe(405_853_388_800));
  test("BLOOM-176B = 176,247,271,424 (model card)", () =>
    expect(paramBreakdown(arch("bloom-176b")).total).toBe(176_247_271_424));
});

describe("MoE totals and active counts", () => {
  test("Mixtral-8x7B: 46.7B total, 12.9B active (Mistral AI, within 1%)", () => {
    const p = paramBreakdown(arch("mixtral-8x7b"));
    expect(relErr(p.total, 46.7e9)).toBeLessThanOrEqual(0.01);
    expect(relErr(p.active, 12.9e9)).toBeLessThanOrEqual(0.01);
  });
  test("DeepSeek-V3: 671B total (within 1%), 37B active (within 1.5%: '37B' has two significant figures, our count includes the 0.93B input embedding)", () => {
    const p = paramBreakdown(arch("deepseek-v3"));
    expect(relErr(p.total, 671e9)).toBeLessThanOrEqual(0.01);
    expect(relErr(p.active, 37e9)).toBeLessThanOrEqual(0.015);
  });
});

describe("KV-cache bytes per token (hand-computed)", () => {
  test("Llama-2-70B bf16: 2 (K,V) × 80 layers × 8 KV heads × 128 × 2 B = 327,680 B", () =>
    expect(kvBytesPerToken(arch("llama-2-70b"), "bf16")).toBe(327_680));
  test("DeepSeek-V3 bf16 (MLA): 61 layers × (512 latent + 64 RoPE) × 2 B = 70,272 B", () =>
    expect(kvBytesPerToken(arch("deepseek-v3"), "bf16")).toBe(70_272));
  test("Llama-3.1-8B fp8: 2 × 32 × 8 × 128 × 1 B = 65,536 B", () =>
    expect(kvBytesPerToken(arch("llama-3.1-8b"), "fp8")).toBe(65_536));
});
