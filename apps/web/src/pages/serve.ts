/** Serve: the discrete-event simulation (in a worker): throughput, latency CDFs, a per-request timeline. */

import { formatMs, formatNumber, formatPercent } from "@flopcast/contract";
import { html } from "htm/preact";
import { PlotFigure } from "../charts/plot-figure.ts";
import { cdfSpec, timelineSpec } from "../charts/specs.ts";
import { type Field, Headline, Infeasible, Kpis, Warnings } from "../components.ts";
import { applyFix } from "../fixes.ts";
import type { ServeResult, ServeSample } from "../types.ts";
import { formPage, type ViewContext } from "./page.ts";
import { STORAGE_PRECISIONS } from "./shared.ts";

const fields: readonly Field[] = [
  { key: "model", label: "Model", kind: "model" },
  { key: "hardware", label: "Hardware", kind: "hardware" },
  { key: "chips", label: "Chips", kind: "number", placeholder: "1" },
  { key: "precision", label: "Weights", kind: "select", options: STORAGE_PRECISIONS, auto: "chip default (bf16)" },
  { key: "rate", label: "Arrival rate", kind: "number", unit: "req/s", group: "Load" },
  { key: "requests", label: "Requests", kind: "number", placeholder: "1000" },
  { key: "inputTokens", label: "Input tokens", kind: "number", placeholder: "1024" },
  { key: "outputTokens", label: "Output tokens", kind: "number", placeholder: "256" },
  {
    key: "scheduler",
    label: "Scheduler",
    kind: "select",
    options: ["chunked", "fcfs"],
    auto: "chunked (default)",
    group: "Engine",
  },
  { key: "sloTtftMs", label: "TTFT SLO", kind: "number", unit: "ms", group: "Service level" },
  { key: "sloTpotMs", label: "TPOT SLO", kind: "number", unit: "ms" },
  { key: "seed", label: "Seed", kind: "number", placeholder: "1" },
];

interface ServeView {
  readonly result: ServeResult;
  readonly sample: ServeSample;
}

/** Offered vs served rate: served below 90% of offered means the queue grows (the result's flag when present). */
export function overload(
  r: ServeResult,
  offeredReqPerS: number | undefined,
): { offered: number; served: number } | null {
  const flagged = (r as { overloaded?: unknown }).overloaded;
  const served = r.throughputReqPerS ?? Number.NaN;
  if (offeredReqPerS === undefined || !Number.isFinite(offeredReqPerS))
    return flagged === true ? { offered: Number.NaN, served } : null;
  const over = flagged === true || (flagged === undefined && served < 0.9 * offeredReqPerS);
  return over ? { offered: offeredReqPerS, served } : null;
}

function charts(r: ServeResult, s: ServeSample, values: Record<string, string>) {
  const slo = (k: string) => (values[k] ? Number(values[k]) : undefined);
  return html`<div class="charts">
    ${s.ttftMs.length ? html`<${PlotFigure} name="serve-ttft" title="Time to first token" spec=${cdfSpec(s.ttftMs, { metric: "TTFT", sloMs: slo("sloTtftMs") })} note=${`p50 ${formatMs(r.ttftMs.p50)} · p90 ${formatMs(r.ttftMs.p90)} · p99 ${formatMs(r.ttftMs.p99)}`} />` : null}
    ${s.tpotMs.length ? html`<${PlotFigure} name="serve-tpot" title="Time per output token" spec=${cdfSpec(s.tpotMs, { metric: "TPOT", sloMs: slo("sloTpotMs") })} note=${`p50 ${formatMs(r.tpotMs.p50)} · p90 ${formatMs(r.tpotMs.p90)} · p99 ${formatMs(r.tpotMs.p99)}`} />` : null}
    ${s.e2eMs.length ? html`<${PlotFigure} name="serve-e2e" title="End-to-end latency" spec=${cdfSpec(s.e2eMs, { metric: "end-to-end latency" })} note=${`p50 ${formatMs(r.e2eMs.p50)} · p90 ${formatMs(r.e2eMs.p90)} · p99 ${formatMs(r.e2eMs.p99)}`} />` : null}
    ${s.timeline.length ? html`<${PlotFigure} name="serve-timeline" title=${`The first ${s.timeline.length} requests`} spec=${timelineSpec(s.timeline)} />` : null}
  </div>`;
}

