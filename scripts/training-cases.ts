/**
 * Builds the training validation cases from ../shared/reference/training-runs.csv + training-throughput.csv.
 * Values (chips, layout, seq len, expected metric) are read from the reference rows; this file only says how
 * to interpret each row (which catalog model/chip, which metric, batch and recompute where the notes state
 * them). Held-back runs (LLaMA-65B, PaLM, Gopher, Falcon-180B, Nemotron-4, DeepSeek-V3) are never included.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TrainingCaseData, TrainingMetric } from "@flopcast/contract";
import { type Architecture, GPT2_BLOCK } from "@flopcast/core";
import { parse } from "csv-parse/sync";

export const REFERENCE_DIR = join(import.meta.dirname, "..", "..", "shared", "reference");
export const HELD_BACK = /llama-?65b|palm|gopher|falcon|nemotron|deepseek/i;

type Row = Record<string, string>;

export function readCsv(file: string): Row[] {
  return parse(readFileSync(join(REFERENCE_DIR, file), "utf8"), { columns: true, skip_empty_lines: true }) as Row[];
}

/** A dense GPT-style architecture from (layers, hidden, heads, vocab, seq); used for papers' synthetic sizes. */
function gpt(layers: number, hidden: number, heads: number, vocab = 51200, ffn = 4 * hidden): Architecture {
  return {
    layers,
    hidden,
    heads,
    kvHeads: heads,
    headDim: hidden / heads,
    ffn,
    vocab,
    tiedEmbeddings: true,
    maxContext: 2048,
    ...GPT2_BLOCK,
  };
}

function llamaLike(
  layers: number,
  hidden: number,
  heads: number,
  kvHeads: number,
  ffn: number,
  vocab: number,
): Architecture {
  return {
    layers,
    hidden,
    heads,
    kvHeads,
    headDim: hidden / heads,
    ffn,
    ffnGated: true,
    vocab,
    tiedEmbeddings: false,
    maxContext: 8192,
    positionEmbedding: "rope",
    norm: "rmsnorm",
    normsPerLayer: 2,
    embeddingNorm: false,
    qkNorm: false,
    qkvBias: false,
    outBias: false,
    mlpBias: false,
    lmHeadBias: false,
  };
}

export type Metric = TrainingMetric;
export type TrainingCase = TrainingCaseData;

/** Interpretation of each row family: catalog ids, metric, and settings the row's notes state. */
interface Rule {
  readonly match: RegExp;
  readonly hardware: string;
  readonly model: (r: Row) => string | Architecture;
  readonly metric: Metric;
  readonly precision?: (r: Row) => "bf16" | "fp16" | "fp8" | "int8";
  readonly batchSeqs?: (r: Row) => number;
  readonly microBatch?: number;
  readonly recompute?: "none" | "selective" | "full";
  readonly zero?: 0 | 1 | 2 | 3;
  readonly sequenceParallel?: boolean;
  readonly ppInterleave?: number;
  /** Per-row recompute policy (overrides `recompute`). */
  readonly recomputeFor?: (r: Row) => "none" | "selective" | "full" | undefined;
  /** Per-row micro-batch (sequences per data-parallel rank). */
  readonly microBatchFor?: (r: Row) => number | undefined;
  /** Tensor parallelism the framework's config states (rows without tp/pp columns); dp = chips ÷ tp, pp = 1. */
  readonly tp?: number;
  /** Framework family and year of the measurement (leave-one-framework-out groups; era defaults). */
  readonly framework: (r: Row) => string;
  readonly year: (r: Row) => number;
  readonly modelFamily: (r: Row) => string;
}

const num = (s: string | undefined) => (s === undefined || s === "" ? undefined : Number(s));
const noteInt = (r: Row, re: RegExp) => {
  const m = re.exec(r.notes ?? "");
  return m?.[1] ? Number(m[1].replace(/,/g, "")) : undefined;
};
const megatronArch = (r: Row) =>
  gpt(noteInt(r, /layers=(\d+)/) ?? 1, noteInt(r, /hidden=(\d+)/) ?? 1, noteInt(r, /heads=(\d+)/) ?? 1);
