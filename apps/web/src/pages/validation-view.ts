/** Validation: predicted vs measured for every ledger case, one panel per metric, with ±10% / ±25% bands. */
import { formatNumber, formatPercent, inferenceLedger, summarize, trainingLedger } from "@flopcast/contract";
import { html } from "htm/preact";
import { useMemo } from "preact/hooks";
import { PlotFigure } from "../charts/plot-figure.ts";
import { validationSpec } from "../charts/specs.ts";
import { Headline, Table } from "../components.ts";
import type { LedgerCase } from "../types.ts";

/** Display name and unit of each ledger metric. */
const METRICS: Record<string, { name: string; unit: string }> = {
  mfu: { name: "MFU", unit: "% of peak" },
  hfuTflops: { name: "HFU throughput", unit: "TFLOP/s per chip" },
  tflops6nd: { name: "6ND throughput", unit: "TFLOP/s per chip" },
  outputTokensPerS: { name: "output tokens/s", unit: "tokens/s" },
  samplesPerS: { name: "samples/s", unit: "samples/s" },
};

export function ValidationView() {
  const cases = useMemo(() => [...trainingLedger(), ...inferenceLedger()], []);
  const s = summarize(cases);
  const byMetric = new Map<string, LedgerCase[]>();
  for (const c of cases) byMetric.set(c.metric, [...(byMetric.get(c.metric) ?? []), c]);
  return html`
    <${Headline} testid="validation-headline" label="Median error, all cases" value=${formatPercent(s.medianAbsError)} band=${`${s.cases} cases · ${s.withinTolerance} within their stated tolerance`} context="Points on the diagonal are exact; the shaded bands are ±10% and ±25%." />
    <div class="charts">
      ${[...byMetric.entries()].map(([metric, xs]) => {
        const m = METRICS[metric] ?? { name: metric, unit: "" };
        const points = xs
          .filter((c) => c.expected > 0 && c.predicted > 0)
          .map((c) => ({
            measured: c.expected,
            predicted: c.predicted,
            group: c.fitted ? "fitted (in-sample)" : "held out",
            title: `${c.id}\n${c.model} on ${c.hardware}\nmeasured ${formatNumber(c.expected)} · predicted ${formatNumber(c.predicted)}\nerror ${formatPercent(c.errorRatio)}`,
          }));
        const med = summarize(xs).medianAbsError;
        return html`<${PlotFigure} name=${`validation-${metric}`} title=${`${m.name}: ${xs.length} cases, median error ${formatPercent(med)}`} spec=${validationSpec(points, { metric: m.name, unit: m.unit, ...(metric === "mfu" ? { tickFormat: ".0%" } : {}) })} />`;
      })}
    </div>
    <${Table}
      testid="validation-table"
      columns=${[{ label: "Hardware" }, { label: "Metric" }, { label: "Cases", num: true }, { label: "Median |error|", num: true }, { label: "Worst error", num: true }]}
      rows=${s.byChipMetric.map((x) => [x.hardware, METRICS[x.metric]?.name ?? x.metric, formatNumber(x.cases), formatPercent(x.medianAbsError), formatPercent(x.worstErrorRatio)])}
    />`;
}
