/** Compare: the same workload on several chips (training cost and days, or serving $/1M tokens and chips). */

import { formatMw, formatPercent, formatUsd, formatValue } from "@flopcast/contract";
import { html } from "htm/preact";
import { PlotFigure } from "../charts/plot-figure.ts";
import { type BarDatum, barsSpec } from "../charts/specs.ts";
import { type Field, Table, Warnings } from "../components.ts";
import type { CompareResult, CompareRow } from "../types.ts";
import { formPage } from "./page.ts";

const fields: readonly Field[] = [
  { key: "goal", label: "Compare", kind: "select", options: ["train", "serve"] },
  { key: "model", label: "Model", kind: "model" },
  {
    key: "hardware",
    label: "Hardware",
    kind: "text",
    placeholder: "h100-sxm,mi300x",
    help: "comma-separated catalog ids",
  },
  { key: "tokens", label: "Training tokens", kind: "number", placeholder: "15T", group: "Training" },
  { key: "chips", label: "Chips", kind: "number", placeholder: "4096" },
  { key: "requestsPerDay", label: "Requests per day", kind: "number", placeholder: "2e6", group: "Serving" },
  { key: "inputTokens", label: "Input tokens", kind: "number", placeholder: "1024" },
  { key: "outputTokens", label: "Output tokens", kind: "number", placeholder: "256" },
  { key: "sloTtftMs", label: "P99 TTFT SLO", kind: "number", unit: "ms" },
  { key: "sloTpotMs", label: "P99 TPOT SLO", kind: "number", unit: "ms" },
];

const TRAIN_KEYS = ["tokens", "chips"];
const SERVE_KEYS = ["requestsPerDay", "inputTokens", "outputTokens", "sloTtftMs", "sloTpotMs"];

/** The goal select decides which group of fields is sent (the schema infers the goal from --tokens). */
function prepare(raw: Record<string, unknown>): Record<string, unknown> {
  const { goal, ...rest } = raw;
  const drop = goal === "serve" ? TRAIN_KEYS : SERVE_KEYS;
  return Object.fromEntries(Object.entries(rest).filter(([k]) => !drop.includes(k)));
}

const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);
const field = (row: CompareRow, key: string): unknown => (row as Record<string, unknown>)[key];

function bars(rows: readonly CompareRow[], key: string): BarDatum[] {
  return rows.map((row) => {
    const v = num(field(row, key));
    return row.feasible && v !== null
      ? { label: row.hardware, value: v }
      : { label: row.hardware, value: 0, muted: true, note: row.feasible ? "no price" : "infeasible" };
  });
}

function view(r: CompareResult) {
  const train = r.goal === "train";
  const warnings = [
    ...r.warnings.map((x) => x.message),
    ...r.rows.flatMap((row) => (row.reasons ?? []).map((x) => `${row.hardware}: ${x.message}`)),
  ];
  const cols = train
    ? ([
        ["hardware", "Hardware", (x: unknown) => String(x)],
        ["feasible", "Fits", (x: unknown) => (x ? "yes" : "no")],
        ["chips", "Chips", formatValue],
        ["days", "Days", formatValue],
        ["mfu", "MFU", (x: unknown) => formatPercent(num(x))],
        ["costUsd", "Cost, rented", (x: unknown) => formatUsd(num(x))],
        ["costOwnedUsd", "Cost, owned", (x: unknown) => formatUsd(num(x))],
        ["energyMwh", "Energy (MWh)", formatValue],
        ["bottleneck", "Bottleneck", (x: unknown) => String(x ?? "—")],
      ] as const)
    : ([
        ["hardware", "Hardware", (x: unknown) => String(x)],
        ["feasible", "Meets SLOs", (x: unknown) => (x ? "yes" : "no")],
        ["chips", "Chips", formatValue],
        ["replicas", "Replicas", formatValue],
        ["tp", "TP", formatValue],
        ["usdPerMillionOutputTokens", "$ / 1M output tokens", (x: unknown) => formatUsd(num(x))],
        ["rentedUsdPerMillionOutputTokens", "$ / 1M, rented", (x: unknown) => formatUsd(num(x))],
        ["usdPerDay", "$ per day", (x: unknown) => formatUsd(num(x))],
        ["capexUsd", "Capex", (x: unknown) => formatUsd(num(x))],
        ["powerMw", "Power", (x: unknown) => formatMw(num(x))],
      ] as const);
  // Training cost at rented prices, or owned where fewer chips have a public rental price.
  const priced = (k: string) => r.rows.filter((row) => num(field(row, k)) !== null).length;
  const owned = train && priced("costOwnedUsd") > priced("costUsd");
  const money = train ? (owned ? "costOwnedUsd" : "costUsd") : "usdPerMillionOutputTokens";
  const second = train ? "days" : "chips";
  return html`
    <div class="charts">
      <${PlotFigure} name="compare-cost" title=${train ? `Training cost, ${owned ? "owned hardware" : "rented"}` : "Cost per million output tokens"} spec=${barsSpec(bars(r.rows, money), { xLabel: train ? `training cost, ${owned ? "owned" : "rented"} ($)` : "$ per 1M output tokens", yLabel: "hardware", format: formatUsd, tickFormat: formatUsd })} note=${owned ? "Owned: purchase price depreciated, power and hosting (catalog site inputs); see the table for rented prices." : undefined} />
      <${PlotFigure} name="compare-second" title=${train ? "Days to train" : "Chips needed"} spec=${barsSpec(bars(r.rows, second), { xLabel: train ? "days to train" : "chips", yLabel: "hardware" })} />
    </div>
    <${Table}
      testid="compare-table"
      columns=${cols.map(([key, label]) => ({ label, num: !["hardware", "feasible", "bottleneck"].includes(key) }))}
      rows=${r.rows.map((row) => cols.map(([key, , f]) => f(field(row, key))))}
      rowClass=${(i: number) => (r.rows[i]?.feasible ? "" : "row-off")}
    />
    <${Warnings} warnings=${warnings} />`;
}

export const comparePage = formPage<CompareResult>({
  id: "compare",
  title: "Compare",
  blurb: "The same workload across chips: a training run's cost and days, or a serving fleet's cost per token.",
  fields,
  defaults: {
    goal: "train",
    model: "llama-3.1-70b",
    hardware: "h100-sxm,b200,mi300x,gaudi3",
    tokens: "15T",
    chips: "4096",
  },
  prepare,
  compute: { job: "compare", label: "comparing", read: (o) => (o.kind === "compare" ? o.result : undefined) },
  view,
});
