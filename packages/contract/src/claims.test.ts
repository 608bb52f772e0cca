import { existsSync, readFileSync } from "node:fs";
import { type ClaimFile, claimFiles, findAccelerator, findModel, toAccelerator } from "@flopcast/catalog";
import { estimateTraining, PRIOR_TRAINING_EFFICIENCY } from "@flopcast/core";
import { describe, expect, test } from "vitest";
import { checkAllClaims, checkClaim } from "./claims.ts";

const results = new Map(checkAllClaims().map((r) => [r.id, r]));
const get = (id: string) => {
  const r = results.get(id);
  if (!r) throw new Error(id);
  return r;
};
const q = (id: string, name: string) => get(id).quantities.find((x) => x.name === name)?.value ?? Number.NaN;

const SEEDS = new URL("../../../../shared/reference/seeds/", import.meta.url);

/**
 * A claim's input is circular when it is the published figure itself (same unit), or the published figure times or
 * divided by another input (e.g. 17.5M queries/day = $700k ÷ 4¢), i.e. derived from the number under test.
 */
function circularInputs(c: ClaimFile): string[] {
  const p = [c.published.value, c.published.low, c.published.high].filter(
    (x): x is number => typeof x === "number" && x !== 0,
  );
  const nums = c.assumptions.filter(
    (a): a is typeof a & { value: number } => typeof a.value === "number" && a.value !== 0,
  );
  const near = (x: number, y: number) => Math.abs(x / y - 1) < 1e-6;
  const bad: string[] = [];
  for (const a of nums) {
    if (p.some((v) => near(a.value, v) && (a.unit ?? "") === c.published.unit) && a.kind !== "article")
      bad.push(`${a.name} = published`);
    for (const b of nums) {
      if (a === b) continue;
      for (const v of p)
        if (near(a.value, v / b.value) || near(a.value, v * b.value) || near(a.value, b.value / v))
          bad.push(`${a.name} derived from the published ${v} and ${b.name}`);
    }
  }
  return bad;
}

