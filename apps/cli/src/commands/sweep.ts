import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { Worker } from "node:worker_threads";
import {
  type GridFile,
  gridSize,
  mergeRows,
  parseGrid,
  parseShard,
  type Shard,
  type SweepRow,
  shardFromEnv,
  shardIndices,
} from "@flopcast/contract";
import { openStore } from "@flopcast/store";
import type { Command } from "commander";
import { parseDocument } from "yaml";
import { sweepWorkerUrl } from "../entry-urls.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { progressBar } from "../progress.ts";
import type { Runner } from "./shared.ts";

/** Reads a grid file; YAML errors and schema problems carry their location (line/column or YAML path). */
function readGrid(path: string): GridFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new BadInput([
      { path: "grid", message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? "read error"}` },
    ]);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    throw new BadInput(
      doc.errors.map((e) => ({
        path: `${basename(path)}:${e.linePos?.[0]?.line ?? 0}:${e.linePos?.[0]?.col ?? 0}`,
        message: e.message.split("\n")[0] ?? "YAML error",
      })),
    );
  }
  const parsed = parseGrid(doc.toJS());
  if (!parsed.ok) throw new BadInput(parsed.problems.map((p) => ({ ...p, path: `${basename(path)}: ${p.path}` })));
  return parsed.grid;
}

/** Rows already complete in an output file (a killed run leaves an in-order prefix and maybe a partial line). */
function completedRows(path: string): { indices: Set<number>; validBytes: number } {
  if (!existsSync(path)) return { indices: new Set(), validBytes: 0 };
  const text = readFileSync(path, "utf8");
  const indices = new Set<number>();
  let validBytes = 0;
  let offset = 0;
  for (const line of text.split("\n")) {
    const end = offset + Buffer.byteLength(line) + 1;
    if (end > Buffer.byteLength(text)) break; // no trailing newline: partial line
    try {
      const row = JSON.parse(line) as SweepRow;
      if (typeof row.index !== "number") break;
      indices.add(row.index);
      validBytes = end;
    } catch {
      break;
    }
    offset = end;
  }
  return { indices, validBytes };
}

async function runSweep(
  grid: GridFile,
  opts: { out: string; shard: Shard | null; workers: number; db?: string; sweepId: string },
): Promise<{ written: number; skipped: number; total: number }> {
  const total = gridSize(grid);
  const mine = shardIndices(total, opts.shard);
  const done = completedRows(opts.out);
  if (existsSync(opts.out)) truncateSync(opts.out, done.validBytes);
  const todo = mine.filter((i) => !done.indices.has(i));
  const fd = openSync(opts.out, "a");
  const store = opts.db ? openStore(opts.db) : undefined;
  const bar = progressBar(`sweep ${opts.shard ? `${opts.shard.index}/${opts.shard.count} ` : ""}`);
  const workerCount = Math.max(1, Math.min(opts.workers, todo.length));
  const pending = new Map<number, string>();
  let next = 0;
  let written = 0;
  const dbBatch: SweepRow[] = [];
  const flushDb = () => {
    if (!store || dbBatch.length === 0) return;
    store.putSweepRows(
      dbBatch.map((r) => ({
        sweep: opts.sweepId,
        index: r.index,
        command: grid.command,
        scenario: r.scenario,
        result: r.result,
        problems: r.problems,
      })),
    );
    dbBatch.length = 0;
  };
  await new Promise<void>((resolve, reject) => {
    if (todo.length === 0) return resolve();
    const workers = Array.from({ length: workerCount }, () => new Worker(sweepWorkerUrl(), { workerData: { grid } }));
    const onRow = (row: { index: number; line: string }) => {
      pending.set(row.index, row.line);
      // Rows are written in expansion order, so a killed run leaves a clean prefix to resume from.
      while (next < todo.length && pending.has(todo[next] as number)) {
        const index = todo[next] as number;
        const line = pending.get(index) as string;
        pending.delete(index);
        writeSync(fd, `${line}\n`);
        if (store) {
          dbBatch.push(JSON.parse(line) as SweepRow);
          if (dbBatch.length >= 500) flushDb();
        }
        next++;
        written++;
      }
      bar.update(written / todo.length);
      if (written === todo.length) {
        for (const w of workers) void w.terminate();
        resolve();
      }
    };
    // Interleaved chunks keep every worker busy on a similar mix of scenarios.
    workers.forEach((w, k) => {
      w.on("message", onRow);
      w.on("error", reject);
      w.postMessage(todo.filter((_, i) => i % workerCount === k));
    });
  });
  flushDb();
  store?.close();
  closeSync(fd);
  bar.done();
  return { written, skipped: done.indices.size, total: mine.length };
}

export function registerSweep(program: Command, run: Runner): void {
  const sweep = program
    .command("sweep")
    .description("evaluate a grid of scenarios (YAML) on a worker pool, sharded across machines if asked; JSONL out")
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
        if (gridPath === "merge") {
          const rows: SweepRow[] = [];
          for (const f of files) {
            let text: string;
            try {
              text = readFileSync(f, "utf8");
            } catch {
              throw new BadInput([{ path: "merge", message: `cannot read ${f}` }]);
            }
            for (const [n, line] of text.split("\n").entries()) {
              if (line.trim() === "") continue;
              try {
                rows.push(JSON.parse(line) as SweepRow);
              } catch {
                throw new BadInput([
                  { path: `${f}:${n + 1}`, message: "not a JSON line (a partial shard? re-run it to resume)" },
                ]);
              }
            }
          }
          const merged = mergeRows(rows);
          const fd = openSync(opts.out, "w");
          writeSync(fd, merged.lines.map((l) => `${l}\n`).join(""));
          closeSync(fd);
          const summary = {
            merged: merged.lines.length,
            missing: merged.missing,
            duplicates: merged.duplicates,
            out: opts.out,
          };
          if (merged.missing.length)
            process.stderr.write(
              `warning: ${merged.missing.length} scenario(s) missing, e.g. index ${merged.missing.slice(0, 5).join(", ")}\n`,
            );
          return {
            kind: "ok",
            json: summary,
            text: () =>
              `merged ${summary.merged} rows into ${opts.out}${summary.duplicates ? ` (${summary.duplicates} duplicates dropped)` : ""}`,
          };
        }
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
        } else shard = shardFromEnv(process.env);
        const workers = opts.workers === undefined ? availableParallelism() : Number(opts.workers);
        if (!Number.isInteger(workers) || workers < 1)
          throw new BadInput([{ path: "workers", message: "--workers must be a whole number ≥ 1" }]);
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
