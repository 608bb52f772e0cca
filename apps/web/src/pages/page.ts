/**
 * The page frame: a scenario form (left, sticky on wide screens) and the result (right). Quick estimates recompute
 * on every change on the main thread; long ones (serving simulation, fleet, compare) run in a Web Worker with
 * progress, and a newer input cancels the running one.
 */
import type { Problem } from "@flopcast/core";
import { html } from "htm/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Empty, type Field, Loading, Problems, ScenarioForm, toRaw } from "../components.ts";
import type { JobKind, JobOutcome } from "../jobs.ts";
import type { Route } from "../state/url.ts";
import { computeWorkerUrl } from "../worker-url.ts";
import { SavedScenarios } from "./saved.ts";

export type Outcome<R> = { ok: true; result: R } | { ok: false; problems: readonly Problem[] };

export interface ViewContext {
  readonly values: Record<string, string>;
  /** Navigate to this page with these values (a fix button, a link). */
  readonly go: (values: Record<string, string>) => void;
}

export interface Page {
  readonly id: string;
  readonly title: string;
  readonly Body: (props: { route: Route; navigate: (r: Route) => void }) => unknown;
}

/** The commands the API's saved-scenario store accepts. */
const SAVABLE = new Set(["train", "infer", "serve", "fleet", "compare"]);

type Done = Extract<JobOutcome, { ok: true }>;

interface FormPageSpec<R> {
  readonly id: string;
  readonly title: string;
  readonly blurb: string;
  readonly fields: readonly Field[];
  readonly defaults: Record<string, string>;
  /** Adjusts the raw scenario before it is validated (drop the fields of the goal not chosen). */
  readonly prepare?: (raw: Record<string, unknown>) => Record<string, unknown>;
  /** Either a quick synchronous estimate, or a worker job and how to read its outcome. */
  readonly compute:
    | { readonly sync: (raw: Record<string, unknown>) => Outcome<R> }
    | { readonly job: JobKind; readonly read: (o: Done) => R | undefined; readonly label: string };
  readonly view: (r: R, ctx: ViewContext) => unknown;
}

interface JobState {
  readonly progress?: number | undefined;
  readonly detail?: string | undefined;
  readonly startedAt: number;
  readonly outcome?: JobOutcome;
}

/** Runs a job in a fresh worker whenever `key` changes; the previous worker is terminated. */
function useJob(kind: JobKind | undefined, raw: Record<string, unknown>, key: string): JobState & { now: number } {
  const [state, setState] = useState<JobState>({ startedAt: performance.now() });
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    if (!kind) return;
    setState({ startedAt: performance.now() });
    const worker = new Worker(computeWorkerUrl, { type: "module" });
    const tick = setInterval(() => setNow(performance.now()), 500);
    let last = 0;
    worker.onmessage = (e: MessageEvent) => {
      const m = e.data as
        | { type: "progress"; fraction: number; label?: string }
        | { type: "done"; outcome: JobOutcome };
      if (m.type === "progress") {
        // Throttle re-renders: at most one per percent of progress.
        if (m.fraction - last < 0.01 && m.fraction < 1 && !m.label) return;
        last = m.fraction;
        setState((s) => ({ ...s, progress: m.fraction, detail: m.label ?? s.detail }));
      } else {
        setState((s) => ({ ...s, progress: 1, outcome: m.outcome }));
        clearInterval(tick);
        worker.terminate();
      }
    };
    worker.postMessage({ kind, raw });
    return () => {
      clearInterval(tick);
      worker.terminate();
    };
  }, [kind, key]);
  return { ...state, now };
}

export function formPage<R>(spec: FormPageSpec<R>): Page {
  function Body(props: { route: Route; navigate: (r: Route) => void }) {
    const values = Object.keys(props.route.params).length ? props.route.params : spec.defaults;
    const key = JSON.stringify(values);
    const raw = useMemo(() => {
      const r = toRaw(spec.fields, values);
      return spec.prepare ? spec.prepare(r) : r;
    }, [key]);
    const sync = "sync" in spec.compute ? spec.compute.sync : undefined;
    const job = "job" in spec.compute ? spec.compute : undefined;
    const syncOutcome = useMemo(() => (sync ? sync(raw) : undefined), [key]);
    const running = useJob(job?.job, raw, key);
    let outcome: Outcome<R> | undefined = syncOutcome;
    if (job && running.outcome) {
      const o = running.outcome;
      const r = o.ok ? job.read(o) : undefined;
      outcome = o.ok
        ? r === undefined
          ? { ok: false, problems: [{ path: "", message: "unexpected result" }] }
          : { ok: true, result: r }
        : { ok: false, problems: o.problems };
    }
    const problems = outcome && !outcome.ok ? outcome.problems : [];
    const go = (v: Record<string, string>) => props.navigate({ page: spec.id, params: v });
    // On a phone the form starts folded (its summary names the scenario) so the answer is on the first screen.
    const [unfolded] = useState(() => !window.matchMedia("(max-width: 900px)").matches || problems.length > 0);
    const summary = spec.fields
      .slice(0, 4)
      .map((f) => values[f.key])
      .filter(Boolean)
      .join(" · ");
    return html`<div class="page">
      <header class="page-head"><h1>${spec.title}</h1><p class="blurb">${spec.blurb}</p></header>
      <aside class="panel form-panel" aria-label="scenario">
        <details class="form-fold" open=${unfolded}>
          <summary><span class="panel-title">Scenario</span><span class="fold-summary">${summary}</span></summary>
          <${ScenarioForm} fields=${spec.fields} values=${values} problems=${problems} onChange=${(k: string, v: string) => go({ ...values, [k]: v })} />
          ${SAVABLE.has(spec.id) ? html`<${SavedScenarios} command=${spec.id} title=${spec.title} values=${values} />` : null}
        </details>
      </aside>
      <section class="results" aria-live="polite">
        <${Problems} problems=${problems} fields=${spec.fields} />
        ${
          outcome === undefined
            ? html`<${Loading} label=${job?.label ?? "computing"} progress=${running.progress} detail=${running.detail} elapsedS=${(running.now - running.startedAt) / 1e3} />`
            : outcome.ok
              ? html`<div class="result" data-testid="result">${spec.view(outcome.result, { values, go })}</div>`
              : html`<${Empty} title="No estimate yet">Fix the highlighted ${problems.length === 1 ? "field" : "fields"} and the estimate updates as you type.</${Empty}>`
        }
      </section>
    </div>`;
  }
  return { id: spec.id, title: spec.title, Body };
}

/** A page without a scenario form (catalog tables, ledgers). */
/**
 * A view that loads as its own chunk on first visit (a dynamic import), showing a loading state until it arrives;
 * rarely visited pages use it so the entry bundle stays within its budget (browser.test.ts "bundle size").
 */
export function lazyView(load: () => Promise<() => unknown>, label: string): () => unknown {
  return function LazyView() {
    const [View, setView] = useState<(() => unknown) | undefined>(undefined);
    useEffect(() => {
      let alive = true;
      void load().then((v) => alive && setView(() => v));
      return () => {
        alive = false;
      };
    }, []);
    return View ? html`<${View} />` : html`<${Loading} label=${label} />`;
  };
}

export function staticPage(id: string, title: string, blurb: string, View: () => unknown): Page {
  function Body() {
    return html`<div class="page page-wide">
      <header class="page-head"><h1>${title}</h1><p class="blurb">${blurb}</p></header>
      <section class="results">
        <${View} />
      </section>
    </div>`;
  }
  return { id, title, Body };
}
