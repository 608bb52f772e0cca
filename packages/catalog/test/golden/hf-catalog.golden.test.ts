import { readFileSync } from "node:fs";
import { architectureFromHfConfig, paramBreakdown } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { requireModel } from "../../src/load.ts";

/** Each catalog model added with inference v2 is exactly what its Hugging Face config.json maps to (core/test/fixtures). */
const fromConfig = (fixture: string) => {
  const url = new URL(`../../../core/test/fixtures/${fixture}.config.json`, import.meta.url);
  const r = architectureFromHfConfig(JSON.parse(readFileSync(url, "utf8")));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
/** Drops keys whose value is undefined or a schema default, so a catalog record and a mapper result compare field by field. */
const normal = (a: object): unknown =>
  JSON.parse(
    JSON.stringify(a, (_k, v) =>
      v === false && ["embeddingNorm", "lmHeadBias", "qkNorm"].includes(_k) ? undefined : v,
    ),
  );

const pairs: [string, string][] = [
  ["qwen3-30b-a3b", "qwen3-30b-a3b"],
  ["qwen3-235b-a22b", "qwen3-235b-a22b"],
  ["gpt-oss-20b", "gpt-oss-20b"],
  ["gpt-oss-120b", "gpt-oss-120b"],
  ["llama-4-scout", "llama-4-scout"],
  ["llama-4-maverick", "llama-4-maverick"],
  ["gemma-3-27b", "gemma-3-27b"],
  ["deepseek-r1", "deepseek-v3"],
  ["kimi-k2", "kimi-k2"],
  ["glm-4.5", "glm-4.5"],
];

describe("catalog models = their config.json through HF_MAPPERS", () => {
  test.each(pairs)("%s ← fixtures/%s.config.json", (id, fixture) => {
    expect(normal(requireModel(id).architecture)).toEqual(normal(fromConfig(fixture)));
  });
  test("llama-3.3-70b has the llama-3.1-70b architecture (70,553,706,496 parameters)", () => {
    expect(requireModel("llama-3.3-70b").architecture).toEqual(requireModel("llama-3.1-70b").architecture);
    expect(paramBreakdown(requireModel("llama-3.3-70b").architecture).total).toBe(70_553_706_496);
  });
});