/** The row's own precision column (blank = bf16, the MLPerf reference precision); int8 (AQT) rows are skipped. */
const mlperfPrecision = (r: Row) => (/fp8/i.test(r.precision ?? "") ? "fp8" : "bf16");
/** DGXC rows: GBS in tokens = step time × tokens/s, both quoted in the notes. */
const dgxcBatchTokens = (r: Row) => {
  const step = /step time ([\d.]+) s/.exec(r.notes ?? "");
  const tps = /([\d]+) tokens\/s/.exec(r.notes ?? "");
  return step?.[1] && tps?.[1] ? Number(step[1]) * Number(tps[1]) : 0;
};

/** MLPerf Training round → year (v3.0 June 2023, v3.1 Nov 2023, v4.0 June 2024, v4.1 Nov 2024). */
const mlperfYear = (r: Row) => (/^mlperf-v3/.test(r.id ?? "") ? 2023 : 2024);
/** Global batch in sequences from an MLPerf row's notes (`global_batch_size N`); undefined when the notes omit it. */
const mlperfBatchSeqs = (r: Row) => noteInt(r, /global_batch_size (\d+)/);
/** What every MLPerf GPT-3 175B row family shares (the benchmark fixes model, metric and reference batch). */
const MLPERF_GPT3 = {
  year: mlperfYear,
  modelFamily: () => "gpt3",
  hardware: "",
  model: () => "gpt3-175b",
  metric: "tflops6nd",
  batchSeqs: (r: Row) => mlperfBatchSeqs(r) ?? 2048,
} as const satisfies Partial<Rule>;
/** NVIDIA MLPerf configs name the micro-batch: config_DGXH100_64x8x128x4x8_mbs2.sh. */
const configMicroBatch = (r: Row) => noteInt({ notes: `${r.notes} ${r.source}` }, /_mbs(\d+)/);

