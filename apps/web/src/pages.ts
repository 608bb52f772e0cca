/** The pages: each a form (fields + defaults) and a result view. Estimates run in the browser through contract. */
import { catalog, findAccelerator, findModel, toAccelerator } from "@flopcast/catalog";
import {
  CompareScenario,
  checkAllClaims,
  compareHardware,
  hardwareSummary,
  hardwareView,
  inferenceLedger,
  problemsFromZod,
  SearchScenario,
  search,
  summarize,
  trainingLedger,
} from "@flopcast/contract";
import { html } from "htm/preact";
import { useMemo, useState } from "preact/hooks";
import { logScatter, roofline } from "./charts/bars.ts";
import { BarSvg, Explain, type Field, Kpis } from "./components.ts";
import { fmt } from "./format.ts";

// biome-ignore lint/suspicious/noExplicitAny: result views read fields of the JSON results of several commands.
type R = Record<string, any>;

export interface FormPage {
  readonly kind: "form";
  readonly id: string;
  readonly title: string;
  readonly command: "train" | "infer" | "serve" | "fleet" | "compare";
  readonly fields: readonly Field[];
  readonly defaults: Record<string, string>;
  readonly view: (r: R) => unknown;
}

export interface StaticPage {
  readonly kind: "static";
  readonly id: string;
  readonly title: string;
  readonly view: () => unknown;
}

const precisions = ["", "bf16", "fp16", "fp8", "int8", "int4", "fp4"];

const trainPage: FormPage = {
  kind: "form",
  id: "train",
  title: "Train",
  command: "train",
  fields: [
    { key: "model", label: "model", kind: "model" },
    { key: "tokens", label: "training tokens", kind: "number", placeholder: "300e9" },
    { key: "hardware", label: "hardware", kind: "hardware" },
    { key: "chips", label: "chips", kind: "number" },
    { key: "precision", label: "precision", kind: "select", options: precisions.slice(0, 4) },
    { key: "tp", label: "tp (searched if empty)", kind: "number" },
    { key: "pp", label: "pp (searched if empty)", kind: "number" },
    { key: "seqLen", label: "sequence length", kind: "number" },
    { key: "mfu", label: "MFU override", kind: "number" },
    { key: "priceUsdPerChipHour", label: "$ per chip-hour", kind: "number" },
  ],
  defaults: {
    model: "gpt3-175b",
    tokens: "300e9",
    hardware: "a100-sxm-80gb",
    chips: "1024",
    priceUsdPerChipHour: "1.8",
  },
  view: (r) => html`
    <div class="headline" data-testid="pfdays">${fmt(r.pfDays)} PF-days</div>
    <${Kpis} items=${[["model FLOPs", r.flops], ["6ND FLOPs", r.flops6nd], ["days", r.days], ["MFU", r.mfu], ["chip-hours", r.chipHours], ["cost", r.costUsd, "USD"], ["energy", r.energyMwh, "MWh"], ["memory per chip", r.memoryPerChipGb, "GB"]]} />
    ${r.parallelism ? html`<div>tp ${r.parallelism.tp} · pp ${r.parallelism.pp} · dp ${r.parallelism.dp} · recompute ${r.recompute} · ${r.feasible ? "feasible" : html`<b class="verdict-off">infeasible</b>`} · bottleneck ${r.bottleneck}</div>` : null}
    ${(r.reasons ?? []).map((x: { message: string }) => html`<div class="problem">${x.message}</div>`)}
    ${
      r.stepBreakdownS
        ? html`<h4>Step time breakdown</h4><${BarSvg} data=${Object.entries(r.stepBreakdownS)
            .filter(([k]) => k !== "step")
            .map(([label, value]) => ({ label, value: Number(value) }))} unit="s" />`
        : null
    }
    ${r.terms ? html`<${Explain} terms=${r.terms} assumptions=${r.assumptions} warnings=${r.warnings} sources=${r.sources} />` : null}
  `,
};

