import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { renderIndex } from "../../../scripts/gen-catalog-index.ts";
import { claimFiles } from "./claims.ts";
import * as index from "./data-index.ts";
import { trainingCalibrationData, trainingValidationCases } from "./efficiency.ts";
import { catalog, findAccelerator, findModel } from "./load.ts";
import { ageInYears, pricePoints } from "./prices.ts";

// CONTRACT.md "Required catalog ids".
const REQUIRED_HARDWARE =
  "v100-sxm2-32gb a100-sxm-40gb a100-sxm-80gb h100-sxm h100-pcie h800-sxm h20 h200-sxm b200 gb200 l4 l40s a10g t4 mi250x mi300x mi325x mi355x tpu-v3 tpu-v4 tpu-v5e tpu-v5p tpu-v6e gaudi2 gaudi3 trainium1 trainium2 inferentia2 maia-100 ascend-910b kunlun-r200 enflame-i20 hanguang-800".split(
    " ",
  );
const REQUIRED_MODELS =
  "gpt3-small gpt3-medium gpt3-large gpt3-xl gpt3-2.7b gpt3-6.7b gpt3-13b gpt3-175b gpt-j-6b opt-175b bloom-176b gopher-280b chinchilla-70b palm-540b mt-nlg-530b llama-65b llama-2-7b llama-2-13b llama-2-70b llama-3-8b llama-3-70b llama-3.1-8b llama-3.1-70b llama-3.1-405b mixtral-8x7b mixtral-8x22b deepseek-v3 falcon-180b nemotron-4-340b qwen3-30b-a3b qwen3-235b-a22b gpt-oss-20b gpt-oss-120b llama-4-scout llama-4-maverick gemma-3-27b deepseek-r1 kimi-k2 glm-4.5".split(
    " ",
  );

/** Every `"source": "id"` in a JSON value. */
function sourceIds(value: unknown): string[] {
  const json = JSON.stringify(value);
  const cited = [...json.matchAll(/"source":"([^"]+)"/g)].map((m) => m[1] ?? "");
  const seeAlso = [...json.matchAll(/"seeAlso":\[([^\]]*)\]/g)].flatMap((m) => JSON.parse(`[${m[1]}]`) as string[]);
  return [...cited, ...seeAlso];
}

describe("catalog files", () => {
  const c = catalog();
  test("every file passes its schema", () => {
    expect(c.errors).toEqual([]);
  });
  test("ids equal file names and are unique", () => {
    const pairs: [readonly unknown[], readonly string[]][] = [
      [index.acceleratorsFiles, index.acceleratorsFileNames],
      [index.systemsFiles, index.systemsFileNames],
      [index.modelsFiles, index.modelsFileNames],
    ];
    for (const [files, names] of pairs) {
      files.forEach((f, i) => {
        expect(`${(f as { id: string }).id}.json`).toBe(names[i]);
      });
    }
    const aliases = [...c.acceleratorAliases.keys()];
    expect(aliases.filter((a) => c.accelerators.has(a))).toEqual([]);
  });
  test("every source a number cites exists in the sources registry", () => {
    const cited = [
      ...index.acceleratorsFiles,
      ...index.systemsFiles,
      ...index.modelsFiles,
      ...index.pricesFiles,
    ].flatMap(sourceIds);
    expect(cited.filter((s) => !(s in c.sources))).toEqual([]);
  });
  test("no source is orphaned: each is cited by a number, a note or a seeAlso list", () => {
    const all = JSON.stringify([
      ...index.acceleratorsFiles,
      ...index.systemsFiles,
      ...index.modelsFiles,
      ...index.pricesFiles,
    ]);
    expect(Object.keys(c.sources).filter((id) => !all.includes(id))).toEqual([]);
  });
  test("every price point is dated, parses, and names catalog chips", () => {
    for (const p of pricePoints()) {
      expect(p.asOf, p.id).toMatch(/^~?\d{4}/);
      for (const chip of p.appliesTo) expect(c.accelerators.has(chip), `${p.id} → ${chip}`).toBe(true);
    }
    expect(pricePoints().length).toBeGreaterThanOrEqual(100);
  });
  test("ageInYears reads vague dates (half-years, quarters)", () => {
    expect(ageInYears("2024-H2", "2026-11-23")).toBeCloseTo(2.17, 2);
  });
  test("claim files parse and their ids are their file names", () => {
    expect(claimFiles().map((c) => `${c.id}.json`)).toEqual([...index.claimsFileNames]);
  });
  test("systems name catalog accelerators", () => {
    expect([...c.systems.values()].filter((s) => !c.accelerators.has(s.accelerator)).map((s) => s.id)).toEqual([]);
  });
  test("data-index.ts is regenerated (npm run catalog:index)", () => {
    expect(readFileSync(new URL("./data-index.ts", import.meta.url), "utf8")).toBe(renderIndex());
  });
});

describe("required ids (CONTRACT.md)", () => {
  test.each(REQUIRED_HARDWARE)("hardware %s", (id) => expect(findAccelerator(id).ok).toBe(true));
  test.each(REQUIRED_MODELS)("model %s", (id) => expect(findModel(id).ok).toBe(true));
});

describe("accelerator values", () => {
  test("h100-sxm: dense bf16 989.4 TFLOP/s, 80 GB, 3.35 TB/s", () => {
    const h = findAccelerator("h100-sxm");
    if (!h.ok) throw new Error("missing");
    expect(h.value.peak.bf16?.value).toBeCloseTo(989.4, 1);
    expect(h.value.memory.value).toBe(80);
    expect(h.value.memoryBandwidth.value).toBe(3.35);
  });
  test("chips without FP8 tensor cores have fp8 = null with a reason", () => {
    for (const id of ["a100-sxm-80gb", "a100-sxm-40gb", "v100-sxm2-32gb", "mi250x", "t4"]) {
      const h = findAccelerator(id);
      if (!h.ok) throw new Error(id);
      expect(h.value.peak.fp8?.value ?? null, id).toBeNull();
    }
  });
  test("every peak is dense and every accelerator states all seven precisions", () => {
    for (const a of catalog().accelerators.values()) {
      expect(Object.keys(a.peak).sort(), a.id).toEqual(["bf16", "fp16", "fp32", "fp4", "fp8", "int8", "tf32"]);
    }
  });
});

describe("training calibration", () => {
  test("every fitted row is a validation case, and fitted values are fractions of peak", () => {
    const ids = new Set(trainingValidationCases().map((c) => (c as { id: string }).id));
    const cal = trainingCalibrationData();
    for (const [family, f] of Object.entries(cal.families)) {
      for (const p of [f.matmulPeakFraction, f.lowPrecisionMatmulPeakFraction]) {
        if (!p) continue;
        expect(
          p.rows.filter((r) => !ids.has(r)),
          family,
        ).toEqual([]);
        expect(p.value).toBeGreaterThan(0.1);
        expect(p.value).toBeLessThanOrEqual(1);
      }
    }
  });
});
