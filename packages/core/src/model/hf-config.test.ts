import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { architectureFromHfConfig } from "./hf-config.ts";

describe("architectureFromHfConfig(config)", () => {
  test("an unknown architecture is a problem naming the supported ones", () => {
    const r = architectureFromHfConfig({ model_type: "mamba", hidden_size: 10 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]?.path).toBe("model_type");
      expect(r.problems[0]?.hint).toContain("llama");
    }
  });
  test("missing fields are listed by name", () => {
    const r = architectureFromHfConfig({ model_type: "llama", hidden_size: 4096 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path)).toEqual(
        expect.arrayContaining(["num_attention_heads", "num_hidden_layers", "intermediate_size", "vocab_size"]),
      );
  });
  test("a negative size is a problem, not a crash", () => {
    const r = architectureFromHfConfig({ model_type: "gpt2", n_embd: -1, n_head: 12, n_layer: 12, vocab_size: 5 });
    expect(r.ok).toBe(false);
  });
  test.prop([fc.jsonValue()])("never throws on arbitrary JSON", (v) => {
    architectureFromHfConfig(v);
    architectureFromHfConfig({ model_type: "llama", ...(typeof v === "object" && v && !Array.isArray(v) ? v : {}) });
  });
});