const inferPage: FormPage = {
  kind: "form",
  id: "infer",
  title: "Infer",
  command: "infer",
  fields: [
    { key: "model", label: "model", kind: "model" },
    { key: "hardware", label: "hardware", kind: "hardware" },
    { key: "chips", label: "chips", kind: "number" },
    { key: "tp", label: "tp", kind: "number" },
    { key: "precision", label: "precision", kind: "select", options: precisions },
    { key: "inputTokens", label: "input tokens", kind: "number" },
    { key: "outputTokens", label: "output tokens", kind: "number" },
    { key: "batch", label: "batch (number or max)", kind: "text" },
  ],
  defaults: {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    chips: "1",
    inputTokens: "512",
    outputTokens: "256",
    batch: "8",
  },
  view: (r) => html`
    <div class="headline" data-testid="tokens">${fmt(r.outputTokensPerS)} output tokens/s</div>
    <${Kpis} items=${[["TTFT", r.ttftMs, "ms"], ["TPOT", r.tpotMs, "ms"], ["per chip", r.outputTokensPerSPerChip, "tok/s"], ["max batch", r.maxBatch], ["memory per chip", r.memoryPerChipGb, "GB"]]} />
    <div>${r.feasible ? "feasible" : html`<b class="verdict-off">infeasible</b>`} · prefill ${r.bottleneck?.prefill}-bound · decode ${r.bottleneck?.decode}-bound</div>
    ${(r.reasons ?? []).map((x: { message: string }) => html`<div class="problem">${x.message}</div>`)}
    <${RooflineSvg} r=${r} />
    <h4>Time terms (ms)</h4>
    <${BarSvg} data=${[
      { label: "prefill compute", value: r.prefill.computeMs },
      { label: "prefill memory", value: r.prefill.memoryMs },
      { label: "prefill comm", value: r.prefill.communicationMs },
      { label: "decode compute", value: r.decodeStepAtMeanContext.computeMs },
      { label: "decode memory", value: r.decodeStepAtMeanContext.memoryMs },
      { label: "decode comm", value: r.decodeStepAtMeanContext.communicationMs },
    ]} log=${true} unit="ms" />
    <${Explain} terms=${r.terms} assumptions=${r.assumptions} warnings=${r.warnings} sources=${r.sources} />
  `,
};

const servePage: FormPage = {
  kind: "form",
  id: "serve",
  title: "Serve",
  command: "serve",
  fields: [
    { key: "model", label: "model", kind: "model" },
    { key: "hardware", label: "hardware", kind: "hardware" },
    { key: "chips", label: "chips", kind: "number" },
    { key: "rate", label: "rate (req/s)", kind: "number" },
    { key: "requests", label: "requests", kind: "number" },
    { key: "inputTokens", label: "input tokens", kind: "number" },
    { key: "outputTokens", label: "output tokens", kind: "number" },
    { key: "scheduler", label: "scheduler", kind: "select", options: ["chunked", "fcfs"] },
    { key: "sloTtftMs", label: "SLO TTFT ms", kind: "number" },
    { key: "sloTpotMs", label: "SLO TPOT ms", kind: "number" },
    { key: "seed", label: "seed", kind: "number" },
  ],
  defaults: {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    chips: "1",
    rate: "20",
    requests: "20000",
    inputTokens: "512",
    outputTokens: "256",
    scheduler: "chunked",
    sloTtftMs: "500",
    sloTpotMs: "50",
    seed: "1",
  },
  view: (r) => html`
    <div class="headline" data-testid="throughput">${fmt(r.outputTokensPerS)} output tokens/s · ${fmt(r.throughputReqPerS)} req/s</div>
    <${Kpis} items=${[["completed", r.completed], ["SLO attainment", r.sloAttainment], ["events", r.simulatedEvents], ["KV max", r.kvUtilisation?.max], ["preemptions", r.preemptions]]} />
    <h4>Latency percentiles (ms)</h4>
    <${BarSvg} data=${["p50", "p90", "p99"].flatMap((p) => [
      { label: `TTFT ${p}`, value: r.ttftMs[p] },
      { label: `TPOT ${p}`, value: r.tpotMs[p] },
      { label: `E2E ${p}`, value: r.e2eMs[p] },
    ])} log=${true} unit="ms" />
    ${(r.warnings ?? []).map((w: string) => html`<div class="warning">⚠ ${w}</div>`)}
  `,
};

