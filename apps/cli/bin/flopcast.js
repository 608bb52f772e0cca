#!/usr/bin/env node
// Launcher. `--version` is answered here, before anything is imported (the floor is Node's own start-up).
// On Node >= 24 everything else runs the bundled CLI (dist/, built by `npm run build` at `prepare`) with Node's
// compile cache on. A bundle older than one of its sources must never answer: the sources' modification times are
// checked on libuv's thread pool while the bundle loads, and main.ts waits for the verdict (the "bundle fresh" gate)
// before it parses the command line; a stale or missing bundle hands over to the TypeScript sources (native type
// stripping). On an older Node (a fresh machine's system Node) it re-runs itself on the pinned runtime from the
// "node" devDependency.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// Built-ins by require: an ES import of node:fs makes Node read every export, and `fs.promises` loads ~60 modules.
const { readFileSync } = createRequire(import.meta.url)("node:fs");

const args = process.argv.slice(2);
const cliUrl = new URL("../", import.meta.url);

if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL("package.json", cliUrl), "utf8")).version}\n`);
} else if (Number(process.versions.node.split(".")[0]) >= 24) {
  const sources = new URL("src/main.ts", cliUrl);
  if (process.env.FLOPCAST_FROM_SOURCE === "1") await import(sources.href);
  else {
    (await import("node:module")).default.enableCompileCache?.();
    const { bundleFresh } = await import("./bundle-fresh.js");
    const fresh = bundleFresh(new URL("dist/", cliUrl));
    // Read by main.ts (the same key there): it parses nothing until this resolves to true.
    globalThis[Symbol.for("flopcast.bundleFresh")] = fresh;
    let failure;
    try {
      await import(new URL("dist/flopcast.js", cliUrl).href);
    } catch (e) {
      failure = e;
    }
    if (!(await fresh)) {
      delete globalThis[Symbol.for("flopcast.bundleFresh")];
      await import(sources.href);
    } else if (failure) throw failure;
  }
} else {
  const { dirname, join } = await import("node:path");
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
  const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...args], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
