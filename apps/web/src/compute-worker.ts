/// <reference lib="webworker" />
/** Runs the long computations (jobs.ts) off the main thread and posts progress, then the outcome. */
import { type JobKind, runJob } from "./jobs.ts";

self.onmessage = (e: MessageEvent<{ kind: JobKind; raw: Record<string, unknown> }>) => {
  const outcome = runJob(e.data.kind, e.data.raw, (fraction, label) =>
    self.postMessage({ type: "progress", fraction, label }),
  );
  self.postMessage({ type: "done", outcome });
};
