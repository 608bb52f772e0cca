import { CLI_BUDGET, runServe, ServeScenario, setupServe, workProblems } from "@flopcast/contract";
import type { Command } from "commander";
import { MAX_TRACE_FILE_BYTES, readTextLimited, writeFileChecked } from "../files.ts";
import { formatNumber, renderCsv } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { progressBar } from "../progress.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { readTrace } from "../trace-file.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerServe(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("serve")
      .description(
        "discrete-event simulation of a serving fleet under traffic: latency percentiles, throughput, SLO attainment",
      )
      .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
      .option("--hardware <id>", "accelerator id")
      .option("--chips <n>", "chips in total (default 1)")
      .option("--replicas <n>", "replicas (default chips ÷ (tp·pp))")
      .option("--tp <n>", "tensor-parallel degree per replica")
      .option("--pp <n>", "pipeline-parallel degree per replica (default 1)")
      .option("--precision <p>", "weights precision (default bf16 where native)")
      .option("--kv-precision <p>", "KV cache precision")
      .option("--rate <r>", "arrival rate, requests per second (mean)")
      .option("--requests <k>", "number of requests to simulate")
      .option("--duration <s>", "simulate rate × duration requests instead of --requests")
      .option(
        "--trace <file>",
        "replay a trace (CSV or JSONL: arrival_s, input_tokens, output_tokens[, adapter, prefix_group, prefix_tokens])",
      )
      .option("--input-tokens <n>", "fixed prompt length (default 1024)")
      .option("--output-tokens <n>", "fixed output length (default 256)")
      .option(
        "--input-dist <d>",
        "prompt lengths: fixed:N | uniform:MIN:MAX | lognormal:MEDIAN:SIGMA | empirical:FILE (one count per line)",
      )
      .option("--output-dist <d>", "output lengths, same forms")
      .option("--arrival <kind>", "poisson | gamma (default poisson)")
      .option("--burstiness <cv>", "gamma arrivals: coefficient of variation of the gaps (> 1 bursty)")
      .option("--diurnal-peak-to-average <x>", "modulate the rate over a 24 h day with this peak ÷ average")
      .option("--seed <s>", "random seed (default 1): same seed, same output")
      .option("--scheduler <s>", "fcfs (vLLM v0: prefill-first) | chunked (Sarathi-Serve chunked prefill; default)")
      .option("--router <r>", "round-robin | least-outstanding (default) | prefix-affinity")
      .option("--max-batched-tokens <n>", "token budget per iteration (default 2048 chunked, 8192 fcfs)")
      .option("--max-seqs <n>", "concurrent sequences per replica (default 256, vLLM max_num_seqs)")
      .option("--prefix-groups <n>", "shared-prefix groups (system prompts)")
      .option("--prefix-tokens <n>", "tokens of each shared prefix")
      .option("--prefix-fraction <x>", "fraction of requests with a shared prefix (default 1)")
      .option("--prefix-cache-fraction <x>", "fraction of KV memory kept for the prefix cache (default 0.1)")
      .option("--lora-adapters <n>", "multi-LoRA: number of adapters (Zipf popularity)")
      .option("--lora-zipf <s>", "Zipf exponent of adapter popularity (default 1)")
      .option("--lora-fraction <x>", "fraction of requests that use an adapter (default 1)")
      .option("--lora-slots <n>", "adapters resident per replica (default 8)")
      .option("--lora-rank <r>", "adapter rank, sets the load time over PCIe (default 16)")
      .option("--spec-k <n>", "speculative decoding: draft tokens per step")
      .option("--spec-acceptance <a>", "speculative decoding: acceptance rate α")
      .option("--spec-draft <id>", "speculative decoding: draft model")
      .option("--spec-draft-cost <c>", "speculative decoding: draft step ÷ target step")
      .option("--spec-mtp", "speculative decoding with MTP heads")
      .option("--prefill-replicas <n>", "disaggregation: replicas that only prefill")
      .option("--decode-replicas <n>", "disaggregation: replicas that only decode (KV cache moves over the network)")
      .option("--slo-ttft-ms <ms>", "TTFT SLO for sloAttainment")
      .option("--slo-tpot-ms <ms>", "TPOT SLO for sloAttainment")
      .option("--out <file>", "write per-request records as CSV")
      .option("--chrome-trace <file>", "write iteration spans as a Chrome trace (chrome://tracing, Perfetto)")
      .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it"),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const { out, chromeTrace, ...rest } = flags;
      for (const key of ["inputDist", "outputDist"] as const) {
        const v = rest[key];
        if (typeof v === "string" && v.startsWith("empirical:"))
          rest[key] = readEmpirical(key, v.slice("empirical:".length));
      }
      const s = scenarioFrom(ServeScenario, rest);
      const model = resolveModel(s.model);
      const hardware = resolveHardware(s.hardware);
      const draft = s.specDraft ? resolveModel(s.specDraft, "specDraft") : undefined;
      const trace = s.trace ? readTrace(s.trace) : undefined;
      const over = trace ? workProblems(s, CLI_BUDGET, { traceRows: trace.length }) : [];
      if (over.length) throw new BadInput(over);
      const setup = setupServe(s, model, hardware, { trace, draft });
      if (!setup.ok) throw new BadInput(setup.problems);
      const bar = progressBar("simulating");
      const { sim, result } = runServe(s, setup.setup, (f) => bar.update(f), typeof chromeTrace === "string");
      bar.done();
      if (typeof out === "string") {
        const r = sim.records;
        const rows = Array.from(r.arrivedAt, (_, i) => [
          i,
          r.arrivedAt[i] ?? 0,
          r.firstTokenAt[i] ?? 0,
          r.completedAt[i] ?? 0,
          r.inputTokens[i] ?? 0,
          r.outputTokens[i] ?? 0,
          r.replica[i] ?? 0,
          r.preemptions[i] ?? 0,
        ]);
        writeFileChecked(
          out,
          renderCsv(
            [
              "id",
              "arrivedAtS",
              "firstTokenAtS",
              "completedAtS",
              "inputTokens",
              "outputTokens",
              "replica",
              "preemptions",
            ],
            rows,
          ),
          "out",
        );
      }
      if (typeof chromeTrace === "string") {
        const events = sim.trace.map((t) => ({
          name: `decode ${t.decodeTokens} + prefill ${t.prefillTokens}`,
          ph: "X",
          ts: t.startS * 1e6,
          dur: t.durationS * 1e6,
          pid: 1,
          tid: t.replica,
        }));
        writeFileChecked(chromeTrace, JSON.stringify({ traceEvents: events, displayTimeUnit: "ms" }), "chromeTrace");
      }
      return { kind: "ok", json: result, text: () => renderServe(result) };
    }),
  );
}

