import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { Architecture } from "./architecture.ts";
import { attendedPositions, localAttendedPositions, localKvTokens } from "./derived.ts";
import { attentionFlops, attentionFlopsPerToken, prefillFlops } from "./flops.ts";
import { matmulParamsPerToken } from "./params.ts";

const base: Architecture = {
  layers: 4,
  hidden: 8,
  heads: 2,
  kvHeads: 1,
  headDim: 4,
  ffn: 16,
  ffnGated: true,
  vocab: 10,
  tiedEmbeddings: false,
  maxContext: 64,
  positionEmbedding: "rope",
  norm: "rmsnorm",
  normsPerLayer: 2,
  embeddingNorm: false,
  qkNorm: false,
  qkvBias: false,
  outBias: false,
  mlpBias: false,
  lmHeadBias: false,
};
const sliding: Architecture = { ...base, window: { kind: "sliding", tokens: 5, layers: 3 } };
const chunked: Architecture = { ...base, window: { kind: "chunked", tokens: 5, layers: 3 } };

describe("local attention (sliding window / chunks)", () => {
  test("a token at position 12 attends to 5 positions under a 5-token window, to 2 in its third 5-token chunk", () => {
    expect(localAttendedPositions(sliding, 12)).toBe(5);
    expect(localAttendedPositions(chunked, 12)).toBe(2);
    expect(localAttendedPositions(sliding, 3)).toBe(3);
  });
  test.prop([fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.boolean()])(
    "closed-form attended positions equal the sum token by token",
    (tokens, cached, isChunked) => {
      const a = isChunked ? chunked : sliding;
      let local = 0;
      let global = 0;
      for (let j = cached + 1; j <= cached + tokens; j++) {
        local += localAttendedPositions(a, j);
        global += j;
      }
      expect(attendedPositions(a, tokens, cached)).toEqual({ local, global });
    },
  );
  test("attention FLOPs per token at context 20: 2·heads·(4+4)·(1 global·20 + 3 local·5) = 32·35", () => {
    expect(attentionFlopsPerToken(sliding, 20)).toBe(2 * 2 * 8 * (20 + 3 * 5));
    expect(attentionFlopsPerToken(base, 20)).toBe(2 * 2 * 8 * 4 * 20);
  });
  test("prefill of 10 tokens: global layer Σ1..10 = 55, each local layer 1+2+3+4+5·6 = 40", () => {
    expect(attentionFlops(sliding, 10)).toBe(32 * (55 + 3 * 40));
    expect(prefillFlops(sliding, 10)).toBe(2 * matmulParamsPerToken(sliding) * 10 + 32 * (55 + 3 * 40));
  });
  test("a local layer keeps min(context, window) tokens of KV", () => {
    expect(localKvTokens(sliding, 3)).toBe(3);
    expect(localKvTokens(sliding, 300)).toBe(5);
    expect(localKvTokens(base, 300)).toBe(300);
  });
});
