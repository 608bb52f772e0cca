/**
 * Builds the CLI into dist/: one bundled ES module per entry (the command line and the sweep worker), with each
 * command in its own lazily imported chunk. Node then parses a few plain-JS files instead of type-stripping
 * ~300 TypeScript modules on every call. The catalog is validated here, once, and written to `dist/catalog/<section>.json`
 * (src/bundled-catalog.ts reads it); the raw catalog files stay out of the bundle. `dist/inputs.json` lists the
 * workspace sources the bundle was built from, catalog files included: bin/flopcast.js runs the sources instead
 * when one of them is newer than the bundle (never a stale answer).
 * Run by `npm run build` (the root `prepare`, so a clean `npm install` builds it) and by the test set-up.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prevalidatedCatalog } from "@flopcast/catalog";
import { build, type Plugin } from "esbuild";

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(cliDir, "dist");
const catalogDir = resolve(cliDir, "../../packages/catalog");
/** The catalog modules that read the raw files: raw.ts (every estimate) and raw-ledger.ts (validate, trends). */
const rawCatalog = ["raw.ts", "raw-ledger.ts"].map((f) => join(catalogDir, "src", f));

/**
 * Replaces packages/catalog/src/raw.ts and raw-ledger.ts (the raw catalog files, ~650 kB, and the ~30 zod schemas that validate them)
 * in the bundle with functions that throw when called: in the bundle each loader takes the pre-validated section,
 * and a loader that did not would fail loudly in the CLI tests instead of silently shipping the raw files again.
 */
const withoutRawCatalog: Plugin = {
  name: "without-raw-catalog",
  setup(b) {
    b.onLoad({ filter: /[\\/]catalog[\\/]src[\\/]raw(-ledger)?\.ts$/ }, (args) => {
      if (!rawCatalog.includes(resolve(args.path))) return undefined;
      const names = [...readFileSync(args.path, "utf8").matchAll(/^export (?:const|function) (\w+)/gm)].map(
        (m) => m[1],
      );
      const gone = (n: string | undefined) =>
        `export function ${n}() { throw new Error("raw catalog data (${n}) read in the CLI bundle: read it through prevalidated() (packages/catalog/src/prevalidated.ts)"); }`;
      return { contents: names.map(gone).join("\n"), loader: "js" };
    });
  },
};

/**
 * zod's `z.locales` holds ~50 translations of its error messages (~300 kB, most of it non-Latin script, which also
 * makes V8 decode the whole chunk as UTF-16). flopcast never switches locale (problems are worded by
 * contract/problems.ts), so the bundle keeps English, the one zod configures by default.
 */
const englishZodOnly: Plugin = {
  name: "english-zod-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Node built-ins reach the bundle through `require` instead of ES module imports. An `import … from "node:fs"` makes
 * Node build the module's ES facade, which reads every export, lazy getters included: `fs.promises` alone loads the
 * streams, readline and REPL-history modules (~60 internal modules, ~10 ms of every call on this machine).
 * `require("node:fs")` returns the module object as it is. commander's own `require("node:child_process")` (only
 * for stand-alone executable subcommands, which flopcast has none of; it pulls in streams and net, ~4 ms) gets a
 * stand-in that requires the real module on first use.
 */
const builtinsByRequire: Plugin = {
  name: "builtins-by-require",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (args.path === "node:child_process" && /[\\/]commander[\\/]/.test(args.importer))
        return { path: `lazy:${args.path}`, namespace: "node-builtin" };
      return args.kind === "require-call" ? undefined : { path: args.path, namespace: "node-builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => {
      const lazy = args.path.startsWith("lazy:");
      const id = JSON.stringify(lazy ? args.path.slice("lazy:".length) : args.path);
      return {
        contents: lazy
          ? `let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require(${id}))[key] });`
          : `module.exports = require(${id});`,
        loader: "js",
      };
    });
  },
};

/** Every file under packages/catalog/data (what dist/catalog/ was made from), relative to dist/. */
function catalogDataFiles(): string[] {
  const data = join(catalogDir, "data");
  return readdirSync(data, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(outdir, join(e.parentPath, e.name)));
}

/** The pre-validated catalog, one file per section (src/bundled-catalog.ts reads only those a call uses). */
function writeCatalogSections(): void {
  mkdirSync(join(outdir, "catalog"));
  for (const [name, value] of Object.entries(prevalidatedCatalog()))
    writeFileSync(join(outdir, "catalog", `${name}.json`), JSON.stringify(value));
}

export async function buildCli(): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  // A source saved while this runs must count as newer than the bundle: the time before anything is read.
  const builtAtMs = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: cliDir,
    entryPoints: {
      flopcast: "src/bundle-main.ts",
      "sweep-worker": "src/bundle-sweep-worker.ts",
      "serving-worker": "src/bundle-serving-worker.ts",
    },
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
    plugins: [withoutRawCatalog, englishZodOnly, builtinsByRequire],
    metafile: true,
    logLevel: "warning",
  });
  writeCatalogSections();
  const sources = Object.keys(result.metafile.inputs)
    // Files only: not dependencies, nor modules a plugin made up (`node-builtin:node:fs`).
    .filter((f) => !f.includes("node_modules/") && !/^[\w-]+:/.test(f))
    .map((f) => relative(outdir, resolve(cliDir, f)))
    .concat(catalogDataFiles());
  // A listed source that does not exist would make every call find the bundle stale and run the sources instead.
  const missing = sources.filter((f) => !existsSync(join(outdir, f)));
  if (missing.length) throw new Error(`bundle inputs that are not files: ${missing.join(", ")}`);
  writeFileSync(join(outdir, "inputs.json"), `${JSON.stringify({ builtAtMs, sources: [...new Set(sources)] })}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { ms: performance.now() - t0, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ms, bytes } = await buildCli();
  console.log(`flopcast CLI bundle: ${(bytes / 1e6).toFixed(2)} MB in ${outdir} (${ms.toFixed(0)} ms)`);
}
