/**
 * The HTTP API (ARCHITECTURE §6): Hono, no listen() here (serve.ts is the Node entry). Bodies are validated by
 * the contract schemas (400 with the problems list), errors are mapped in one place (`onError`), bodies over
 * 1 MB get 413, and simulations are bounded by a request cap so one call cannot run for minutes.
 */
import { catalog, findAccelerator, findModel } from "@flopcast/catalog";
import {
  CompareScenario,
  checkAllClaims,
  compareHardware,
  FleetScenario,
  hardwareSummary,
  hardwareView,
  InferScenario,
  inferenceLedger,
  modelView,
  problemsFromZod,
  runScenario,
  type ScenarioCommand,
  ServeScenario,
  summarize,
  TrainScenario,
  trainingLedger,
} from "@flopcast/contract";
import type { Problem } from "@flopcast/core";
import type { ResultStore } from "@flopcast/store";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";

/** Largest body accepted (bytes) and largest simulation (requests) per call. */
export const MAX_BODY_BYTES = 1_000_000;
export const MAX_SIMULATED_REQUESTS = 200_000;

export interface AppOptions {
  readonly store: ResultStore;
  /** Today's date for price ages (the entry point reads the clock). */
  readonly today: () => string;
  /** Unique ids for saved scenarios (injected: tests pass a counter). */
  readonly newId: () => string;
}

/** The part of Node's IncomingMessage used to drain an oversized upload. */
interface Drainable {
  readonly readableEnded: boolean;
  on(event: "end", listener: () => void): Drainable;
  resume(): unknown;
}

class ProblemsError extends Error {
  readonly problems: readonly Problem[];
  readonly status: 400 | 404 | 413;
  constructor(problems: readonly Problem[], status: 400 | 404 | 413 = 400) {
    super(problems.map((p) => p.message).join("; "));
    this.problems = problems;
    this.status = status;
  }
}

async function jsonBody(c: { req: { json: () => Promise<unknown> } }): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
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

export function createApp(opts: AppOptions): Hono {
  const app = new Hono();

  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: async (c) => {
        // On Node, drain the rest of the upload before answering so the client reads the 413 instead of a reset.
        const incoming = (c.env as { incoming?: Drainable } | undefined)?.incoming;
        if (incoming && !incoming.readableEnded)
          await new Promise<void>((resolve) => incoming.on("end", resolve).resume());
        return c.json({ problems: [{ path: "", message: `the body exceeds ${MAX_BODY_BYTES} bytes` }] }, 413);
      },
    }),
  );

  app.onError((err, c) => {
    if (err instanceof ProblemsError) return c.json({ problems: err.problems }, err.status);
    return c.json({ error: "internal error", message: err.message }, 500);
  });

  app.get("/healthz", (c) => c.json({ ok: true }));

  const scenarioRoute = (command: ScenarioCommand) =>
    app.post(`/v1/${command}`, async (c) => {
      const body = await jsonBody(c);
      if (command === "serve" && Number(body.requests ?? 0) > MAX_SIMULATED_REQUESTS)
        throw new ProblemsError([
          {
            path: "requests",
            message: `at most ${MAX_SIMULATED_REQUESTS} requests per API call (use the CLI for larger runs)`,
          },
        ]);
      const outcome = runScenario(command, command === "fleet" ? { today: opts.today(), ...body } : body);
      if (!outcome.ok) throw new ProblemsError(outcome.problems);
      return c.json(outcome.result as object);
    });
  for (const command of ["train", "infer", "serve", "fleet"] as const) scenarioRoute(command);

  app.post("/v1/compare", async (c) => {
    const parsed = CompareScenario.safeParse({ today: opts.today(), ...(await jsonBody(c)) });
    if (!parsed.success) throw new ProblemsError(problemsFromZod(parsed.error));
    const model = findModel(parsed.data.model);
    if (!model.ok) throw new ProblemsError(model.problems);
    const chips = parsed.data.hardware.split(",").map((id, i) => {
      const h = findAccelerator(id.trim(), `hardware[${i}]`);
      if (!h.ok) throw new ProblemsError(h.problems);
      return h.value;
    });
    return c.json(compareHardware(parsed.data, model.value, chips));
  });

  app.get("/v1/claims", (c) => c.json(checkAllClaims()));
  app.get("/v1/validate", (c) => {
    const cases = [...trainingLedger(), ...inferenceLedger()];
    return c.json({ cases, summary: summarize(cases) });
  });

  app.get("/v1/hardware", (c) =>
    c.json([...catalog().accelerators.values()].map((f) => hardwareSummary(f, opts.today()))),
  );
  app.get("/v1/hardware/:id", (c) => {
    const h = findAccelerator(c.req.param("id"));
    if (!h.ok) throw new ProblemsError(h.problems, 404);
    return c.json(hardwareView(h.value, opts.today()));
  });
  app.get("/v1/models", (c) =>
    c.json([...catalog().models.values()].map((m) => ({ id: m.id, name: m.name, family: m.family, year: m.year }))),
  );
  app.get("/v1/models/:id", (c) => {
    const m = findModel(c.req.param("id"));
    if (!m.ok) throw new ProblemsError(m.problems, 404);
    return c.json(modelView(m.value));
  });

  app.post("/v1/scenarios", async (c) => {
    const parsed = SavedScenarioBody.safeParse(await jsonBody(c));
    if (!parsed.success) throw new ProblemsError(problemsFromZod(parsed.error));
    const saved = { id: opts.newId(), ...parsed.data, createdAt: `${opts.today()}` };
    opts.store.saveScenario(saved);
    return c.json(saved, 201);
  });
  app.get("/v1/scenarios", (c) => c.json(opts.store.listScenarios()));
  app.get("/v1/scenarios/:id", (c) => {
    const s = opts.store.getScenario(c.req.param("id"));
    if (!s) throw new ProblemsError([{ path: "id", message: `no saved scenario ${c.req.param("id")}` }], 404);
    return c.json(s);
  });
  app.delete("/v1/scenarios/:id", (c) => {
    if (!opts.store.deleteScenario(c.req.param("id")))
      throw new ProblemsError([{ path: "id", message: `no saved scenario ${c.req.param("id")}` }], 404);
    return c.body(null, 204);
  });

  app.get("/openapi.json", (c) => c.json(openApiDocument()));
  return app;
}

