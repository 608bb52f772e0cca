/**
 * The bundle's catalog: dist/catalog/<section>.json, validated at build time (apps/cli/scripts/build.ts), one file
 * per section. A call reads and parses only the sections it uses (`train` never reads the inference calibration, the
 * claims or the validation cases). Imported first by the bundle's entries (bundle-main.ts, bundle-sweep-worker.ts),
 * never from the sources, which validate the raw catalog files as before.
 */
import { readFileSync } from "node:fs";
import { type PrevalidatedCatalog, type PrevalidatedSection, usePrevalidatedCatalog } from "@flopcast/catalog";

const parsed = new Map<PrevalidatedSection, unknown>();

function section<K extends PrevalidatedSection>(name: K): PrevalidatedCatalog[K] {
  if (!parsed.has(name)) {
    let text: string;
    try {
      text = readFileSync(new URL(`./catalog/${name}.json`, import.meta.url), "utf8");
    } catch {
      throw new Error(`dist/catalog/${name}.json is missing: rebuild with npm run build`);
    }
    parsed.set(name, JSON.parse(text));
  }
  return parsed.get(name) as PrevalidatedCatalog[K];
}

usePrevalidatedCatalog(section);
