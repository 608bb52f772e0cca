/** Infer: throughput with its band, the roofline, prefill and decode time terms, memory per chip. */
import { findAccelerator, toAccelerator } from "@flopcast/catalog";
import { clockToday, formatGb, formatMs, formatNumber, runScenario } from "@flopcast/contract";
import { html } from "htm/preact";
import { PlotFigure } from "../charts/plot-figure.ts";
import { barsSpec, type RooflinePoint, rooflineSpec, stackSpec } from "../charts/specs.ts";
import { Explain, type Field, Headline, Infeasible, Kpis, Warnings } from "../components.ts";
import { applyFix, type Fix, inferFixes, verifiedFixes } from "../fixes.ts";
import type { InferResult } from "../types.ts";
import { formPage, type Outcome, type ViewContext } from "./page.ts";
import { STORAGE_PRECISIONS } from "./shared.ts";

const fields: readonly Field[] = [
  { key: "model", label: "Model", kind: "model" },
  { key: "hardware", label: "Hardware", kind: "hardware" },
  { key: "chips", label: "Chips", kind: "number", placeholder: "1" },
  { key: "tp", label: "Tensor parallel", kind: "number", placeholder: "chips in the node" },
  { key: "precision", label: "Weights", kind: "select", options: STORAGE_PRECISIONS, auto: "chip default (bf16)" },
  { key: "kvPrecision", label: "KV cache", kind: "select", options: STORAGE_PRECISIONS, auto: "as weights" },
  { key: "inputTokens", label: "Input tokens", kind: "number", placeholder: "1024", group: "Workload" },
  { key: "outputTokens", label: "Output tokens", kind: "number", placeholder: "256" },
  { key: "batch", label: "Batch", kind: "text", placeholder: "1", help: "a number, or max (largest that fits)" },
];

type Phase = InferResult["prefill"];

function inferOutcome(raw: Record<string, unknown>): Outcome<InferResult> {
  const r = runScenario("infer", raw, undefined, undefined, { today: clockToday() });
  return r.ok ? { ok: true, result: r.result } : r;
}

function Roofline(props: { r: InferResult }) {
  const { r } = props;
  const h = findAccelerator(r.hardware);
  if (!h.ok) return null;
  const chip = toAccelerator(h.value);
  const peak = chip.peak[r.precision.compute as keyof typeof chip.peak];
  const bw = chip.memoryBandwidth;
  if (!peak || !bw) return null;
  const perReplica = Math.max(1, (r.parallelism.tp ?? 1) * (r.parallelism.pp ?? 1));
  const point = (label: string, x: Phase): RooflinePoint | null =>
    x && x.bytes > 0 && x.totalMs !== null && x.totalMs > 0
      ? { label, intensity: x.flops / x.bytes, tflops: x.flops / perReplica / (x.totalMs / 1e3) / 1e12 }
      : null;
  const points = [point("prefill", r.prefill), point("decode step", r.decodeStepAtMeanContext)].filter(
    (p): p is RooflinePoint => p !== null,
  );
  return html`<${PlotFigure} name="roofline" title=${`Roofline of one ${r.hardware} at ${r.precision.compute}`} spec=${rooflineSpec(peak / 1e12, bw / 1e12, points)} note="Achieved FLOP/s below the roof is time lost to overheads, communication and imperfect kernels." />`;
}

function terms(x: Phase) {
  return [
    { label: "compute", value: x.computeMs },
    { label: "memory", value: x.memoryMs },
    { label: "communication", value: x.communicationMs },
    { label: "overhead", value: x.overheadMs },
  ].filter((d): d is { label: string; value: number } => typeof d.value === "number");
}

