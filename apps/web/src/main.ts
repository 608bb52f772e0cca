/**
 * The web app: estimates run in the browser (contract + core + catalog imported directly); the serving simulation,
 * fleet sizing, comparisons and searches run in a Web Worker with progress. Scenario state lives in the URL hash.
 * When served by `flopcast ui`, scenarios can be saved through the API; the static build works without it.
 */
import { html, render } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { PAGES } from "./pages/index.ts";
import { parseHash, type Route, toHash } from "./state/url.ts";

function Nav(props: { current: string }) {
  const [open, setOpen] = useState(false);
  const current = PAGES.find((p) => p.id === props.current);
  return html`<header class="topbar">
    <a class="brand" href="#/train" aria-label="flopcast home"><img src="./favicon.svg" alt="" width="22" height="22" /><span>flopcast</span></a>
    <button type="button" class="menu-button" aria-expanded=${open} aria-controls="nav" onClick=${() => setOpen(!open)}>
      <span class="menu-current">${current?.title ?? "Menu"}</span><span aria-hidden="true" class="menu-icon">${open ? "✕" : "☰"}</span>
    </button>
    <nav id="nav" class=${open ? "open" : ""} aria-label="pages">
      ${PAGES.map((p) => html`<a href=${`#/${p.id}`} class=${p.id === props.current ? "active" : ""} aria-current=${p.id === props.current ? "page" : undefined} onClick=${() => setOpen(false)}>${p.title}</a>`)}
    </nav>
  </header>`;
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
  useEffect(() => {
    document.title = `${page?.title ?? ""} · flopcast`;
  }, [page]);
  if (!page) return null;
  const { Body } = page;
  return html`
    <${Nav} current=${page.id} />
    <main id="main"><${Body} key=${page.id} route=${route} navigate=${navigate} /></main>
    <footer class="footer">flopcast estimates run in your browser; every number shows how it was derived.</footer>
  `;
}

performance.mark("flopcast-start");
const root = document.getElementById("app") as HTMLElement;
root.replaceChildren(); // the static "Loading…" placeholder
render(html`<${App} />`, root);
performance.mark("flopcast-rendered");
