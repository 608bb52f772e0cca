#!/usr/bin/env node
// Launcher. On Node >= 24 it runs the bundled CLI (dist/, built by `npm run build` at `prepare`) with Node's
// compile cache on, so repeated calls skip parsing; when the bundle is missing or older than one of its sources it
// runs the TypeScript sources instead (native type stripping), so an edit never runs a stale bundle. On an older
// Node (a fresh machine's system Node) it re-runs itself on the pinned runtime from the "node" devDependency.
import { readFileSync, statSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const cliDir = join(dirname(self), "..");
const dist = join(cliDir, "dist");

/** The bundle's entry when it exists and no source it was built from changed since; else null. */
function freshBundle() {
  try {
    const { builtAtMs, sources } = JSON.parse(readFileSync(join(dist, "inputs.json"), "utf8"));
    for (const s of sources) if (statSync(join(dist, s)).mtimeMs > builtAtMs) return null;
    return join(dist, "flopcast.js");
  } catch {
    return null;
  }
}

const major = Number(process.versions.node.split(".")[0]);
if (major >= 24) {
  if (process.env.FLOPCAST_FROM_SOURCE !== "1") module.enableCompileCache?.();
  const entry = (process.env.FLOPCAST_FROM_SOURCE !== "1" && freshBundle()) || join(cliDir, "src", "main.ts");
  await import(entry);
} else {
  let pinned;
  try {
    pinned = join(dirname(createRequire(import.meta.url).resolve("node/package.json")), "bin", "node");
  } catch {
    console.error(
      `flopcast needs Node >= 24 (found ${process.version}); run \`npm install\` to get the pinned runtime`,
    );
    process.exit(1);
  }
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(pinned, [self, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