const fleetPage: FormPage = {
  kind: "form",
  id: "fleet",
  title: "Fleet",
  command: "fleet",
  fields: [
    { key: "model", label: "model", kind: "model" },
    { key: "hardware", label: "hardware", kind: "hardware" },
    { key: "requestsPerDay", label: "requests per day", kind: "number" },
    { key: "inputTokens", label: "input tokens", kind: "number" },
    { key: "outputTokens", label: "output tokens", kind: "number" },
    { key: "sloTtftMs", label: "P99 TTFT SLO ms", kind: "number" },
    { key: "sloTpotMs", label: "P99 TPOT SLO ms", kind: "number" },
    { key: "simRequests", label: "requests per DES run", kind: "number" },
  ],
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
  view: (r) => html`
    <div class="headline" data-testid="chips">${fmt(r.chips)} chips (${fmt(r.replicas)} replicas)</div>
    <${Kpis} items=${[["$ per 1M output tokens", r.usdPerMillionOutputTokens], ["$ per day", r.usdPerDay], ["$ per query", r.usdPerQuery], ["capex", r.capexUsd, "USD"], ["power", r.powerMw, "MW"], ["utilisation", r.utilisation]]} />
    ${(r.reasons ?? []).map((x: string) => html`<div class="problem">${x}</div>`)}
    ${r.prices ? html`<h4>Prices used</h4><ul>${Object.entries(r.prices).map(([k, v]: [string, any]) => html`<li>${k}: ${fmt(v?.value)}${v?.pointId ? ` — ${v.pointId} (${v.asOf}, ${fmt(v.ageYears)} years old)` : v?.basis ? ` — ${v.basis}` : ""}</li>`)}</ul>` : null}
    <${Explain} assumptions=${r.assumptions} warnings=${r.warnings} />
  `,
};

const comparePage: FormPage = {
  kind: "form",
  id: "compare",
  title: "Compare",
  command: "compare",
  fields: [
    { key: "model", label: "model", kind: "model" },
    { key: "hardware", label: "hardware (comma-separated ids)", kind: "text" },
    { key: "tokens", label: "training tokens (train)", kind: "number" },
    { key: "chips", label: "chips (train)", kind: "number" },
    { key: "requestsPerDay", label: "requests per day (serve)", kind: "number" },
    { key: "sloTtftMs", label: "SLO TTFT ms (serve)", kind: "number" },
    { key: "sloTpotMs", label: "SLO TPOT ms (serve)", kind: "number" },
  ],
  defaults: { model: "llama-3.1-70b", hardware: "h100-sxm,b200,mi300x,gaudi3", tokens: "15T", chips: "4096" },
  view: (r) => {
    const train = r.goal === "train";
    const key = train ? "costUsd" : "usdPerMillionOutputTokens";
    const cols = train
      ? ["hardware", "feasible", "chips", "days", "mfu", "costUsd", "costOwnedUsd", "energyMwh"]
      : ["hardware", "feasible", "chips", "replicas", "usdPerMillionOutputTokens", "usdPerDay", "capexUsd", "powerMw"];
    return html`
      <h4>${train ? "Training cost (rented, USD)" : "$ per 1M output tokens"}</h4>
      <${BarSvg} data=${r.rows.filter((x: R) => typeof x[key] === "number").map((x: R) => ({ label: x.hardware, value: x[key] }))} />
      <table>
        <tr>${cols.map((c) => html`<th>${c}</th>`)}</tr>
        ${r.rows.map((x: R) => html`<tr>${cols.map((c) => html`<td class=${typeof x[c] === "number" ? "num" : ""}>${fmt(x[c])}</td>`)}</tr>`)}
      </table>`;
  },
};

/** Compare runs several estimates, so it goes through its own schema rather than runScenario. */
export function runCompare(raw: Record<string, unknown>) {
  const p = CompareScenario.safeParse({ today: new Date().toISOString().slice(0, 10), ...raw });
  if (!p.success) return { ok: false as const, problems: problemsFromZod(p.error) };
  const m = findModel(p.data.model);
  if (!m.ok) return { ok: false as const, problems: m.problems };
  const chips = [];
  for (const [i, id] of p.data.hardware.split(",").entries()) {
    const h = findAccelerator(id.trim(), "hardware");
    if (!h.ok)
      return { ok: false as const, problems: h.problems.map((x) => ({ ...x, message: `[${i}] ${x.message}` })) };
    chips.push(h.value);
  }
  return { ok: true as const, result: compareHardware(p.data, m.value, chips) };
}

