/**
 * Fuzz suite over every API route (issue #17): generated methods, paths, content types, bodies with hostile
 * values in any field, deep nesting and malformed JSON. No 500, every error a problems document, no case over
 * 5 s. Fixed seed; `npm run fuzz` runs the full count (FLOPCAST_FUZZ_RUNS).
 */
import { openStore } from "@flopcast/store";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../src/app.ts";
import { EstimatorPool } from "../src/pool.ts";
import { deepJson, FUZZ_SEED, fuzzRuns, hostileValue } from "./hostile.ts";

let n = 0;
const logged: string[] = [];
// The wall-clock limit keeps every case under 5 s even when a generated body asks for the largest allowed work.
const pool = new EstimatorPool({ timeLimitMs: 3000, size: 1 });
const app = createApp({
  store: openStore(":memory:"),
  pool,
  today: () => "2026-11-23",
  newId: () => `s${++n}`,
  log: (m) => logged.push(m),
});
beforeAll(() => pool.warm());
afterAll(() => pool.close());

const BASES: Record<string, Record<string, unknown>> = {
  "/v1/train": { model: "gpt3-175b", tokens: "300e9", hardware: "h100-sxm", chips: 1024 },
  "/v1/infer": { model: "llama-3.1-8b", hardware: "h100-sxm", batch: 8 },
  "/v1/serve": { model: "llama-3.1-8b", hardware: "h100-sxm", rate: 5, requests: 20 },
  "/v1/fleet": {
    model: "llama-3.1-8b",
    hardware: "h100-sxm",
    requestsPerDay: 1e5,
    sloTtftMs: 2000,
    sloTpotMs: 100,
    simRequests: 40,
  },
  "/v1/compare": { model: "llama-3.1-8b", hardware: "h100-sxm,mi300x", tokens: 1e9, chips: 8 },
  "/v1/scenarios": { name: "x", command: "infer", scenario: { model: "llama-3.1-8b" } },
};
const FIELDS = [
  "model",
  "hardware",
  "tokens",
  "chips",
  "tp",
  "pp",
  "dp",
  "batch",
  "requests",
  "rate",
  "duration",
  "replicas",
  "specK",
  "specAcceptance",
  "specMtp",
  "loraAdapters",
  "prefixGroups",
  "prefixTokens",
  "inputTokens",
  "outputTokens",
  "maxBatchedTokens",
  "maxSeqs",
  "inputDist",
  "outputDist",
  "simRequests",
  "requestsPerDay",
  "sloTtftMs",
  "sloTpotMs",
  "precision",
  "seed",
  "scenario",
  "name",
  "command",
  "__proto__",
  "constructor",
];
const GET_PATHS = [
  "/healthz",
  "/openapi.json",
  "/v1/hardware",
  "/v1/hardware/h100-sxm",
  "/v1/models",
  "/v1/models/llama-3.1-8b",
  "/v1/scenarios",
  "/v1/scenarios/s1",
  "/v1/claims",
  "/v1/validate",
];

const bodyArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...Object.keys(BASES)),
        fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 3 }),
      )
      .map(([path, fields]) => ({ path, text: JSON.stringify({ ...BASES[path], ...fields }) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...Object.keys(BASES)),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom("object", "array"),
      )
      .map(([path, depth, kind]) => ({
        path,
        text: `{"name":"d","command":"train","model":${deepJson(depth, kind as "object" | "array")},"scenario":${deepJson(depth, kind as "object" | "array")}}`,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...Object.keys(BASES)), fc.string({ maxLength: 40 }))
      .map(([path, text]) => ({ path, text })),
  },
);

const caseArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(bodyArb, fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", ""))
      .map(([b, type]) => ({
        method: "POST",
        path: b.path,
        type,
        body: b.text as string | undefined,
        origin: undefined as string | undefined,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"),
        fc.oneof(
          fc.constantFrom(...GET_PATHS, ...Object.keys(BASES)),
          fc.string({ maxLength: 20 }).map((s) => `/v1/${encodeURIComponent(s)}`),
        ),
        fc.constantFrom(undefined, "https://evil.example", "null", "http://localhost"),
      )
      .map(([method, path, origin]) => ({
        method,
        path,
        type: "application/json",
        body: method === "GET" || method === "HEAD" ? undefined : "{}",
        origin,
      })),
  },
);

const ALLOWED = new Set([200, 201, 204, 400, 403, 404, 405, 413, 415, 503]);

describe("API fuzz (fixed seed)", () => {
  test(`every route: no 500, problems on errors, < 5 s per case`, async () => {
    const runs = fuzzRuns(150, 0.5);
    let count = 0;
    let slowest = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const headers: Record<string, string> = {};
        if (c.type) headers["content-type"] = c.type;
        if (c.origin) headers.origin = c.origin;
        const t0 = performance.now();
        const r = await app.request(c.path, { method: c.method, headers, body: c.body });
        const text = await r.text();
        const ms = performance.now() - t0;
        count++;
        slowest = Math.max(slowest, ms);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(
          ALLOWED.has(r.status),
          `${r.status} for ${c.method} ${c.path} ${c.body?.slice(0, 200)}: ${text.slice(0, 200)}`,
        ).toBe(true);
        if (r.status >= 400 && c.method !== "HEAD") expect(JSON.parse(text)).toHaveProperty("problems");
        expect(text).not.toMatch(/\n\s+at |Invalid array length|allocation failed/);
        expect(ms, `${c.method} ${c.path} ${c.body?.slice(0, 200)}`).toBeLessThan(5000);
      }),
      { numRuns: runs, seed: FUZZ_SEED, endOnFailure: true },
    );
    console.log(
      `API fuzz: ${count} cases, slowest ${slowest.toFixed(0)} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(logged).toEqual([]);
  }, 3_600_000);
});
