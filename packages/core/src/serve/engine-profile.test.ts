import { describe, expect, test } from "vitest";
import { captureSizes, ENGINE_PROFILES, engineProfile } from "./engine-profile.ts";
import { graphPaddedBatch, speculativeStepMoments } from "./simulate.ts";

describe("engine profiles", () => {
  test("benchmark spellings map to profiles; Dynamo runs the engine it names", () => {
    expect(engineProfile("trt").profile.id).toBe("trt-llm");
    expect(engineProfile("dynamo-sglang").profile.id).toBe("sglang");
    expect(engineProfile("vLLM").profile.id).toBe("vllm");
    expect(engineProfile(undefined).profile.generic).toBe(true);
  });
  test("an unknown engine gets the generic profile and a warning that names it", () => {
    const e = engineProfile("foo-llm");
    expect(e.profile).toBe(ENGINE_PROFILES.generic);
    expect(e.warning?.code).toBe("unknown-engine");
    expect(e.warning?.message).toMatch(/unknown engine "foo-llm"/);
  });
  test("vLLM's default capture list: 1, 2, 4, then every 8 up to 512 (67 sizes)", () => {
    const sizes = captureSizes(8, 512);
    expect(sizes.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(sizes.length).toBe(67);
    expect(graphPaddedBatch(5, sizes)).toBe(8);
    expect(graphPaddedBatch(513, sizes)).toBe(513); // beyond the largest graph: eager, unpadded
  });
});

describe("speculative decoding step", () => {
  test("k 3, α 0.7: E[tokens per step] = (1 − 0.7⁴)/0.3 = 2.533 (Leviathan et al. 2023), Var = 1.349", () => {
    // P(1..4 tokens) = 0.3, 0.21, 0.147, 0.343 → E = 2.533, E[T²] = 0.3 + 0.84 + 1.323 + 5.488 = 7.951.
    const m = speculativeStepMoments(3, 0.7);
    expect(m.mean).toBeCloseTo(2.533, 3);
    expect(m.variance).toBeCloseTo(7.951 - 2.533 ** 2, 2);
  });
});
