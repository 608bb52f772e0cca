/**
 * Issue #17: user mistakes with files, databases, ports and hosts are problems with exit 2 — never a stack trace
 * (exit 1) — and hostile sizes are refused before any work (scenario files from /dev/zero, 10¹²-row grids, YAML
 * alias bombs, "50M" requests).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { inProcessCli } from "./in-process.ts";

const bin = new URL("../bin/flopcast.js", import.meta.url).pathname;
const flopcast = (args: string[]) =>
  new Promise<{ status: number | null; stderr: string; stdout: string; ms: number }>((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const kill = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", (status) => {
      clearTimeout(kill);
      resolve({ status, stdout, stderr, ms: performance.now() - t0 });
    });
  });

const dir = mkdtempSync(join(tmpdir(), "flopcast-errors-"));
const nodir = join(dir, "no-such-dir");
const grid = join(dir, "grid.yaml");
writeFileSync(grid, "command: infer\nbase: { model: llama-3.1-8b, chips: 1 }\ngrid: { batch: [1, 2] }\n");
const notDb = join(dir, "notadb.txt");
writeFileSync(notDb, "this is not a database\n".repeat(100));
const shard = join(dir, "shard.jsonl");
writeFileSync(shard, "");
const outDir = join(dir, "a-directory");
mkdirSync(outDir);
const bomb = join(dir, "bomb.yaml");
writeFileSync(
  bomb,
  `command: infer\nbase: { model: llama-3.1-8b }\na: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
    { length: 9 },
    (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(97 + i)}`)
        .join(",")}]`,
  ).join("\n")}\ngrid: { batch: *j }\n`,
);
const huge = join(dir, "huge.yaml");
writeFileSync(
  huge,
  `command: infer\nbase: { model: llama-3.1-8b, hardware: h100-sxm }\ngrid:\n${Array.from({ length: 12 }, (_, i) => `  k${i}: [0,1,2,3,4,5,6,7,8,9]`).join("\n")}\n`,
);
const serve = ["serve", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--rate", "1", "--requests", "5"];

describe("CLI errors are problems with exit 2, never a stack trace", { timeout: 600_000 }, () => {
  test("file, database, port and host errors; hostile sizes", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const busyPort = String((busy.address() as { port: number }).port);
    const cases: [string, string[], RegExp][] = [
      ["serve --out nodir/x.csv", [...serve, "--out", join(nodir, "x.csv")], /cannot write .*no such file/],
      ["serve --chrome-trace nodir/t.json", [...serve, "--chrome-trace", join(nodir, "t.json")], /chromeTrace/],
      ["sweep --out nodir/x", ["sweep", grid, "--out", join(nodir, "x")], /cannot write/],
      ["sweep --db notadb.txt", ["sweep", grid, "--out", join(dir, "o.jsonl"), "--db", notDb], /not a SQLite database/],
      ["results query --db notadb.txt", ["results", "query", "--db", notDb], /not a SQLite database/],
      ["results query --db missing", ["results", "query", "--db", join(dir, "none.sqlite")], /no results store/],
      ["results query --limit abc", ["results", "query", "--db", notDb, "--limit", "abc"], /--limit/],
      ["sweep merge --out <directory>", ["sweep", "merge", shard, "--out", outDir], /directory/],
      ["YAML alias bomb", ["sweep", bomb, "--out", join(dir, "b.jsonl")], /alias/i],
      ["10^12-row grid", ["sweep", huge, "--out", join(dir, "h.jsonl")], /1,000,000,000,000 scenarios/],
      ["ui --port -1", ["ui", "--port=-1"], /port/],
      ["ui --host 256.0.0.1", ["ui", "--host", "256.0.0.1", "--port", "0"], /host/],
      ["port in use", ["ui", "--port", busyPort, "--db", join(dir, "ui.sqlite")], /already in use/],
      ["infer --scenario /dev/zero", ["infer", "--scenario", "/dev/zero"], /limit/],
      ["serve --requests 50M", [...serve.slice(0, -2), "--requests", "50M"], /requests.*cap of 2,000,000/],
      [
        "infer --spec-k 1e9",
        [
          "infer",
          "--model",
          "llama-3.1-8b",
          "--hardware",
          "h100-sxm",
          "--spec-k",
          "1e9",
          "--spec-acceptance",
          "0.7",
          "--spec-mtp",
        ],
        /specK.*cap of 64/,
      ],
    ];
    // `ui` as a real process (it starts a server); everything else in one in-process runner (fast).
    const cli = inProcessCli(dir);
    const results: { status: number | null; stderr: string }[] = [];
    try {
      for (const [, args] of cases) results.push(args[0] === "ui" ? await flopcast(args) : await cli.run(args));
    } finally {
      cli.close();
    }
    busy.close();
    const failures = cases.flatMap(([name, , pattern], i) => {
      const r = results[i] as { status: number | null; stderr: string; ms: number };
      const ok = r.status === 2 && !/\n\s+at /.test(r.stderr) && pattern.test(r.stderr);
      return ok ? [] : [`${name}: exit ${r.status}, ${r.stderr.slice(0, 300)}`];
    });
    expect(failures).toEqual([]);
  });
});

describe("ui stops its server child on any exit", { timeout: 180_000 }, () => {
  test("kill -9 of `flopcast ui` leaves no API process answering", async () => {
    const ui = spawn(process.execPath, [bin, "ui", "--port", "0", "--db", join(dir, "ui-kill.sqlite")]);
    const url = await new Promise<string>((resolve, reject) => {
      ui.stdout.on("data", (d: Buffer) => {
        const m = /http:\/\/\S+/.exec(d.toString());
        if (m) resolve(m[0].replace(/\/$/, ""));
      });
      ui.on("exit", () => reject(new Error("ui exited")));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    ui.kill("SIGKILL");
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      await new Promise((r) => setTimeout(r, 200));
      alive = await fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      );
    }
    expect(alive).toBe(false);
  });
});
