import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@flopcast/store";
import { afterAll, describe, expect, test } from "vitest";
import { createApp } from "../src/app.ts";
import { startServer } from "./start-server.ts";

let n = 0;
const app = createApp({ store: openStore(":memory:"), today: () => "2026-11-23", newId: () => `s${++n}` });
const post = (path: string, body: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("API in-process (app.request)", () => {
  test("GET /healthz, /v1/hardware (≥ 33 chips), /v1/hardware/h100-sxm with sources", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    expect(((await (await app.request("/v1/hardware")).json()) as unknown[]).length).toBeGreaterThanOrEqual(33);
    const h = (await (await app.request("/v1/hardware/h100-sxm")).json()) as {
      peakTflops: { bf16: number };
      sources: unknown[];
    };
    expect(h.peakTflops.bf16).toBeCloseTo(989.4, 1);
    expect(h.sources.length).toBeGreaterThan(0);
  });
  test("POST /v1/train gives the same PF-days as the CLI contract (GPT-3 3,638)", async () => {
    const r = (await (await post("/v1/train", { model: "gpt3-175b", tokens: "300e9" })).json()) as { pfDays: number };
    expect(r.pfDays).toBeCloseTo(3637.6, 0);
  });
  test("bad bodies → 400 with problems; malformed JSON → 400; unknown id → 404", async () => {
    const bad = await post("/v1/infer", { model: "nope", hardware: "h100-sxm" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { hint?: string }[] }).problems[0]?.hint).toMatch(/did you mean/);
    const malformed = await post("/v1/infer", "{not json");
    expect(malformed.status).toBe(400);
    expect((await app.request("/v1/models/nope")).status).toBe(404);
  });
  test("an oversized body → 413", async () => {
    const r = await app.request("/v1/infer", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(2_000_000) },
      body: "a".repeat(2_000_000),
    });
    expect(r.status).toBe(413);
  });
  test("serve is bounded per call", async () => {
    const r = await post("/v1/serve", { model: "llama-3.1-8b", hardware: "h100-sxm", rate: 5, requests: 10_000_000 });
    expect(r.status).toBe(400);
  });
  test("saved scenarios: create, list, get, delete; names are stored verbatim (escaping is the page's job)", async () => {
    const created = await post("/v1/scenarios", {
      name: "<script>alert(1)</script>",
      command: "train",
      scenario: { model: "gpt3-175b", tokens: 3e11 },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(((await (await app.request("/v1/scenarios")).json()) as unknown[]).length).toBe(1);
    expect(((await (await app.request(`/v1/scenarios/${id}`)).json()) as { name: string }).name).toBe(
      "<script>alert(1)</script>",
    );
    expect((await app.request(`/v1/scenarios/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await app.request(`/v1/scenarios/${id}`)).status).toBe(404);
  });
  test("GET /openapi.json documents every route", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const p of ["/v1/train", "/v1/infer", "/v1/serve", "/v1/fleet", "/v1/compare", "/v1/claims", "/v1/scenarios"])
      expect(doc.paths[p], p).toBeTruthy();
  });
});

describe("API over loopback", () => {
  const dir = mkdtempSync(join(tmpdir(), "flopcast-api-"));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill("SIGKILL");
  });

  test("1,000 concurrent /v1/infer requests: 0 errors; p99 latency reported", async () => {
    const { url, child } = await startServer(join(dir, "load.sqlite"));
    children.push(child);
    const body = JSON.stringify({
      model: "llama-3.1-8b",
      hardware: "h100-sxm",
      inputTokens: 512,
      outputTokens: 256,
      batch: 8,
    });
    const latencies: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const t = performance.now();
        const r = await fetch(`${url}/v1/infer`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await r.arrayBuffer();
        latencies.push(performance.now() - t);
        return r.status;
      }),
    );
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(0.99 * latencies.length) - 1] ?? 0;
    console.log(
      `load test: 1,000 concurrent /v1/infer, p50 ${latencies[499]?.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`,
    );
    expect(results.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);

  test("kill -9 during a write loop loses no committed scenario", async () => {
    const db = join(dir, "crash.sqlite");
    const { url, child } = await startServer(db);
    const committed: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        try {
          const r = await fetch(`${url}/v1/scenarios`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ name: `s${i}`, command: "train", scenario: { model: "gpt3-175b", tokens: i + 1 } }),
          });
          if (r.status === 201) committed.push(((await r.json()) as { id: string }).id);
        } catch {
          return; // the server is gone
        }
      }
    })();
    // Kill in the middle of the writing, once a few writes are committed (a busy machine answers slowly).
    for (let waited = 0; committed.length < 10 && waited < 20_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    stop = true;
    await writer;
    expect(committed.length).toBeGreaterThan(5);
    const store = openStore(db);
    const ids = new Set(store.listScenarios().map((s) => s.id));
    store.close();
    expect(committed.filter((id) => !ids.has(id))).toEqual([]);
  }, 30_000);
});
