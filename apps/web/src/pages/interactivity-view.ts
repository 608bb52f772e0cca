/**
 * Serving: throughput per GPU against interactivity (tok/s per user), one chart per hardware — measured
 * InferenceX points (dots) and the simulated curve of each configuration (lines), from the serving ledger that
 * `npm run calibrate:serving` writes (catalog/data/validation/serving-curves.json).
 */
import { type ServingCurve, servingCurves } from "@flopcast/catalog";
import { formatPercent, formatValue } from "@flopcast/contract";
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { type InteractivityPoint, interactivitySpec } from "../charts/interactivity-spec.ts";
import { PlotFigure } from "../charts/plot-figure.ts";
import { Empty, Headline, Loading } from "../components.ts";

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export function InteractivityView() {
  const [curves, setCurves] = useState<readonly ServingCurve[] | undefined>(undefined);
  const [model, setModel] = useState("deepseek-r1");
  const [workload, setWorkload] = useState("1024/1024");
  useEffect(() => {
    let alive = true;
    void servingCurves().then((c) => alive && setCurves(c));
    return () => {
      alive = false;
    };
  }, []);
  if (!curves) return html`<${Loading} label="Loading the serving ledger" />`;
  const models = [...new Set(curves.map((c) => c.model))].sort();
  const workloads = [...new Set(curves.filter((c) => c.model === model).map((c) => c.workload))].sort();
  const chosen = curves.filter((c) => c.model === model && c.workload === workload);
  const hardware = [...new Set(chosen.map((c) => c.hardware))].sort();
  const errors = chosen.flatMap((c) => c.points.flatMap((p) => [Math.abs(p[3] / p[1] - 1), Math.abs(p[4] / p[2] - 1)]));
  const select = (label: string, value: string, options: readonly string[], set: (v: string) => void) =>
    html`<label class="field">${label}
      <select value=${value} onChange=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option value=${o}>${o}</option>`)}
      </select></label>`;
  return html`<div data-testid="result">
    <div class="controls">
      ${select("Model", model, models, (m) => {
        setModel(m);
        const w = [...new Set(curves.filter((c) => c.model === m).map((c) => c.workload))].sort();
        if (!w.includes(workload) && w[0]) setWorkload(w[0]);
      })}
      ${select("Input/output tokens", workload, workloads, setWorkload)}
    </div>
    <${Headline} testid="interactivity-headline" label="Median error, throughput per GPU and tokens/s per user" value=${formatPercent(median(errors))} band=${`${chosen.length} configurations · ${formatValue(errors.length / 2)} measured points`} context="Filled dots: measured (SemiAnalysis InferenceX). Rings joined by lines: flopcast's simulation of the same configuration at the same concurrencies. Engine constants fitted on the DeepSeek-R1 rows (other models are out of sample); docs/validation.md gives the leave-one-chip-out errors." />
    ${
      hardware.length === 0
        ? html`<${Empty} title="No measured points for this model and workload." />`
        : html`<div class="charts">
      ${hardware.map((hw) => {
        const mine = chosen.filter((c) => c.hardware === hw);
        const point = (
          c: ServingCurve,
          p: ServingCurve["points"][number],
          which: "measured" | "predicted",
        ): InteractivityPoint => ({
          series: c.config,
          engine: c.engine,
          concurrency: p[0],
          perGpu: which === "measured" ? p[1] : p[3],
          perUser: which === "measured" ? p[2] : p[4],
          title: `${c.config}\nconcurrency ${p[0]} · ${c.engine}\nmeasured ${formatValue(p[1])} tok/s/GPU at ${formatValue(p[2])} tok/s/user\npredicted ${formatValue(p[3])} tok/s/GPU at ${formatValue(p[4])} tok/s/user`,
        });
        const measured = mine.flatMap((c) => c.points.map((p) => point(c, p, "measured")));
        const predicted = mine.flatMap((c) => c.points.map((p) => point(c, p, "predicted")));
        return html`<${PlotFigure} name=${`interactivity-${hw}`} title=${`${hw}: ${mine.length} configuration${mine.length === 1 ? "" : "s"}, ${measured.length} point${measured.length === 1 ? "" : "s"}`} spec=${interactivitySpec(measured, predicted)} />`;
      })}
    </div>`
    }
  </div>`;
}
