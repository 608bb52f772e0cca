/** Shared page pieces: the scenario form, headline, KPI cards, the infeasible banner with fixes, explain panel. */
import { catalog } from "@flopcast/catalog";
import { formatNumber, formatValue } from "@flopcast/contract";
import type { Problem } from "@flopcast/core";
import { html } from "htm/preact";
import type { VerifiedFix } from "./fixes.ts";

export type FieldKind = "model" | "hardware" | "number" | "text" | "select" | "checkbox";

export interface Field {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly options?: readonly string[];
  /** For selects: what an empty choice means, shown as its label (never a blank option). */
  readonly auto?: string;
  readonly placeholder?: string;
  readonly unit?: string;
  readonly help?: string;
  /** Select values that the schema reads as numbers (ZeRO stage). */
  readonly numeric?: boolean;
  /** Groups fields under a sub-heading ("Parallelism", "Cost"). */
  readonly group?: string;
}

const modelIds = () => [...catalog().models.keys()].sort();
const hardwareIds = () => [...catalog().accelerators.keys()].sort();

/** Form values (strings, from the URL) → the raw scenario the schemas read: empties dropped, checkboxes as booleans. */
export function toRaw(fields: readonly Field[], values: Record<string, string>): Record<string, unknown> {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === "") continue;
    const f = byKey.get(k);
    raw[k] = f?.kind === "checkbox" ? v === "true" : f?.numeric ? Number(v) : v;
  }
  return raw;
}

const problemsFor = (problems: readonly Problem[], key: string) =>
  problems.filter((p) => p.path === key || p.path.startsWith(`${key}.`) || p.path.startsWith(`${key}[`));

function Control(props: { f: Field; value: string; invalid: boolean; onChange: (v: string) => void }) {
  const { f, value } = props;
  const onInput = (e: Event) => props.onChange((e.target as HTMLInputElement).value);
  const id = `f-${f.key}`;
  if (f.kind === "checkbox")
    return html`<input id=${id} type="checkbox" name=${f.key} checked=${value === "true"} onChange=${(e: Event) => props.onChange(String((e.target as HTMLInputElement).checked))} />`;
  const options = f.kind === "model" ? modelIds() : f.kind === "hardware" ? hardwareIds() : (f.options ?? []);
  if (options.length)
    return html`<select id=${id} name=${f.key} value=${value} onChange=${onInput} aria-invalid=${props.invalid}>
      ${f.auto !== undefined ? html`<option value="">${f.auto}</option>` : null}
      ${options.map((o) => html`<option value=${o} selected=${o === value}>${o}</option>`)}
    </select>`;
  return html`<input id=${id} name=${f.key} value=${value} placeholder=${f.placeholder ?? ""} onInput=${onInput} aria-invalid=${props.invalid} inputmode=${f.kind === "number" ? "decimal" : undefined} autocomplete="off" spellcheck=${false} />`;
}

/** The scenario form: catalog dropdowns (no free-text ids), problems shown next to their fields. */
export function ScenarioForm(props: {
  fields: readonly Field[];
  values: Record<string, string>;
  problems: readonly Problem[];
  onChange: (key: string, value: string) => void;
}) {
  let group: string | undefined;
  return html`<form class="scenario" onSubmit=${(e: Event) => e.preventDefault()}>
    ${props.fields.map((f) => {
      const mine = problemsFor(props.problems, f.key);
      const heading = f.group && f.group !== group ? html`<div class="field-group">${f.group}</div>` : null;
      group = f.group ?? group;
      return html`${heading}<div class=${`field${f.kind === "checkbox" ? " field-check" : ""}${mine.length ? " invalid" : ""}`}>
        <label for=${`f-${f.key}`}>${f.label}${f.unit ? html` <span class="unit">${f.unit}</span>` : null}</label>
        <${Control} f=${f} value=${props.values[f.key] ?? ""} invalid=${mine.length > 0} onChange=${(v: string) => props.onChange(f.key, v)} />
        ${f.help && !mine.length ? html`<span class="help">${f.help}</span>` : null}
        ${mine.map((p) => html`<span class="problem" role="alert" data-field=${f.key}>${p.message}${p.hint ? ` — ${p.hint}` : ""}</span>`)}
      </div>`;
    })}
  </form>`;
}

