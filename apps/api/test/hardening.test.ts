/**
 * Issue #17 defects, reproduced: hostile numbers in budgets, cross-site writes, content types, nesting depth,
 * problems for 404/405/500, the wall-clock limit (503), and — over loopback — the streaming 413 and a /healthz
 * that answers while a maximal /v1/serve runs.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_BUDGET } from "@flopcast/contract";
import { openStore } from "@flopcast/store";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp, MAX_JSON_DEPTH } from "../src/app.ts";
import { EstimatorPool } from "../src/pool.ts";
import { startServer } from "./start-server.ts";

let n = 0;
const logged: string[] = [];
const pool = new EstimatorPool({ timeLimitMs: 20_000, size: 1 });
const store = openStore(":memory:");
const app = createApp({ store, pool, today: () => "2026-11-23", newId: () => `s${++n}`, log: (m) => logged.push(m) });
beforeAll(() => pool.warm());
afterAll(() => pool.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
type Problems = { problems: { path: string; message: string }[] };

const serveBase = { model: "llama-3.1-8b", hardware: "h100-sxm", rate: 50 };

describe("work budgets from validated values (400 naming the field and the cap)", () => {
  test.each([
    ["requests 50M (the OOM body)", { ...serveBase, requests: "50M" }, "requests"],
    ["requests 1T", { ...serveBase, requests: "1T" }, "requests"],
    ["rate × duration", { ...serveBase, rate: 1e6, duration: 1e9 }, "duration"],
    ["loraAdapters 5B", { ...serveBase, requests: 10, loraAdapters: "5B" }, "loraAdapters"],
    ["replicas 1e6", { ...serveBase, requests: 10, replicas: 1e6, chips: 1e6, tp: 1 }, "replicas"],
    [
      "200k requests of 4096+4096 tokens at 1 token/iteration",
      { ...serveBase, requests: 200_000, maxBatchedTokens: 1, inputTokens: 4096, outputTokens: 4096 },
      "outputTokens",
    ],
    ["specK 1e9", { ...serveBase, requests: 10, specK: 1e9, specAcceptance: 1, specMtp: true }, "specK"],
  ])("serve: %s", async (_, body, field) => {
    const t0 = performance.now();
    const r = await post("/v1/serve", body);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).not.toMatch(/Invalid array length|allocation failed/);
    const p = (JSON.parse(text) as Problems).problems.find((x) => x.path === field);
    expect(p?.message).toMatch(/exceeds the cap of [\d,]+/);
  });
  test("serve: 1e308 requests is refused on the requests field", async () => {
    const r = await post("/v1/serve", { ...serveBase, requests: 1e308 });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Problems).problems[0]?.path).toBe("requests");
  });
  test("serve: a NaN string is a validation problem, not work", async () => {
    const r = await post("/v1/serve", { ...serveBase, requests: "NaN" });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Problems).problems[0]?.path).toBe("requests");
  });
  test("infer: specK 1e9 → 400 at once", async () => {
    const r = await post("/v1/infer", {
      model: "llama-3.1-8b",
      hardware: "h100-sxm",
      specK: 1e9,
      specAcceptance: 0.8,
      specMtp: true,
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Problems).problems[0]?.path).toBe("specK");
  });
  test("fleet simRequests and the compare hardware list are capped", async () => {
    const fleet = await post("/v1/fleet", {
      model: "llama-3.1-8b",
      hardware: "h100-sxm",
      requestsPerDay: 1e6,
      sloTtftMs: 500,
      sloTpotMs: 50,
      simRequests: "1B",
    });
    expect(fleet.status).toBe(400);
    expect(((await fleet.json()) as Problems).problems[0]?.message).toContain(
      API_BUDGET.fleetSimRequests.toLocaleString("en-US"),
    );
    const many = Array.from({ length: API_BUDGET.hardwareList + 1 }, () => "h100-sxm").join(",");
    const compare = await post("/v1/compare", { model: "llama-3.1-8b", hardware: many, tokens: 1e9, chips: 8 });
    expect(compare.status).toBe(400);
    expect(((await compare.json()) as Problems).problems[0]?.path).toBe("hardware");
  });
});

describe("strict API", () => {
  test("a cross-origin no-cors POST (text/plain, foreign Origin) → 403; same origin passes", async () => {
    const evil = await app.request("/v1/scenarios", {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "https://evil.example" },
      body: JSON.stringify({ name: "x", command: "train", scenario: {} }),
    });
    expect(evil.status).toBe(403);
    const del = await app.request("/v1/scenarios/s1", {
      method: "DELETE",
      headers: { origin: "https://evil.example" },
    });
    expect(del.status).toBe(403);
    const same = await post("/v1/train", { model: "gpt3-175b", tokens: "300e9" }, { origin: "http://localhost" });
    expect(same.status).toBe(200);
  });
  test("a body that is not application/json → 415", async () => {
    const r = await app.request("/v1/infer", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(r.status).toBe(415);
    expect(((await r.json()) as Problems).problems[0]?.path).toBe("content-type");
  });
  test("a scenario nested 4,391 deep → 400; a deep row already stored does not break the list", async () => {
    const deepText = `${'{"a":'.repeat(4391)}1${"}".repeat(4391)}`;
    const deep = JSON.parse(deepText) as unknown;
    const r = await post("/v1/scenarios", `{"name":"deep","command":"train","scenario":${deepText}}`);
    expect(r.status).toBe(400);
    expect(((await r.json()) as Problems).problems[0]?.message).toContain(String(MAX_JSON_DEPTH));
    store.saveScenario({ id: "old-deep", name: "deep", command: "train", scenario: deep, createdAt: "2026-01-01" });
    const list = await app.request("/v1/scenarios");
    expect(list.status).toBe(200);
    const rows = (await list.json()) as { id: string; scenario: unknown }[];
    expect(rows.find((x) => x.id === "old-deep")?.scenario).toBeNull();
    expect((await app.request("/v1/scenarios/old-deep")).status).toBe(200);
    store.deleteScenario("old-deep");
  });
  test("unknown route → 404 problems; wrong method → 405 problems with Allow", async () => {
    const nf = await app.request("/v1/nope");
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as Problems).problems.length).toBe(1);
    const wrong = await app.request("/v1/infer");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(((await wrong.json()) as Problems).problems[0]?.message).toMatch(/GET is not allowed/);
  });
  test("an internal error → 500 problems that do not echo it; the error is logged server-side", async () => {
    const broken = createApp({
      store: {
        ...store,
        listScenarios: () => {
          throw new Error("secret internals at /home/x");
        },
      },
      pool,
      today: () => "2026-11-23",
      newId: () => "x",
      log: (m) => logged.push(m),
    });
    const r = await broken.request("/v1/scenarios");
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toHaveProperty("problems");
    expect(logged.some((m) => m.includes("secret internals"))).toBe(true);
  });
  test("an estimate over the wall-clock limit → 503 and the worker is replaced", async () => {
    const tight = new EstimatorPool({ timeLimitMs: 200, size: 1 });
    const slow = createApp({ store, pool: tight, today: () => "2026-11-23", newId: () => "x" });
    const r = await slow.request("/v1/serve", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...serveBase, requests: 200_000 }),
    });
    expect(r.status).toBe(503);
    expect(((await r.json()) as Problems).problems[0]?.message).toMatch(/did not finish within 0.2 s/);
    await tight.close();
  });
});

describe("API over loopback: streaming limits and a responsive /healthz", () => {
  const dir = mkdtempSync(join(tmpdir(), "flopcast-hard-"));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill("SIGKILL");
  });

  test("a chunked 2 MB upload gets 413 in under 1 s", async () => {
    const { url, child } = await startServer(join(dir, "a.sqlite"));
    children.push(child);
    const u = new URL(`${url}/v1/infer`);
    const t0 = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: { "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, 32);
      for (let i = 0; i < 32; i++) req.write(chunk);
      req.end();
    });
    const ms = performance.now() - t0;
    expect(status).toBe(413);
    expect(ms).toBeLessThan(1000);
  });

  test("/healthz answers in < 100 ms (median) while a maximal /v1/serve runs", async () => {
    const { url, child } = await startServer(join(dir, "b.sqlite"), ["--time-limit-s", "20"]);
    children.push(child);
    const heavy = fetch(`${url}/v1/serve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...serveBase, requests: API_BUDGET.simulatedRequests }),
    });
    await new Promise((r) => setTimeout(r, 300));
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const r = await fetch(`${url}/healthz`);
      await r.arrayBuffer();
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    times.sort((a, b) => a - b);
    console.log(`healthz during a maximal serve: p50 ${times[10]?.toFixed(1)} ms, max ${times[19]?.toFixed(1)} ms`);
    expect(times[10]).toBeLessThan(100);
    child.kill("SIGKILL");
    await heavy.catch(() => undefined);
  }, 30_000);
});
