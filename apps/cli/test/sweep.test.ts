import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const bin = new URL("../bin/flopcast.js", import.meta.url).pathname;
const flopcast = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "flopcast-sweep-"));
const grid = join(dir, "grid.yaml");
writeFileSync(
  grid,
  "command: infer\nbase: { model: llama-3.1-8b, chips: 1, precision: bf16, inputTokens: 512, outputTokens: 256 }\ngrid: { batch: [1, 2, 4, 8, 16, 32, 64, 128], hardware: [h100-sxm, a100-sxm-80gb, mi300x, l40s, h200-sxm], outputTokens: [64, 256, 1024] }\n",
);

describe("flopcast sweep", { timeout: 120_000 }, () => {
  const single = join(dir, "all.jsonl");
  test("one run writes every scenario in expansion order", () => {
    const r = flopcast("sweep", grid, "--out", single, "--workers", "2");
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(single, "utf8").trim().split("\n");
    expect(lines).toHaveLength(120);
    expect(lines.map((l) => JSON.parse(l).index)).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });
  test("4 shards + merge equal the single run byte for byte", () => {
    const parts = [0, 1, 2, 3].map((i) => join(dir, `s${i}.jsonl`));
    for (const [i, p] of parts.entries())
      expect(flopcast("sweep", grid, "--out", p, "--shard", `${i}/4`, "--workers", "1").status).toBe(0);
    const merged = join(dir, "merged.jsonl");
    expect(flopcast("sweep", "merge", ...parts, "--out", merged).status).toBe(0);
    expect(readFileSync(merged, "utf8")).toBe(readFileSync(single, "utf8"));
  });
  test("a run killed midway resumes with no duplicate or lost rows", async () => {
    const out = join(dir, "killed.jsonl");
    const child = spawn(process.execPath, [bin, "sweep", grid, "--out", out, "--workers", "1"]);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(out) && statSync(out).size > 2000) {
          clearInterval(poll);
          child.kill("SIGKILL");
          resolve();
        }
      }, 5);
      child.on("exit", () => {
        clearInterval(poll);
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    // Simulate the torn last line a kill can leave behind.
    writeFileSync(out, `${readFileSync(out, "utf8")}{"index": 9`);
    const r = flopcast("sweep", grid, "--out", out, "--workers", "2");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(single, "utf8"));
  });
  test("a malformed grid exits 2 with the YAML location, no stack trace", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "command: infer\ngrid: [oops\n");
    const r = flopcast("sweep", bad, "--out", join(dir, "x.jsonl"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\s+at /);
    writeFileSync(bad, "command: teleport\ngrid: { batch: [1] }\n");
    const r2 = flopcast("sweep", bad, "--out", join(dir, "x.jsonl"));
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/command/);
  });
  test("--db writes the rows to SQLite and `results query` reads them back", () => {
    const db = join(dir, "r.sqlite");
    expect(flopcast("sweep", grid, "--out", join(dir, "db.jsonl"), "--db", db).status).toBe(0);
    const q = flopcast(
      "results",
      "query",
      "--db",
      db,
      "--where",
      "hardware=mi300x",
      "--order-by",
      "result.outputTokensPerS",
      "--desc",
      "--limit",
      "3",
      "--json",
    );
    expect(q.status, q.stderr).toBe(0);
    const rows = JSON.parse(q.stdout) as { scenario: { hardware: string }; result: { outputTokensPerS: number } }[];
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.scenario.hardware === "mi300x")).toBe(true);
    expect(rows[0]?.result.outputTokensPerS).toBeGreaterThanOrEqual(rows[1]?.result.outputTokensPerS ?? 0);
  });
});
