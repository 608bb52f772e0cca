/**
 * The command registry (issue #15 item 5): every command that computes, with its input schema, its output schema
 * (outputs.ts), an embedded example input and the function that runs it. The CLI's `--json`, the API (routes and
 * OpenAPI 200 responses), the web app's result types and `sweep` rows are all shaped by this one table.
 *
 * `runCommand` is the one path from a raw input (flags, YAML, HTTP body, URL state, sweep row) to a result:
 * inject the scenario date from the context → validate → check the work budget → resolve ids → plan.
 */
import {
  catalog,
  findAccelerator,
  findModel,
  inferenceCalibrationData,
  trainingCalibrationData,
} from "@flopcast/catalog";
import type { Problem } from "@flopcast/core";
import { z } from "zod";
import { CLI_BUDGET, type WorkBudget, workProblems } from "./budget.ts";
import { hardwareSummary, hardwareView, modelView } from "./catalog-views.ts";
import { checkAllClaims } from "./claims.ts";
import { CompareScenario, compareHardware } from "./compare-plan.ts";
import { DEFAULT_SCENARIO_DATE } from "./context.ts";
import { FleetScenario, planFleet } from "./fleet-plan.ts";
import { planInference } from "./infer-plan.ts";
import { nonNegativeNumber } from "./numbers.ts";
import {
  ClaimsOutput,
  CompareOutput,
  FleetOutput,
  HardwareListOutput,
  HardwareShowOutput,
  InferOutput,
  ModelShowOutput,
  SearchOutput,
  ServeOutput,
  TrainOutput,
  ValidateOutput,
} from "./outputs.ts";
import { problemsFromZod } from "./problems.ts";
import type { ModelResolver, Outcome } from "./run-scenario.ts";
import { InferScenario, PriceBasisName, ScenarioDate, ServeScenario, TrainScenario } from "./scenario.ts";
import { SearchScenario, search } from "./search-plan.ts";
import { runServe, setupServe } from "./serve-plan.ts";
import { planTraining } from "./train-plan.ts";
import { inferenceLedger, summarize, trainingLedger } from "./validation.ts";

/** What every command runs with: injected by the adapter (the CLI and the API read the clock once; tests fix it). */
export interface CommandContext {
  /** The scenario date (YYYY-MM-DD) prices are taken at, unless the input gives `today` itself. */
  readonly today: string;
  /** Resolves `model` (an id; for the CLI also a config.json path). */
  readonly resolveModel: ModelResolver;
  /** Caps on the work one input may ask for (API tight, CLI loose). */
  readonly budget: WorkBudget;
}

export const defaultCommandContext = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  today: DEFAULT_SCENARIO_DATE,
  resolveModel: (id, path) => findModel(id, path),
  budget: CLI_BUDGET,
  ...overrides,
});

/** `claims`: price every claim on a basis or at one rent (default: the market median at each claim's date). */
export const ClaimsScenario = z
  .object({ priceBasis: PriceBasisName.optional(), priceUsdPerChipHour: nonNegativeNumber.optional() })
  .strict();
export const LEDGER_ESTIMATORS = ["training", "inference"] as const;
/** `validate`: the built-in ledger, both estimators or one. */
export const ValidateScenario = z
  .object({
    estimator: z
      .enum(LEDGER_ESTIMATORS, { error: (i) => `unknown estimator ${JSON.stringify(i.input)} (training or inference)` })
      .optional(),
  })
  .strict();

/** The validation ledger of `validate` (CLI, API, web): cases, summary, per-estimator summaries, out-of-sample medians. */
export function validationReport(estimator?: (typeof LEDGER_ESTIMATORS)[number]) {
  const wanted = LEDGER_ESTIMATORS.filter((e) => estimator === undefined || estimator === e);
  const cases = wanted.flatMap((e) => (e === "training" ? trainingLedger() : inferenceLedger()));
  const byEstimator = Object.fromEntries(wanted.map((e) => [e, summarize(cases.filter((c) => c.estimator === e))]));
  const cal = wanted.includes("inference") ? inferenceCalibrationData() : undefined;
  /** Out-of-sample medians of the inference fit: each held-out group excluded from every fit that predicts it. */
  const inferenceOutOfSample = cal
    ? {
        leaveOneChipOut: cal.leaveOneChipOut.medianAbsError,
        leaveOneModelFamilyOut: cal.leaveOneModelFamilyOut.medianAbsError,
        vendorHeldOut: Object.fromEntries(Object.entries(cal.vendorHeldOut).map(([v, h]) => [v, h.medianAbsError])),
      }
    : undefined;
  const tcal = wanted.includes("training") ? trainingCalibrationData() : undefined;
  /** Out-of-sample medians of the training fit (scripts/calibrate-training.ts writes them with the fit). */
  const trainingOutOfSample = tcal
    ? {
        leaveOneChipOut: tcal.leaveOneChipOut?.medianAbsError ?? null,
        leaveOneModelFamilyOut: tcal.leaveOneModelFamilyOut?.medianAbsError ?? null,
        leaveOneFrameworkOut: tcal.leaveOneFrameworkOut?.medianAbsError ?? null,
      }
    : undefined;
  return {
    cases,
    summary: {
      ...summarize(cases),
      byEstimator,
      ...(trainingOutOfSample ? { trainingOutOfSample } : {}),
      ...(inferenceOutOfSample ? { inferenceOutOfSample } : {}),
    },
  };
}
/** `hardware list`: every chip, prices at `today`. */
export const HardwareListScenario = z.object({ today: ScenarioDate }).strict();
/** `hardware show`: one chip with every value's source. */
export const HardwareShowScenario = z.object({ id: z.string().min(1), today: ScenarioDate }).strict();
/** `model show`: one model's parameter counts, FLOPs and KV bytes at its default context. */
export const ModelShowScenario = z.object({ id: z.string().min(1) }).strict();

