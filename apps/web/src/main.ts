/**
 * The web app: estimates run in the browser (contract + core + catalog imported directly), the serving DES in a
 * Web Worker with progress. Scenario state lives in the URL hash. When served by `flopcast ui`, scenarios can be
 * saved through the API; the static build works without it.
 */
import { runScenario } from "@flopcast/contract";
import type { Problem } from "@flopcast/core";
import { html, render } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { Problems, ScenarioForm } from "./components.ts";
import { type FormPage, PAGES, runCompare } from "./pages.ts";
import { parseHash, type Route, toHash } from "./state/url.ts";

type Outcome = { ok: true; result: Record<string, unknown> } | { ok: false; problems: readonly Problem[] };

function compute(page: FormPage, values: Record<string, string>): Outcome {
  const raw = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
  const r = page.command === "compare" ? runCompare(raw) : runScenario(page.command, raw);
  return r.ok ? { ok: true, result: r.result as Record<string, unknown> } : { ok: false, problems: r.problems };
}

function SavedScenarios(props: { page: FormPage; values: Record<string, string> }) {
  const [api, setApi] = useState(false);
  const [saved, setSaved] = useState<{ id: string; name: string; command: string; scenario: Record<string, string> }[]>(
    [],
  );
  const [name, setName] = useState("");
  const load = () =>
    fetch("/v1/scenarios")
      .then((r) => (r.ok ? r.json() : Promise.reject()))
      .then((list) => {
        setApi(true);
        setSaved(list);
      })
      .catch(() => setApi(false));
  useEffect(() => {
    void load();
  }, []);
  if (!api) return null;
  const save = () =>
    fetch("/v1/scenarios", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: name || props.page.title, command: props.page.command, scenario: props.values }),
    }).then(load);
  return html`<div class="saved">
    <input placeholder="scenario name" value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
    <button onClick=${save}>Save scenario</button>
    <ul data-testid="saved-list">
      ${saved.map((s) => html`<li><a href=${toHash({ page: s.command, params: s.scenario })}>${s.name}</a> (${s.command})</li>`)}
    </ul>
  </div>`;
}

function FormView(props: { page: FormPage; route: Route; navigate: (r: Route) => void }) {
  const { page } = props;
  const values = Object.keys(props.route.params).length ? props.route.params : page.defaults;
  const [serve, setServe] = useState<{ progress: number; outcome?: Outcome }>({ progress: 0 });
  const key = JSON.stringify(values);
  // The DES runs in a Web Worker (progress shown); everything else recomputes instantly on every change.
  useEffect(() => {
    if (page.command !== "serve") return;
    setServe({ progress: 0 });
    const w = new Worker(new URL("./des-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent) => {
      const m = e.data as { kind: string; fraction?: number; result?: Record<string, unknown>; problems?: Problem[] };
      if (m.kind === "progress") setServe((s) => ({ ...s, progress: m.fraction ?? 0 }));
      else {
        setServe({
          progress: 1,
          outcome:
            m.kind === "result" ? { ok: true, result: m.result ?? {} } : { ok: false, problems: m.problems ?? [] },
        });
        w.terminate();
      }
    };
    w.postMessage(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "")));
    return () => w.terminate();
  }, [key, page.command]);
  const outcome = page.command === "serve" ? serve.outcome : compute(page, values);
  const problems = outcome && !outcome.ok ? outcome.problems : [];
  return html`
    <${ScenarioForm} fields=${page.fields} values=${values} problems=${problems} onChange=${(k: string, v: string) => props.navigate({ page: page.id, params: { ...values, [k]: v } })} />
    <${Problems} problems=${problems} fields=${page.fields} />
    ${page.command === "serve" && !serve.outcome ? html`<div class="result">simulating… <progress value=${serve.progress} max="1"></progress></div>` : null}
    ${outcome?.ok ? html`<div class="result" data-testid="result">${page.view(outcome.result)}</div>` : null}
    <${SavedScenarios} page=${page} values=${values} />
  `;
}

function App() {
  const [route, setRoute] = useState<Route>(parseHash(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const navigate = (r: Route) => {
    history.replaceState(null, "", toHash(r));
    setRoute(r);
  };
  const page = PAGES.find((p) => p.id === route.page) ?? PAGES[0];
  return html`
    <header>
      <h1>flopcast</h1>
      ${PAGES.map((p) => html`<a href=${`#/${p.id}`} class=${p.id === page?.id ? "active" : ""}>${p.title}</a>`)}
    </header>
    <main>${page?.kind === "form" ? html`<${FormView} key=${page.id} page=${page} route=${route} navigate=${navigate} />` : page?.view()}</main>
  `;
}

performance.mark("flopcast-start");
render(html`<${App} />`, document.getElementById("app") as HTMLElement);
performance.mark("flopcast-rendered");
