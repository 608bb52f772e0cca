import { requireAccelerator, requireModel } from "@flopcast/catalog";
import { describe, expect, test } from "vitest";
import { planInference } from "./infer-plan.ts";
import { InferScenario, ServeScenario } from "./scenario.ts";
import { runServe, setupServe } from "./serve-plan.ts";

const m = { value: requireModel("llama-3.1-8b") };
const h = { value: requireAccelerator("h100-sxm") };

describe("serve vs infer (Llama-3.1-8B, one H100, 512 in / 256 out)", () => {
  test("at very low load the simulated TTFT p50 matches `infer --batch 1` within 25%", () => {
    const s = ServeScenario.parse({
      model: "llama-3.1-8b",
      hardware: "h100-sxm",
      rate: 0.05,
      requests: 300,
      inputTokens: 512,
      outputTokens: 256,
      seed: 3,
    });
    const setup = setupServe(s, m.value, h.value, {});
    if (!setup.ok) throw new Error("setup");
    const served = runServe(s, setup.setup).result;
    const inferred = planInference(
      InferScenario.parse({
        model: "llama-3.1-8b",
        hardware: "h100-sxm",
        inputTokens: 512,
        outputTokens: 256,
        batch: 1,
      }),
      m.value,
      h.value,
    );
    if (!inferred.ok) throw new Error("infer");
    expect(Math.abs((served.ttftMs.p50 ?? 0) / (inferred.result.ttftMs ?? 1) - 1)).toBeLessThan(0.25);
    expect(Math.abs((served.tpotMs.p50 ?? 0) / (inferred.result.tpotMs ?? 1) - 1)).toBeLessThan(0.25);
  });
});
