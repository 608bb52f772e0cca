import {
  formatCount,
  formatMs,
  formatNumber,
  InferScenario,
  localizeMessages,
  planInference,
} from "@flopcast/contract";
import type { Command } from "commander";
import { readCalibrationProfile } from "../calibration-profile.ts";
import { type Column, column, csv, renderTable, table } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerInfer(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("infer")
      .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
      .option("--hardware <id>", "accelerator id (flopcast hardware list)")
      .option("--chips <n>", "accelerators in total (default 1); replicas = chips / (tp·pp)")
      .option("--tp <n>", "tensor-parallel degree per replica (default: chips, up to the scale-up domain)")
      .option("--pp <n>", "pipeline-parallel degree per replica (default 1)")
      .option("--ep <n>", "expert-parallel degree, MoE (default tp·pp)")
      .option(
        "--precision <p>",
        "weights: bf16 | fp16 | fp8 | int8 | int4 | fp4 (default bf16 where native, else fp16)",
      )
      .option("--kv-precision <p>", "KV cache precision (default: weights' for 8/16-bit, else 16-bit)")
      .option(
        "--activation-precision <p>",
        "matmul precision (default: the weights'; falls back to 16-bit if not native)",
      )
      .option("--input-tokens <n>", "prompt tokens per request (default 1024)")
      .option("--output-tokens <n>", "generated tokens per request (default 256)")
      .option("--batch <n|max>", "concurrent sequences per replica, or max (largest that fits); default 1")
      .option("--max-batch-limit <n>", "engine cap on concurrent sequences (e.g. vLLM max_num_seqs)")
      .option("--usable-memory-fraction <x>", "fraction of HBM for weights + KV (default 0.9, vLLM's default)")
      .option(
        "--moe-imbalance <x>",
        "MoE: busiest expert's load ÷ mean (default 1.25, Switch Transformer capacity factor)",
      )
      .option("--spec-draft <id>", "speculative decoding: draft model id")
      .option("--spec-k <n>", "speculative decoding: draft tokens per step")
      .option("--spec-acceptance <a>", "speculative decoding: per-token acceptance rate α (0-1)")
      .option("--spec-draft-cost <c>", "speculative decoding: draft step cost ÷ target step cost (else computed)")
      .option("--spec-mtp", "speculative decoding with MTP/EAGLE-style heads (≈ one extra layer per draft token)")
      .option("--images <n>", "images per request (multimodal prefill)")
      .option("--image-tokens <n>", "tokens per image (from the model card)")
      .option("--audio-seconds <s>", "audio seconds per request")
      .option("--audio-tokens-per-second <n>", "audio tokens per second (from the model card)")
      .option("--video-seconds <s>", "video seconds per request")
      .option("--video-tokens-per-second <n>", "video tokens per second (from the model card)")
      .option(
        "--calibration <profile.json>",
        "matmul peak fractions from `flopcast calibrate --runs` (default: the catalog's inference calibration)",
      )
      .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
      .option("--explain", "print the derivation per phase: FLOPs, bytes, communication, bottleneck, assumptions"),
  ).action((flags: Record<string, unknown>) =>
    run(flags, async (): Promise<CommandOutcome> => {
      const { calibration: profilePath, ...rest } = flags;
      const calibration = typeof profilePath === "string" ? await readCalibrationProfile(profilePath) : undefined;
      const s = scenarioFrom(InferScenario, rest);
      const model = resolveModel(s.model);
      const hardware = resolveHardware(s.hardware);
      const draft = s.specDraft ? resolveModel(s.specDraft, "specDraft") : undefined;
      const planned = planInference(s, model, hardware, draft, calibration);
      if (!planned.ok) throw new BadInput(planned.problems);
      // Warnings and reasons that name an input name it as a flag here (messages.ts); code and params are unchanged.
      const r = localizeMessages(planned.result, "cli");
      return {
        kind: "ok",
        json: r,
        output: "infer",
        text: () => renderInfer(r, Boolean(flags.explain)),
        csv: () => csv(INFER_COLUMNS, [r]),
      };
    }),
  );
}

type InferResult = Extract<ReturnType<typeof planInference>, { ok: true }>["result"];

/** `infer --csv`: one row; columns = the JSON fields of the same name, nested ones flattened (docs/cli.md). */
export const INFER_COLUMNS: readonly Column<InferResult>[] = [
  column("model", "model", (r) => r.model),
  column("hardware", "hardware", (r) => r.hardware),
  column("chips", "chips", (r) => r.chips, formatCount),
  column("tp", "TP", (r) => r.parallelism.tp),
  column("pp", "PP", (r) => r.parallelism.pp),
  column("ep", "EP", (r) => r.parallelism.ep),
  column("replicas", "replicas", (r) => r.parallelism.replicas, formatCount),
  column("weightsPrecision", "weights", (r) => r.precision.weights),
  column("kvCachePrecision", "KV cache", (r) => r.precision.kvCache),
  column("computePrecision", "matmuls", (r) => r.precision.compute),
  column("inputTokens", "input tokens", (r) => r.inputTokens, formatCount),
  column("outputTokens", "output tokens", (r) => r.outputTokens, formatCount),
  column("batch", "batch", (r) => r.batch, formatCount),
  column("maxBatch", "max batch", (r) => r.maxBatch, formatCount),
  column("feasible", "feasible", (r) => r.feasible),
  column("ttftMs", "TTFT ms", (r) => r.ttftMs),
  column("tpotMs", "TPOT ms", (r) => r.tpotMs),
  column("outputTokensPerS", "output tokens/s", (r) => r.outputTokensPerS),
  column("outputTokensPerSLow", "output tokens/s (low)", (r) => r.outputTokensPerSLow),
  column("outputTokensPerSHigh", "output tokens/s (high)", (r) => r.outputTokensPerSHigh),
  column("outputTokensPerSPerChip", "output tokens/s per chip", (r) => r.outputTokensPerSPerChip),
  column("memoryPerChipGb", "memory GB/chip", (r) => r.memoryPerChipGb),
  column("prefillBottleneck", "prefill bound", (r) => r.bottleneck.prefill),
  column("decodeBottleneck", "decode bound", (r) => r.bottleneck.decode),
];

