/** Fleet: the smallest fleet that meets the SLOs at P99 for a daily volume, and what it costs per day. */

import { formatMw, formatNumber, formatPercent, formatUsd } from "@flopcast/contract";
import { html } from "htm/preact";
import { PlotFigure } from "../charts/plot-figure.ts";
import { type StackDatum, stackSpec } from "../charts/specs.ts";
import { Explain, type Field, Headline, Infeasible, Kpis, Table, Warnings } from "../components.ts";
import { applyFix, fleetFixes } from "../fixes.ts";
import type { FleetResult } from "../types.ts";
import { formPage, type ViewContext } from "./page.ts";
import { STORAGE_PRECISIONS } from "./shared.ts";

const fields: readonly Field[] = [
  { key: "model", label: "Model", kind: "model" },
  { key: "hardware", label: "Hardware", kind: "hardware" },
  { key: "precision", label: "Weights", kind: "select", options: STORAGE_PRECISIONS, auto: "chip default (bf16)" },
  { key: "requestsPerDay", label: "Requests per day", kind: "number", placeholder: "2e6", group: "Traffic" },
  { key: "inputTokens", label: "Input tokens", kind: "number", placeholder: "1024" },
  { key: "outputTokens", label: "Output tokens", kind: "number", placeholder: "256" },
  { key: "sloTtftMs", label: "P99 TTFT SLO", kind: "number", unit: "ms", group: "Service level" },
  { key: "sloTpotMs", label: "P99 TPOT SLO", kind: "number", unit: "ms" },
  {
    key: "simRequests",
    label: "Requests per simulation",
    kind: "number",
    placeholder: "3000",
    help: "fewer is faster, noisier",
  },
];

type Feasible = Extract<FleetResult, { owned: unknown }>;

/** $ per day by part: owned (capex, energy, hosting, maintenance) and rented, side by side. */
function costRows(r: Feasible): StackDatum[] {
  const rows: StackDatum[] = [];
  const b = r.owned?.breakdownUsdPerChipHour;
  if (b)
    for (const [part, usd] of Object.entries(b)) rows.push({ row: "owned", part, value: Number(usd) * r.chips * 24 });
  if (r.rented)
    if (r.rented.usdPerDay !== null) rows.push({ row: "rented", part: "rental", value: r.rented.usdPerDay });
  return rows;
}

function priceLine(v: unknown): string {
  if (v === null || v === undefined) return "none in the catalog";
  const p = v as { value?: number; pointId?: string; asOf?: string; basis?: string; unit?: string; source?: string };
  const parts = [formatNumber(p.value)];
  if (p.unit) parts.push(p.unit);
  if (p.pointId) parts.push(`— ${p.pointId}${p.asOf ? ` (${p.asOf})` : ""}`);
  else if (p.basis) parts.push(`— ${p.basis}`);
  else if (p.source) parts.push(`— ${p.source}`);
  return parts.join(" ");
}

function view(r: FleetResult, ctx: ViewContext) {
  if (!("owned" in r) || !r.feasible) {
    const fixes = fleetFixes(ctx.values, r.reasons);
    return html`
      <${Infeasible}
        title="No fleet meets the SLOs"
        reasons=${r.reasons.map((x) => x.message)}
        fixes=${[]}
        unverified=${fixes.map((f) => ({ label: f.label, onClick: () => ctx.go(applyFix(ctx.values, f)) }))}
        onFix=${() => undefined}
      />
      <${Warnings} warnings=${r.warnings} />`;
  }
  const data = costRows(r);
  return html`
    <${Headline}
      testid="chips"
      label="Fleet that meets the SLOs at P99"
      value=${`${formatNumber(r.chips)} chips`}
      band=${`${formatNumber(r.replicas)} replicas × tp ${r.parallelism.tp}, ${r.headroomReplicas} spare · ${formatPercent(r.utilisation)} average utilisation`}
      context=${`${r.hardware} · peak ${formatNumber(r.peakRateReqPerS)} req/s (average ${formatNumber(r.avgRateReqPerS)}) · one replica carries ${formatNumber(r.perReplicaRateReqPerS)} req/s at P99 TTFT ${formatNumber(r.p99TtftMsAtThatRate)} ms, TPOT ${formatNumber(r.p99TpotMsAtThatRate)} ms`}
    />
    <${Kpis} items=${[
      ["$ per 1M output tokens", formatUsd(r.usdPerMillionOutputTokens), `cost basis: ${r.costBasis}`],
      ["$ per day", formatUsd(r.usdPerDay)],
      ["$ per query", formatUsd(r.usdPerQuery)],
      ["capex", formatUsd(r.capexUsd)],
      ["power", formatMw(r.powerMw)],
      ["simulations run", formatNumber(r.desRuns)],
    ]} />
    ${data.length ? html`<div class="charts"><${PlotFigure} name="fleet-cost" title="Cost per day, owned vs rented" spec=${stackSpec(data, { xLabel: "cost per day ($)", yLabel: "basis", format: formatUsd, tickFormat: formatUsd })} note=${`owned at ${formatPercent(r.utilisation)} utilisation; rented at ${formatUsd(r.rented?.usdPerChipHour)} per chip-hour`} /></div>` : null}
    <details class="panel">
      <summary>Prices used</summary>
      <${Table} columns=${[{ label: "input" }, { label: "value and source" }]} rows=${Object.entries(r.prices ?? {}).map(([k, v]) => [k, priceLine(v)])} />
    </details>
    <${Warnings} warnings=${r.warnings} />
    <${Explain} assumptions=${r.assumptions} />`;
}

export const fleetPage = formPage<FleetResult>({
  id: "fleet",
  title: "Fleet",
  blurb: "The smallest fleet that serves a daily volume within P99 latency SLOs, sized by simulation, and its cost.",
  fields,
  defaults: {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    requestsPerDay: "2e6",
    inputTokens: "512",
    outputTokens: "256",
    sloTtftMs: "1000",
    sloTpotMs: "50",
    simRequests: "800",
  },
  compute: {
    job: "fleet",
    label: "sizing the fleet (simulating candidate replicas)",
    read: (o) => (o.kind === "fleet" ? o.result : undefined),
  },
  view,
});