/** Problems that belong to no field of the form. */
export function Problems(props: { problems: readonly Problem[]; fields: readonly Field[] }) {
  const known = new Set(props.fields.map((f) => f.key));
  const other = props.problems.filter((p) => !known.has(p.path.split(/[.[]/)[0] ?? ""));
  return other.length
    ? html`<div class="callout callout-error" role="alert">${other.map((p) => html`<div class="problem">${p.path ? html`<code>${p.path}</code> ` : ""}${p.message}${p.hint ? ` — ${p.hint}` : ""}</div>`)}</div>`
    : null;
}

/** The page's answer: one big number (with its band), a label, and a line of context. */
export function Headline(props: { testid: string; value: string; label: string; band?: string; context?: unknown }) {
  return html`<div class="headline-card">
    <div class="headline-label">${props.label}</div>
    <div class="headline" data-testid=${props.testid}>${props.value}</div>
    ${props.band ? html`<div class="headline-band" data-testid="band">${props.band}</div>` : null}
    ${props.context ? html`<div class="headline-context">${props.context}</div>` : null}
  </div>`;
}

export type Kpi = readonly [label: string, value: string, hint?: string];

export function Kpis(props: { items: readonly Kpi[] }) {
  // A KPI the estimate could not give (no grid intensity, no price) is left out rather than shown blank.
  return html`<dl class="kpis">${props.items
    .filter(([, value]) => value !== "—")
    .map(
      ([label, value, hint]) =>
        html`<div class="kpi" title=${hint ?? ""}><dt>${label}</dt><dd data-kpi=${label}>${value}</dd></div>`,
    )}</dl>`;
}

/**
 * An infeasible or overloaded plan: greyed, the reasons, and the fixes the engine confirmed (one click applies
 * one). There is no headline number for it.
 */
export function Infeasible(props: {
  title: string;
  reasons: readonly string[];
  fixes: readonly VerifiedFix[];
  unverified?: readonly { label: string; onClick: () => void }[];
  onFix: (f: VerifiedFix) => void;
}) {
  return html`<div class="infeasible" data-testid="infeasible" role="status">
    <div class="infeasible-title"><span class="badge badge-off">${props.title}</span></div>
    <ul class="reasons" data-testid="reasons">${props.reasons.map((r) => html`<li>${r}</li>`)}</ul>
    ${
      props.fixes.length || props.unverified?.length
        ? html`<div class="fixes"><span class="fixes-label">Try</span>
          ${props.fixes.map((f) => html`<button type="button" class="fix" data-testid="fix" onClick=${() => props.onFix(f)}>${f.label}<span class="fix-outcome">${f.outcome}</span></button>`)}
          ${(props.unverified ?? []).map((f) => html`<button type="button" class="fix" data-testid="fix" onClick=${f.onClick}>${f.label}</button>`)}
        </div>`
        : html`<p class="muted">No single change the engine can confirm; see the reasons above.</p>`
    }
  </div>`;
}

/** Warnings: coded messages (`{code, params, message}`, rendered for the API/web by the contract) or plain lines. */
export function Warnings(props: { warnings?: readonly (string | { readonly message: string })[] | undefined }) {
  const ws = (props.warnings ?? []).map((w) => (typeof w === "string" ? w : w.message));
  return ws.length
    ? html`<div class="callout callout-warn" data-testid="warnings">${ws.map((w) => html`<div class="warning"><span aria-hidden="true">⚠</span> ${w}</div>`)}</div>`
    : null;
}

export function Loading(props: {
  label: string;
  progress?: number | undefined;
  elapsedS?: number;
  detail?: string | undefined;
}) {
  const pct = props.progress === undefined ? undefined : Math.round(props.progress * 100);
  return html`<div class="loading" data-testid="loading" role="status" aria-live="polite">
    <div class="loading-row"><span class="spinner" aria-hidden="true"></span><span>${props.label}${pct !== undefined ? ` · ${pct}%` : ""}${props.detail ? ` · ${props.detail}` : ""}${props.elapsedS !== undefined ? ` · ${props.elapsedS.toFixed(0)} s` : ""}</span></div>
    <div class=${`bar${pct === undefined ? " indeterminate" : ""}`}><div class="bar-fill" style=${pct === undefined ? "" : `width:${pct}%`}></div></div>
  </div>`;
}

export function Empty(props: { title: string; children?: unknown }) {
  return html`<div class="empty" data-testid="empty"><div class="empty-title">${props.title}</div>${props.children ? html`<div class="muted">${props.children}</div>` : null}</div>`;
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
  readonly unit?: string | undefined;
  readonly basis: string;
}
interface SourceRef {
  readonly field: string;
  readonly title: string;
  readonly url?: string | undefined;
  readonly where?: string | undefined;
}

/** The "explain" panel: every term with its formula, the assumptions with their basis, the sources. */
export function Explain(props: {
  terms?: readonly Term[] | undefined;
  sources?: readonly SourceRef[] | undefined;
  assumptions?: readonly Assumption[] | undefined;
}) {
  if (!props.terms?.length && !props.assumptions?.length && !props.sources?.length) return null;
  return html`<details class="panel explain">
    <summary>How this was derived</summary>
    ${
      props.terms?.length
        ? html`<div class="table-wrap"><table>
          <thead><tr><th>term</th><th class="num">value</th><th>unit</th><th>formula</th></tr></thead>
          <tbody>${props.terms.map((t) => html`<tr><td>${t.name}</td><td class="num">${formatNumber(t.value)}</td><td>${t.unit}</td><td class="formula">${t.formula}</td></tr>`)}</tbody>
        </table></div>`
        : null
    }
    ${
      props.assumptions?.length
        ? html`<h4>Assumptions</h4><ul>${props.assumptions.map((a) => html`<li><b>${a.name}</b> = ${formatValue(a.value)}${a.unit ? ` ${a.unit}` : ""} — ${a.basis}</li>`)}</ul>`
        : null
    }
    ${
      props.sources?.length
        ? html`<h4>Sources</h4><ul>${props.sources.map((x) => html`<li>${x.field}: ${x.url ? html`<a href=${x.url} target="_blank" rel="noreferrer">${x.title}</a>` : x.title}${x.where ? ` — ${x.where}` : ""}</li>`)}</ul>`
        : null
    }
  </details>`;
}

/** A data table that scrolls inside its own box on narrow screens (the page never overflows). */
export function Table(props: {
  columns: readonly { label: string; num?: boolean }[];
  rows: readonly (readonly unknown[])[];
  rowClass?: (i: number) => string;
  testid?: string;
}) {
  // On a phone each row becomes a card of label–value lines (`stack`), so wide tables never scroll sideways.
  return html`<div class="table-wrap"><table class="stack" data-testid=${props.testid}>
    <thead><tr>${props.columns.map((c) => html`<th class=${c.num ? "num" : ""}>${c.label}</th>`)}</tr></thead>
    <tbody>${props.rows.map((r, i) => html`<tr class=${props.rowClass?.(i) ?? ""}>${r.map((cell, j) => html`<td class=${props.columns[j]?.num ? "num" : ""} data-label=${props.columns[j]?.label ?? ""}>${cell}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}
