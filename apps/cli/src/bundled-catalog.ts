/**
 * The bundle's catalog: dist/catalog.jsonl, validated at build time (apps/cli/scripts/build.ts), one JSON section
 * per line after a first line that names them. A call parses only the sections it reads (`train` never parses the
 * inference calibration or the claims). Imported first by the bundle's entries (bundle-main.ts, bundle-sweep-worker.ts),
 * never from the sources, which validate the raw catalog files as before.
 */
import { readFileSync } from "node:fs";
import { type PrevalidatedCatalog, type PrevalidatedSection, usePrevalidatedCatalog } from "@flopcast/catalog";

let lines: string[] | undefined;
const parsed = new Map<PrevalidatedSection, unknown>();

function section<K extends PrevalidatedSection>(name: K): PrevalidatedCatalog[K] {
  if (!parsed.has(name)) {
    lines ??= readFileSync(new URL("./catalog.jsonl", import.meta.url), "utf8").split("\n");
    const i = (JSON.parse(lines[0] ?? "[]") as string[]).indexOf(name);
    const line = i < 0 ? undefined : lines[i + 1];
    if (line === undefined) throw new Error(`dist/catalog.jsonl has no section "${name}": rebuild with npm run build`);
    parsed.set(name, JSON.parse(line));
  }
  return parsed.get(name) as PrevalidatedCatalog[K];
}

usePrevalidatedCatalog(section);