interface CommandSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  /** An embedded default input: the OpenAPI example and the input `commands.test.ts` runs. */
  readonly example: Record<string, unknown>;
  readonly run: (input: z.output<I>, ctx: CommandContext) => Outcome<z.output<O>>;
}

/** Type-checks a command entry: `run` must return what `output` describes (the planner's type fits the schema). */
const command = <I extends z.ZodType, O extends z.ZodType>(spec: CommandSpec<I, O>) => spec;

const ok = <T>(result: T) => ({ ok: true as const, result });

export const COMMANDS = {
  train: command({
    summary: "training estimate: FLOPs, layout, MFU, days, $, energy",
    input: TrainScenario,
    output: TrainOutput,
    example: { model: "llama-3.1-8b", tokens: 1e12, hardware: "h100-sxm", chips: 64 },
    run(s, ctx) {
      const m = ctx.resolveModel(s.model, "model");
      if (!m.ok) return m;
      const h = s.hardware ? findAccelerator(s.hardware) : undefined;
      if (h && !h.ok) return h;
      const r = planTraining(s, m.value, h?.ok ? h.value : undefined);
      return r.ok ? ok(r.result) : r;
    },
  }),
  infer: command({
    summary: "inference estimate: TTFT, TPOT, throughput, memory, bottleneck",
    input: InferScenario,
    output: InferOutput,
    example: { model: "llama-3.1-8b", hardware: "h100-sxm", inputTokens: 1024, outputTokens: 256, batch: 8 },
    run(s, ctx) {
      const m = ctx.resolveModel(s.model, "model");
      if (!m.ok) return m;
      const h = findAccelerator(s.hardware);
      if (!h.ok) return h;
      const d = s.specDraft ? ctx.resolveModel(s.specDraft, "specDraft") : undefined;
      if (d && !d.ok) return d;
      const r = planInference(s, m.value, h.value, d?.ok ? d.value : undefined);
      return r.ok ? ok(r.result) : r;
    },
  }),
  serve: command({
    summary: "serving simulation: latency percentiles, throughput, SLO attainment",
    input: ServeScenario,
    output: ServeOutput,
    example: { model: "llama-3.1-8b", hardware: "h100-sxm", rate: 4, requests: 200, seed: 1 },
    run(s, ctx) {
      if (s.trace !== undefined)
        return { ok: false, problems: [{ path: "trace", message: "trace files are read by the CLI only" }] };
      const m = ctx.resolveModel(s.model, "model");
      if (!m.ok) return m;
      const h = findAccelerator(s.hardware);
      if (!h.ok) return h;
      const d = s.specDraft ? ctx.resolveModel(s.specDraft, "specDraft") : undefined;
      if (d && !d.ok) return d;
      const setup = setupServe(s, m.value, h.value, { draft: d?.ok ? d.value : undefined });
      if (!setup.ok) return setup;
      return ok(runServe(s, setup.setup).result);
    },
  }),
  fleet: command({
    summary: "fleet sizing under SLOs: replicas, chips, $/day, $/1M tokens, MW",
    input: FleetScenario,
    output: FleetOutput,
    example: {
      model: "llama-3.1-8b",
      hardware: "h100-sxm",
      requestsPerDay: 1e6,
      inputTokens: 512,
      outputTokens: 256,
      sloTtftMs: 1000,
      simRequests: 400,
    },
    run(s, ctx) {
      const m = ctx.resolveModel(s.model, "model");
      if (!m.ok) return m;
      const h = findAccelerator(s.hardware);
      if (!h.ok) return h;
      const r = planFleet(s, m.value, h.value);
      return r.ok ? ok(r.result) : r;
    },
  }),
  compare: command({
    summary: "the same workload across chips",
    input: CompareScenario,
    output: CompareOutput,
    example: { model: "llama-3.1-8b", hardware: "h100-sxm,mi300x", tokens: 1e12, chips: 64 },
    run(s, ctx) {
      const m = ctx.resolveModel(s.model, "model");
      if (!m.ok) return m;
      const chips = [];
      for (const [i, id] of s.hardware.split(",").entries()) {
        const h = findAccelerator(id.trim(), `hardware[${i}]`);
        if (!h.ok) return h;
        chips.push(h.value);
      }
      return ok(compareHardware(s, m.value, chips));
    },
  }),
  search: command({
    summary: "Pareto front of layouts and chips for a training or serving goal",
    input: SearchScenario,
    output: SearchOutput,
    example: { goal: "train", model: "llama-3.1-8b", tokens: 1e12, hardware: "h100-sxm", maxChips: 256 },
    run(s, ctx) {
      const m = ctx.resolveModel(s.model, "model");
      if (!m.ok) return m;
      const r = search(s, m.value);
      // FrontPoint is an open record (objectives by goal): its fields are checked at run time (commands.test.ts).
      return r.ok ? ok(r.result as unknown as SearchOutput) : r;
    },
  }),
  claims: command({
    summary: "published claims reproduced from first principles, with verdicts",
    input: ClaimsScenario,
    output: ClaimsOutput,
    example: {},
    run: (s) => ok(checkAllClaims({ basis: s.priceBasis, usdPerChipHour: s.priceUsdPerChipHour })),
  }),
  validate: command({
    summary: "validation ledger: predicted vs published measurements",
    input: ValidateScenario,
    output: ValidateOutput,
    example: {},
    run: (s) => ok(validationReport(s.estimator)),
  }),
  hardwareList: command({
    summary: "accelerator catalog",
    input: HardwareListScenario,
    output: HardwareListOutput,
    example: {},
    run: (s) => ok([...catalog().accelerators.values()].map((f) => hardwareSummary(f, s.today))),
  }),
  hardwareShow: command({
    summary: "one accelerator with every value's source",
    input: HardwareShowScenario,
    output: HardwareShowOutput,
    example: { id: "h100-sxm" },
    run(s) {
      const h = findAccelerator(s.id);
      return h.ok ? ok(hardwareView(h.value, s.today)) : h;
    },
  }),
  modelShow: command({
    summary: "one model: parameters, FLOPs per token, KV bytes",
    input: ModelShowScenario,
    output: ModelShowOutput,
    example: { id: "llama-3.1-8b" },
    run(s, ctx) {
      const m = ctx.resolveModel(s.id, "model");
      return m.ok ? ok(modelView(m.value)) : m;
    },
  }),
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.output<(typeof COMMANDS)[C]["input"]>;
export type CommandOutput<C extends CommandName> = z.output<(typeof COMMANDS)[C]["output"]>;

/** Whether a command's input carries the scenario date (then the context's `today` fills it when absent). */
const takesToday = (schema: z.ZodType): boolean =>
  schema instanceof z.ZodObject ? "today" in schema.shape : "today" in ((schema as { shape?: object }).shape ?? {});

/** Validates a raw input with the command's schema (the context's `today` filled in when the input has none). */
export function parseCommandInput<C extends CommandName>(
  name: C,
  raw: Record<string, unknown>,
  ctx: Pick<CommandContext, "today">,
): { ok: true; input: CommandInput<C> } | { ok: false; problems: Problem[] } {
  const schema = COMMANDS[name].input as z.ZodType;
  const withDate = takesToday(schema) && raw.today === undefined ? { ...raw, today: ctx.today } : raw;
  const p = schema.safeParse(withDate);
  return p.success ? { ok: true, input: p.data as CommandInput<C> } : { ok: false, problems: problemsFromZod(p.error) };
}

/** Raw input → validated → within the work budget → result or problems (never throws on bad input). */
export function runCommand<C extends CommandName>(
  name: C,
  raw: Record<string, unknown>,
  context: Partial<CommandContext> = {},
): Outcome<CommandOutput<C>> {
  const ctx = defaultCommandContext(context);
  const parsed = parseCommandInput(name, raw, ctx);
  if (!parsed.ok) return parsed;
  const over = workProblems(parsed.input as Record<string, unknown>, ctx.budget);
  if (over.length) return { ok: false, problems: over };
  const spec = COMMANDS[name] as unknown as CommandSpec<z.ZodType, z.ZodType>;
  return spec.run(parsed.input, ctx) as Outcome<CommandOutput<C>>;
}
