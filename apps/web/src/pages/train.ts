/** Train: days and $ with the calibration band, step-time terms, memory per chip against capacity. */
import { findAccelerator, toAccelerator } from "@flopcast/catalog";
import {
  clockToday,
  formatDuration,
  formatGb,
  formatNumber,
  formatPercent,
  formatUsd,
  runScenario,
} from "@flopcast/contract";
import { html } from "htm/preact";
import { PlotFigure } from "../charts/plot-figure.ts";
import { barsSpec, stackSpec } from "../charts/specs.ts";
import { Explain, type Field, Headline, Infeasible, Kpis, Warnings } from "../components.ts";
import { applyFix, type Fix, trainFixes, verifiedFixes } from "../fixes.ts";
import type { TrainClusterResult, TrainResult } from "../types.ts";
import { formPage, type Outcome, type ViewContext } from "./page.ts";
import { COMPUTE_PRECISIONS } from "./shared.ts";

const fields: readonly Field[] = [
  { key: "model", label: "Model", kind: "model" },
  { key: "tokens", label: "Training tokens", kind: "number", placeholder: "300e9", help: "e.g. 300e9, 15T" },
  { key: "hardware", label: "Hardware", kind: "hardware", auto: "none (FLOPs only)" },
  { key: "chips", label: "Chips", kind: "number", placeholder: "1024" },
  { key: "precision", label: "Precision", kind: "select", options: COMPUTE_PRECISIONS, auto: "chip default (bf16)" },
  { key: "tp", label: "Tensor parallel", kind: "number", placeholder: "searched", group: "Parallelism" },
  { key: "pp", label: "Pipeline parallel", kind: "number", placeholder: "searched" },
  { key: "dp", label: "Data parallel", kind: "number", placeholder: "searched" },
  {
    key: "zero",
    label: "ZeRO stage",
    kind: "select",
    options: ["0", "1", "2", "3"],
    auto: "1 (default)",
    numeric: true,
  },
  { key: "recompute", label: "Recompute", kind: "select", options: ["none", "selective", "full"], auto: "searched" },
  {
    key: "seqLen",
    label: "Sequence length",
    kind: "number",
    placeholder: "model default",
    unit: "tokens",
    group: "Batch",
  },
  { key: "globalBatchTokens", label: "Global batch", kind: "number", placeholder: "default", unit: "tokens" },
  {
    key: "priceUsdPerChipHour",
    label: "Price",
    kind: "number",
    placeholder: "catalog median",
    unit: "$/chip-hour",
    group: "Cost and overrides",
  },
  { key: "mfu", label: "MFU override", kind: "number", placeholder: "predicted", help: "0–1; leave empty to predict" },
  { key: "goodput", label: "Goodput", kind: "number", placeholder: "1", help: "share of wall time that trains" },
];

const STEP_TERMS: Record<string, string> = {
  compute: "compute",
  tensorParallel: "tensor-parallel comm",
  pipelineBubble: "pipeline bubble",
  pipelineP2p: "pipeline send/recv",
  dataParallel: "data-parallel comm",
  expertParallel: "expert-parallel comm",
  optimizer: "optimizer step",
};

const hasCluster = (r: TrainResult): r is TrainClusterResult => "feasible" in r;

function capacityGb(hardware: string | undefined): number | undefined {
  if (!hardware) return undefined;
  const h = findAccelerator(hardware);
  const bytes = h.ok ? toAccelerator(h.value).memory : null;
  return bytes === null || bytes === undefined ? undefined : bytes / 1e9;
}

function trainOutcome(raw: Record<string, unknown>): Outcome<TrainResult> {
  const r = runScenario("train", raw, undefined, undefined, { today: clockToday() });
  return r.ok ? { ok: true, result: r.result } : r;
}

function charts(r: TrainClusterResult) {
  const step = Object.entries(r.stepBreakdownS ?? {})
    .filter(([k, v]) => k !== "step" && typeof v === "number" && v > 0)
    .map(([k, v]) => ({ label: STEP_TERMS[k] ?? k, value: v as number }));
  const mem = r.memoryBreakdownGb ?? {};
  const cap = capacityGb(r.hardware);
  const memData = Object.entries(mem).map(([part, value]) => ({
    row: r.hardware ?? "chip",
    part,
    value: Number(value),
  }));
  return html`<div class="charts">
    ${step.length ? html`<${PlotFigure} name="train-step" title="Where one optimizer step goes" spec=${barsSpec(step, { xLabel: "time per step (s)", yLabel: "term", format: (x) => formatDuration(x) })} note=${`step ${formatDuration(r.stepTimeS)}; exposed communication only (overlapped time is hidden)`} />` : null}
    ${memData.length ? html`<${PlotFigure} name="train-memory" title="Memory per chip" spec=${stackSpec(memData, { xLabel: "memory per chip (GB)", yLabel: "chip", format: formatGb, ...(cap ? { limit: { value: cap, label: `capacity ${formatGb(cap)}` } } : {}) })} note=${cap ? `dashed line: ${formatGb(cap)} of memory per chip` : undefined} />` : null}
  </div>`;
}

