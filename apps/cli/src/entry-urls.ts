/**
 * Entry files that a running CLI starts by path (worker threads). From the sources this module sits in src/ next
 * to the .ts entries; in the bundle (dist/, apps/cli/scripts/build.ts) it sits next to the bundled .js entries.
 */
const fromBundle = !import.meta.url.endsWith(".ts");

/** The sweep worker_threads entry. */
export const sweepWorkerUrl = (): URL =>
  new URL(fromBundle ? "./sweep-worker.js" : "./sweep-worker.ts", import.meta.url);

/** The `validate --serving` worker_threads entry. */
export const servingWorkerUrl = (): URL =>
  new URL(fromBundle ? "./serving-worker.js" : "./serving-worker.ts", import.meta.url);
