import {
  CLI_BUDGET,
  formatCount,
  formatDuration,
  formatMs,
  formatNumber,
  formatPercent,
  localizeMessages,
  runServe,
  ServeScenario,
  setupServe,
  workProblems,
} from "@flopcast/contract";
import { ENGINE_IDS, ROUTERS, SCHEDULERS } from "@flopcast/core";
import type { Command } from "commander";
import { MAX_TRACE_FILE_BYTES, readTextLimited, writeFileChecked } from "../files.ts";
import { type Column, column, csv, renderCsv } from "../format/table.ts";
import { announce, BadInput, type CommandOutcome } from "../output.ts";
import { progressBar } from "../progress.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { readTrace } from "../trace-file.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerServe(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("serve")
      .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
      .option("--hardware <id>", "accelerator id")
      .option("--chips <n>", "chips in total (default 1)")
      .option("--replicas <n>", "replicas (default chips ÷ (tp·pp))")
      .option("--tp <n>", "tensor-parallel degree per replica")
      .option("--pp <n>", "pipeline-parallel degree per replica (default 1)")
      .option("--ep <n>", "expert-parallel degree of the MoE layers per replica (default tp·pp)")
      .option("--dp-attention", "data-parallel attention over the tp ranks (DeepSeek/SGLang style), experts over --ep")
      .option("--precision <p>", "weights precision (default bf16 where native)")
      .option("--kv-precision <p>", "KV cache precision")
      .option("--rate <r>", "open loop: arrival rate, requests per second (mean)")
      .option(
        "--concurrency <n>",
        "closed loop: keep N requests in flight, a new one sent when one finishes (benchmark clients); default 10·N measured requests",
      )
      .option("--warmup-requests <n>", "closed loop: requests left out of the metrics first (default 2·concurrency)")
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
      .option(
        "--scheduler <s>",
        Object.entries(SCHEDULERS)
          .map(([k, v]) => `${k} (${v.description})`)
          .join(" | "),
      )
      .option(
        "--router <r>",
        Object.entries(ROUTERS)
          .map(([k, v]) => `${k} (${v.description})`)
          .join(" | "),
      )
      .option(
        "--engine <e>",
        `serving engine profile: ${ENGINE_IDS.join(" | ")} (also trt, dynamo-trt, dynamo-sglang, dynamo-vllm); unknown → generic`,
      )
      .option(
        "--max-batched-tokens <n>",
        "token budget per iteration (default: the engine's; without --engine 2048 chunked, 8192 fcfs)",
      )
      .option("--max-seqs <n>", "concurrent sequences per replica (default: the engine's; without --engine 256)")
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
      .option(
        "--spec-mtp",
        "speculative decoding with MTP heads (alone: k 3, α 0.7 per draft, a stated assumption; override with --spec-k/--spec-acceptance)",
      )
      .option("--prefill-workers <n>", "disaggregation: engine instances that only prefill")
      .option("--prefill-tp <n>", "disaggregation: tp of each prefill worker (default --tp)")
      .option("--prefill-ep <n>", "disaggregation: ep of each prefill worker (default its tp·pp)")
      .option("--prefill-dp-attention", "disaggregation: DP attention on prefill workers")
      .option(
        "--decode-workers <n>",
        "disaggregation: engine instances that only decode (KV moves over NVLink inside one scale-up domain, else the NICs)",
      )
      .option("--decode-tp <n>", "disaggregation: tp of each decode worker (default --tp)")
      .option("--decode-ep <n>", "disaggregation: ep of each decode worker (default its tp·pp)")
      .option("--decode-dp-attention", "disaggregation: DP attention on decode workers")
      .option("--prefill-replicas <n>", "alias of --prefill-workers")
      .option("--decode-replicas <n>", "alias of --decode-workers")
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
      const run = runServe(s, setup.setup, (f) => bar.update(f), typeof chromeTrace === "string");
      const sim = run.sim;
      // Warnings that name an input name it as a flag here (messages.ts); code and params are unchanged.
      const result = localizeMessages(run.result, "cli");
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
        announce(`wrote ${formatCount(rows.length)} request records (CSV) to ${out}`);
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
        announce(`wrote ${formatCount(events.length)} iteration spans (Chrome trace JSON) to ${chromeTrace}`);
      }
      return {
        kind: "ok",
        json: result,
        output: "serve",
        text: () => renderServe(result),
        csv: () => csv(SERVE_COLUMNS, [result]),
      };
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

type ServeResult = ReturnType<typeof runServe>["result"];
type Percentiles = { p50: number | null; p90: number | null; p99: number | null };

const percentileColumns = (key: "ttftMs" | "tpotMs" | "e2eMs", label: string): Column<ServeResult>[] =>
  (["p50", "p90", "p99"] as const).map((p) =>
    column(`${key}${p.toUpperCase()}`, `${label} ${p} ms`, (r: ServeResult) => (r[key] as Percentiles)[p]),
  );

