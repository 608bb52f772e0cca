import { createHash } from "node:crypto";
import { closeSync, existsSync, ftruncateSync, openSync, readSync, statSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import {
  formatRow,
  type GridFile,
  gridProblems,
  gridSize,
  indexRanges,
  mergeRows,
  parseGrid,
  parseShard,
  type Shard,
  type SweepRow,
  shardFromEnv,
  shardIndices,
} from "@flopcast/contract";
import { openStore, type ResultStore, StoreOpenError } from "@flopcast/store";
import type { Command } from "commander";
import { parseDocument } from "yaml";
import { sweepWorkerUrl } from "../entry-urls.ts";
import { fileErrorReason, forEachLine, MAX_GRID_FILE_BYTES, openChecked, readTextLimited } from "../files.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { progressBar } from "../progress.ts";
import { evaluateRow } from "../sweep-worker.ts";
import type { Runner } from "./shared.ts";

/** Reads a grid file; YAML errors and schema problems carry their location (line/column or YAML path). */
function readGrid(path: string): GridFile {
  const text = readTextLimited(path, "grid", MAX_GRID_FILE_BYTES);
  const doc = parseDocument(text, { prettyErrors: false, logLevel: "error" });
  if (doc.errors.length) {
    throw new BadInput(
      doc.errors.map((e) => ({
        path: `${basename(path)}:${e.linePos?.[0]?.line ?? 0}:${e.linePos?.[0]?.col ?? 0}`,
        message: e.message.split("\n")[0] ?? "YAML error",
      })),
    );
  }
  let data: unknown;
  try {
    // The yaml library caps alias expansion (maxAliasCount), so an alias bomb stops here as an error.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new BadInput([{ path: basename(path), message: (e as Error).message.split("\n")[0] ?? "YAML error" }]);
  }
  const parsed = parseGrid(data);
  if (!parsed.ok) throw new BadInput(parsed.problems.map((p) => ({ ...p, path: `${basename(path)}: ${p.path}` })));
  const over = gridProblems(parsed.grid);
  if (over.length) throw new BadInput(over.map((p) => ({ ...p, path: `${basename(path)}: ${p.path}` })));
  return parsed.grid;
}

/** The grid's identity: a hash of its command, base and grid (key order included: it fixes the expansion). */
export function gridHash(grid: GridFile): string {
  return createHash("sha256")
    .update(JSON.stringify([grid.command, grid.base, Object.entries(grid.grid)]))
    .digest("hex")
    .slice(0, 16);
}

const SQLITE_MAGIC = "SQLite format 3\0";

/** First bytes of a file (to recognise a SQLite database given as --out). */
function head(path: string, bytes: number): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.toString("latin1", 0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Rows already complete in an output file, checked to belong to this grid and shard (a killed run leaves an
 * in-order prefix and maybe a torn last line, which is dropped). Streams the file: linear in its size.
 * `onRow` sees each valid line (for the database back-fill).
 */
function completedRows(
  path: string,
  expect: { hash: string; size: number; indices: readonly number[] },
  onRow: (index: number, row: () => SweepRow) => void,
): { done: Set<number>; validBytes: number } {
  const done = new Set<number>();
  if (!existsSync(path)) return { done, validBytes: 0 };
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (e) {
    throw new BadInput([{ path: "out", message: `cannot read ${path}: ${fileErrorReason(e)}` }]);
  }
  if (stat.isDirectory()) throw new BadInput([{ path: "out", message: `${path} is a directory` }]);
  if (stat.size === 0) return { done, validBytes: 0 };
  if (head(path, SQLITE_MAGIC.length) === SQLITE_MAGIC)
    throw new BadInput([
      {
        path: "out",
        message: `${path} is a SQLite database, not a sweep output (JSONL); refusing to overwrite it`,
        hint: "give the database as --db and a .jsonl file as --out",
      },
    ]);
  const first = expect.indices[0] ?? 0;
  const last = expect.indices[expect.indices.length - 1] ?? -1;
  let lineNo = 0;
  // Rows start with their identity (sweep-worker.ts writes index, gridHash, gridSize first), so most lines are
  // checked from that prefix; a full JSON parse only for rows the database needs and for the last line.
  const prefix = /^\{"index":(\d+),"gridHash":"([0-9a-f]*)","gridSize":(\d+),"scenario":\{.*\}$/;
  const notARow = () =>
    new BadInput([
      {
        path: `${basename(path)}:${lineNo}`,
        message: `${path} is not a sweep output (line ${lineNo} is not a sweep row); refusing to append to it`,
        hint: "give a new --out file",
      },
    ]);
  let lastLine = "";
  const validBytes = forEachLine(path, (line) => {
    lineNo++;
    const m = prefix.exec(line);
    if (!m) {
      // An older or foreign line: parse it to say what it is.
      let row: SweepRow | undefined;
      try {
        row = JSON.parse(line) as SweepRow;
      } catch {
        throw notARow();
      }
      if (typeof row?.index !== "number") throw notARow();
    }
    const index = m ? Number(m[1]) : Number.NaN;
    if (!m || m[2] !== expect.hash || Number(m[3]) !== expect.size)
      throw new BadInput([
        {
          path: `${basename(path)}:${lineNo}`,
          message: `${path} holds rows of another grid (this grid's hash is ${expect.hash}); refusing to resume`,
          hint: "give a new --out file for this grid",
        },
      ]);
    if (index < first || index > last)
      throw new BadInput([
        {
          path: `${basename(path)}:${lineNo}`,
          message: `${path} holds index ${index}, outside this shard (${first}–${last}); refusing to resume`,
        },
      ]);
    done.add(index);
    lastLine = line;
    onRow(index, () => JSON.parse(line) as SweepRow);
    return true;
  });
  if (lastLine) {
    try {
      JSON.parse(lastLine);
    } catch {
      throw notARow();
    }
  }
  return { done, validBytes };
}

const toRecord = (sweep: string, command: string, r: SweepRow) => ({
  sweep,
  index: r.index,
  command,
  scenario: r.scenario,
  result: r.result,
  problems: r.problems,
});

function openDb(path: string): ResultStore {
  try {
    return openStore(path);
  } catch (e) {
    if (e instanceof StoreOpenError) throw new BadInput([{ path: "db", message: e.message }]);
    throw e;
  }
}

/** Grids with at most this many rows left are evaluated on the main thread (no worker start-up). */
const IN_THREAD_ROWS = 32;

/** Rows written to the database per transaction (a kill loses at most these; resume back-fills them). */
const DB_BATCH = 500;

async function runSweep(
  grid: GridFile,
  opts: { out: string; shard: Shard | null; workers: number; db?: string; sweepId: string },
): Promise<{ written: number; skipped: number; backfilled: number; total: number }> {
  const total = gridSize(grid);
  const hash = gridHash(grid);
  const mine = shardIndices(total, opts.shard);
  if (opts.db && resolve(opts.db) === resolve(opts.out))
    throw new BadInput([{ path: "db", message: "--db and --out must be different files" }]);
  const store = opts.db ? openDb(opts.db) : undefined;
  const dbBatch: SweepRow[] = [];
  const flushDb = () => {
    if (!store || dbBatch.length === 0) return;
    store.putSweepRows(dbBatch.map((r) => toRecord(opts.sweepId, grid.command, r)));
    dbBatch.length = 0;
  };
  try {
    // Resume: rows in the JSONL are done; the database gets any of them it lacks (a kill between the two writes).
    const inDb = store ? store.sweepIndices(opts.sweepId) : new Set<number>();
    let backfilled = 0;
    const done = completedRows(opts.out, { hash, size: total, indices: mine }, (index, row) => {
      if (!store || inDb.has(index)) return;
      dbBatch.push(row());
      backfilled++;
      if (dbBatch.length >= DB_BATCH) flushDb();
    });
    flushDb();
    const todo = mine.filter((i) => !done.done.has(i));
    const fd = openChecked(opts.out, "a", "out");
    try {
      if (done.validBytes > 0) ftruncateSync(fd, done.validBytes);
      else if (existsSync(opts.out)) ftruncateSync(fd, 0);
      const bar = progressBar(`sweep ${opts.shard ? `${opts.shard.index}/${opts.shard.count} ` : ""}`);
      const workerCount = Math.max(1, Math.min(opts.workers, todo.length));
      const pending = new Map<number, string>();
      let next = 0;
      let written = 0;
      let workers: Worker[] = [];
      let finished = () => {};
      const onRow = (row: { index: number; line: string }) => {
        pending.set(row.index, row.line);
        // Rows are written in expansion order, so a killed run leaves a clean prefix to resume from; the
        // JSONL line is written before its database row, so the database never holds a row the file lacks.
        while (next < todo.length && pending.has(todo[next] as number)) {
          const index = todo[next] as number;
          const line = pending.get(index) as string;
          pending.delete(index);
          writeSync(fd, `${line}\n`);
          if (store) {
            dbBatch.push(JSON.parse(line) as SweepRow);
            if (dbBatch.length >= DB_BATCH) flushDb();
          }
          next++;
          written++;
        }
        bar.update(written / todo.length);
        if (written === todo.length) {
          for (const w of workers) void w.terminate();
          finished();
        }
      };
      if (todo.length > 0 && todo.length <= IN_THREAD_ROWS) {
        // A few rows: cheaper here than starting worker threads (each loads the whole estimator stack).
        for (const index of todo) onRow({ index, line: formatRow(evaluateRow(grid, index, hash, total)) });
      } else if (todo.length > 0)
        await new Promise<void>((resolvePromise, reject) => {
          finished = resolvePromise;
          workers = Array.from(
            { length: workerCount },
            () =>
              new Worker(sweepWorkerUrl(), {
                workerData: { grid, gridHash: hash, gridSize: total },
              }),
          );
          // Interleaved chunks keep every worker busy on a similar mix of scenarios.
          workers.forEach((w, k) => {
            w.on("message", onRow);
            w.on("error", reject);
            w.postMessage(todo.filter((_, i) => i % workerCount === k));
          });
        });
      flushDb();
      bar.done();
      return { written, skipped: done.done.size, backfilled, total: mine.length };
    } finally {
      closeSync(fd);
    }
  } finally {
    store?.close();
  }
}

/** `sweep merge`: shard outputs → the unsharded output; every row must come from one grid, and none may be missing. */
function mergeShards(files: readonly string[], out: string): CommandOutcome {
  if (files.length === 0) throw new BadInput([{ path: "merge", message: "give the shard outputs to merge" }]);
  const rows: SweepRow[] = [];
  let hash: string | undefined;
  let size: number | undefined;
  for (const f of files) {
    if (resolve(f) === resolve(out))
      throw new BadInput([{ path: "out", message: `--out ${out} is also an input; write the merge elsewhere` }]);
    let lineNo = 0;
    let end: number;
    try {
      if (statSync(f).isDirectory()) throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
      end = forEachLine(f, (line) => {
        lineNo++;
        if (line.trim() === "") return true;
        let row: SweepRow;
        try {
          row = JSON.parse(line) as SweepRow;
        } catch {
          throw new BadInput([
            { path: `${f}:${lineNo}`, message: "not a JSON line (a partial shard? re-run it to resume)" },
          ]);
        }
        if (typeof row !== "object" || row === null || typeof row.index !== "number")
          throw new BadInput([{ path: `${f}:${lineNo}`, message: "not a sweep row" }]);
        if (hash === undefined) {
          hash = row.gridHash;
          size = row.gridSize;
        } else if (row.gridHash !== hash || row.gridSize !== size)
          throw new BadInput([
            { path: `${f}:${lineNo}`, message: `rows of another grid (hash ${row.gridHash}, first file ${hash})` },
          ]);
        rows.push(row);
        return true;
      });
      if (end < statSync(f).size)
        throw new BadInput([{ path: f, message: "ends in a partial line (a killed shard? re-run it to resume)" }]);
    } catch (e) {
      if (e instanceof BadInput) throw e;
      throw new BadInput([{ path: "merge", message: `cannot read ${f}: ${fileErrorReason(e)}` }]);
    }
  }
  const merged = mergeRows(rows, size);
  if (merged.missing.length)
    throw new BadInput([
      {
        path: "merge",
        message: `${merged.missing.length} of ${size ?? merged.lines.length + merged.missing.length} scenarios missing: indexes ${indexRanges(merged.missing)}`,
        hint: "run the missing shard(s) (same grid, --shard i/N) and merge again",
      },
    ]);
  const fd = openChecked(out, "w", "out");
  try {
    writeSync(fd, merged.lines.map((l) => `${l}\n`).join(""));
  } finally {
    closeSync(fd);
  }
  const summary = { merged: merged.lines.length, missing: merged.missing, duplicates: merged.duplicates, out };
  return {
    kind: "ok",
    json: summary,
    text: () =>
      `merged ${summary.merged} rows into ${out}${summary.duplicates ? ` (${summary.duplicates} duplicates dropped)` : ""}`,
  };
}

export function registerSweep(program: Command, run: Runner): void {
  const sweep = program
    .command("sweep")
    .argument("<grid>", "grid file (YAML): command, base, grid — or `merge` to combine shard outputs")
    .argument("[files...]", "with `merge`: the shard outputs")
    .option("--out <file>", "output JSONL (appended; rows already there are skipped: resumable)")
    .option(
      "--shard <i/N>",
      "evaluate shard i of N (default: from JOB_COMPLETION_INDEX/JOB_COMPLETIONS or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)",
    )
    .option("--workers <k>", "worker threads (default: available cores)")
    .option("--db <file>", "also write rows into this SQLite results store")
    .option("--json", "print a JSON summary on stdout");
  sweep.action(
    (
      gridPath: string,
      files: string[],
      opts: { out?: string; shard?: string; workers?: string; db?: string; json?: boolean },
    ) =>
      run(opts, async (): Promise<CommandOutcome> => {
        if (!opts.out) throw new BadInput([{ path: "out", message: "--out FILE is required" }]);
        if (gridPath === "merge") return mergeShards(files, opts.out);
        const grid = readGrid(gridPath);
        let shard: Shard | null = null;
        if (opts.shard !== undefined) {
          shard = parseShard(opts.shard);
          if (!shard)
            throw new BadInput([
              {
                path: "shard",
                message: `--shard must look like i/N with 0 ≤ i < N, got ${JSON.stringify(opts.shard)}`,
              },
            ]);
        } else {
          const fromEnv = shardFromEnv(process.env);
          if (!fromEnv.ok) throw new BadInput(fromEnv.problems);
          shard = fromEnv.shard;
        }
        const workers = opts.workers === undefined ? availableParallelism() : Number(opts.workers);
        if (!Number.isInteger(workers) || workers < 1 || workers > 1024)
          throw new BadInput([{ path: "workers", message: "--workers must be a whole number from 1 to 1024" }]);
        const t0 = performance.now();
        const r = await runSweep(grid, { out: opts.out, shard, workers, db: opts.db, sweepId: basename(gridPath) });
        const seconds = (performance.now() - t0) / 1000;
        const summary = { ...r, shard, workers, seconds: Number(seconds.toFixed(3)), out: opts.out };
        return {
          kind: "ok",
          json: summary,
          text: () =>
            `wrote ${r.written} rows to ${opts.out} (${r.skipped} already there, ${r.total} in this shard) in ${seconds.toFixed(2)} s on ${workers} worker(s)`,
        };
      }),
  );
}
