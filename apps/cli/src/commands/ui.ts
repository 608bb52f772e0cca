import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { EXIT_BAD_INPUT } from "../output.ts";

/** A hostname or an IP literal (256.0.0.1 is neither: it looks like IPv4 but is not one). */
function validHost(h: string): boolean {
  if (isIP(h.replace(/^\[|\]$/g, ""))) return true;
  if (/^[\d.]+$/.test(h)) return false;
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(h);
}

/**
 * `flopcast ui`: runs the API + web app (apps/api/src/serve.ts) as a child process on the same Node, forwarding
 * its output and signals. Apps do not import each other; the process boundary keeps the CLI light. The child
 * holds a pipe from this process and exits when it closes, so it never outlives `ui` (even after kill -9).
 */
export function registerUi(program: Command): void {
  program
    .command("ui")
    .option("--port <p>", "port (default 8787; 0 picks a free one)", "8787")
    .option("--host <h>", "interface (default 127.0.0.1)", "127.0.0.1")
    .option("--db <file>", "SQLite store for saved scenarios (default under $XDG_DATA_HOME/flopcast)")
    .option("--time-limit-s <s>", "wall-clock limit per estimate in seconds (default 30; over it → 503)")
    .action((opts: { port: string; host: string; db?: string; timeLimitS?: string }) => {
      const bad = (path: string, message: string) => {
        process.stderr.write(`error: ${path}: ${message}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      };
      if (!/^\d+$/.test(opts.port.trim()) || Number(opts.port) > 65535)
        return bad("port", `--port must be a whole number 0-65535, got ${JSON.stringify(opts.port)}`);
      if (!validHost(opts.host))
        return bad("host", `--host must be an IP address or a hostname, got ${JSON.stringify(opts.host)}`);
      const apiDir = dirname(createRequire(import.meta.url).resolve("@flopcast/api/package.json"));
      const args = [
        join(apiDir, "src", "serve.ts"),
        "--port",
        opts.port,
        "--host",
        opts.host,
        "--exit-on-stdin-close",
        ...(opts.db ? ["--db", opts.db] : []),
        ...(opts.timeLimitS ? ["--time-limit-s", opts.timeLimitS] : []),
      ];
      const child = spawn(process.execPath, args, { stdio: ["pipe", "inherit", "inherit"] });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      process.on("SIGTERM", forward("SIGTERM"));
      process.on("SIGINT", forward("SIGINT"));
      process.on("SIGHUP", forward("SIGTERM"));
      process.on("exit", () => child.kill("SIGTERM"));
      child.on("error", (e) => {
        bad("ui", `cannot start the server: ${e.message}`);
        process.exit(EXIT_BAD_INPUT);
      });
      child.on("exit", (code) => process.exit(code ?? 0));
    });
}
