/**
 * The Interactivity page (serving throughput per GPU against tokens/s per user, per hardware). Its view loads as a
 * separate chunk on first visit (interactivity-view.ts), so the entry bundle stays within its budget.
 */
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { Loading } from "../components.ts";
import { staticPage } from "./page.ts";

function LazyInteractivity() {
  const [View, setView] = useState<(() => unknown) | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void import("./interactivity-view.ts").then((m) => alive && setView(() => m.InteractivityView));
    return () => {
      alive = false;
    };
  }, []);
  return View ? html`<${View} />` : html`<${Loading} label="Loading the serving ledger" />`;
}

export const interactivityPage = staticPage(
  "interactivity",
  "Interactivity",
  "Serving throughput per GPU against tokens/s per user: measured load sweeps and the simulated curves, per hardware.",
  LazyInteractivity,
);
