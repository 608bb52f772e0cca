// The launcher's freshness gate (bin/flopcast.js): may the bundle in dist/ answer, or has a source changed since?
import { fileURLToPath } from "node:url";

/**
 * True when dist/ holds a bundle and none of the workspace sources it was built from (dist/inputs.json, written by
 * scripts/build.ts) changed since. The ~400 stat calls run on a worker thread, on the second core, while the main
 * thread loads the bundle: issued from the main thread they cost it 10–30 ms, a sixth of a `train` call.
 */
export async function bundleFresh(dist) {
  const { Worker } = await import("node:worker_threads");
  return new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker(
        `const { readFileSync, statSync } = require("node:fs");
        const { parentPort, workerData: dir } = require("node:worker_threads");
        let fresh = false;
        try {
          const { builtAtMs, sources } = JSON.parse(readFileSync(dir + "inputs.json", "utf8"));
          fresh = sources.every((s) => (statSync(dir + s, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= builtAtMs);
        } catch {}
        parentPort.postMessage(fresh);`,
        { eval: true, workerData: fileURLToPath(dist) },
      );
    } catch {
      resolve(false);
      return;
    }
    // Referenced until it answers (a pending verdict keeps the process alive), then it ends by itself.
    worker.once("message", (fresh) => resolve(fresh === true));
    worker.once("error", () => resolve(false));
  });
}
