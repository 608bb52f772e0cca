import { requireAccelerator, requireModel } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { planInference } from "./infer-plan.ts";
import { InferScenario } from "./scenario.ts";

const model = requireModel;
const hw = requireAccelerator;

describe("planInference(scenario)", () => {
  test("an fp8 request on A100 (no FP8 tensor cores) warns and computes at bf16 peak", () => {
    const s = InferScenario.parse({ model: "llama-3.1-8b", hardware: "a100-sxm-80gb", precision: "fp8" });
    const r = planInference(s, model("llama-3.1-8b"), hw("a100-sxm-80gb"));
    if (!r.ok) throw new Error("problems");
    expect(r.result.precision).toEqual({ weights: "fp8", kvCache: "fp8", compute: "bf16" });
    expect(r.result.warnings.map((w) => w.message).join(" ")).toMatch(/no native fp8/);
  });
  test("the same request on H100 computes in fp8 without a warning about precision", () => {
    const s = InferScenario.parse({ model: "llama-3.1-8b", hardware: "h100-sxm", precision: "fp8" });
    const r = planInference(s, model("llama-3.1-8b"), hw("h100-sxm"));
    if (!r.ok) throw new Error("problems");
    expect(r.result.precision.compute).toBe("fp8");
    expect(r.result.warnings.map((w) => w.code)).not.toContain("weight-only-quantization");
  });
  test("tp that does not divide the heads is a problem, not a crash", () => {
    const s = InferScenario.parse({ model: "llama-3.1-8b", hardware: "h100-sxm", chips: 3, tp: 3 });
    const r = planInference(s, model("llama-3.1-8b"), hw("h100-sxm"));
    expect(r.ok).toBe(false);
  });
  test("multimodal tokens add to prefill", () => {
    const base = InferScenario.parse({ model: "llama-3.1-8b", hardware: "h100-sxm" });
    const mm = InferScenario.parse({ model: "llama-3.1-8b", hardware: "h100-sxm", images: 4, imageTokens: 576 });
    const a = planInference(base, model("llama-3.1-8b"), hw("h100-sxm"));
    const b = planInference(mm, model("llama-3.1-8b"), hw("h100-sxm"));
    if (!a.ok || !b.ok) throw new Error("problems");
    expect(b.result.extraPrefillTokens).toBe(2304);
    expect(b.result.ttftMs).toBeGreaterThan(a.result.ttftMs ?? Number.POSITIVE_INFINITY);
  });
  test("speculative flags without k and α are rejected by the schema", () => {
    expect(InferScenario.safeParse({ model: "m", hardware: "h", specDraft: "llama-3.1-8b" }).success).toBe(false);
  });
});
