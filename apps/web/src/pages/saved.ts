/** Saved scenarios, when the app is served by `flopcast ui` (the API is there); hidden in the static build. */
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { toHash } from "../state/url.ts";

interface Saved {
  readonly id: string;
  readonly name: string;
  readonly command: string;
  readonly scenario: Record<string, string>;
}

export function SavedScenarios(props: { command: string; title: string; values: Record<string, string> }) {
  const [api, setApi] = useState(false);
  const [saved, setSaved] = useState<readonly Saved[]>([]);
  const [name, setName] = useState("");
  const load = () =>
    fetch("/v1/scenarios")
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((list: Saved[]) => {
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
      body: JSON.stringify({ name: name || props.title, command: props.command, scenario: props.values }),
    }).then(load);
  return html`<div class="saved">
    <h3 class="panel-subtitle">Saved scenarios</h3>
    <div class="saved-row">
      <input aria-label="scenario name" placeholder="name this scenario" value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
      <button type="button" class="btn" onClick=${save}>Save</button>
    </div>
    <ul data-testid="saved-list">
      ${saved.map((s) => html`<li><a href=${toHash({ page: s.command, params: s.scenario })}>${s.name}</a> <span class="muted">${s.command}</span></li>`)}
    </ul>
  </div>`;
}
