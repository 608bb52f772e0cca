/**
 * Issue #17: the sweep store loses nothing. A kill -9 during `sweep --db` leaves the database behind the JSONL
 * (rows are committed in batches); the resume back-fills it, so database rows == JSONL rows == grid size. The
 * output carries the grid's hash: resuming against another grid or another kind of file is refused, and merge
 * knows the grid size. (The 40,000-row version with its timing is in `npm run bench`.)
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, test } from "vitest";

const bin = new URL("../bin/flopcast.js", import.meta.url).pathname;
/** Runs the CLI without blocking the test runner (several at once on a busy machine). */
const flopcast = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
const dir = mkdtempSync(join(tmpdir(), "flopcast-sweep-store-"));
const grid = join(dir, "grid.yaml");
const batches = Array.from({ length: 50 }, (_, i) => i + 1);
// 50 × 4 × 10 = 2,000 infer scenarios.
writeFileSync(
  grid,
  `command: infer\nbase: { model: llama-3.1-8b, chips: 1, precision: bf16 }\ngrid: { batch: [${batches.join(", ")}], hardware: [h100-sxm, a100-sxm-80gb, mi300x, l40s], inputTokens: [128, 256, 512, 1024, 2048, 3072, 4096, 6144, 8192, 16384] }\n`,
);
const GRID_SIZE = 2000;
const lines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.endsWith("}")).length;
const dbRows = (path: string) => {
  const db = new DatabaseSync(path);
  const n = Number((db.prepare("SELECT COUNT(*) AS n FROM sweep_rows").get() as { n: number }).n);
  db.close();
  return n;
};

describe("sweep store after kill -9", { timeout: 180_000 }, () => {
  test("kill -9 during sweep --db, then resume: database rows == JSONL rows == grid size", async () => {
    const out = join(dir, "killed.jsonl");
    const db = join(dir, "killed.sqlite");
    const child = spawn(process.execPath, [bin, "sweep", grid, "--out", out, "--db", db, "--workers", "1"]);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        // Kill between two database batches (500 rows): the JSONL is ahead of the database.
        if (existsSync(out) && lines(out) >= 700) {
          clearInterval(poll);
          child.kill("SIGKILL");
        }
      }, 2);
      child.on("exit", () => {
        clearInterval(poll);
        resolve();
      });
    });
    const before = { jsonl: lines(out), db: existsSync(db) ? dbRows(db) : 0 };
    expect(before.jsonl).toBeLessThan(GRID_SIZE);
    // The defect this guards against: the rows between the last database batch and the kill were lost.
    expect(before.db).toBeLessThanOrEqual(before.jsonl);
    const t0 = performance.now();
    const r = await flopcast(["sweep", grid, "--out", out, "--db", db, "--workers", "1", "--json"]);
    const seconds = (performance.now() - t0) / 1000;
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { backfilled: number; skipped: number };
    expect(summary.backfilled).toBe(before.jsonl - before.db);
    expect(lines(out)).toBe(GRID_SIZE);
    expect(dbRows(db)).toBe(GRID_SIZE);
    console.log(`resume after kill -9 (${before.jsonl} rows in JSONL, ${before.db} in DB): ${seconds.toFixed(1)} s`);
  });

  test("--out of an existing SQLite database or another grid's output is refused; the file is untouched", async () => {
    const db = join(dir, "results.sqlite");
    const first = join(dir, "first.jsonl");
    const small = join(dir, "small.yaml");
    writeFileSync(
      small,
      "command: infer\nbase: { model: llama-3.1-8b, chips: 1 }\ngrid: { batch: [1, 2], hardware: [h100-sxm] }\n",
    );
    const other = join(dir, "other.yaml");
    writeFileSync(
      other,
      "command: infer\nbase: { model: llama-3.1-8b, chips: 1 }\ngrid: { batch: [1, 4], hardware: [h100-sxm] }\n",
    );
    expect((await flopcast(["sweep", small, "--out", first, "--db", db])).status).toBe(0);
    const dbBytes = readFileSync(db);
    const firstText = readFileSync(first, "utf8");
    const [onDb, onOther] = await Promise.all([
      flopcast(["sweep", small, "--out", db]),
      flopcast(["sweep", other, "--out", first]),
    ]);
    expect(onDb.status).toBe(2);
    expect(onDb.stderr).toMatch(/SQLite database/);
    expect(readFileSync(db).equals(dbBytes)).toBe(true);
    expect(onOther.status).toBe(2);
    expect(onOther.stderr).toMatch(/another grid/);
    expect(readFileSync(first, "utf8")).toBe(firstText);
  });

  test("merge with the last shard missing exits 2 naming the missing indexes", async () => {
    const small = join(dir, "four.yaml");
    writeFileSync(small, "command: infer\nbase: { model: llama-3.1-8b, chips: 1 }\ngrid: { batch: [1, 2, 4, 8] }\n");
    const parts = [0, 1, 2, 3].map((i) => join(dir, `p${i}.jsonl`));
    await Promise.all(parts.slice(0, 3).map((p, i) => flopcast(["sweep", small, "--out", p, "--shard", `${i}/4`])));
    const merged = join(dir, "merged.jsonl");
    const r = await flopcast(["sweep", "merge", ...parts.slice(0, 3), "--out", merged]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/1 of 4 scenarios missing: indexes 3/);
    expect(r.stderr).not.toMatch(/\s+at /);
    expect(existsSync(merged)).toBe(false);
  });

  test("a malformed or out-of-range shard environment exits 2 instead of running the whole grid", async () => {
    const small = join(dir, "env.yaml");
    writeFileSync(small, "command: infer\nbase: { model: llama-3.1-8b, chips: 1 }\ngrid: { batch: [1, 2] }\n");
    const [k8s, slurm] = await Promise.all([
      flopcast(["sweep", small, "--out", join(dir, "k.jsonl")], { JOB_COMPLETION_INDEX: "5", JOB_COMPLETIONS: "4" }),
      flopcast(["sweep", small, "--out", join(dir, "s.jsonl")], {
        SLURM_ARRAY_TASK_ID: "abc",
        SLURM_ARRAY_TASK_COUNT: "4",
      }),
    ]);
    expect(k8s.status).toBe(2);
    expect(k8s.stderr).toMatch(/JOB_COMPLETION_INDEX/);
    expect(slurm.status).toBe(2);
    expect(slurm.stderr).toMatch(/SLURM_ARRAY_TASK_ID/);
    expect(existsSync(join(dir, "k.jsonl"))).toBe(false);
  });
});
