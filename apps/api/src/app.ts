/**
 * The HTTP API (ARCHITECTURE §6): Hono, no listen() here (serve.ts is the Node entry). Hardening (README
 * "Security and limits"): writes only from this server's own origin (403), JSON bodies only (415), bodies over
 * 1 MB → 413 while they stream in, JSON nesting ≤ 64 levels, work budgets from the validated scenario (400),
 * estimators on a worker pool with a wall-clock limit (503), and every error — 404, 405, 500 included — as a
 * problems document; a 500 is logged here and never echoes internals to the client.
 */
import { catalog } from "@flopcast/catalog";
import {
  API_BUDGET,
  COMMANDS,
  type CommandName,
  ModelListOutput,
  ProblemsOutput,
  problemsFromZod,
  runCommand,
} from "@flopcast/contract";
import type { Problem } from "@flopcast/core";
import type { ResultStore, SavedScenario } from "@flopcast/store";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { EstimateJob } from "./estimate.ts";
import { EstimatorPool } from "./pool.ts";

/** Largest body accepted (bytes), deepest JSON nesting, and the estimators' wall-clock limit per call. */
export const MAX_BODY_BYTES = 1_000_000;
export const MAX_JSON_DEPTH = 64;
export const DEFAULT_TIME_LIMIT_MS = 30_000;
/** Largest simulation (requests) per call: the API work budget (packages/contract/src/budget.ts). */
export const MAX_SIMULATED_REQUESTS = API_BUDGET.simulatedRequests;

export interface AppOptions {
  readonly store: ResultStore;
  /** Today's date for price ages (the entry point reads the clock). */
  readonly today: () => string;
  /** Unique ids for saved scenarios (injected: tests pass a counter). */
  readonly newId: () => string;
  /** Estimator pool (default: a new one with `timeLimitMs`). */
  readonly pool?: EstimatorPool;
  /** Wall-clock limit per estimate when the app makes its own pool (default 30 s). */
  readonly timeLimitMs?: number;
  /**
   * Whether a Host header names this server (DNS-rebinding guard); serve.ts passes the loopback names and the
   * bound port. Default: any host (then only the Origin check applies).
   */
  readonly isOwnHost?: (host: string) => boolean;
  /** Server-side log for internal errors (default: stderr). */
  readonly log?: (message: string) => void;
}

export class ProblemsError extends Error {
  readonly problems: readonly Problem[];
  readonly status: 400 | 403 | 404 | 405 | 413 | 415 | 503;
  constructor(problems: readonly Problem[], status: ProblemsError["status"] = 400) {
    super(problems.map((p) => p.message).join("; "));
    this.problems = problems;
    this.status = status;
  }
}

/** Deepest nesting of `[`/`{` in JSON text (strings skipped); linear, no recursion. */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return max;
}

