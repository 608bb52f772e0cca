import { InferScenario, planInference } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerInfer(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("infer")
      .description("inference step model: TTFT, TPOT, tokens/s, KV-cache capacity, memory per chip, the bottleneck")
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
      .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
      .option("--explain", "print the derivation per phase: FLOPs, bytes, communication, bottleneck, assumptions"),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const s = scenarioFrom(InferScenario, flags);
      const model = resolveModel(s.model);
      const hardware = resolveHardware(s.hardware);
      const draft = s.specDraft ? resolveModel(s.specDraft, "specDraft") : undefined;
      const planned = planInference(s, model, hardware, draft);
      if (!planned.ok) throw new BadInput(planned.problems);
      const r = planned.result;
      return { kind: "ok", json: r, text: () => renderInfer(r, Boolean(flags.explain)) };
    }),
  );
}

type InferResult = Extract<ReturnType<typeof planInference>, { ok: true }>["result"];

function renderInfer(r: InferResult, explain: boolean): string {
  const f = formatNumber;
  const p = r.parallelism;
  const lines = [
    `${r.model} on ${r.chips} × ${r.hardware}: tp ${p.tp} pp ${p.pp} → ${p.replicas} replica(s); weights ${r.precision.weights}, KV ${r.precision.kvCache}, matmuls ${r.precision.compute}`,
    `  ${r.inputTokens} in / ${r.outputTokens} out, batch ${r.batch} per replica (max ${f(r.maxBatch)} by KV capacity)`,
    `  ${r.feasible ? "feasible" : "INFEASIBLE"}; memory ${f(r.memoryPerChipGb)} GB/chip (weights ${f(r.memoryBreakdownGb.weights)}, KV ${f(r.memoryBreakdownGb.kvCache)}, usable ${f(r.memoryBreakdownGb.usableCapacity)})`,
    `  at batch ${r.atLoad.batch} (steady state, continuous batching with chunked prefill): TTFT ${f(r.ttftMs)} ms, TPOT ${f(r.tpotMs)} ms (${f(r.atLoad.outputTokensPerSPerUser)} tokens/s per user; decode ${r.bottleneck.decode}-bound)`,
    `  isolated request: TTFT ${f(r.isolated.ttftMs)} ms (prefill ${r.bottleneck.prefill}-bound), TPOT ${f(r.isolated.tpotMs)} ms`,
    `  ${f(r.outputTokensPerS)} output tokens/s (band ${f(r.outputTokensPerSLow)}–${f(r.outputTokensPerSHigh)}), ${f(r.outputTokensPerSPerChip)} per chip`,
  ];
  if (r.speculative)
    lines.push(
      `  speculative: ${f(r.speculative.expectedTokensPerStep)} tokens/step, draft cost ${f(r.speculative.draftCostRatio)}, speed-up ${f(r.speculative.analyticSpeedup)}× analytic, ${f(r.speculative.modelledSpeedup)}× modelled`,
    );
  for (const reason of r.reasons) lines.push(`  reason: ${reason.message}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (explain) {
    const phases = [
      ["prefill (one prompt)", r.prefill],
      [`decode step (batch ${r.batch}, mean context)`, r.decodeStepAtMeanContext],
      ["steady iteration (+ piggybacked prefill)", r.steadyStep],
    ] as const;
    lines.push(
      "",
      renderTable(
        [
          "phase",
          "Σ compute ms",
          "Σ memory ms",
          "Σ ops ms",
          "comm ms",
          "overhead ms",
          "total ms",
          "FLOPs",
          "bytes",
          "bound",
        ],
        phases.map(([name, x]) => [
          name,
          x.computeMs,
          x.memoryMs,
          x.opsMs,
          x.communicationMs,
          x.overheadMs,
          x.totalMs,
          x.flops,
          x.bytes,
          x.bottleneck,
        ]),
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
      ...r.assumptions.map((x) => `  ${x.name} = ${x.value}${x.unit ? ` ${x.unit}` : ""} — ${x.basis}`),
      "",
      "sources:",
      ...r.sources.map((x) => `  ${x.field}: ${x.title}${x.where ? ` — ${x.where}` : ""}`),
    );
  }
  return lines.join("\n");
}
