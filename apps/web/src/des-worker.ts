/// <reference lib="webworker" />
/** Runs a serving simulation off the main thread and reports progress (the Serve page). */

import { findAccelerator, findModel } from "@flopcast/catalog";
import { runServe, ServeScenario, setupServe } from "@flopcast/contract";

self.onmessage = (e: MessageEvent<Record<string, unknown>>) => {
  const p = ServeScenario.safeParse(e.data);
  if (!p.success) {
    self.postMessage({
      kind: "problems",
      problems: p.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
    return;
  }
  const m = findModel(p.data.model);
  const h = findAccelerator(p.data.hardware);
  if (!m.ok || !h.ok) {
    self.postMessage({ kind: "problems", problems: [...(m.ok ? [] : m.problems), ...(h.ok ? [] : h.problems)] });
    return;
  }
  const setup = setupServe(p.data, m.value, h.value, {});
  if (!setup.ok) {
    self.postMessage({ kind: "problems", problems: setup.problems });
    return;
  }
  const { result } = runServe(p.data, setup.setup, (f) => self.postMessage({ kind: "progress", fraction: f }));
  self.postMessage({ kind: "result", result });
};
