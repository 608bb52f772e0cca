/**
 * The Interactivity page (serving throughput per GPU against tokens/s per user, per hardware). Its view loads as a
 * separate chunk on first visit (interactivity-view.ts), so the entry bundle stays within its budget.
 */
import { lazyView, staticPage } from "./page.ts";

export const interactivityPage = staticPage(
  "interactivity",
  "Interactivity",
  "Serving throughput per GPU against tokens/s per user: measured load sweeps and the simulated curves, per hardware.",
  lazyView(() => import("./interactivity-view.ts").then((m) => m.InteractivityView), "Loading the serving ledger"),
);
