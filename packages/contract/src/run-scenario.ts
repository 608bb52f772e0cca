/**
 * One entry point from a raw scenario (CLI flags, YAML, HTTP body, sweep row) to a result, shared by the CLI,
 * sweeps and the API: the `train | infer | serve | fleet` rows of the command registry (commands.ts). Model
 * resolution is injected so that the CLI can also read config.json files while the API and the browser cannot.
 */
import { findModel } from "@flopcast/catalog";
import type { Problem } from "@flopcast/core";
import { CLI_BUDGET, type WorkBudget } from "./budget.ts";
import type { ModelSubject } from "./catalog-views.ts";
import { type CommandContext, type CommandOutput, type Outcome, runCommand } from "./commands.ts";

export const SCENARIO_COMMANDS = ["train", "infer", "serve", "fleet"] as const;
export type ScenarioCommand = (typeof SCENARIO_COMMANDS)[number];

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
  context: Partial<Pick<CommandContext, "today">> = {},
): Outcome<CommandOutput<C>> {
  return runCommand(command, raw, { ...context, resolveModel, budget });
}