describe("flopcast claims: data that cannot fool itself", () => {
  test("at least 31 claims, each quoted from a seed article with a verdict, an explanation and sourced inputs", () => {
    expect(claimFiles().length).toBeGreaterThanOrEqual(31);
    for (const r of results.values()) {
      expect(["holds", "off", "unverifiable", "premise-false"]).toContain(r.verdict);
      expect(r.source, r.id).toMatch(/^\d{3}_[0-9a-f]{16}\.txt$/);
      expect(r.explanation, r.id).not.toMatch(/\{\w+\}/);
      for (const i of r.inputs) expect(i.source.length, `${r.id}.${i.name}`).toBeGreaterThan(2);
      if (r.verdict === "holds" || r.verdict === "off") expect(Number.isFinite(r.reproduced), r.id).toBe(true);
    }
  });
  test("the 19 original ids are kept, with the contract's verdicts", () => {
    for (const id of [
      "gpt3-175b-pfdays gpt3-xl-pfdays chatgpt-27.5-days v100-288-years gpt3-cost-4.6m azure-10k-gpus",
      "chatgpt-monthly-pfdays chatgpt-700k-per-day search-tenth tpu-v4-quarter-cost a100-10k gemini-5x-gpt4",
      "h100-3.5m spec-decoding-multiples lora-shared-serving moe-efficiency domestic-256-tops mi300x-vs-h100 compute-doubling",
    ].flatMap((x) => x.split(" ")))
      expect(results.has(id), id).toBe(true);
    expect(get("gpt3-175b-pfdays").verdict).toBe("holds");
    expect(get("gpt3-xl-pfdays").verdict).toBe("holds");
    expect(get("chatgpt-27.5-days").verdict).toBe("off");
  });
  test("published and reproduced are the same quantity: the reproduced quantity's unit is the published unit", () => {
    for (const c of claimFiles()) {
      if (c.reproduced === null) continue;
      const q = c.quantities.find((x) => x.name === c.reproduced);
      expect(q?.unit, c.id).toBe(c.published.unit);
    }
  });
  test("every price a claim uses names its dated records (or says none was found)", () => {
    const priced = [...results.values()].filter((r) =>
      r.inputs.some((i) => i.kind === "catalog" && /rent|price|owned/i.test(i.name)),
    );
    expect(priced.length).toBeGreaterThan(5);
    for (const r of priced) {
      const recs = r.inputs.filter((i) => i.value === "price records");
      expect(recs.length, r.id).toBeGreaterThan(0);
      for (const i of recs) expect(i.source, `${r.id}: ${i.name}`).toMatch(/[a-z0-9-]+ ~?\d{4}|no .* record before/);
    }
    const a100 = get("a100-gpt3-4m").inputs.find((i) => i.name === "rent a100-sxm-40gb at 2023-03");
    expect(a100?.source).toContain("gcp-a2-a100-40gb-od-2022 2022-12-12");
  });
  test("no input is the published figure or derived from it", () => {
    const found = claimFiles().flatMap((c) => circularInputs(c).map((x) => `${c.id}: ${x}`));
    expect(found).toEqual([]);
  });
  test("the circular-input check catches the old $700k ÷ 4¢ = 17.5M queries/day input", () => {
    const c = claimFiles().find((x) => x.id === "chatgpt-700k-per-day") as ClaimFile;
    const circular: ClaimFile = {
      ...c,
      assumptions: [
        ...c.assumptions,
        { name: "perQuery", value: 0.04, unit: "USD/query", source: "Reuters", kind: "reference" },
        { name: "queriesPerDay", value: 700000 / 0.04, source: "implied", kind: "assumption" },
      ],
    };
    expect(circularInputs(circular)).toContain("queriesPerDay derived from the published 700000 and perQuery");
  });
  test.skipIf(!existsSync(SEEDS))("every quote is in the seed article the claim names", () => {
    for (const c of claimFiles()) {
      const text = readFileSync(new URL(c.source, SEEDS), "utf8");
      for (const fragment of c.quote.split("……")) expect(text, c.id).toContain(fragment.replace(/。$/, ""));
    }
  });
});

describe("verdict rules", () => {
  const base = claimFiles().find((x) => x.id === "gpt3-cost-4.6m") as ClaimFile;
  const withValue = (v: number, published: ClaimFile["published"]): ClaimFile => ({
    ...base,
    published,
    quantities: [{ name: "x", label: "x", expression: String(v), unit: published.unit }],
    reproduced: "x",
    reproducedLow: undefined,
    reproducedHigh: undefined,
    verdict: { kind: "compare", tolerance: 0.05, toleranceBasis: "test" },
  });
  test("a hedged claim ('over $4M') is judged by its range, not by closeness to 4M", () => {
    expect(checkClaim(withValue(9e6, { value: 4e6, low: 4e6, unit: "USD" })).verdict).toBe("holds");
    expect(checkClaim(withValue(3.9e6, { value: 4e6, low: 4e6, unit: "USD" })).verdict).toBe("off");
  });
  test("a point claim holds within its tolerance: 5% of 4M is 3.8M-4.2M", () => {
    expect(checkClaim(withValue(4.19e6, { value: 4e6, unit: "USD" })).verdict).toBe("holds");
    expect(checkClaim(withValue(4.21e6, { value: 4e6, unit: "USD" })).verdict).toBe("off");
  });
});

