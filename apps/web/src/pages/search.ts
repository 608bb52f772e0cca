/** Search: the Pareto front over chips, parallelism, batch and precision (cost vs latency, or cost vs days). */

import { formatMs, formatNumber, formatPercent, formatUsd } from "@flopcast/contract";
import { html } from "htm/preact";
import { PlotFigure } from "../charts/plot-figure.ts";
import { paretoSpec, type ScatterPoint } from "../charts/specs.ts";
import { Empty, type Field, Table, Warnings } from "../components.ts";
import type { SearchResult } from "../types.ts";
import { formPage } from "./page.ts";

const fields: readonly Field[] = [
  { key: "goal", label: "Goal", kind: "select", options: ["serve", "train"] },
  { key: "model", label: "Model", kind: "model" },
  {
    key: "hardware",
    label: "Hardware",
    kind: "text",
    placeholder: "8 common chips",
    help: "comma-separated ids, or empty",
  },
  { key: "tokens", label: "Training tokens", kind: "number", placeholder: "15T", group: "Training" },
  { key: "inputTokens", label: "Input tokens", kind: "number", placeholder: "1024", group: "Serving" },
  { key: "outputTokens", label: "Output tokens", kind: "number", placeholder: "256" },
  { key: "sloTpotMs", label: "TPOT SLO", kind: "number", unit: "ms" },
  { key: "sloTtftMs", label: "TTFT SLO", kind: "number", unit: "ms" },
];

function prepare(raw: Record<string, unknown>): Record<string, unknown> {
  const drop = raw.goal === "train" ? ["inputTokens", "outputTokens", "sloTpotMs", "sloTtftMs"] : ["tokens"];
  return { goal: "serve", ...Object.fromEntries(Object.entries(raw).filter(([k]) => !drop.includes(k))) };
}

const n = (x: unknown) => (typeof x === "number" ? x : Number.NaN);

function view(r: SearchResult) {
  const train = r.goal === "train";
  const front = r.front;
  if (!front.length)
    return html`<${Empty} title="No configuration meets the constraints">Loosen the SLO or add hardware. ${r.skipped.length ? `Skipped: ${r.skipped.map((x) => x.message).join("; ")}` : ""}</${Empty}>`;
  const points: ScatterPoint[] = front.map((p) => {
    const layout = Object.entries(p.parallelism)
      .map(([k, v]) => `${k} ${v}`)
      .join(" · ");
    return train
      ? {
          x: n(p.days),
          y: n(p.costUsd),
          group: p.hardware,
          title: `${p.hardware} × ${p.chips}\n${layout}\n${formatNumber(n(p.days))} days · ${formatUsd(n(p.costUsd))} · MFU ${formatPercent(n(p.mfu))}`,
        }
      : {
          x: n(p.usdPerMillionOutputTokens),
          y: n(p.tpotMs),
          group: p.hardware,
          title: `${p.hardware} × ${p.chips} · ${String(p.precision)} · batch ${String(p.batch)}\n${layout}\n${formatUsd(n(p.usdPerMillionOutputTokens))} per 1M output tokens · TPOT ${formatMs(n(p.tpotMs))}`,
        };
  });
  const columns = train
    ? [
        { label: "Hardware" },
        { label: "Chips", num: true },
        { label: "Layout" },
        { label: "Days", num: true },
        { label: "Cost", num: true },
        { label: "MFU", num: true },
      ]
    : [
        { label: "Hardware" },
        { label: "Chips", num: true },
        { label: "Precision" },
        { label: "Batch", num: true },
        { label: "TPOT", num: true },
        { label: "TTFT", num: true },
        { label: "$ / 1M output tokens", num: true },
      ];
  const rows = front.map((p) => {
    const layout = Object.entries(p.parallelism)
      .map(([k, v]) => `${k}${v}`)
      .join(" ");
    return train
      ? [
          p.hardware,
          formatNumber(p.chips),
          layout,
          formatNumber(n(p.days)),
          formatUsd(n(p.costUsd)),
          formatPercent(n(p.mfu)),
        ]
      : [
          p.hardware,
          formatNumber(p.chips),
          String(p.precision),
          formatNumber(n(p.batch)),
          formatMs(n(p.tpotMs)),
          formatMs(n(p.ttftMs)),
          formatUsd(n(p.usdPerMillionOutputTokens)),
        ];
  });
  return html`
    <p class="muted">${formatNumber(r.evaluated)} configurations evaluated, ${formatNumber(front.length)} on the front${r.pruned ? `, ${formatNumber(r.pruned)} pruned` : ""}.</p>
    <div class="charts charts-wide">
      <${PlotFigure} name="pareto" title=${train ? "Pareto front: days vs cost" : "Pareto front: cost vs latency"} spec=${paretoSpec(
        points,
        train
          ? { xLabel: "days to train", yLabel: "cost ($)", yTickFormat: "$~s" }
          : { xLabel: "$ per 1M output tokens", yLabel: "TPOT (ms)", xTickFormat: "$~g" },
      )} note="Each point is a configuration that no other beats on both axes; lower-left is better." />
    </div>
    <${Table} testid="pareto-table" columns=${columns} rows=${rows} />
    <${Warnings} warnings=${r.warnings} />`;
}

export const searchPage = formPage<SearchResult>({
  id: "search",
  title: "Search",
  blurb: "Every chip, layout, batch and precision, reduced to the configurations worth considering.",
  fields,
  defaults: { goal: "serve", model: "llama-3.1-70b", sloTpotMs: "100" },
  prepare,
  compute: { job: "search", label: "searching", read: (o) => (o.kind === "search" ? o.result : undefined) },
  view,
});
