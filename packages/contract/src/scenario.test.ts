import { fc, test } from "@fast-check/vitest";
import { findAccelerator, findModel } from "@flopcast/catalog";
import { describe, expect } from "vitest";
import { planInference } from "./infer-plan.ts";
import { parseNumber } from "./numbers.ts";
import { InferScenario, ServeScenario, TrainScenario } from "./scenario.ts";
import { planTraining } from "./train-plan.ts";

const models = ["llama-3.1-8b", "mixtral-8x7b", "deepseek-v3", "gpt3-175b", "nope"];
const chips = ["h100-sxm", "a100-sxm-80gb", "mi300x", "tpu-v5e", "t4", "nope"];
const value = fc.oneof(
  fc.integer({ min: -5, max: 5000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom("1e9", "300B", "max", "-1", "abc", "", "1.5T", "0"),
  fc.boolean(),
  fc.constant(null),
);
const scenario = (keys: readonly string[]) =>
  fc
    .record({ model: fc.constantFrom(...models), hardware: fc.constantFrom(...chips) })
    .chain((base) =>
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }).map((extra) => ({ ...base, ...extra })),
    );

describe("speculative-decoding flags (infer and serve share one check)", () => {
  const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    (r.error?.issues ?? []).map((i) => i.path.join("."));
  const base = { model: "llama-3.1-70b", hardware: "h100-sxm" };
  const traffic = { rate: 10, requests: 100 };
  test.each([
    ["infer", InferScenario, base],
    ["serve", ServeScenario, { ...base, ...traffic }],
  ] as const)("%s: names the missing k or α, accepts both", (_name, schema, input) => {
    expect(paths(schema.safeParse({ ...input, specMtp: true, specAcceptance: 0.8 }))).toContain("specK");
    expect(paths(schema.safeParse({ ...input, specMtp: true, specK: 4 }))).toContain("specAcceptance");
    expect(schema.safeParse({ ...input, specMtp: true, specK: 4, specAcceptance: 0.8 }).success).toBe(true);
  });
  test("infer also needs a draft cost source; serve assumes MTP-style heads (README)", () => {
    expect(paths(InferScenario.safeParse({ ...base, specK: 4, specAcceptance: 0.8 }))).toEqual(["specDraft"]);
    expect(ServeScenario.safeParse({ ...base, ...traffic, specK: 4, specAcceptance: 0.8 }).success).toBe(true);
  });
});

describe("parseNumber(text)", () => {
  test("accepts the CLI suffixes", () => {
    expect(parseNumber("300e9")).toBe(300e9);
    expect(parseNumber("300B")).toBe(300e9);
    expect(parseNumber("1.5T")).toBe(1.5e12);
    expect(parseNumber("70b")).toBe(70e9);
    expect(parseNumber("8k")).toBe(8000);
    expect(parseNumber("1,000")).toBe(1000);
    expect(parseNumber("ten")).toBeNaN();
  });
});

describe("fuzz: arbitrary scenarios never crash validation or planning", () => {
  test.prop([scenario(Object.keys(TrainScenario.shape))], { numRuns: 150 })("train", (raw) => {
    const parsed = TrainScenario.safeParse({ ...raw, tokens: (raw as Record<string, unknown>).tokens ?? "1e9" });
    if (!parsed.success) return;
    const m = findModel(parsed.data.model);
    const h = parsed.data.hardware ? findAccelerator(parsed.data.hardware) : undefined;
    if (!m.ok || (h && !h.ok)) return;
    const r = planTraining(parsed.data, m.value, h?.ok ? h.value : undefined);
    if (r.ok) expect(Number.isFinite(r.result.pfDays)).toBe(true);
  });
  test.prop([scenario(Object.keys(InferScenario.shape))], { numRuns: 150 })("infer", (raw) => {
    const parsed = InferScenario.safeParse(raw);
    if (!parsed.success) return;
    const m = findModel(parsed.data.model);
    const h = findAccelerator(parsed.data.hardware);
    if (!m.ok || !h.ok) return;
    const r = planInference(parsed.data, m.value, h.value, parsed.data.specDraft ? m.value : undefined);
    if (r.ok) expect(typeof r.result.feasible).toBe("boolean");
  });
});