/** `serve --csv`: one summary row; percentiles flattened as ttftMsP50 … (docs/cli.md). */
export const SERVE_COLUMNS: readonly Column<ServeResult>[] = [
  column("model", "model", (r) => r.model),
  column("hardware", "hardware", (r) => r.hardware),
  column("chips", "chips", (r) => r.chips),
  column("replicas", "replicas", (r) => r.replicas),
  column("chipsPerReplica", "chips per replica", (r) => r.chipsPerReplica),
  column("scheduler", "scheduler", (r) => r.scheduler),
  column("router", "router", (r) => r.router),
  column("requests", "requests", (r) => r.requests),
  column("completed", "completed", (r) => r.completed),
  column("durationS", "duration s", (r) => r.durationS),
  column("offeredRateReqPerS", "offered req/s", (r) => r.offeredRateReqPerS),
  column("servedRateReqPerS", "served req/s", (r) => r.servedRateReqPerS),
  column("overloaded", "overloaded", (r) => r.overloaded),
  column("throughputReqPerS", "throughput req/s", (r) => r.throughputReqPerS),
  column("outputTokensPerS", "output tokens/s", (r) => r.outputTokensPerS),
  column("outputTokensPerSPerChip", "output tokens/s per chip", (r) => r.outputTokensPerSPerChip),
  column("throughputTokensPerSPerChip", "input + output tokens/s per chip", (r) => r.throughputTokensPerSPerChip),
  column("outputTokensPerSPerUser", "output tokens/s per user", (r) => r.outputTokensPerSPerUser),
  ...percentileColumns("ttftMs", "TTFT"),
  ...percentileColumns("tpotMs", "TPOT"),
  ...percentileColumns("e2eMs", "E2E"),
  column("sloAttainment", "SLO attainment", (r) => ("sloAttainment" in r ? r.sloAttainment : null)),
  column("goodputReqPerS", "goodput req/s", (r) => ("goodputReqPerS" in r ? r.goodputReqPerS : null)),
  column("preemptions", "preemptions", (r) => r.preemptions),
  column("simulatedEvents", "simulated events", (r) => r.simulatedEvents),
  column("seed", "seed", (r) => r.seed),
];

function renderServe(r: ServeResult): string {
  const f = (x: number | null) => formatNumber(x);
  const p = (x: Percentiles) => `p50 ${formatMs(x.p50)}  p90 ${formatMs(x.p90)}  p99 ${formatMs(x.p99)}`;
  const lay = (x: { workers: number; tp: number; ep: number; dpAttention: boolean }) =>
    `${x.workers} × (TP ${x.tp}, EP ${x.ep}${x.dpAttention ? ", DP attention" : ""})`;
  const l = r.layout;
  const where =
    l.mode === "disaggregated" && l.prefill && l.decode
      ? `prefill ${lay(l.prefill)} + decode ${lay(l.decode)} = ${formatCount(r.chips)} ${r.hardware}`
      : `${formatCount(r.replicas)} × ${r.chipsPerReplica} ${r.hardware}${l.aggregated && l.aggregated.ep > 1 ? ` (EP ${l.aggregated.ep}${l.aggregated.dpAttention ? ", DP attention" : ""})` : ""}`;
  return [
    `${r.model} on ${where}, ${r.engine.id} engine (${r.scheduler} scheduler, ${r.router} router), seed ${r.seed}`,
    ...("concurrency" in r && r.concurrency !== undefined
      ? [
          `  closed loop: ${formatCount(r.concurrency)} in flight, ${formatCount(r.warmupRequests ?? 0)} warm-up requests excluded`,
        ]
      : []),
    `  ${formatCount(r.completed)} of ${formatCount(r.requests)} requests in ${formatDuration(r.durationS)}: ${f(r.throughputReqPerS)} req/s, ${f(r.outputTokensPerS)} output tokens/s (${f(r.outputTokensPerSPerChip)} per chip)`,
    `  ${f(r.throughputTokensPerSPerChip)} input + output tokens/s per chip, ${f(r.outputTokensPerSPerUser)} output tokens/s per user (1000 ÷ median TPOT)`,
    `  load: ${f(r.offeredRateReqPerS)} req/s offered, ${f(r.servedRateReqPerS)} req/s served${r.overloaded ? " — OVERLOADED: queues grow for as long as the run lasts" : ""}`,
    `  TTFT ${p(r.ttftMs)}`,
    `  TPOT ${p(r.tpotMs)}`,
    `  E2E  ${p(r.e2eMs)}`,
    ...("sloAttainment" in r && r.sloAttainment !== undefined
      ? [`  SLO attainment ${formatPercent(r.sloAttainment)} (goodput ${f(r.goodputReqPerS ?? null)} req/s)`]
      : []),
    `  KV cache use mean ${formatPercent(r.kvUtilisation.mean)}, max ${formatPercent(r.kvUtilisation.max)}; ${formatCount(r.preemptions)} preemptions; ${formatCount(r.simulatedEvents)} events`,
    ...(r.prefixCacheHitRate !== null ? [`  prefix cache hit rate ${formatPercent(r.prefixCacheHitRate)}`] : []),
    ...(r.loraLoads ? [`  LoRA adapter loads ${formatCount(r.loraLoads)}`] : []),
    ...r.warnings.map((w) => `  warning: ${w.message}`),
  ].join("\n");
}
