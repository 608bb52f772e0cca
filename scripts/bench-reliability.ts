/**
 * Reliability targets of issue #17 (run by `npm run bench`, or alone: `node scripts/bench-reliability.ts`):
 * - /healthz p99 < 100 ms over loopback while 1,000 concurrent /v1/infer and one maximal /v1/serve run;
 * - kill -9 during `sweep --db` on a 40,000-row grid, then resume: database rows == JSONL rows == grid size,
 *   resume < 60 s;
 * - re-running a finished 10,000-row sweep (resume with nothing to do): linear, seconds not minutes.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent, get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { API_BUDGET } from "@flopcast/contract";
import { startServer as startApiServer } from "../apps/api/test/start-server.ts";

const root = join(import.meta.dirname, "..");
const bin = join(root, "apps", "cli", "bin", "flopcast.js");
const dir = mkdtempSync(join(tmpdir(), "flopcast-bench-rel-"));
const line = (label: string, value: string, goal: string, pass: boolean) =>
  console.log(`${label.padEnd(58)} ${value.padStart(10)}   ${goal}   ${pass ? "PASS" : "MISS"}`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

const startServer = () => startApiServer(join(dir, "api.sqlite"), ["--time-limit-s", "120"]);

/** The load (1,000 concurrent /v1/infer + one maximal /v1/serve) comes from its own process, so the prober's
 * latency is the server's, not that of a client busy with 1,000 responses. */
const LOAD = `
const [url, serveBody] = [process.argv[1], process.argv[2]];
const post = (path, body) => fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body })
  .then(async (r) => { await r.arrayBuffer(); return r.status; });
const t0 = performance.now();
const serve = post("/v1/serve", serveBody).then((s) => ({ s, t: performance.now() - t0 }));
const infer = JSON.stringify({ model: "llama-3.1-8b", hardware: "h100-sxm", inputTokens: 512, outputTokens: 256, batch: 8 });
const statuses = await Promise.all(Array.from({ length: 1000 }, () => post("/v1/infer", infer)));
const inferMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ event: "infers", ok: statuses.filter((s) => s === 200).length, inferMs }) + "\\n");
const sv = await serve;
process.stdout.write(JSON.stringify({ event: "serve", status: sv.s, serveMs: sv.t }) + "\\n");
`;

function probe(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    get(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(performance.now() - t));
    }).on("error", reject);
  });
}

async function healthzUnderLoad(): Promise<void> {
  const { url, child } = await startServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await probe(url, agent);
    await fetch(`${url}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "llama-3.1-8b", hardware: "h100-sxm" }),
    }).then((r) => r.arrayBuffer()); // warm
    const serveBody = JSON.stringify({
      model: "llama-3.1-8b",
      hardware: "h100-sxm",
      rate: 50,
      requests: API_BUDGET.simulatedRequests,
    });
    const load = spawn(process.execPath, ["--input-type=module", "-e", LOAD, url, serveBody], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const events: Record<string, number>[] = [];
    let serveDone = false;
    load.stdout.on("data", (d: Buffer) => {
      for (const l of d.toString().split("\n").filter(Boolean)) {
        const e = JSON.parse(l) as Record<string, number> & { event: string };
        events.push(e);
        if (e.event === "serve") serveDone = true;
      }
    });
    // Probe /healthz every 10 ms over a fresh keep-alive connection until the serve is answered.
    const health: number[] = [];
    while (!serveDone) {
      health.push(await probe(url, agent));
      await new Promise((res) => setTimeout(res, 10));
    }
    const infers = events.find((e) => e.inferMs !== undefined);
    const serve = events.find((e) => e.serveMs !== undefined);
    health.sort((a, b) => a - b);
    const p99 = pct(health, 0.99);
    console.log(
      `api: 1,000 concurrent /v1/infer: ${infers?.ok} × 200 in ${((infers?.inferMs ?? 0) / 1000).toFixed(1)} s; maximal /v1/serve (${API_BUDGET.simulatedRequests} requests) → ${serve?.status} in ${((serve?.serveMs ?? 0) / 1000).toFixed(1)} s`,
    );
    line(
      `api: /healthz p99 under that load (${health.length} probes)`,
      `${p99.toFixed(1)} ms`,
      `p50 ${pct(health, 0.5).toFixed(1)} ms, max ${(health[health.length - 1] ?? 0).toFixed(1)} ms; goal p99 < 100 ms`,
      p99 < 100,
    );
  } finally {
    agent.destroy();
    child.kill("SIGKILL");
  }
}

function countLines(path: string): number {
  const text = readFileSync(path, "utf8");
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
const dbRows = (path: string) => {
  const db = new DatabaseSync(path);
  const n = Number((db.prepare("SELECT COUNT(*) AS n FROM sweep_rows").get() as { n: number }).n);
  db.close();
  return n;
};

async function sweepKillResume(): Promise<void> {
  const grid = join(dir, "grid40k.yaml");
  // 40,000 infer scenarios: 5 chips × 4 precisions × 40 batches × 50 output lengths.
  writeFileSync(
    grid,
    `command: infer\nbase: { model: llama-3.1-8b, chips: 1, inputTokens: 512 }\ngrid:\n  hardware: [h100-sxm, h200-sxm, a100-sxm-80gb, mi300x, l40s]\n  precision: [bf16, fp8, int8, fp16]\n  batch: [${Array.from({ length: 40 }, (_, i) => i + 1).join(", ")}]\n  outputTokens: [${Array.from({ length: 50 }, (_, i) => 16 * (i + 1)).join(", ")}]\n`,
  );
  const out = join(dir, "s40k.jsonl");
  const db = join(dir, "s40k.sqlite");
  const child = spawn(process.execPath, [bin, "sweep", grid, "--out", out, "--db", db, "--workers", "2"]);
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      // Kill about halfway, between two database batches.
      if (existsSync(out) && statSync(out).size > 40_000_000) {
        clearInterval(poll);
        child.kill("SIGKILL");
      }
    }, 5);
    child.on("exit", () => {
      clearInterval(poll);
      resolve();
    });
  });
  const before = { jsonl: countLines(out), db: existsSync(db) ? dbRows(db) : 0 };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, "sweep", grid, "--out", out, "--db", db, "--workers", "2"], {
    encoding: "utf8",
  });
  const resumeS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  const after = { jsonl: countLines(out), db: dbRows(db) };
  console.log(
    `sweep: killed at ${before.jsonl} JSONL rows / ${before.db} database rows; after resume ${after.jsonl} / ${after.db} (grid 40,000)`,
  );
  line(
    "sweep: resume after kill -9, 40,000-row grid with --db",
    `${resumeS.toFixed(1)} s`,
    `rows equal: ${after.jsonl === 40_000 && after.db === 40_000}; goal < 60 s`,
    resumeS < 60 && after.jsonl === 40_000 && after.db === 40_000,
  );
  const t1 = performance.now();
  const again = spawnSync(process.execPath, [bin, "sweep", grid, "--out", out, "--db", db], { encoding: "utf8" });
  const againS = (performance.now() - t1) / 1000;
  if (again.status !== 0) throw new Error(again.stderr);
  line(
    "sweep: re-run of the finished 40,000-row sweep (nothing to do)",
    `${againS.toFixed(1)} s`,
    "goal < 10 s",
    againS < 10,
  );
}

await healthzUnderLoad();
await sweepKillResume();