/** OpenAPI 3.1 document generated from the contract schemas (zod's JSON Schema output). */
export function openApiDocument() {
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
  const problems = {
    type: "object",
    properties: {
      problems: {
        type: "array",
        items: {
          type: "object",
          properties: { path: { type: "string" }, message: { type: "string" }, hint: { type: "string" } },
          required: ["path", "message"],
        },
      },
    },
  };
  const post = (summary: string, body: z.ZodType) => ({
    post: {
      summary,
      requestBody: { required: true, content: { "application/json": { schema: schema(body) } } },
      responses: {
        "200": { description: "the result (CONTRACT.md fields)" },
        "400": { description: "bad input", content: { "application/json": { schema: problems } } },
        "413": { description: "body too large" },
      },
    },
  });
  const get = (summary: string) => ({ get: { summary, responses: { "200": { description: "OK" } } } });
  return {
    openapi: "3.1.0",
    info: {
      title: "flopcast API",
      version: "0.1.0",
      description: "Training, inference, serving and cost estimates for AI infrastructure.",
    },
    paths: {
      "/healthz": get("liveness"),
      "/v1/train": post("training estimate", TrainScenario),
      "/v1/infer": post("inference estimate", InferScenario),
      "/v1/serve": post(`serving simulation (≤ ${MAX_SIMULATED_REQUESTS} requests)`, ServeScenario),
      "/v1/fleet": post("fleet sizing under SLOs", FleetScenario),
      "/v1/compare": post("the same workload across chips", CompareScenario),
      "/v1/claims": get("published claims reproduced"),
      "/v1/validate": get("validation ledger"),
      "/v1/hardware": get("accelerator catalog"),
      "/v1/hardware/{id}": get("one accelerator with sources"),
      "/v1/models": get("model catalog"),
      "/v1/models/{id}": get("one model"),
      "/v1/scenarios": { ...get("saved scenarios"), ...post("save a scenario", SavedScenarioBody) },
      "/v1/scenarios/{id}": {
        ...get("one saved scenario"),
        delete: { summary: "delete a saved scenario", responses: { "204": { description: "deleted" } } },
      },
    },
  };
}
