/**
 * One entry point from a raw scenario (CLI flags, YAML, HTTP body, sweep row) to a result, shared by the CLI,
 * sweeps and the web app: validate with the command's schema → resolve catalog ids → plan. Model resolution is
 * injected so that the CLI can also read config.json files while the API and the browser cannot. The same four
 * rows as the command registry (commands.ts runs them for the API); kept apart from it so that the web bundle does
 * not carry every command and every output schema. Results are typed by the registry's output schemas.
 */
import { findAccelerator, findModel } from "@flopcast/catalog";
import type { Problem } from "@flopcast/core";
import { CLI_BUDGET, type WorkBudget, workProblems } from "./budget.ts";
import type { ModelSubject } from "./catalog-views.ts";
import type { CommandOutput } from "./commands.ts";
import { DEFAULT_SCENARIO_DATE } from "./context.ts";
import { FleetScenario, planFleet } from "./fleet-plan.ts";
import { planInference } from "./infer-plan.ts";
import { problemsFromZod } from "./problems.ts";
import { InferScenario, ServeScenario, TrainScenario } from "./scenario.ts";
import { runServe, setupServe } from "./serve-plan.ts";
import { planTraining } from "./train-plan.ts";

export const SCENARIO_COMMANDS = ["train", "infer", "serve", "fleet"] as const;
export type ScenarioCommand = (typeof SCENARIO_COMMANDS)[number];

export type Outcome<T = unknown> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Resolves `--model` (an id, or for the CLI a config.json path); returns problems rather than throwing. */
export type ModelResolver = (
  idOrPath: string,
  path: string,
) => { ok: true; value: ModelSubject } | { ok: false; problems: readonly Problem[] };

export const catalogModelResolver: ModelResolver = (id, path) => findModel(id, path);

export function runScenario<C extends ScenarioCommand>(
  command: C,
  raw: Record<string, unknown>,
  resolveModel: ModelResolver = catalogModelResolver,
  budget: WorkBudget = CLI_BUDGET,
  /** The scenario date (context.ts): used when the input gives no `today`. */
  context: { readonly today?: string } = {},
): Outcome<CommandOutput<C>> {
  const dated = "today" in SCHEMAS[command].shape ? { today: context.today ?? DEFAULT_SCENARIO_DATE, ...raw } : raw;
  const outcome = parseScenario(command, dated);
  if (!outcome.ok) return outcome;
  const over = workProblems(outcome.scenario as Record<string, unknown>, budget);
  if (over.length) return { ok: false, problems: over };
  return planScenario(command, outcome.scenario, resolveModel) as Outcome<CommandOutput<C>>;
}

const SCHEMAS = { train: TrainScenario, infer: InferScenario, serve: ServeScenario, fleet: FleetScenario } as const;

function parseScenario(
  command: ScenarioCommand,
  raw: Record<string, unknown>,
): { ok: true; scenario: unknown } | { ok: false; problems: Problem[] } {
  const p = SCHEMAS[command].safeParse(raw);
  return p.success ? { ok: true, scenario: p.data } : { ok: false, problems: problemsFromZod(p.error) };
}

function planScenario(command: ScenarioCommand, scenario: unknown, resolveModel: ModelResolver): Outcome {
  switch (command) {
    case "train": {
      const p = { data: scenario as TrainScenario };
      const m = resolveModel(p.data.model, "model");
      if (!m.ok) return m;
      const h = p.data.hardware ? findAccelerator(p.data.hardware) : undefined;
      if (h && !h.ok) return h;
      const r = planTraining(p.data, m.value, h?.ok ? h.value : undefined);
      return r.ok ? { ok: true, result: r.result } : r;
    }
    case "infer": {
      const p = { data: scenario as InferScenario };
      const m = resolveModel(p.data.model, "model");
      if (!m.ok) return m;
      const h = findAccelerator(p.data.hardware);
      if (!h.ok) return h;
      const d = p.data.specDraft ? resolveModel(p.data.specDraft, "specDraft") : undefined;
      if (d && !d.ok) return d;
      const r = planInference(p.data, m.value, h.value, d?.ok ? d.value : undefined);
      return r.ok ? { ok: true, result: r.result } : r;
    }
    case "serve": {
      const p = { data: scenario as ServeScenario };
      if (p.data.trace !== undefined)
        return { ok: false, problems: [{ path: "trace", message: "trace files are read by the CLI only" }] };
      const m = resolveModel(p.data.model, "model");
      if (!m.ok) return m;
      const h = findAccelerator(p.data.hardware);
      if (!h.ok) return h;
      const d = p.data.specDraft ? resolveModel(p.data.specDraft, "specDraft") : undefined;
      if (d && !d.ok) return d;
      const setup = setupServe(p.data, m.value, h.value, { draft: d?.ok ? d.value : undefined });
      if (!setup.ok) return setup;
      return { ok: true, result: runServe(p.data, setup.setup).result };
    }
    case "fleet": {
      const p = { data: scenario as FleetScenario };
      const m = resolveModel(p.data.model, "model");
      if (!m.ok) return m;
      const h = findAccelerator(p.data.hardware);
      if (!h.ok) return h;
      const r = planFleet(p.data, m.value, h.value);
      return r.ok ? { ok: true, result: r.result } : r;
    }
  }
}
