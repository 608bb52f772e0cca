import { describe, expect, test } from "vitest";
import { tokens } from "../units/index.ts";
import type { Architecture } from "./architecture.ts";
import {
  attentionFlopsPerToken,
  forwardFlopsPerToken,
  prefillFlops,
  trainingFlops,
  trainingFlops6nd,
} from "./flops.ts";
import { matmulParamsPerToken, paramBreakdown } from "./params.ts";

/** A tiny dense model whose numbers are easy to do by hand. */
const tiny: Architecture = {
  layers: 2,
  hidden: 8,
  heads: 2,
  kvHeads: 2,
  headDim: 4,
  ffn: 32,
  ffnGated: false,
  vocab: 10,
  tiedEmbeddings: true,
  maxContext: 16,
  positionEmbedding: "learned",
  norm: "layernorm",
  normsPerLayer: 2,
  embeddingNorm: false,
  qkNorm: false,
  qkvBias: false,
  outBias: false,
  mlpBias: false,
  lmHeadBias: false,
};

describe("FLOPs per token", () => {
  test("paramBreakdown(tiny) by hand: 80 emb + 128 pos + 2·(256 attn + 512 mlp + 32 norms) + 16 final = 1824", () => {
    expect(paramBreakdown(tiny).total).toBe(1824);
  });
  test("matmulParamsPerToken excludes the position table but keeps a tied embedding (the LM head)", () => {
    expect(matmulParamsPerToken(tiny)).toBe(1824 - 128);
  });
  test("attentionFlopsPerToken = 2·layers·context·heads·(d_qk + d_v) = 2·2·16·2·8 = 1024", () => {
    expect(attentionFlopsPerToken(tiny, 16)).toBe(1024);
  });
  test("forwardFlopsPerToken = 2·N_matmul + attention", () => {
    expect(forwardFlopsPerToken(tiny, 16)).toBe(2 * 1696 + 1024);
  });
  test("trainingFlops6nd is exactly 6·N_active·D", () => {
    expect(trainingFlops6nd(tiny, tokens(1000))).toBe(6 * 1824 * 1000);
  });
  test("trainingFlops = 3 × forward at the sequence length (PaLM App. B)", () => {
    expect(trainingFlops(tiny, tokens(1000), 16)).toBe(3 * (2 * 1696 + 1024) * 1000);
  });
  test("prefillFlops sums causal attention over positions 1..P", () => {
    // P = 4: linear 2·1696·4, attended positions 1+2+3+4 = 10.
    expect(prefillFlops(tiny, 4)).toBe(2 * 1696 * 4 + attentionFlopsPerToken(tiny, 10));
  });
});