/** `empirical:FILE`: token counts, one per line (or comma/space separated). */
function readEmpirical(key: string, path: string) {
  const text = readTextLimited(path, key, MAX_TRACE_FILE_BYTES);
  const values = text
    .split(/[\s,]+/)
    .filter((x) => x !== "")
    .map(Number);
  const bad = values.findIndex((x) => !Number.isInteger(x) || x <= 0);
  if (bad >= 0 || values.length === 0)
    throw new BadInput([
      {
        path: key,
        message: `${path}: expected positive whole token counts${bad >= 0 ? `, item ${bad + 1} is not` : ""}`,
      },
    ]);
  return { kind: "empirical", values };
}

function renderServe(r: ReturnType<typeof runServe>["result"]): string {
  const f = (x: number | null) => (x === null ? "—" : formatNumber(x));
  const p = (x: { p50: number | null; p90: number | null; p99: number | null }) =>
    `p50 ${f(x.p50)}  p90 ${f(x.p90)}  p99 ${f(x.p99)} ms`;
  return [
    `${r.model} on ${r.replicas} × ${r.chipsPerReplica} ${r.hardware} (${r.scheduler} scheduler, ${r.router} router), seed ${r.seed}`,
    `  ${f(r.completed)} of ${f(r.requests)} requests in ${f(r.durationS)} s: ${f(r.throughputReqPerS)} req/s, ${f(r.outputTokensPerS)} output tokens/s (${f(r.outputTokensPerSPerChip)} per chip)`,
    `  TTFT ${p(r.ttftMs)}`,
    `  TPOT ${p(r.tpotMs)}`,
    `  E2E  ${p(r.e2eMs)}`,
    ...("sloAttainment" in r && r.sloAttainment !== undefined
      ? [`  SLO attainment ${f(r.sloAttainment)} (goodput ${f(r.goodputReqPerS ?? null)} req/s)`]
      : []),
    `  KV cache use mean ${f(r.kvUtilisation.mean)}, max ${f(r.kvUtilisation.max)}; ${r.preemptions} preemptions; ${f(r.simulatedEvents)} events`,
    ...(r.prefixCacheHitRate !== null ? [`  prefix cache hit rate ${f(r.prefixCacheHitRate)}`] : []),
    ...(r.loraLoads ? [`  LoRA adapter loads ${r.loraLoads}`] : []),
    ...r.warnings.map((w) => `  warning: ${w}`),
  ].join("\n");
}
