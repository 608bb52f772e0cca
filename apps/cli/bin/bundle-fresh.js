// The launcher's freshness gate (bin/flopcast.js): may the bundle in dist/ answer, or has a source changed since?
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// By require, not an ES import: see bin/flopcast.js.
const { readFileSync, stat } = createRequire(import.meta.url)("node:fs");

/**
 * True when dist/ holds a bundle and none of the workspace sources it was built from (dist/inputs.json, written by
 * scripts/build.ts) changed since. The ~400 stat calls run on libuv's thread pool while the main thread loads the
 * bundle. (Measured by main-thread CPU time on this 2-core machine: the same calls made synchronously cost about as
 * much and cannot overlap the loading; a worker thread that makes them costs the main thread more, plus ~100 ms of
 * CPU to start one.)
 */
export function bundleFresh(dist) {
  return new Promise((resolve) => {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(new URL("inputs.json", dist), "utf8"));
    } catch {
      resolve(false);
      return;
    }
    const { builtAtMs, sources } = manifest;
    const dir = fileURLToPath(dist);
    let left = sources.length;
    if (left === 0) resolve(true);
    for (const s of sources)
      stat(dir + s, (err, st) => {
        if (err || st.mtimeMs > builtAtMs) resolve(false);
        else if (--left === 0) resolve(true);
      });
  });
}
