/** Hardware: the accelerator catalog, sortable, with each number's sources. */
import { catalog, findAccelerator } from "@flopcast/catalog";
import { clockToday, formatNumber, formatValue, hardwareSummary, hardwareView } from "@flopcast/contract";
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { PlotFigure } from "../charts/plot-figure.ts";
import { scatterSpec } from "../charts/specs.ts";
import { Table } from "../components.ts";
import { staticPage } from "./page.ts";

const COLUMNS = [
  ["id", "Id"],
  ["vendor", "Vendor"],
  ["name", "Name"],
  ["year", "Year"],
  ["memoryGb", "Memory (GB)"],
  ["sramMb", "On-chip SRAM (MB)"],
  ["memBandwidthTbPerS", "HBM (TB/s)"],
  ["peakBf16Tflops", "BF16 (TFLOP/s)"],
  ["tdpW", "TDP (W)"],
  ["rentalUsdPerChipHour", "Rental ($/chip-h, market median)"],
] as const;

type Summary = ReturnType<typeof hardwareSummary>;

function HardwareView() {
  const [sortKey, setSortKey] = useState<keyof Summary>("vendor");
  const [open, setOpen] = useState<string | null>(null);
  // The scenario date for prices is today's (the app is an adapter: it reads the clock through clockToday).
  const today = clockToday();
  const rows = [...catalog().accelerators.values()].map((f) => hardwareSummary(f, today));
  const sorted = [...rows].sort((a, b) => {
    const x = a[sortKey];
    const y = b[sortKey];
    return typeof x === "number" && typeof y === "number" ? y - x : String(x ?? "").localeCompare(String(y ?? ""));
  });
  const detail = open ? findAccelerator(open) : undefined;
  const points = rows
    .filter((r) => r.memBandwidthTbPerS !== null && r.peakBf16Tflops !== null)
    .map((r) => ({
      x: r.memBandwidthTbPerS as number,
      y: r.peakBf16Tflops as number,
      group: r.vendor,
      title: `${r.name} (${r.id})\n${formatNumber(r.memBandwidthTbPerS)} TB/s · ${formatNumber(r.peakBf16Tflops)} TFLOP/s bf16 · ${formatNumber(r.memoryGb)} GB`,
    }));
  return html`
    <div class="charts charts-wide">
      <${PlotFigure} name="hardware" title="Compute vs memory bandwidth" spec=${scatterSpec(points, { xLabel: "HBM bandwidth (TB/s)", yLabel: "dense BF16 (TFLOP/s)" })} note="Decode is bound by bandwidth (x), prefill and training by compute (y)." />
    </div>
    <div class="table-wrap"><table class="stack" data-testid="hardware-table">
      <thead><tr>${COLUMNS.map(([k, label]) => html`<th class=${typeof rows[0]?.[k] === "number" ? "num" : ""}><button type="button" class="sort" aria-pressed=${sortKey === k} onClick=${() => setSortKey(k)}>${label}${sortKey === k ? " ▾" : ""}</button></th>`)}</tr></thead>
      <tbody>${sorted.map(
        (r) =>
          html`<tr>${COLUMNS.map(([k, label]) =>
            k === "id"
              ? html`<td data-label=${label}><a href="#/hardware" onClick=${(e: Event) => {
                  e.preventDefault();
                  setOpen(r.id);
                }}>${r.id}</a></td>`
              : html`<td class=${typeof r[k] === "number" ? "num" : ""} data-label=${label}>${k === "year" ? String(r.year ?? "") : formatValue(r[k])}</td>`,
          )}</tr>`,
      )}</tbody>
    </table></div>
    ${
      detail?.ok
        ? html`<div class="panel"><h3>${detail.value.name}: sources</h3><${Table} columns=${[{ label: "Field" }, { label: "Source" }, { label: "Kind" }]} rows=${hardwareView(detail.value, today).sources.map((s) => [s.field, html`${s.url ? html`<a href=${s.url} target="_blank" rel="noreferrer">${s.title}</a>` : s.title}${s.where ? ` — ${s.where}` : ""}`, s.kind ?? ""])} /></div>`
        : null
    }`;
}

export const hardwarePage = staticPage(
  "hardware",
  "Hardware",
  "The accelerator catalog: every number with its unit and source. Click an id for its sources.",
  HardwareView,
);
