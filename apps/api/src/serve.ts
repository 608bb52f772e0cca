/**
 * Node entry of the API (`flopcast ui` starts it): the Hono app, the built web app as static files, the SQLite
 * store. Prints the URL on stdout once listening.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { openStore } from "@flopcast/store";
import { getRequestListener } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp, MAX_BODY_BYTES } from "./app.ts";

/** Default store: $XDG_DATA_HOME/flopcast/flopcast.sqlite (else ~/.local/share/…). */
export function defaultDbPath(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share");
  return join(base, "flopcast", "flopcast.sqlite");
}

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    db: { type: "string" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`error: --port must be 0-65535, got ${values.port}\n`);
  process.exit(2);
}
const dbPath = values.db ?? defaultDbPath();
mkdirSync(dirname(dbPath), { recursive: true });
const store = openStore(dbPath);
const app = createApp({ store, today: () => new Date().toISOString().slice(0, 10), newId: () => randomUUID() });

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

const listener = getRequestListener(app.fetch);
const server = createServer((req, res) => {
  // An oversized upload is drained before the 413 so the client reads the answer instead of a reset connection.
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    req.on("end", () => {
      res.writeHead(413, { "content-type": "application/json" });
      res.end(JSON.stringify({ problems: [{ path: "", message: `the body exceeds ${MAX_BODY_BYTES} bytes` }] }));
    });
    req.resume();
    return;
  }
  void listener(req, res);
});
server.listen(port, values.host, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  process.stdout.write(`http://${values.host}:${actual}/\n`);
});
const stop = () => {
  server.close();
  store.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
