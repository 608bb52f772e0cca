/** Shared page pieces: the scenario form, KPIs, the explain panel, bar charts. Preact + htm (no build-time JSX). */
import { catalog } from "@flopcast/catalog";
import type { Problem } from "@flopcast/core";
import { html } from "htm/preact";
import { type Bar, barChart } from "./charts/bars.ts";
import { fmt } from "./format.ts";

export type FieldKind = "model" | "hardware" | "number" | "text" | "select" | "checkbox";

export interface Field {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly options?: readonly string[];
  readonly placeholder?: string;
}

const modelIds = () => [...catalog().models.keys()].sort();
const hardwareIds = () => [...catalog().accelerators.keys()].sort();

/** The scenario form: catalog dropdowns (no free-text ids), problems shown next to their fields. */
export function ScenarioForm(props: {
  fields: readonly Field[];
  values: Record<string, string>;
  problems: readonly Problem[];
  onChange: (key: string, value: string) => void;
}) {
  const problemFor = (key: string) =>
    props.problems.filter((p) => p.path === key || p.path.startsWith(`${key}.`) || p.path.startsWith(`${key}[`));
  return html`<form class="scenario" onSubmit=${(e: Event) => e.preventDefault()}>
    ${props.fields.map((f) => {
      const value = props.values[f.key] ?? "";
      const onInput = (e: Event) => props.onChange(f.key, (e.target as HTMLInputElement).value);
      const options = f.kind === "model" ? modelIds() : f.kind === "hardware" ? hardwareIds() : (f.options ?? []);
      const control =
        f.kind === "checkbox"
          ? html`<input type="checkbox" name=${f.key} checked=${value === "true"} onChange=${(e: Event) => props.onChange(f.key, String((e.target as HTMLInputElement).checked))} />`
          : options.length
            ? html`<select name=${f.key} value=${value} onChange=${onInput}>
                ${f.kind === "select" || f.kind === "model" || f.kind === "hardware" ? html`<option value="">—</option>` : null}
                ${options.map((o) => html`<option value=${o} selected=${o === value}>${o}</option>`)}
              </select>`
            : html`<input name=${f.key} value=${value} placeholder=${f.placeholder ?? ""} onInput=${onInput} />`;
      return html`<label>${f.label}${control}${problemFor(f.key).map((p) => html`<span class="problem" data-field=${f.key}>${p.message}${p.hint ? ` — ${p.hint}` : ""}</span>`)}</label>`;
    })}
  </form>`;
}

export function Problems(props: { problems: readonly Problem[]; fields: readonly Field[] }) {
  const known = new Set(props.fields.map((f) => f.key));
  const other = props.problems.filter((p) => !known.has(p.path.split(/[.[]/)[0] ?? ""));
  return other.length
    ? html`<div class="result">${other.map((p) => html`<div class="problem">${p.path ? `${p.path}: ` : ""}${p.message}${p.hint ? ` — ${p.hint}` : ""}</div>`)}</div>`
    : null;
}

export function Kpis(props: { items: readonly (readonly [string, unknown, string?])[] }) {
  return html`<div class="kpis">${props.items.map(([label, value, unit]) => html`<div class="kpi"><span>${label}</span><span data-kpi=${label}>${fmt(value)}${unit ? ` ${unit}` : ""}</span></div>`)}</div>`;
}

export function BarSvg(props: { data: readonly Bar[]; log?: boolean; unit?: string }) {
  const g = barChart(props.data, { log: props.log ?? false });
  return html`<svg width=${g.width} height=${g.height} role="img">
    ${g.bars.map(
      (b) => html`<g>
        <text x="0" y=${b.y + b.h - 3}>${b.label}</text>
        <rect x=${b.x} y=${b.y} width=${b.w} height=${b.h} fill="#4a78c2"></rect>
        <text x=${b.x + b.w + 4} y=${b.y + b.h - 3}>${fmt(b.value)}${props.unit ? ` ${props.unit}` : ""}</text>
      </g>`,
    )}
  </svg>`;
}

interface Term {
  readonly name: string;
  readonly formula: string;
  readonly value: number;
  readonly unit: string;
}
interface Assumption {
  readonly name: string;
  readonly value: unknown;
  readonly unit?: string;
  readonly basis: string;
}

/** The "explain" panel: every term with its formula, the assumptions with their basis, warnings. */
interface SourceRef {
  readonly field: string;
  readonly title: string;
  readonly url?: string;
  readonly where?: string;
}

export function Explain(props: {
  terms?: readonly Term[];
  sources?: readonly SourceRef[];
  assumptions?: readonly Assumption[];
  warnings?: readonly string[];
}) {
  return html`<details open>
    <summary>How this was derived</summary>
    ${
      props.terms?.length
        ? html`<table>
          <tr><th>term</th><th>value</th><th>unit</th><th>formula</th></tr>
          ${props.terms.map((t) => html`<tr><td>${t.name}</td><td class="num">${fmt(t.value)}</td><td>${t.unit}</td><td>${t.formula}</td></tr>`)}
        </table>`
        : null
    }
    ${
      props.assumptions?.length
        ? html`<h4>Assumptions</h4><ul>${props.assumptions.map((a) => html`<li>${a.name} = ${fmt(a.value)}${a.unit ? ` ${a.unit}` : ""} — ${a.basis}</li>`)}</ul>`
        : null
    }
    ${
      props.sources?.length
        ? html`<h4>Sources</h4><ul>${props.sources.map((x) => html`<li>${x.field}: ${x.url ? html`<a href=${x.url} target="_blank" rel="noreferrer">${x.title}</a>` : x.title}${x.where ? ` — ${x.where}` : ""}</li>`)}</ul>`
        : null
    }
    ${(props.warnings ?? []).map((w) => html`<div class="warning">⚠ ${w}</div>`)}
  </details>`;
}