const RULES: readonly Rule[] = [
  // Narayanan et al. 2021 Table 1: fp16, full recompute, TFLOP/s incl. recompute (HFU-like), Megatron interleaved 1F1B.
  {
    match: /^megatron21-t1-/,
    framework: () => "megatron",
    year: () => 2021,
    modelFamily: () => "gpt3",
    hardware: "a100-sxm-80gb",
    model: megatronArch,
    metric: "hfuTflops",
    precision: () => "fp16",
    batchSeqs: (r) => noteInt(r, /batch=(\d+)/) ?? 512,
    recompute: "full",
    microBatch: 1,
  },
  {
    match: /^megatronlm-175b-/,
    framework: () => "megatron",
    year: () => 2023,
    modelFamily: () => "gpt3",
    hardware: "a100-sxm-80gb",
    model: () => "gpt3-175b",
    metric: "mfu",
    precision: () => "bf16",
    batchSeqs: (r) => noteInt(r, /batch (\d+) seqs/) ?? 768,
    recompute: "selective",
    sequenceParallel: true,
    ppInterleave: 6,
  },
  {
    match: /^mtnlg-530b$/,
    framework: () => "deepspeed",
    year: () => 2021,
    modelFamily: () => "mt-nlg",
    hardware: "a100-sxm-80gb",
    model: () => "mt-nlg-530b",
    metric: "mfu",
    precision: () => "bf16",
    batchSeqs: () => 1920,
    recompute: "full",
  },
  {
    match: /^glm-130b$/,
    framework: () => "deepspeed",
    year: () => 2022,
    modelFamily: () => "glm",
    hardware: "a100-sxm-40gb",
    model: () => gpt(70, 12288, 96, 150528, 32768),
    metric: "mfu",
    precision: () => "fp16",
    batchSeqs: () => 4224,
    recompute: "full",
  },
  {
    match: /^bloomberggpt-50b$/,
    framework: () => "deepspeed",
    year: () => 2022,
    modelFamily: () => "bloomberggpt",
    hardware: "a100-sxm-40gb",
    model: () => gpt(70, 7680, 40, 131072),
    metric: "hfuTflops",
    precision: () => "bf16",
    batchSeqs: () => 1024,
    recompute: "full",
    zero: 3,
  },
  {
    match: /^bloom-176b$/,
    framework: () => "deepspeed",
    year: () => 2022,
    modelFamily: () => "bloom",
    hardware: "a100-sxm-80gb",
    model: () => "bloom-176b",
    metric: "hfuTflops",
    precision: () => "bf16",
    batchSeqs: () => 2048,
    recompute: "full",
  },
  {
    match: /^tinyllama-1.1b$/,
    framework: () => "fsdp",
    year: () => 2023,
    modelFamily: () => "llama",
    hardware: "a100-sxm-40gb",
    model: () => llamaLike(22, 2048, 32, 4, 5632, 32000),
    metric: "mfu",
    precision: () => "bf16",
    batchSeqs: () => 1024,
    recompute: "none",
    zero: 3,
  },
  {
    match: /^gpt3-175b-patterson$/,
    framework: () => "other",
    year: () => 2020,
    modelFamily: () => "gpt3",
    hardware: "v100-sxm2-32gb",
    model: () => "gpt3-175b",
    metric: "mfu",
    precision: () => "fp16",
    batchSeqs: () => 1536,
  },
  {
    match: /^llama31-405b-cfg/,
    framework: () => "meta",
    year: () => 2024,
    modelFamily: () => "llama",
    hardware: "h100-sxm",
    model: () => "llama-3.1-405b",
    metric: "mfu",
    precision: () => "bf16",
    // Table 4 states the batch per DP group (32 or 16 sequences); "16M tokens per batch" is that × dp × seq, rounded.
    batchSeqs: (r) => (noteInt(r, /batch size per DP group (\d+)/) ?? 16) * Number(r.dp),
    sequenceParallel: true,
    recompute: "selective",
    // Llama 3 Herd §3.3.2: "Our use of FSDP for Llama 3 shards the optimizer states and gradients, but for the model
    // shards we do not reshard after forward computation": weights resident through the step, as in ZeRO-2.
    zero: 2,
    // Llama 3 Herd §3.3.2 "Pipeline parallelism improvements": interleaved schedule (Narayanan et al. 2021) with V
    // stages per pipeline rank; one layer is removed from the first and last stages so that "the first model chunk
    // on the first stage has only the embedding, and the last model chunk on the last stage has only output
    // projection and loss". A chunk is therefore one layer: (126 layers + 2 end chunks) / pp 16 = 8 chunks per
    // rank, v = 8 (DERIVED; V is not printed in Table 4).
    ppInterleave: 8,
  },
  {
    match: /^dgxc-(llama31|gpt3-175b-bf16|gpt3-175b-fp8|grok)/,
    framework: () => "nemo",
    year: () => 2025,
    modelFamily: (r) => (r.id?.includes("llama") ? "llama" : r.id?.includes("grok") ? "grok" : "gpt3"),
    hardware: "h100-sxm",
    model: (r) => dgxcModel(r),
    metric: "mfu",
    precision: (r) => (r.id?.includes("fp8") ? "fp8" : "bf16"),
    batchSeqs: (r) => dgxcBatchTokens(r) / Number(r.seq_len),
    sequenceParallel: true,
    recompute: "selective",
  },
  {
    match: /^llmfoundry-mpt/,
    framework: () => "fsdp",
    year: () => 2023,
    modelFamily: () => "mpt",
    hardware: "",
    model: (r) => mptModel(r),
    metric: "mfu",
    precision: () => "bf16",
    batchSeqs: (r) => Number(r.chips) * 16,
    recompute: "full",
    zero: 3,
  },
  {
    match: /^mlperf-.*(nvidia|smc|oracle|azure|coreweave)/,
    framework: () => "nemo",
    ...MLPERF_GPT3,
    precision: mlperfPrecision,
    sequenceParallel: true,
    recompute: "selective",
  },
  // Intel's v3.1 and later Gaudi2 GPT-3 submissions ran FP8 (Intel, "Intel Gaudi2 Accelerator ... MLPerf Training 3.1",
  // Nov 2023: FP8 doubled the v3.0 BF16 result); the reference rows leave precision blank.
  {
    match: /^mlperf-v(3\.1|4\.\d)-intel/,
    framework: () => "habana",
    ...MLPERF_GPT3,
    hardware: "gaudi2",
    precision: () => "fp8",
  },
  // MaxText GPT-3 175B on TPU v5p (MLPerf v4.0/v4.1): AI-Hypercomputer/maxtext MaxText/configs/v5p/gpt3_175b/
  // gpt3_175b_base.sh ("the shared config between Google's various MLPerf 4.0 submissions"): int8 AQT
  // (`quantization=int8`), flash attention, ICI tensor parallelism 8 and FSDP × data parallelism for the rest;
  // per-slice scripts v5p_<cores>.sh set per_device_batch_size and remat_policy (V5P_CONFIGS).
  {
    match: /^mlperf-.*google.*v5p.*maxtext/,
    framework: () => "maxtext",
    ...MLPERF_GPT3,
    precision: () => "int8",
    zero: 3,
    tp: 8,
    recomputeFor: (r) => v5pConfig(r)?.recompute,
    // No gradient accumulation: one micro-batch of per_device_batch_size × 8 sequences per TP group.
    microBatchFor: (r) => {
      const c = v5pConfig(r);
      return c ? c.perDeviceBatch * 8 : undefined;
    },
  },
  // MaxText GPT-3 175B on Trillium: AI-Hypercomputer/maxtext MaxText/configs/trillium/gpt3_175b.sh ("for any
  // number of trillium-256 slices"): bf16, FSDP over the whole slice (`ici_fsdp_parallelism=-1`), data
  // parallelism over DCN between slices, remat_policy full, flash attention, no gradient accumulation.
  {
    match: /^mlperf-.*google.*trillium.*maxtext/,
    framework: () => "maxtext",
    ...MLPERF_GPT3,
    precision: mlperfPrecision,
    zero: 3,
    tp: 1,
    recompute: "full",
    microBatchFor: (r) => {
      const seqs = mlperfBatchSeqs(r);
      const chips = Number(r.chips);
      return seqs && seqs % chips === 0 ? seqs / chips : undefined;
    },
  },
  {
    match: /^mlperf-.*(google|intel)/,
    framework: (r) => (r.id?.includes("intel") ? "habana" : "maxtext"),
    ...MLPERF_GPT3,
    precision: mlperfPrecision,
  },
];

