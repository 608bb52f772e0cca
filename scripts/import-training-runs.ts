/**
 * Build-time import of ../shared/reference/training-runs.csv into packages/catalog/data/trends/training-runs.json
 * for `flopcast trends` (core stays pure: it fits what the catalog holds). Keeps the rows with a training compute
 * that are full training runs (MLPerf/DGXC throughput benchmarks and projections are left out) and dates each run
 * by its public release (month), listed below with the publication that dates it. Duplicate records of the same run
 * (Patterson's GPT-3 view, Epoch's Llama 3.1 405B copy) are dropped. Re-run: `node scripts/import-training-runs.ts`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readCsv } from "./training-cases.ts";

/** Release month of each run (the row's own source publication or model card release). */
const RELEASED: Record<string, string> = {
  "gpt3-d1-": "2020-05", // Brown et al. 2020, arXiv 2005.14165 (May 2020)
  "llama1-": "2023-02", // Touvron et al. 2023, arXiv 2302.13971
  "llama2-": "2023-07", // Llama 2 release, 2023-07-18
  "llama3-": "2024-04", // Llama 3 release, 2024-04-18
  "llama31-": "2024-07", // Llama 3.1 release, 2024-07-23
  "llama32-": "2024-09", // Llama 3.2 release, 2024-09-25
  "llama4-": "2025-04", // Llama 4 release, 2025-04-05
  "bloom-": "2022-07", // BLOOM release, 2022-07 (paper arXiv 2211.05100)
  "palm-": "2022-04", // Chowdhery et al. 2022, arXiv 2204.02311
  "chinchilla-": "2022-03", // Hoffmann et al. 2022, arXiv 2203.15556
  "lamda-": "2022-01", // Thoppilan et al. 2022, arXiv 2201.08239
  "glm-": "2022-10", // Zeng et al. 2022, arXiv 2210.02414
  "bloomberggpt-": "2023-03", // Wu et al. 2023, arXiv 2303.17564
  "starcoderbase-": "2023-05", // Li et al. 2023, arXiv 2305.06161
  "falcon-": "2023-05", // TII Falcon release, 2023-05
  "mpt-": "2023-05", // MosaicML 'Introducing MPT-7B', 2023-05-05
  "tinyllama-": "2024-01", // TinyLlama 1.1B release, 2024-01
  "pythia-": "2023-04", // Biderman et al. 2023, arXiv 2304.01373
  "smollm3-": "2025-07", // Hugging Face SmolLM3 blog, 2025-07
  "phi-3-": "2024-04", // Phi-3 release, 2024-04
  "phi-4": "2024-12", // Abdin et al. 2024, arXiv 2412.08905
  dbrx: "2024-03", // Databricks 'Introducing DBRX', 2024-03-27
  "gemma-2-": "2024-06", // Gemma Team 2024, Gemma 2
  "gemma-3-": "2025-03", // Gemma Team 2025, arXiv 2503.19786
  "deepseek-v2": "2024-05", // DeepSeek-AI 2024, arXiv 2405.04434
  "deepseek-67b": "2024-01", // DeepSeek LLM, arXiv 2401.02954
  "patterson-t5-": "2019-10", // Raffel et al. 2019, arXiv 1910.10683
  "patterson-meena-": "2020-01", // Adiwardana et al. 2020, arXiv 2001.09977
  "patterson-gshard-": "2020-06", // Lepikhin et al. 2020, arXiv 2006.16668
  "patterson-switch-": "2021-01", // Fedus et al. 2021, arXiv 2101.03961
  "epoch-gpt-4": "2023-03", // GPT-4 technical report, 2023-03-14
  "epoch-gemini-1.0-ultra": "2023-12", // Gemini 1.0 announcement, 2023-12-06
  "epoch-inflection-2": "2023-11", // Inflection-2 announcement, 2023-11
  "epoch-grok-1": "2023-11", // Grok-1 announcement, 2023-11
  "epoch-grok-2": "2024-08", // Grok-2 release, 2024-08
  "epoch-palm-2": "2023-05", // PaLM 2 technical report, 2023-05
  "epoch-claude-3-opus": "2024-03", // Claude 3 release, 2024-03-04
  "epoch-claude-3.5-sonnet": "2024-06", // Claude 3.5 Sonnet release, 2024-06-20
  "epoch-gpt-4o": "2024-05", // GPT-4o release, 2024-05-13
  "epoch-mistral-large-2": "2024-07", // Mistral Large 2 release, 2024-07-24
};
const DUPLICATES = new Set(["gpt3-175b-patterson", "epoch-llama-3.1-405b"]);

if (process.argv[1] === import.meta.filename) {
  const runs = [];
  for (const r of readCsv("training-runs.csv")) {
    const id = r.id ?? "";
    const flop = Number(r.compute_flops);
    if (!flop || DUPLICATES.has(id) || /^mlperf-|^dgxc-|^megatron/.test(id)) continue;
    const key = Object.keys(RELEASED)
      .filter((k) => id.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    if (!key) throw new Error(`no release date for training run ${id}`);
    runs.push({
      id,
      model: r.model,
      flop,
      released: RELEASED[key],
      estimate: id.startsWith("epoch-"),
      source: r.source,
    });
  }
  runs.sort((a, b) => String(a.released).localeCompare(String(b.released)) || a.id.localeCompare(b.id));
  const out = join(import.meta.dirname, "..", "packages", "catalog", "data", "trends", "training-runs.json");
  writeFileSync(
    out,
    `${JSON.stringify({ importedFrom: "../shared/reference/training-runs.csv", script: "scripts/import-training-runs.ts", runs }, null, 2)}\n`,
  );
  console.log(`wrote ${runs.length} runs to ${out}`);
}
