/**
 * Fuzz suite over every CLI command (issue #17): each case is a command's valid base flags with up to three
 * flags replaced by hostile values (huge suffixed numbers, NaN strings, wrong types), unknown flags, or a
 * --scenario / grid file with hostile or deeply nested content. No exit 1, no stack trace, no case over 5 s.
 * `ui` is covered by its flag checks in cli-errors.test.ts (a valid case would start a server).
 * Fixed seed; `npm run fuzz` runs the full count (FLOPCAST_FUZZ_RUNS).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deepJson, FUZZ_SEED, fuzzRuns, hostileValue } from "../../api/test/hostile.ts";
import { inProcessCli } from "./in-process.ts";

const dir = mkdtempSync(join(tmpdir(), "flopcast-fuzz-"));
const cli = inProcessCli(dir);
const runCli = cli.run;
// The first case loads every module: not part of any case's time.
beforeAll(() => runCli(["hardware", "list"]), 120_000);
afterAll(() => cli.close());

const grid = join(dir, "grid.yaml");
writeFileSync(grid, "command: infer\nbase: { model: llama-3.1-8b, chips: 1 }\ngrid: { batch: [1, 2] }\n");
const db = join(dir, "r.sqlite");

/** Base arguments per command: valid and cheap, so a case is slow only if a hostile value makes it so. */
const BASES: Record<string, string[]> = {
  "hardware list": [],
  "hardware show": ["h100-sxm"],
  "model list": [],
  "model show": ["llama-3.1-8b"],
  train: ["--model", "gpt3-175b", "--tokens", "300e9", "--hardware", "h100-sxm", "--chips", "1024"],
  infer: ["--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--batch", "8"],
  serve: ["--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--rate", "5", "--requests", "20"],
  fleet: [
    "--model",
    "llama-3.1-8b",
    "--hardware",
    "h100-sxm",
    "--requests-per-day",
    "1e5",
    "--slo-ttft-ms",
    "2000",
    "--slo-tpot-ms",
    "100",
    "--sim-requests",
    "40",
  ],
  claims: [],
  compare: ["--model", "llama-3.1-8b", "--hardware", "h100-sxm,mi300x", "--tokens", "1e9", "--chips", "8"],
  search: [
    "--goal",
    "serve",
    "--model",
    "llama-3.1-8b",
    "--hardware",
    "h100-sxm",
    "--slo-tpot-ms",
    "100",
    "--requests-per-day",
    "1e5",
  ],
  sweep: [grid, "--out", join(dir, "o.jsonl"), "--workers", "1"],
  "sweep merge": [join(dir, "o.jsonl"), "--out", join(dir, "m.jsonl")],
  "results query": ["--db", db],
  validate: ["--estimator", "training"],
};
const FLAGS = [
  "--model",
  "--hardware",
  "--tokens",
  "--chips",
  "--tp",
  "--pp",
  "--batch",
  "--requests",
  "--rate",
  "--duration",
  "--replicas",
  "--spec-k",
  "--spec-acceptance",
  "--lora-adapters",
  "--prefix-groups",
  "--input-tokens",
  "--output-tokens",
  "--max-batched-tokens",
  "--input-dist",
  "--sim-requests",
  "--requests-per-day",
  "--max-chips",
  "--precision",
  "--seed",
  "--limit",
  "--workers",
  "--shard",
  "--where",
  "--order-by",
  "--out",
  "--chrome-trace",
  "--db",
  "--trace",
  "--bogus-flag",
];

let fileNo = 0;
/** A hostile file: deep JSON, hostile numbers in YAML, an alias bomb, or garbage. */
const fileArb = fc
  .oneof(
    fc.integer({ min: 1, max: 3000 }).map((d) => `{"model":${deepJson(d)}}`),
    fc
      .dictionary(
        fc.constantFrom("model", "hardware", "requests", "rate", "batch", "specK", "command", "grid", "base"),
        hostileValue,
        { maxKeys: 4 },
      )
      .map((o) => JSON.stringify(o)),
    fc.constant(
      'a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]\n',
    ),
    fc.string({ maxLength: 60 }),
  )
  .map((text) => {
    const path = join(dir, `f${++fileNo}.yaml`);
    writeFileSync(path, text);
    return path;
  });

const caseArb = fc
  .tuple(
    fc.constantFrom(...Object.keys(BASES)),
    fc.array(fc.tuple(fc.constantFrom(...FLAGS), hostileValue), { maxLength: 3 }),
    fc.option(fileArb, { freq: 4 }),
    fc.boolean(),
  )
  .map(([command, flags, file, json]) => {
    const args = [...command.split(" "), ...(BASES[command] as string[])];
    for (const [flag, value] of flags) args.push(flag, typeof value === "string" ? value : JSON.stringify(value));
    if (file) {
      if (command === "sweep") args[1] = file;
      else args.push("--scenario", file);
    }
    if (json) args.push("--json");
    return args;
  });

describe("CLI fuzz (fixed seed)", () => {
  test("every command: exit 0 or 2, no stack trace, < 5 s per case", async () => {
    const runs = fuzzRuns(60, 0.5);
    let count = 0;
    let slowest = 0;
    const exits = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (args) => {
        const r = await runCli(args);
        count++;
        slowest = Math.max(slowest, r.ms);
        exits.set(r.status, (exits.get(r.status) ?? 0) + 1);
        const shown = `flopcast ${args.join(" ").slice(0, 300)} → exit ${r.status}: ${r.stderr.slice(0, 600)}`;
        expect([0, 2], shown).toContain(r.status);
        expect(r.stderr, shown).not.toMatch(/\n\s+at |uncaught/);
        expect(r.ms, shown).toBeLessThan(5000);
      }),
      { numRuns: runs, seed: FUZZ_SEED, endOnFailure: true },
    );
    console.log(
      `CLI fuzz: ${count} cases, slowest ${slowest.toFixed(0)} ms, exits ${JSON.stringify(Object.fromEntries(exits))}`,
    );
  }, 3_600_000);
});