/** Prefill and decode on the chip's roofline: arithmetic intensity (FLOP per byte) vs achieved FLOP/s per chip. */
function RooflineSvg(props: { r: R }) {
  const h = findAccelerator(props.r.hardware);
  if (!h.ok) return null;
  const chip = toAccelerator(h.value);
  const peak = chip.peak[props.r.precision.compute as keyof typeof chip.peak] ?? 0;
  const bw = chip.memoryBandwidth ?? 0;
  const chips = props.r.parallelism.tp * props.r.parallelism.pp;
  const phase = (label: string, x: R) => ({
    label,
    intensity: x.flops / Math.max(x.bytes, 1),
    flops: x.flops / chips / (x.totalMs / 1e3),
  });
  const g = roofline(peak, bw, [
    phase("prefill", props.r.prefill),
    phase("decode step", props.r.decodeStepAtMeanContext),
  ]);
  return html`<h4>Roofline (per chip)</h4><svg width=${g.w} height=${g.h} role="img" data-testid="roofline">
    <polyline points=${g.roof.map((p) => p.join(",")).join(" ")} fill="none" stroke="#999" />
    ${g.points.map((p) => html`<circle cx=${p.cx} cy=${p.cy} r="4" fill="#c2544a"></circle><text x=${p.cx + 6} y=${p.cy}>${p.label}</text>`)}
    <text x="40" y=${g.h - 4}>FLOP/byte (ridge ${fmt(g.ridge)})</text>
  </svg>`;
}

function SearchView() {
  const [model, setModel] = useState("llama-3.1-70b");
  const [slo, setSlo] = useState("100");
  const r = useMemo(() => {
    const p = SearchScenario.safeParse({ goal: "serve", model, sloTpotMs: slo === "" ? undefined : slo });
    if (!p.success) return undefined;
    const m = findModel(model);
    return m.ok ? search(p.data, m.value) : undefined;
  }, [model, slo]);
  const front = r?.ok ? r.result.front : [];
  const g = logScatter(
    front.map((p) => ({
      x: Number(p.usdPerMillionOutputTokens),
      y: Number(p.tpotMs),
      label: `${p.hardware} ×${p.chips} b${p.batch}`,
    })),
  );
  return html`<div class="result">
    <label>model <select value=${model} onChange=${(e: Event) => setModel((e.target as HTMLSelectElement).value)}>${[...catalog().models.keys()].sort().map((id) => html`<option selected=${id === model}>${id}</option>`)}</select></label>
    <label>TPOT SLO ms <input value=${slo} onInput=${(e: Event) => setSlo((e.target as HTMLInputElement).value)} /></label>
    <h4>Pareto front: $/1M output tokens (x) vs TPOT ms (y), log-log</h4>
    <svg width=${g.size} height=${g.size} role="img" data-testid="pareto">${g.points.map((p) => html`<circle cx=${p.cx} cy=${p.cy} r="4" fill="#4a78c2"><title>${p.label}</title></circle>`)}</svg>
    <table>
      <tr><th>hardware</th><th>chips</th><th>precision</th><th>batch</th><th>TPOT ms</th><th>$/1M tokens</th></tr>
      ${front.map((p) => html`<tr><td>${p.hardware}</td><td class="num">${p.chips}</td><td>${String(p.precision)}</td><td class="num">${String(p.batch)}</td><td class="num">${fmt(p.tpotMs)}</td><td class="num">${fmt(p.usdPerMillionOutputTokens)}</td></tr>`)}
    </table>
  </div>`;
}

function ClaimsView() {
  const claims = useMemo(() => checkAllClaims(), []);
  return html`<div class="result">
    <h3>Published claims, reproduced</h3>
    <${BarSvg} data=${claims.filter((c) => c.published && c.published > 0 && c.reproduced !== null && c.unit !== "ratio").map((c) => ({ label: c.id, value: Math.abs((c.reproduced as number) / (c.published as number)) }))} log=${true} unit="× published" />
    <table>
      <tr><th>claim</th><th>verdict</th><th>published</th><th>reproduced</th><th>explanation</th></tr>
      ${claims.map((c) => html`<tr><td title=${c.claim}>${c.id}</td><td class=${`verdict-${c.verdict}`}>${c.verdict}</td><td class="num">${fmt(c.published)}</td><td class="num">${fmt(c.reproduced)} ${c.unit}</td><td>${c.explanation}</td></tr>`)}
    </table>
  </div>`;
}