/**
 * MaxText MLPerf GPT-3 175B configs on TPU v5p, by slice name (TensorCores = 2 × chips): MaxText/configs/v5p/gpt3_175b/
 * v5p_1024.sh (per_device_batch_size 4, remat full, DP 1 × FSDP 64 × TP 8), v5p_2048.sh / v5p_3072.sh (2,
 * save_dot_except_mlpwi, 8 or 12 × 16 × 8), v5p_4096.sh / v5p_8192.sh (1, minimal, 4 × 64 × 8 or 16 × 32 × 8).
 * `minimal` saves every projection output and recomputes the rest (≈ Megatron selective); save_dot_except_mlpwi
 * also recomputes the MLP up-projection (≈ 1/9 more matmul FLOPs, not modelled: mapped to selective). The
 * v5p-12288 slice has no script: per-device batch 1, recompute left to the planner.
 */
const V5P_CONFIGS: Record<string, { perDeviceBatch: number; recompute: "full" | "selective" | undefined }> = {
  "1024": { perDeviceBatch: 4, recompute: "full" },
  "2048": { perDeviceBatch: 2, recompute: "selective" },
  "3072": { perDeviceBatch: 2, recompute: "selective" },
  "4096": { perDeviceBatch: 1, recompute: "selective" },
  "8192": { perDeviceBatch: 1, recompute: "selective" },
  "12288": { perDeviceBatch: 1, recompute: undefined },
};
const v5pConfig = (r: Row) => V5P_CONFIGS[/v5p-(\d+)/.exec(r.id ?? "")?.[1] ?? ""];

function dgxcModel(r: Row): string | Architecture {
  if (r.id?.includes("405b")) return "llama-3.1-405b";
  if (r.id?.includes("70b")) return "llama-3.1-70b";
  if (r.id?.includes("8b")) return "llama-3.1-8b";
  if (r.id?.includes("gpt3")) return "gpt3-175b";
  // Grok-1 (xai-org/grok-1 model card): 64 layers, 6144 hidden, 48 heads, 8 KV heads, 8 experts (2 active), vocab 131072.
  const grok = llamaLike(64, 6144, 48, 8, 0, 131072);
  return {
    ...grok,
    moe: {
      experts: 8,
      active: 2,
      shared: 0,
      expertFfn: 32768,
      firstDenseLayers: 0,
      routerBias: false,
      expertBias: false,
    },
  };
}