describe("claims reproduced", () => {
  test("gpt3-175b-pfdays: 3,638 vs 3,640 PF-days", () =>
    expect(get("gpt3-175b-pfdays").reproduced).toBeCloseTo(3637.6, 0));
  test("chatgpt-27.5-days: GPT-3 XL's PF-days at 1e12 FLOP/s is 1,000× as many days", () => {
    expect(get("chatgpt-27.5-days").reproduced).toBeCloseTo(q("chatgpt-27.5-days", "pfdays") * 1000, 6);
    expect(get("chatgpt-27.5-days").explanation).toMatch(/factor-1,000/);
  });
  test("v100-288-years in years: 6 × 174.6B × 300B at 24.6 TFLOP/s = 405 V100-years; 288 implies 34.6 TFLOP/s", () => {
    expect(get("v100-288-years").unit).toBe("years");
    expect(get("v100-288-years").reproduced).toBeCloseTo((6 * 174.6e9 * 300e9) / 24.6e12 / (365.25 * 86400), 0);
    expect(q("v100-288-years", "implied")).toBeCloseTo(34.6, 1);
  });
  test("azure-400gbps: Microsoft's 400 Gbit/s is 50 GB/s", () => expect(get("azure-400gbps").reproduced).toBe(50));
  test("tpu-v4-quarter-cost: per chip 0.19, per dense bf16 FLOP/s 0.69", () => {
    expect(q("tpu-v4-quarter-cost", "perChip")).toBeCloseTo(5000 / 26000, 6);
    expect(q("tpu-v4-quarter-cost", "perFlop")).toBeCloseTo(5000 / 275 / (26000 / 989.4), 3);
  });
  test("gpt3-cost-4.6m: Lambda's basis ($1.50/h × 355.7 V100-years) is $4.67M", () =>
    expect(q("gpt3-cost-4.6m", "lambdaBasis")).toBeCloseTo(4.677e6, -4));
  test("compute-doubling uses the trends fit and its interval", () => {
    const r = get("compute-doubling");
    expect(r.reproducedLow).toBeLessThan(r.reproduced ?? 0);
    expect(r.reproducedHigh).toBeGreaterThan(r.reproduced ?? 0);
  });
  test("--price-usd-per-chip-hour prices the rented claims: GPT-3 on A100 at $10/h exceeds $4M", () => {
    const c = claimFiles().find((x) => x.id === "a100-gpt3-4m") as ClaimFile;
    expect(checkClaim(c).verdict).toBe("off");
    expect(checkClaim(c, { usdPerChipHour: 10 }).verdict).toBe("holds");
  });
  test("checkAllClaims is deterministic", () => expect(checkAllClaims()).toEqual(checkAllClaims()));
});

describe("Patterson et al. 2021 Table 4: GPT-3 energy (within 5%)", () => {
  test("10,000 V100, 24.6 TFLOP/s, 330 W measured, PUE 1.10 → 14.8 days, 1,287 MWh, 552 tCO2e at 0.429 kg/kWh", () => {
    const m = findModel("gpt3-175b");
    const h = findAccelerator("v100-sxm2-32gb");
    if (!m.ok || !h.ok) throw new Error("catalog");
    const chip = toAccelerator(h.value);
    const e = estimateTraining(
      {
        architecture: m.value.architecture,
        trainingTokens: 300e9,
        seqLen: 2048,
        globalBatchTokens: 3.2e6,
        microBatch: 1,
        precision: "fp16",
        sequenceParallel: false,
        ppInterleave: 1,
        zero: 1,
        goodput: 1,
      },
      // 330 W measured per accelerator vs the 300 W TDP: power fraction 1.1.
      {
        chip,
        chips: 10_000,
        efficiency: PRIOR_TRAINING_EFFICIENCY,
        mfuOverride: 24.6 / 125,
        powerFraction: 330 / 300,
        pue: 1.1,
        kgCo2PerKwh: 0.429,
      },
    );
    expect(Math.abs((e.cluster?.days ?? 0) / 14.8 - 1)).toBeLessThan(0.05);
    expect(Math.abs((e.cluster?.energyMwh ?? 0) / 1287 - 1)).toBeLessThan(0.05);
    expect(Math.abs((e.cluster?.co2Tonnes ?? 0) / 552 - 1)).toBeLessThan(0.05);
  });
});
