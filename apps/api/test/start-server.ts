/**
 * Starts the real API server (src/serve.ts) on a free loopback port and resolves with its URL once it prints it.
 * Shared by the loopback tests (api.test.ts, hardening.test.ts) and `scripts/bench-reliability.ts`; the caller
 * kills the child.
 */
import { type ChildProcess, spawn } from "node:child_process";

export async function startServer(
  db: string,
  extra: readonly string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [new URL("../src/serve.ts", import.meta.url).pathname, "--port", "0", "--db", db, ...extra],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      const m = /http:\/\/\S+/.exec(d.toString());
      if (m) resolve(m[0].replace(/\/$/, ""));
    });
    child.on("exit", () => reject(new Error("server exited")));
  });
  return { url, child };
}