function mptModel(r: Row): Architecture {
  // MosaicML MPT configs (mosaicml/mpt-7b, mpt-30b/70b-style): ALiBi, no biases, 4h FFN, vocab 50432.
  if (r.id?.includes("mpt70b"))
    return { ...gpt(80, 8192, 64, 50432), positionEmbedding: "alibi", qkvBias: false, outBias: false, mlpBias: false };
  if (r.id?.includes("mpt13b"))
    return { ...gpt(40, 5120, 40, 50432), positionEmbedding: "alibi", qkvBias: false, outBias: false, mlpBias: false };
  return { ...gpt(32, 4096, 32, 50432), positionEmbedding: "alibi", qkvBias: false, outBias: false, mlpBias: false };
}

/** Maps the reference CSV's hardware strings to catalog ids. */
export function hardwareId(text: string): string | undefined {
  const t = text.toLowerCase();
  if (t.includes("v100")) return "v100-sxm2-32gb";
  if (t.includes("a100") && t.includes("40")) return "a100-sxm-40gb";
  if (t.includes("a100") || t.includes("ampere")) return "a100-sxm-80gb";
  if (t.includes("h100")) return "h100-sxm";
  if (t.includes("b200") || t.includes("blackwell")) return "b200";
  if (t.includes("gaudi2") || t.includes("gaudi(r) 2") || t.includes("gaudi2")) return "gaudi2";
  if (t.includes("v5p")) return "tpu-v5p";
  if (t.includes("v5e")) return "tpu-v5e";
  if (t.includes("trillium")) return "tpu-v6e";
  return undefined;
}

export function buildTrainingCases(): { cases: TrainingCase[]; skipped: string[] } {
  const runs = new Map(readCsv("training-runs.csv").map((r) => [r.id ?? "", r]));
  const throughput = readCsv("training-throughput.csv");
  const cases: TrainingCase[] = [];
  const skipped: string[] = [];
  for (const t of throughput) {
    const id = t.id ?? "";
    if (HELD_BACK.test(id) || HELD_BACK.test(t.model ?? "")) continue;
    const rule = RULES.find((x) => x.match.test(id));
    const r = { ...t, ...(runs.get(id) ?? {}), notes: `${runs.get(id)?.notes ?? ""} ${t.notes ?? ""}` } as Row;
    const hardware = rule?.hardware || hardwareId(t.hardware ?? "");
    const chips = num(t.chips);
    const seqLen = num(t.seq_len) ?? 2048;
    if (!rule || !hardware || !chips || /int8/i.test(r.precision ?? "")) {
      skipped.push(id);
      continue;
    }
    const metric = rule.metric;
    const expected = metric === "mfu" ? num(t.mfu) : num(t.tflops_per_chip);
    if (!expected) {
      skipped.push(id);
      continue;
    }
    const batchSeqs = rule.batchSeqs?.(r) ?? 1024;
    const tp = num(t.tp);
    const pp = num(t.pp);
    const dp = num(t.dp);
    const cp = /CP=(\d+)/.exec(r.notes ?? "")?.[1];
    cases.push({
      id,
      source: t.source ?? "",
      model: rule.model(r),
      modelName: t.model ?? "",
      hardware,
      chips,
      precision: rule.precision?.(r) ?? "bf16",
      seqLen,
      globalBatchTokens: batchSeqs * seqLen,
      // Knobs a row does not state are left to the planner, as at prediction time.
      microBatch: rule.microBatch ?? configMicroBatch(r) ?? rule.microBatchFor?.(r),
      // llm-foundry rows state activation checkpointing per row.
      recompute: /activation checkpointing no/i.test(r.notes ?? "")
        ? "none"
        : rule.recomputeFor
          ? rule.recomputeFor(r)
          : rule.recompute,
      zero: rule.zero ?? 1,
      sequenceParallel: rule.sequenceParallel ?? false,
      // The row's own notes win ("interleaved PP 8" in NVIDIA's MLPerf v4.0 configs).
      ppInterleave: noteInt({ notes: `${r.notes} ${r.source}` }, /interleaved PP (\d+)/i) ?? rule.ppInterleave,
      ...(tp && pp ? { tp, pp } : rule.zero === 3 ? { tp: rule.tp ?? 1, pp: 1, dp: chips / (rule.tp ?? 1) } : {}),
      ...(tp && pp && dp && tp * pp * dp * Number(cp ?? 1) === chips ? { dp } : {}),
      ...(cp ? { cp: Number(cp) } : {}),
      metric,
      expected,
      framework: rule.framework(r),
      modelFamily: rule.modelFamily(r),
      year: rule.year(r),
    });
  }
  return { cases, skipped };
}