function HardwareView() {
  const [sortKey, setSortKey] = useState<string>("vendor");
  const [open, setOpen] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const rows = [...catalog().accelerators.values()].map((f) => hardwareSummary(f, today));
  const cols = [
    "id",
    "vendor",
    "name",
    "year",
    "memoryGb",
    "sramMb",
    "memBandwidthTbPerS",
    "peakBf16Tflops",
    "tdpW",
    "rentalUsdPerChipHour",
  ] as const;
  const sorted = [...rows].sort((a, b) => {
    const x = a[sortKey as keyof typeof a];
    const y = b[sortKey as keyof typeof b];
    return typeof x === "number" && typeof y === "number" ? y - x : String(x ?? "").localeCompare(String(y ?? ""));
  });
  const detail = open ? findAccelerator(open) : undefined;
  return html`<div class="result">
    <table data-testid="hardware-table">
      <tr>${cols.map((c) => html`<th onClick=${() => setSortKey(c)}>${c}${sortKey === c ? " ▾" : ""}</th>`)}</tr>
      ${sorted.map(
        (r) =>
          html`<tr>${cols.map(
            (c) =>
              html`<td class=${typeof r[c] === "number" ? "num" : ""}>${
                c === "id"
                  ? html`<a href="#" onClick=${(e: Event) => {
                      e.preventDefault();
                      setOpen(r.id);
                    }}>${r.id}</a>`
                  : c === "year"
                    ? String(r.year)
                    : fmt(r[c])
              }</td>`,
          )}</tr>`,
      )}
    </table>
    ${
      detail?.ok
        ? html`<h3>${detail.value.name} — sources</h3><ul>${hardwareView(detail.value).sources.map((s) => html`<li>${s.field}: ${s.url ? html`<a href=${s.url} target="_blank" rel="noreferrer">${s.title}</a>` : s.title}${s.where ? ` — ${s.where}` : ""} [${s.kind ?? ""}]</li>`)}</ul>`
        : null
    }
  </div>`;
}

function ValidationView() {
  const cases = useMemo(() => [...trainingLedger(), ...inferenceLedger()], []);
  const s = summarize(cases);
  const g = logScatter(cases.map((c) => ({ x: c.expected, y: c.predicted, label: c.id })));
  return html`<div class="result">
    <div class="headline">${s.cases} cases · median |error| ${(s.medianAbsError * 100).toFixed(1)}%</div>
    <svg width=${g.size} height=${g.size} role="img"><line x1=${g.diagonal[0]} y1=${g.size - g.diagonal[0]} x2=${g.diagonal[1]} y2=${g.size - g.diagonal[1]} stroke="#999" />${g.points.map((p) => html`<circle cx=${p.cx} cy=${p.cy} r="3" fill="#4a78c2"><title>${p.label}</title></circle>`)}</svg>
    <table>
      <tr><th>hardware</th><th>metric</th><th>cases</th><th>median |error|</th><th>worst</th></tr>
      ${s.byChipMetric.map((x) => html`<tr><td>${x.hardware}</td><td>${x.metric}</td><td class="num">${x.cases}</td><td class="num">${(x.medianAbsError * 100).toFixed(1)}%</td><td class="num">${(x.worstErrorRatio * 100).toFixed(1)}%</td></tr>`)}
    </table>
  </div>`;
}

export const PAGES: readonly (FormPage | StaticPage)[] = [
  trainPage,
  inferPage,
  servePage,
  fleetPage,
  comparePage,
  { kind: "static", id: "search", title: "Search", view: () => html`<${SearchView} />` },
  { kind: "static", id: "claims", title: "Claims", view: () => html`<${ClaimsView} />` },
  { kind: "static", id: "hardware", title: "Hardware", view: () => html`<${HardwareView} />` },
  { kind: "static", id: "validation", title: "Validation", view: () => html`<${ValidationView} />` },
];
