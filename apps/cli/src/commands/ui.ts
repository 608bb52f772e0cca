import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Command } from "commander";

/**
 * `flopcast ui`: runs the API + web app (apps/api/src/serve.ts) as a child process on the same Node, forwarding
 * its output and signals. Apps do not import each other; the process boundary keeps the CLI light.
 */
export function registerUi(program: Command): void {
  program
    .command("ui")
    .description("serve the web app and the HTTP API on this machine and print the URL")
    .option("--port <p>", "port (default 8787; 0 picks a free one)", "8787")
    .option("--host <h>", "interface (default 127.0.0.1)", "127.0.0.1")
    .option("--db <file>", "SQLite store for saved scenarios (default under $XDG_DATA_HOME/flopcast)")
    .action((opts: { port: string; host: string; db?: string }) => {
      const apiDir = dirname(createRequire(import.meta.url).resolve("@flopcast/api/package.json"));
      const args = [
        join(apiDir, "src", "serve.ts"),
        "--port",
        opts.port,
        "--host",
        opts.host,
        ...(opts.db ? ["--db", opts.db] : []),
      ];
      const child = spawn(process.execPath, args, { stdio: "inherit" });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      process.on("SIGTERM", forward("SIGTERM"));
      process.on("SIGINT", forward("SIGINT"));
      child.on("exit", (code) => process.exit(code ?? 0));
    });
}
