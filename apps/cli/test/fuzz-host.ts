/**
 * In-process runner for the CLI fuzz suite: reads one JSON array of arguments per stdin line, runs
 * `flopcast ARGS` by re-importing src/main.ts (a fresh module instance; its dependencies stay loaded, so a case
 * costs milliseconds rather than a process start), and writes one JSON line per case: exit code, time, stderr.
 * process.exit is turned into an exception so that a case cannot end the host.
 */
import { createInterface } from "node:readline";

class ExitCalled extends Error {}

const mainUrl = new URL("../src/main.ts", import.meta.url).href;
const realStdout = process.stdout.write.bind(process.stdout);
const realStderr = process.stderr.write.bind(process.stderr);
const realExit = process.exit;
let n = 0;

for await (const line of createInterface({ input: process.stdin })) {
  const args = JSON.parse(line) as string[];
  let stderr = "";
  let exited: number | undefined;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exit = ((code?: number) => {
    exited = code ?? 0;
    throw new ExitCalled();
  }) as typeof process.exit;
  process.exitCode = 0;
  process.argv = [process.argv[0] as string, "flopcast", ...args];
  const t0 = performance.now();
  try {
    await import(`${mainUrl}?case=${++n}`);
  } catch (e) {
    if (!(e instanceof ExitCalled)) {
      stderr += `\nuncaught: ${e instanceof Error ? e.stack : String(e)}`;
      exited = 1;
    }
  }
  const ms = performance.now() - t0;
  process.stdout.write = realStdout;
  process.stderr.write = realStderr;
  process.exit = realExit;
  const status = exited ?? Number(process.exitCode ?? 0);
  process.exitCode = 0;
  realStdout(`${JSON.stringify({ status, ms, stderr: stderr.slice(0, 4000) })}\n`);
}