function view(r: TrainResult, ctx: ViewContext) {
  const flopsKpis = [
    ["PF-days (6ND)", `${formatNumber(r.pfDays)}`],
    ["model FLOPs", formatNumber(r.flops)],
    ["6ND FLOPs", formatNumber(r.flops6nd)],
  ] as const;
  if (!hasCluster(r))
    return html`
      <${Headline} testid="pfdays" value=${`${formatNumber(r.pfDays)} PF-days`} label="Compute needed" context="pick hardware and chips for days and dollars" />
      <${Kpis} items=${flopsKpis} />`;
  const p = r.parallelism;
  const layout = `tp ${p.tp} · pp ${p.pp} · dp ${p.dp}${p.ep > 1 ? ` · ep ${p.ep}` : ""}${p.cp > 1 ? ` · cp ${p.cp}` : ""} · recompute ${r.recompute}`;
  const kpis = [
    ["PF-days (6ND)", formatNumber(r.pfDays)],
    ["MFU", `${formatPercent(r.mfu)}`, r.mfuSource],
    ["HFU", formatPercent(r.hfu), "hardware FLOPs utilisation, recompute included"],
    ["step time", formatDuration(r.stepTimeS)],
    ["chip-hours", formatNumber(r.chipHours)],
    ["energy", r.energyMwh === null ? "—" : `${formatNumber(r.energyMwh)} MWh`],
    ["CO₂", r.co2Tonnes === null ? "—" : `${formatNumber(r.co2Tonnes)} t`],
    ["memory per chip", formatGb(r.memoryPerChipGb)],
    ["bottleneck", r.bottleneck],
  ] as const;
  if (!r.feasible) {
    const fixes = verifiedFixes(ctx.values, trainFixes(ctx.values, r.reasons), (v) => {
      const o = runScenario("train", v, undefined, undefined, { today: clockToday() });
      const x = o.ok ? o.result : undefined;
      return x && hasCluster(x) && x.feasible ? `fits: ${formatNumber(x.days)} days` : null;
    });
    return html`
      <${Infeasible} title="Does not fit" reasons=${r.reasons.map((x) => x.message)} fixes=${fixes} onFix=${(f: Fix) => ctx.go(applyFix(ctx.values, f))} />
      <div class="greyed" aria-label="estimate for a plan that does not fit">
        <p class="muted">Closest layout tried: ${layout}, ${r.chips} × ${r.hardware}.</p>
        <${Kpis} items=${kpis} />
        ${charts(r)}
      </div>
      <${Warnings} warnings=${r.warnings} />`;
  }
  const bandCost = (d: number | null | undefined) =>
    r.costUsd !== null && r.days !== null && r.days > 0 && d !== null && d !== undefined
      ? formatUsd((r.costUsd * d) / r.days)
      : "—";
  return html`
    <${Headline}
      testid="train-headline"
      label="Time and cost to train"
      value=${`${formatNumber(r.days)} days · ${r.costUsd === null ? "no price" : formatUsd(r.costUsd)}`}
      band=${`likely ${formatNumber(r.daysLow)}–${formatNumber(r.daysHigh)} days · ${bandCost(r.daysLow)}–${bandCost(r.daysHigh)} (calibration band)`}
      context=${`${r.chips} × ${r.hardware} · ${r.precision} · ${layout}`}
    />
    <${Kpis} items=${kpis} />
    ${charts(r)}
    <${Warnings} warnings=${r.warnings} />
    <${Explain} terms=${r.terms} assumptions=${r.assumptions} sources=${r.sources} />`;
}

export const trainPage = formPage<TrainResult>({
  id: "train",
  title: "Train",
  blurb: "How long a training run takes on a cluster and what it costs, with the layout the planner picks.",
  fields,
  defaults: {
    model: "gpt3-175b",
    tokens: "300e9",
    hardware: "a100-sxm-80gb",
    chips: "1024",
    priceUsdPerChipHour: "1.8",
  },
  compute: { sync: trainOutcome },
  view,
});
