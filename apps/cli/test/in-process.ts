/**
 * Client of fuzz-host.ts: one Node process that runs many `flopcast ARGS` in-process (milliseconds per case
 * instead of a process start), for the fuzz and error suites. `ui` is not run this way (it starts a server).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface CliResult {
  readonly status: number;
  readonly ms: number;
  readonly stderr: string;
}

export function inProcessCli(cwd: string) {
  const host = spawn(process.execPath, [new URL("./fuzz-host.ts", import.meta.url).pathname], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd,
  });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: host.stdout }).on("line", (line) => waiting.shift()?.(line));
  const run = (args: string[]) =>
    new Promise<CliResult>((resolve) => {
      waiting.push((line) => resolve(JSON.parse(line) as CliResult));
      host.stdin.write(`${JSON.stringify(args)}\n`);
    });
  return { run, close: () => host.kill("SIGKILL") };
}