function renderInfer(r: InferResult, explain: boolean): string {
  const f = formatNumber;
  const p = r.parallelism;
  const m = r.memoryBreakdownGb;
  const lines = [
    `${r.model} on ${formatCount(r.chips)} × ${r.hardware}: TP ${p.tp} · PP ${p.pp} → ${formatCount(p.replicas)} ${p.replicas === 1 ? "replica" : "replicas"}; weights ${r.precision.weights}, KV cache ${r.precision.kvCache}, matmuls ${r.precision.compute}`,
    `  ${formatCount(r.inputTokens)} input / ${formatCount(r.outputTokens)} output tokens, batch ${formatCount(r.batch)} per replica (at most ${formatCount(r.maxBatch)} fit in the KV cache)`,
    `  ${r.feasible ? "feasible" : "INFEASIBLE"}; memory ${f(r.memoryPerChipGb, 3)} GB per chip (weights ${f(m.weights, 3)}, KV cache ${f(m.kvCache, 3)} of ${f(m.usableCapacity, 3)} GB usable)`,
    `  at batch ${formatCount(r.atLoad.batch)} (steady state, continuous batching with chunked prefill): TTFT ${formatMs(r.ttftMs)}, TPOT ${formatMs(r.tpotMs)} (${f(r.atLoad.outputTokensPerSPerUser)} tokens/s per user; decode ${r.bottleneck.decode}-bound)`,
    `  isolated request: TTFT ${formatMs(r.isolated.ttftMs)} (prefill ${r.bottleneck.prefill}-bound), TPOT ${formatMs(r.isolated.tpotMs)}`,
    `  ${f(r.outputTokensPerS)} output tokens/s (band ${f(r.outputTokensPerSLow)}–${f(r.outputTokensPerSHigh)}), ${f(r.outputTokensPerSPerChip)} per chip`,
  ];
  if (r.speculative)
    lines.push(
      `  speculative: ${f(r.speculative.expectedTokensPerStep)} tokens/step, draft cost ${f(r.speculative.draftCostRatio)}, speed-up ${f(r.speculative.analyticSpeedup)}× analytic, ${f(r.speculative.modelledSpeedup)}× modelled`,
    );
  for (const reason of r.reasons) lines.push(`  reason: ${reason.message}`);
  for (const w of r.warnings) lines.push(`  warning: ${w.message}`);
  if (explain) {
    const phases = [
      ["prefill (one prompt)", r.prefill],
      [`decode step (batch ${r.batch}, mean context)`, r.decodeStepAtMeanContext],
      ["steady iteration (+ piggybacked prefill)", r.steadyStep],
    ] as const;
    const phase = column<(typeof phases)[number]>;
    lines.push(
      "",
      table(
        [
          phase("phase", "phase", ([name]) => name),
          phase("computeMs", "Σ compute ms", ([, x]) => x.computeMs),
          phase("memoryMs", "Σ memory ms", ([, x]) => x.memoryMs),
          phase("opsMs", "Σ ops ms", ([, x]) => x.opsMs),
          phase("communicationMs", "communication ms", ([, x]) => x.communicationMs),
          phase("overheadMs", "overhead ms", ([, x]) => x.overheadMs),
          phase("totalMs", "total ms", ([, x]) => x.totalMs),
          phase("flops", "FLOPs", ([, x]) => x.flops, formatCount),
          phase("bytes", "bytes", ([, x]) => x.bytes, formatCount),
          phase("bottleneck", "bound", ([, x]) => x.bottleneck),
        ],
        phases,
      ),
      "",
      ...phases.slice(0, 2).flatMap(([name, x]) => [
        `per-op terms, ${name} (per chip; Σ of max(compute, memory)):`,
        renderTable(
          ["op", "compute ms", "memory ms", "time ms", "bound", "η"],
          x.ops.map((o) => [o.name, o.computeMs, o.memoryMs, o.timeMs, o.bound, o.efficiency]),
        ),
        "",
      ]),
      renderTable(
        ["term", "value", "unit", "formula"],
        r.terms.map((t) => [t.name, t.value, t.unit, t.formula]),
      ),
      "",
      "assumptions:",
      ...r.assumptions.map(
        (x) =>
          `  ${x.name} = ${typeof x.value === "number" ? f(x.value) : x.value}${x.unit ? ` ${x.unit}` : ""} — ${x.basis}`,
      ),
      "",
      `calibration: ${r.calibration}`,
      "",
      "sources:",
      ...r.sources.map((x) => `  ${x.field}: ${x.title}${x.where ? ` — ${x.where}` : ""}`),
    );
  }
  return lines.join("\n");
}