/** Deepest nesting of an already-parsed value (iterative, so a hostile stored row cannot overflow the stack). */
export function valueDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Commands answered on `POST /v1/<name>` with a JSON body (their input schema). */
const POST_COMMANDS = ["train", "infer", "serve", "fleet", "compare"] as const satisfies readonly CommandName[];

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Reads the body as it streams in: 413 as soon as it passes the limit, 400 when it is not a JSON object. */
async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const reader = c.req.raw.body?.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (reader)
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        void reader.cancel().catch(() => {});
        throw new ProblemsError([{ path: "", message: `the body exceeds ${MAX_BODY_BYTES} bytes` }], 413);
      }
      chunks.push(value);
    }
  const text = Buffer.concat(chunks).toString("utf8");
  if (jsonTextDepth(text) > MAX_JSON_DEPTH)
    throw new ProblemsError([{ path: "", message: `the body nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemsError([{ path: "", message: "the body is not valid JSON" }]);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new ProblemsError([{ path: "", message: "the body must be a JSON object" }]);
  return body as Record<string, unknown>;
}

const SavedScenarioBody = z
  .object({
    name: z.string().min(1).max(200),
    command: z.enum(["train", "infer", "serve", "fleet", "compare"]),
    scenario: z.record(z.string(), z.unknown()),
  })
  .strict();

/** A stored row as served: one nested deeper than the body limit (written before the limit) is withheld. */
function servable(s: SavedScenario) {
  return valueDepth(s.scenario, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
    ? {
        ...s,
        scenario: null,
        problems: [{ path: "scenario", message: `stored scenario nests deeper than ${MAX_JSON_DEPTH} levels` }],
      }
    : s;
}

/** Routes and their methods, for 405 answers (an `Allow` header) rather than 404. */
const ROUTES: Record<string, readonly string[]> = {
  "/healthz": ["GET"],
  "/openapi.json": ["GET"],
  "/v1/train": ["POST"],
  "/v1/infer": ["POST"],
  "/v1/serve": ["POST"],
  "/v1/fleet": ["POST"],
  "/v1/compare": ["POST"],
  "/v1/claims": ["GET"],
  "/v1/validate": ["GET"],
  "/v1/hardware": ["GET"],
  "/v1/hardware/:id": ["GET"],
  "/v1/models": ["GET"],
  "/v1/models/:id": ["GET"],
  "/v1/scenarios": ["GET", "POST"],
  "/v1/scenarios/:id": ["GET", "DELETE"],
};

export function createApp(opts: AppOptions): Hono {
  const app = new Hono();
  const pool = opts.pool ?? new EstimatorPool({ timeLimitMs: opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS });
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));

  app.onError((err, c) => {
    if (err instanceof ProblemsError) return c.json({ problems: err.problems }, err.status);
    log(`flopcast api: internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json({ problems: [{ path: "", message: "internal error (logged on the server)" }] }, 500);
  });
  app.notFound((c) => c.json({ problems: [{ path: "", message: `no route ${c.req.method} ${c.req.path}` }] }, 404));

  // Cross-site request forgery and DNS rebinding: a web page elsewhere must not write to this local server.
  app.use("*", async (c, next) => {
    const own = new URL(c.req.url).host;
    const host = c.req.header("host") ?? own;
    if (opts.isOwnHost && !opts.isOwnHost(host))
      throw new ProblemsError([{ path: "host", message: `Host ${JSON.stringify(host)} is not this server` }], 403);
    if (UNSAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      let originHost: string | null = null;
      try {
        originHost = origin === undefined ? host : new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost !== host || c.req.header("sec-fetch-site") === "cross-site")
        throw new ProblemsError(
          [{ path: "origin", message: `writes are accepted only from this server's own pages, not ${origin}` }],
          403,
        );
      if (c.req.method !== "DELETE") {
        const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
        if (type !== "application/json")
          throw new ProblemsError(
            [{ path: "content-type", message: `the body must be application/json, got ${type || "none"}` }],
            415,
          );
      }
    }
    await next();
  });

  const answer = async (c: Context, job: EstimateJob) => {
    const r = await pool.run(job);
    switch (r.kind) {
      case "done":
        if (!r.outcome.ok) throw new ProblemsError(r.outcome.problems);
        return c.body(r.outcome.json, 200, { "content-type": "application/json" });
      case "timeout":
        throw new ProblemsError(
          [
            {
              path: "",
              message: `the estimate did not finish within ${pool.timeLimitMs / 1000} s and was stopped`,
              hint: "ask for less work (fewer requests, simRequests or chips), or use the CLI",
            },
          ],
          503,
        );
      case "busy":
        throw new ProblemsError([{ path: "", message: "the server is busy; retry shortly" }], 503);
      case "error":
        throw new Error(r.error);
    }
  };

  app.get("/healthz", (c) => c.json({ ok: true }));

  const run = async (c: Context, command: CommandName, body: Record<string, unknown>) =>
    answer(c, { kind: "command", command, body, today: opts.today() });
  for (const command of POST_COMMANDS) app.post(`/v1/${command}`, async (c) => run(c, command, await jsonBody(c)));
  app.get("/v1/claims", (c) => run(c, "claims", {}));
  app.get("/v1/validate", (c) => run(c, "validate", {}));

  // Catalog reads are cheap: answered on this thread, through the same registry rows as the CLI.
  const read = (c: Context, command: CommandName, input: Record<string, unknown>) => {
    const r = runCommand(command, input, { today: opts.today(), budget: API_BUDGET });
    if (!r.ok) throw new ProblemsError(r.problems, 404);
    return c.json(r.result as object);
  };
  app.get("/v1/hardware", (c) => read(c, "hardwareList", {}));
  app.get("/v1/hardware/:id", (c) => read(c, "hardwareShow", { id: c.req.param("id") }));
  app.get("/v1/models", (c) =>
    c.json([...catalog().models.values()].map((m) => ({ id: m.id, name: m.name, family: m.family, year: m.year }))),
  );
  app.get("/v1/models/:id", (c) => read(c, "modelShow", { id: c.req.param("id") }));

  app.post("/v1/scenarios", async (c) => {
    const parsed = SavedScenarioBody.safeParse(await jsonBody(c));
    if (!parsed.success) throw new ProblemsError(problemsFromZod(parsed.error));
    const saved = { id: opts.newId(), ...parsed.data, createdAt: `${opts.today()}` };
    opts.store.saveScenario(saved);
    return c.json(saved, 201);
  });
  app.get("/v1/scenarios", (c) => c.json(opts.store.listScenarios().map(servable)));
  app.get("/v1/scenarios/:id", (c) => {
    const s = opts.store.getScenario(c.req.param("id"));
    if (!s) throw new ProblemsError([{ path: "id", message: `no saved scenario ${c.req.param("id")}` }], 404);
    return c.json(servable(s));
  });
  app.delete("/v1/scenarios/:id", (c) => {
    if (!opts.store.deleteScenario(c.req.param("id")))
      throw new ProblemsError([{ path: "id", message: `no saved scenario ${c.req.param("id")}` }], 404);
    return c.body(null, 204);
  });

  app.get("/openapi.json", (c) => c.json(openApiDocument()));

  // A known path with another method: 405 with the methods it has.
  for (const [path, methods] of Object.entries(ROUTES))
    app.all(path, (c) => {
      if (c.req.method === "HEAD" && methods.includes("GET")) return c.body(null, 200);
      c.header("allow", methods.join(", "));
      return c.json(
        {
          problems: [{ path: "", message: `${c.req.method} is not allowed on ${path} (use ${methods.join(" or ")})` }],
        },
        405,
      );
    });
  return app;
}

