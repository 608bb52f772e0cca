#!/usr/bin/env node
// Launcher: runs the TypeScript CLI on Node >= 24 (native type stripping). If the Node that started us is
// older (a fresh machine's system Node), re-run on the pinned runtime from the "node" devDependency.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const main = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "main.ts");
const major = Number(process.versions.node.split(".")[0]);
if (major >= 24) {
  await import(main);
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
  const r = spawnSync(pinned, [main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
