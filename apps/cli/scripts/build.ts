/**
 * Builds the CLI into dist/: one bundled ES module per entry (the command line and the sweep worker), with each
 * command in its own lazily imported chunk. Node then parses a few plain-JS files instead of type-stripping
 * ~300 TypeScript modules on every call. `dist/inputs.json` lists the workspace sources the bundle was built
 * from: bin/flopcast.js runs the sources instead when one of them is newer than the bundle (never a stale answer).
 * Run by `npm run build` (the root `prepare`, so a clean `npm install` builds it) and by the test set-up.
 */
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { catalogSnapshot } from "@flopcast/catalog";
import { build } from "esbuild";

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(cliDir, "dist");

export async function buildCli(): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: cliDir,
    entryPoints: { flopcast: "src/main.ts", "sweep-worker": "src/sweep-worker.ts" },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // Whitespace and syntax only: identifiers stay, so a bug's stack trace still names functions.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    // CommonJS dependencies (commander) call require() for Node built-ins; ES module output needs one made here.
    banner: {
      js: 'import{createRequire as __flopcastRequire}from"node:module";const require=__flopcastRequire(import.meta.url);',
    },
    // The catalog, validated here once, goes in as one JSON string (packages/catalog/src/load.ts).
    define: { __FLOPCAST_CATALOG_SNAPSHOT__: JSON.stringify(JSON.stringify(catalogSnapshot())) },
    metafile: true,
    logLevel: "warning",
  });
  const sources = Object.keys(result.metafile.inputs)
    .filter((f) => !f.includes("node_modules/"))
    .map((f) => relative(outdir, resolve(cliDir, f)));
  writeFileSync(join(outdir, "inputs.json"), `${JSON.stringify({ builtAtMs: Date.now(), sources })}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { ms: performance.now() - t0, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ms, bytes } = await buildCli();
  console.log(`flopcast CLI bundle: ${(bytes / 1e6).toFixed(2)} MB in ${outdir} (${ms.toFixed(0)} ms)`);
}