/**
 * OpenAPI 3.1 document generated from the command registry (zod's JSON Schema output): request bodies from the
 * input schemas, 200 responses from the output schemas, errors from the problems schema.
 */
export function openApiDocument() {
  const input = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
  const output = (s: z.ZodType) => z.toJSONSchema(s, { io: "output", unrepresentable: "any" });
  const problems = { "application/json": { schema: output(ProblemsOutput) } };
  const ok = (description: string, schema: z.ZodType) => ({
    "200": { description, content: { "application/json": { schema: output(schema) } } },
  });
  const errors = (...codes: (keyof typeof ERRORS)[]) =>
    Object.fromEntries(codes.map((code) => [code, { description: ERRORS[code], content: problems }]));
  const postCommand = (name: CommandName, summary = COMMANDS[name].summary) => ({
    post: {
      summary,
      operationId: name,
      requestBody: {
        required: true,
        content: { "application/json": { schema: input(COMMANDS[name].input), example: COMMANDS[name].example } },
      },
      responses: { ...ok("the result", COMMANDS[name].output), ...errors("400", "403", "413", "415", "503") },
    },
  });
  const getCommand = (name: CommandName, notFound = false) => ({
    get: {
      summary: COMMANDS[name].summary,
      operationId: name,
      responses: { ...ok("the result", COMMANDS[name].output), ...(notFound ? errors("404") : {}) },
    },
  });
  const pathId = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];
  return {
    openapi: "3.1.0",
    info: {
      title: "flopcast API",
      version: "0.1.0",
      description: "Training, inference, serving and cost estimates for AI infrastructure.",
    },
    paths: {
      "/healthz": { get: { summary: "liveness", responses: { "200": { description: "OK" } } } },
      "/v1/train": postCommand("train"),
      "/v1/infer": postCommand("infer"),
      "/v1/serve": postCommand("serve", `${COMMANDS.serve.summary} (≤ ${MAX_SIMULATED_REQUESTS} requests)`),
      "/v1/fleet": postCommand("fleet"),
      "/v1/compare": postCommand("compare"),
      "/v1/claims": getCommand("claims"),
      "/v1/validate": getCommand("validate"),
      "/v1/hardware": getCommand("hardwareList"),
      "/v1/hardware/{id}": { parameters: pathId, ...getCommand("hardwareShow", true) },
      "/v1/models": { get: { summary: "model catalog", responses: ok("the models", ModelListOutput) } },
      "/v1/models/{id}": { parameters: pathId, ...getCommand("modelShow", true) },
      "/v1/scenarios": {
        get: { summary: "saved scenarios", responses: { "200": { description: "saved scenarios" } } },
        post: {
          summary: "save a scenario",
          requestBody: { required: true, content: { "application/json": { schema: input(SavedScenarioBody) } } },
          responses: { "201": { description: "saved" }, ...errors("400", "403", "413", "415") },
        },
      },
      "/v1/scenarios/{id}": {
        parameters: pathId,
        get: { summary: "one saved scenario", responses: { "200": { description: "the scenario" }, ...errors("404") } },
        delete: {
          summary: "delete a saved scenario",
          responses: { "204": { description: "deleted" }, ...errors("404") },
        },
      },
    },
  };
}

const ERRORS = {
  "400": "bad input",
  "403": "cross-origin write refused",
  "404": "no such id",
  "413": "body too large",
  "415": "body is not application/json",
  "503": "over the time limit, or busy",
} as const;
