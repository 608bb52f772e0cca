import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
// @ts-expect-error plain-JS launcher module, no types
import { bundleFresh } from "../bin/bundle-fresh.js";

// The launcher's gate: a bundle answers only when no source it was built from changed since (never a stale answer).
const BUILT_AT_MS = Date.UTC(2026, 10, 29, 12);
let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A dist/ beside a src/ with two sources last modified `ages` ms before (negative: after) the build. */
function fixture(ages: [number, number], listed = ["../src/a.ts", "../src/b.json"]): URL {
  root = mkdtempSync(join(tmpdir(), "flopcast-fresh-"));
  mkdirSync(join(root, "dist"));
  mkdirSync(join(root, "src"));
  ["a.ts", "b.json"].forEach((name, i) => {
    const file = join(root, "src", name);
    writeFileSync(file, "x");
    const t = new Date(BUILT_AT_MS - (ages[i] ?? 0));
    utimesSync(file, t, t);
  });
  writeFileSync(join(root, "dist", "inputs.json"), JSON.stringify({ builtAtMs: BUILT_AT_MS, sources: listed }));
  return pathToFileURL(`${join(root, "dist")}/`);
}

describe("bundle freshness gate", () => {
  test("fresh when every source is older than the build", async () => {
    expect(await bundleFresh(fixture([60_000, 1_000]))).toBe(true);
  });
  test("stale when one source was saved after the build", async () => {
    expect(await bundleFresh(fixture([60_000, -1_000]))).toBe(false);
  });
  test("stale when a listed source is gone", async () => {
    expect(await bundleFresh(fixture([60_000, 1_000], ["../src/a.ts", "../src/deleted.ts"]))).toBe(false);
  });
  test("stale when there is no manifest (no bundle built)", async () => {
    const dist = fixture([60_000, 1_000]);
    rmSync(new URL("inputs.json", dist));
    expect(await bundleFresh(dist)).toBe(false);
  });
});
