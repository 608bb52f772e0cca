/**
 * Node entry of the API (`flopcast ui` starts it): the Hono app, the built web app as static files, the SQLite
 * store. Prints the URL on stdout once listening. Bad flags, an unusable database, a port in use or an unknown
 * host are problems on stderr with exit 2 (no stack trace).
 *
 * The HTTP adapter is written here rather than taken from @hono/node-server so that an oversized upload is
 * refused while it streams in: a body without Content-Length gets its 413 as soon as it passes the limit, and
 * the rest of it is read and discarded (up to a drain cap) so that the client can read the answer.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { clockToday } from "@flopcast/contract";
import { openStore, type ResultStore } from "@flopcast/store";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import { createApp, DEFAULT_TIME_LIMIT_MS, MAX_BODY_BYTES } from "./app.ts";
import { EstimatorPool } from "./pool.ts";

/** Default store: $XDG_DATA_HOME/flopcast/flopcast.sqlite (else ~/.local/share/…). */
export function defaultDbPath(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share");
  return join(base, "flopcast", "flopcast.sqlite");
}

/** After a 413, at most this much more of the upload is read (and dropped) before the connection is cut. */
const MAX_DRAIN_BYTES = 64 << 20;
const MAX_DRAIN_MS = 10_000;

function fail(message: string, hint?: string): never {
  process.stderr.write(`error: ${message}${hint ? `\n  hint: ${hint}` : ""}\n`);
  process.exit(2);
}

const problemsBody = (message: string) => JSON.stringify({ problems: [{ path: "", message }] });

/** Hostnames that mean this machine's loopback interface. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Node request → buffered body (413 while streaming) → app.fetch → Node response. */
export function nodeListener(app: Hono) {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Liveness answers first and without the framework, so a burst of estimate requests cannot delay it.
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
      return;
    }
    const tooBig = () => {
      if (res.headersSent) return;
      res.writeHead(413, { "content-type": "application/json" });
      res.end(problemsBody(`the body exceeds ${MAX_BODY_BYTES} bytes`));
    };
    const declared = Number(req.headers["content-length"] ?? 0);
    const chunks: Buffer[] = [];
    let total = 0;
    let refused = false;
    const refuse = () => {
      refused = true;
      chunks.length = 0;
      const cut = setTimeout(() => req.destroy(), MAX_DRAIN_MS);
      cut.unref();
      req.on("end", () => clearTimeout(cut));
    };
    if (declared > MAX_BODY_BYTES) {
      // Declared too large: read and drop it, then answer (clients that send everything first read the 413).
      refuse();
      if (declared > MAX_DRAIN_BYTES) {
        tooBig();
        res.on("finish", () => req.destroy());
      } else req.on("end", tooBig);
    }
    req.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (refused) {
        if (total > MAX_DRAIN_BYTES + MAX_BODY_BYTES) req.destroy();
        return;
      }
      if (total > MAX_BODY_BYTES) {
        // Streamed (chunked) past the limit: answer now, keep draining so the client can read it.
        refuse();
        tooBig();
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => {});
    req.on("end", () => {
      if (refused) return;
      void dispatch(app, req, res, chunks.length ? Buffer.concat(chunks) : undefined);
    });
  };
}

async function dispatch(app: Hono, req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(problemsBody("malformed Host header or URL"));
    return;
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const method = req.method ?? "GET";
  try {
    const response = await app.fetch(
      new Request(url, {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body ?? []),
      }),
    );
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    res.writeHead(response.status, out);
    if (!response.body || method === "HEAD") res.end();
    else Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res);
  } catch (e) {
    process.stderr.write(`flopcast api: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(problemsBody("internal error (logged on the server)"));
  }
}

function main(): void {
  let values: { port: string; host: string; db?: string; "time-limit-s"?: string; "exit-on-stdin-close"?: boolean };
  try {
    values = parseArgs({
      options: {
        port: { type: "string", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        db: { type: "string" },
        "time-limit-s": { type: "string" },
        "exit-on-stdin-close": { type: "boolean" },
      },
    }).values as typeof values;
  } catch (e) {
    fail((e as Error).message);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port.trim()) || port > 65535) fail(`--port must be 0-65535, got ${values.port}`);
  const timeLimitS =
    values["time-limit-s"] === undefined ? DEFAULT_TIME_LIMIT_MS / 1000 : Number(values["time-limit-s"]);
  if (!(timeLimitS > 0 && timeLimitS <= 86_400))
    fail(`--time-limit-s must be in (0, 86400], got ${values["time-limit-s"]}`);
  const host = values.host;
  const dbPath = values.db ?? defaultDbPath();
  let store: ResultStore;
  try {
    mkdirSync(dirname(dbPath), { recursive: true });
    store = openStore(dbPath);
  } catch (e) {
    fail(`cannot open the database ${dbPath}: ${(e as Error).message.split("\n")[0]}`);
  }
  const pool = new EstimatorPool({ timeLimitMs: timeLimitS * 1000 });
  void pool.warm();
  let actualPort = port;
  const wildcard = host === "0.0.0.0" || host === "::" || host === "[::]";
  const bare = (h: string) => h.replace(/:\d+$/, "").toLowerCase();
  const app = createApp({
    store,
    pool,
    today: () => clockToday(),
    newId: () => randomUUID(),
    // Loopback servers answer only to loopback names (DNS rebinding); the port must be ours too.
    isOwnHost: (h) => {
      if (wildcard) return true;
      const port = /:(\d+)$/.exec(h)?.[1];
      if (port !== undefined && Number(port) !== actualPort) return false;
      return LOOPBACK.has(bare(h)) || bare(h) === host.toLowerCase() || bare(h) === `[${host.toLowerCase()}]`;
    },
  });

  const webDist = join(import.meta.dirname, "..", "..", "web", "dist");
  if (existsSync(webDist)) {
    const root = relative(process.cwd(), webDist) || ".";
    app.use("/*", serveStatic({ root }));
    app.get("/", serveStatic({ path: join(root, "index.html") }));
  } else {
    app.get("/", (c) =>
      c.text(
        "flopcast API is running; the web app is not built (npm run build -w @flopcast/web). See /openapi.json.",
        200,
      ),
    );
  }

  const server = createServer(nodeListener(app));
  server.on("error", (e: NodeJS.ErrnoException) => {
    const why: Record<string, string> = {
      EADDRINUSE: `port ${port} on ${host} is already in use`,
      EACCES: `no permission to listen on port ${port}`,
      EADDRNOTAVAIL: `${host} is not an address of this machine`,
      ENOTFOUND: `unknown host ${host}`,
      EAI_AGAIN: `cannot resolve host ${host}`,
      EINVAL: `cannot listen on ${host}:${port}`,
    };
    fail(
      why[e.code ?? ""] ?? `cannot listen on ${host}:${port}: ${e.code ?? e.message}`,
      "pick another --port or --host",
    );
  });
  server.listen(port, host, () => {
    const address = server.address();
    actualPort = typeof address === "object" && address ? address.port : port;
    const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    process.stdout.write(`http://${shown}:${actualPort}/\n`);
  });
  const stop = () => {
    server.close();
    void pool.close();
    store.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Started by `flopcast ui`: when the parent dies (even kill -9) its end of the pipe closes.
  if (values["exit-on-stdin-close"]) {
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
}

if (import.meta.main) main();
