import { describe, expect, test } from "vitest";
import { API_BUDGET, CLI_BUDGET, gridProblems, workProblems } from "./budget.ts";
import { ServeScenario } from "./scenario.ts";

const serve = (raw: Record<string, unknown>) =>
  ServeScenario.parse({ model: "llama-3.1-8b", hardware: "h100-sxm", rate: 50, ...raw }) as Record<string, unknown>;
const paths = (s: Record<string, unknown>, budget = API_BUDGET) => workProblems(s, budget).map((p) => p.path);

describe("work budgets count validated values", () => {
  test('"50M" requests is 50,000,000 simulated requests: over the API cap of 200,000, named with the cap', () => {
    const [p] = workProblems(serve({ requests: "50M" }), API_BUDGET);
    expect(p?.path).toBe("requests");
    expect(p?.message).toBe("simulated requests = 50,000,000 exceeds the cap of 200,000 per API call");
  });
  test("rate × duration is counted: 1e6/s × 1e9 s = 1e15 requests, on the duration field", () => {
    expect(paths(serve({ rate: 1e6, duration: 1e9 }))).toEqual(["duration"]);
    // 50/s × 3,600 s = 180,000 ≤ 200,000: within the cap.
    expect(paths(serve({ duration: 3600, inputTokens: 128, outputTokens: 64 }))).toEqual([]);
  });
  test("sequence-steps: 200,000 × (⌈4,096 ÷ 1⌉ + 4,096) = 1.6e9 is over 6e7; 200,000 × (1 + 256) = 5.1e7 is not", () => {
    expect(paths(serve({ requests: 200_000, maxBatchedTokens: 1, inputTokens: 4096, outputTokens: 4096 }))).toEqual([
      "outputTokens",
    ]);
    expect(paths(serve({ requests: 200_000 }))).toEqual([]);
  });
  test("replicas multiply the simulation: 200,000 requests × 16 replicas = 3.2e6 > 2e6", () => {
    expect(paths(serve({ requests: 200_000, replicas: 16, chips: 16, tp: 1 }))).toEqual(["replicas"]);
    expect(paths(serve({ requests: 100_000, replicas: 16, chips: 16, tp: 1 }))).toEqual([]);
  });
  test("specK, LoRA adapters and prefix groups have their own caps", () => {
    expect(paths(serve({ requests: 10, specK: 1e9, specAcceptance: 0.5, specMtp: true }))).toEqual(["specK"]);
    expect(paths(serve({ requests: 10, specK: 64, specAcceptance: 0.5, specMtp: true }))).toEqual([]);
    expect(paths(serve({ requests: 10, loraAdapters: "5B" }), CLI_BUDGET)).toEqual(["loraAdapters"]);
  });
  test("fleet/compare: simRequests × chips compared, and the DES steps per run", () => {
    expect(paths({ hardware: "h100-sxm", simRequests: 3000 })).toEqual([]);
    expect(paths({ hardware: "h100-sxm,b200", simRequests: 30_000 })).toEqual(["simRequests"]);
    // 3,000 × (⌈1,024 ÷ 2,048⌉ + 8,192) = 2.46e7 > 2e7.
    expect(paths({ hardware: "h100-sxm", simRequests: 3000, outputTokens: 8192 })).toEqual(["simRequests"]);
    expect(paths({ hardware: Array(65).fill("b200").join(","), tokens: 1 })).toEqual(["hardware"]);
  });
  test("a grid of 10 values × 12 keys is 10¹² scenarios: over the sweep cap", () => {
    const grid = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`k${i}`, Array.from({ length: 10 }, (_, j) => j)]),
    );
    const [p] = gridProblems({ command: "infer", base: {}, grid });
    expect(p?.message).toMatch(/1,000,000,000,000 scenarios, over the cap of 1,000,000/);
    expect(gridProblems({ command: "infer", base: {}, grid: { batch: [1, 2] } })).toEqual([]);
  });
});
