/**
 * The long computations (serving simulation, fleet sizing, hardware comparison) as plain functions with a progress
 * callback. They run in a Web Worker (compute-worker.ts) so the page stays responsive; tests can call them directly.
 */
import { findAccelerator, findModel } from "@flopcast/catalog";
import {
  CompareScenario,
  clockToday,
  compareHardware,
  problemsFromZod,
  runScenario,
  runServe,
  SearchScenario,
  ServeScenario,
  search,
  setupServe,
} from "@flopcast/contract";
import type { Problem } from "@flopcast/core";
import type { CompareResult, FleetResult, SearchResult, ServeResult, ServeSample } from "./types.ts";

export type JobKind = "serve" | "fleet" | "compare" | "search";

export type JobOutcome =
  | { readonly ok: true; readonly kind: "serve"; readonly result: ServeResult; readonly sample: ServeSample }
  | { readonly ok: true; readonly kind: "fleet"; readonly result: FleetResult }
  | { readonly ok: true; readonly kind: "compare"; readonly result: CompareResult }
  | { readonly ok: true; readonly kind: "search"; readonly result: SearchResult }
  | { readonly ok: false; readonly problems: readonly Problem[] };

type Progress = (fraction: number, label?: string) => void;

/** The scenario date for price lookups: today, from the browser's clock (core never reads the clock). */
const today = clockToday;

/** Evenly spaced order statistics of the finite values (at most `n`), sorted ascending, for a CDF. */
export function quantileSample(values: Iterable<number>, n = 400): number[] {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length <= n) return sorted;
  return Array.from({ length: n }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (n - 1))] as number);
}

export function runJob(kind: JobKind, raw: Record<string, unknown>, onProgress: Progress): JobOutcome {
  switch (kind) {
    case "serve":
      return serveJob(raw, onProgress);
    case "fleet": {
      const r = runScenario("fleet", raw, undefined, undefined, { today: today() });
      return r.ok ? { ok: true, kind, result: r.result } : r;
    }
    case "compare":
      return compareJob(raw, onProgress);
    case "search": {
      const p = SearchScenario.safeParse({ today: today(), ...raw });
      if (!p.success) return { ok: false, problems: problemsFromZod(p.error) };
      const m = findModel(p.data.model, "model");
      if (!m.ok) return m;
      const r = search(p.data, m.value);
      // FrontPoint is an open record; its fields are the registry's SearchOutput (checked in commands.test.ts).
      return r.ok ? { ok: true, kind, result: r.result as unknown as SearchResult } : r;
    }
  }
}

function serveJob(raw: Record<string, unknown>, onProgress: Progress): JobOutcome {
  const p = ServeScenario.safeParse(raw);
  if (!p.success) return { ok: false, problems: problemsFromZod(p.error) };
  const m = findModel(p.data.model, "model");
  const h = findAccelerator(p.data.hardware, "hardware");
  if (!m.ok || !h.ok) return { ok: false, problems: [...(m.ok ? [] : m.problems), ...(h.ok ? [] : h.problems)] };
  const setup = setupServe(p.data, m.value, h.value, {});
  if (!setup.ok) return setup;
  const { sim, result } = runServe(p.data, setup.setup, (f) => onProgress(f));
  const r = sim.records;
  const n = r.arrivedAt.length;
  const ttft: number[] = [];
  const tpot: number[] = [];
  const e2e: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r.arrivedAt[i] as number;
    const f = r.firstTokenAt[i] as number;
    const c = r.completedAt[i] as number;
    ttft.push((f - a) * 1e3);
    e2e.push((c - a) * 1e3);
    const out = r.outputTokens[i] as number;
    if (out > 1) tpot.push(((c - f) / (out - 1)) * 1e3);
  }
  const first = Math.min(n, 60);
  const t0 = n ? (r.arrivedAt[0] as number) : 0;
  const timeline = Array.from({ length: first }, (_, i) => ({
    id: i,
    arrivedS: (r.arrivedAt[i] as number) - t0,
    firstTokenS: (r.firstTokenAt[i] as number) - t0,
    completedS: (r.completedAt[i] as number) - t0,
  })).filter((x) => Number.isFinite(x.completedS));
  return {
    ok: true,
    kind: "serve",
    result,
    sample: { ttftMs: quantileSample(ttft), tpotMs: quantileSample(tpot), e2eMs: quantileSample(e2e), timeline },
  };
}

/** Compare runs one chip at a time so progress can be reported per row. */
function compareJob(raw: Record<string, unknown>, onProgress: Progress): JobOutcome {
  const p = CompareScenario.safeParse({ today: today(), ...raw });
  if (!p.success) return { ok: false, problems: problemsFromZod(p.error) };
  const m = findModel(p.data.model, "model");
  if (!m.ok) return m;
  const ids = p.data.hardware
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const chips = [];
  for (const [i, id] of ids.entries()) {
    const h = findAccelerator(id, `hardware[${i}]`);
    if (!h.ok) return { ok: false, problems: h.problems.map((x) => ({ ...x, path: "hardware" })) };
    chips.push(h.value);
  }
  const rows: CompareResult["rows"][number][] = [];
  let result: CompareResult | undefined;
  for (const [i, chip] of chips.entries()) {
    onProgress(i / chips.length, chip.id);
    const r = compareHardware(p.data, m.value, [chip]);
    rows.push(...r.rows);
    result = { ...r, rows };
  }
  onProgress(1);
  return result
    ? { ok: true, kind: "compare", result }
    : { ok: false, problems: [{ path: "hardware", message: "give at least one hardware id" }] };
}