function view({ result: r, sample }: ServeView, ctx: ViewContext) {
  const kpis = [
    ["requests completed", `${formatNumber(r.completed)} of ${formatNumber(r.requests)}`],
    ["TTFT p50 / p99", `${formatMs(r.ttftMs.p50)} / ${formatMs(r.ttftMs.p99)}`],
    ["TPOT p50 / p99", `${formatMs(r.tpotMs.p50)} / ${formatMs(r.tpotMs.p99)}`],
    ["per chip", `${formatNumber(r.outputTokensPerSPerChip)} tok/s`],
    ...("sloAttainment" in r && r.sloAttainment !== undefined
      ? [["SLO attainment", formatPercent(r.sloAttainment)] as const]
      : []),
    ["KV cache peak", formatPercent(r.kvUtilisation.max)],
    ["preemptions", formatNumber(r.preemptions)],
    ["events simulated", formatNumber(r.simulatedEvents)],
  ] as const;
  const offered = ctx.values.rate ? Number(ctx.values.rate) : undefined;
  const over = overload(r, offered);
  const context = `${r.chips} × ${r.hardware} (${r.replicas} × ${r.chipsPerReplica}-chip replicas) · ${r.scheduler} scheduler · seed ${r.seed}`;
  if (over) {
    // Enough whole replicas to carry the offered rate at the served rate per chip (+10%), and a rate that fits now.
    const perReplica = Math.max(1, r.chipsPerReplica);
    const needed = (r.chips * over.offered * 1.1) / Math.max(over.served, 1e-9);
    const chips = Number.isFinite(needed)
      ? Math.max(r.chips * 2, Math.ceil(needed / perReplica) * perReplica)
      : r.chips * 2;
    const lower = Math.max(0.1, Math.floor(over.served * 0.9 * 10) / 10);
    return html`
      <${Infeasible}
        title="Overloaded"
        reasons=${[`offered ${formatNumber(over.offered)} req/s, served ${formatNumber(over.served)} req/s: the queue grows for as long as the run lasts, so latencies depend on the run length, not on the system`]}
        fixes=${[]}
        unverified=${[
          {
            label: `${formatNumber(chips)} chips`,
            onClick: () => ctx.go(applyFix(ctx.values, { label: "", patch: { chips: String(chips) } })),
          },
          {
            label: `rate ${formatNumber(lower)} req/s`,
            onClick: () => ctx.go(applyFix(ctx.values, { label: "", patch: { rate: String(lower) } })),
          },
        ]}
        onFix=${() => undefined}
      />
      <div class="greyed"><p class="muted">${context}</p><${Kpis} items=${kpis} />${charts(r, sample, ctx.values)}</div>
      <${Warnings} warnings=${r.warnings} />`;
  }
  return html`
    <${Headline} testid="throughput" label="Output tokens per second (simulated)" value=${formatNumber(r.outputTokensPerS)} band=${`${formatNumber(r.throughputReqPerS)} req/s over ${formatNumber(r.durationS)} s simulated`} context=${context} />
    <${Kpis} items=${kpis} />
    ${charts(r, sample, ctx.values)}
    <${Warnings} warnings=${r.warnings} />`;
}

export const servePage = formPage<ServeView>({
  id: "serve",
  title: "Serve",
  blurb:
    "A discrete-event simulation of a serving engine under load: continuous batching, KV cache, per-request latency.",
  fields,
  defaults: {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    chips: "1",
    rate: "20",
    requests: "4000",
    inputTokens: "512",
    outputTokens: "256",
    sloTtftMs: "500",
    sloTpotMs: "50",
  },
  compute: {
    job: "serve",
    label: "simulating",
    read: (o) => (o.kind === "serve" ? { result: o.result, sample: o.sample } : undefined),
  },
  view,
});
