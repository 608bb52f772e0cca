/**
 * Where the compute worker (compute-worker.ts) is served from. The dev server serves this source file as it is; a
 * build replaces this module (vite.config.ts, `sharedChunkWorker`) with the URL of the worker's chunk in the
 * page's own build, so the worker shares the catalog and estimator chunks with the page instead of carrying a copy.
 */
export const computeWorkerUrl: URL = new URL(/* @vite-ignore */ "./compute-worker.ts", import.meta.url);