function charts(r: InferResult) {
  const cap = r.memoryBreakdownGb?.usableCapacity;
  const mem = [
    { row: r.hardware, part: "weights", value: r.memoryBreakdownGb?.weights ?? 0 },
    { row: r.hardware, part: "KV cache", value: r.memoryBreakdownGb?.kvCache ?? 0 },
    { row: r.hardware, part: "workspace", value: r.memoryBreakdownGb?.workspace ?? 0 },
  ];
  return html`<div class="charts">
    <${Roofline} r=${r} />
    <${PlotFigure} name="infer-prefill" title="Prefill time terms (whole prompt)" spec=${barsSpec(terms(r.prefill), { xLabel: "time (ms)", yLabel: "term", format: (x) => `${formatNumber(x)} ms` })} note=${`total ${formatMs(r.prefill.totalMs)}, ${r.prefill.bottleneck}-bound`} />
    <${PlotFigure} name="infer-decode" title="Decode step time terms (one token, mean context)" spec=${barsSpec(terms(r.decodeStepAtMeanContext), { xLabel: "time (ms)", yLabel: "term", format: (x) => `${formatNumber(x)} ms` })} note=${`total ${formatMs(r.decodeStepAtMeanContext.totalMs)}, ${r.decodeStepAtMeanContext.bottleneck}-bound`} />
    <${PlotFigure} name="infer-memory" title="Memory per chip" spec=${stackSpec(mem, { xLabel: "memory per chip (GB)", yLabel: "chip", format: formatGb, ...(cap ? { limit: { value: cap, label: `usable ${formatGb(cap)}` } } : {}) })} note=${cap ? `dashed line: ${formatGb(cap)} usable per chip (the rest is reserved)` : undefined} />
  </div>`;
}

function view(r: InferResult, ctx: ViewContext) {
  const kpis = [
    ["TTFT", formatMs(r.ttftMs), "time to first token at this batch"],
    ["TPOT", formatMs(r.tpotMs), "time per output token"],
    ["per chip", `${formatNumber(r.outputTokensPerSPerChip)} tok/s`],
    ["batch", formatNumber(r.batch)],
    ["max batch (KV)", formatNumber(r.maxBatch)],
    ["memory per chip", formatGb(r.memoryPerChipGb)],
    ["prefill", `${r.bottleneck.prefill}-bound`],
    ["decode", `${r.bottleneck.decode}-bound`],
  ] as const;
  const context = `${r.chips} × ${r.hardware} · tp ${r.parallelism.tp}${r.parallelism.pp > 1 ? ` · pp ${r.parallelism.pp}` : ""} · weights ${r.precision.weights} · KV ${r.precision.kvCache} · compute ${r.precision.compute}`;
  if (!r.feasible) {
    const fixes = verifiedFixes(ctx.values, inferFixes(ctx.values, r.reasons, r.maxBatch), (v) => {
      const o = runScenario("infer", v, undefined, undefined, { today: clockToday() });
      const x = o.ok ? o.result : undefined;
      return x?.feasible ? `fits: ${formatNumber(x.outputTokensPerS)} tok/s` : null;
    });
    return html`
      <${Infeasible} title="Does not fit" reasons=${r.reasons.map((x) => x.message)} fixes=${fixes} onFix=${(f: Fix) => ctx.go(applyFix(ctx.values, f))} />
      <div class="greyed" aria-label="estimate for a plan that does not fit">
        <p class="muted">${context}</p>
        <${Kpis} items=${kpis} />
      </div>
      <${Warnings} warnings=${r.warnings} />`;
  }
  return html`
    <${Headline}
      testid="tokens"
      label="Output tokens per second (whole system)"
      value=${formatNumber(r.outputTokensPerS)}
      band=${`likely ${formatNumber(r.outputTokensPerSLow)}–${formatNumber(r.outputTokensPerSHigh)} tok/s (calibration band)`}
      context=${context}
    />
    <${Kpis} items=${kpis} />
    ${charts(r)}
    <${Warnings} warnings=${r.warnings} />
    <${Explain} terms=${r.terms} assumptions=${r.assumptions} sources=${r.sources} />`;
}

export const inferPage = formPage<InferResult>({
  id: "infer",
  title: "Infer",
  blurb: "Latency and throughput of one model on one replica at a fixed batch, from a per-op roofline.",
  fields,
  defaults: {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    chips: "1",
    inputTokens: "512",
    outputTokens: "256",
    batch: "8",
  },
  compute: { sync: inferOutcome },
  view,
});
