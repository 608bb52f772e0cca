import { CLI_BUDGET, problemsFromZod, workProblems } from "@flopcast/contract";
import type { Problem } from "@flopcast/core";
import type { z } from "zod";
import { MAX_SCENARIO_FILE_BYTES, readTextLimited } from "./files.ts";
import { BadInput } from "./output.ts";

const OUTPUT_KEYS = new Set(["json", "csv", "explain", "scenario"]);

let yaml: typeof import("yaml") | undefined;
/**
 * Loads the YAML parser (≈ 160 kB of JavaScript), which only a call with a --scenario file needs: main.ts awaits
 * this before such a command runs, so every other call starts without it.
 */
export async function loadScenarioParser(): Promise<void> {
  // `.default`: the module object of this CommonJS package, from the sources (Node's interop) and from the bundle
  // (esbuild's lazy chunk exports only a default) alike.
  yaml ??= (await import("yaml")).default;
}

/** Reads a --scenario file (YAML or JSON; keys = long flag names in camelCase); loadScenarioParser() first. */
export function readScenarioFile(path: string): Record<string, unknown> {
  const text = readTextLimited(path, "scenario", MAX_SCENARIO_FILE_BYTES);
  if (!yaml) throw new Error("readScenarioFile before loadScenarioParser()");
  let data: unknown;
  try {
    data = yaml.parse(text, { logLevel: "error" });
  } catch (e) {
    throw new BadInput([
      { path: "scenario", message: `${path} is not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}` },
    ]);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new BadInput([{ path: "scenario", message: `${path} must hold a mapping of keys to values` }]);
  }
  return data as Record<string, unknown>;
}

/** Keys whose values are names from a fixed list: matched case-insensitively (`--precision FP8`). */
const ENUM_KEYS = new Set([
  "precision",
  "kvPrecision",
  "activationPrecision",
  "recompute",
  "arrival",
  "scheduler",
  "router",
  "goal",
  "priceBasis",
]);

const lowerEnums = (entries: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(entries).map(([k, v]) => [k, ENUM_KEYS.has(k) && typeof v === "string" ? v.toLowerCase() : v]),
  );

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Scenario keys are camelCase (YAML, JSON, HTTP); on the command line the same field is `--kebab-case`. */
function withFlagHint(p: Problem): Problem {
  const key = /^[a-z][A-Za-z0-9]*/.exec(p.path)?.[0];
  if (!key || p.hint) return p;
  return { ...p, hint: `set with --${kebab(key)} (or \`${key}:\` in a --scenario file)` };
}

/**
 * Flags override the scenario file; the result is validated by the command's contract schema and checked
 * against the CLI work budget (problems → exit 2).
 */
export function scenarioFrom<S extends z.ZodType>(schema: S, flags: Record<string, unknown>): z.infer<S> {
  const fromFile = typeof flags.scenario === "string" ? readScenarioFile(flags.scenario) : {};
  const fromFlags = Object.fromEntries(
    Object.entries(flags).filter(([k, v]) => v !== undefined && !OUTPUT_KEYS.has(k)),
  );
  const parsed = schema.safeParse(lowerEnums({ ...fromFile, ...fromFlags }));
  if (!parsed.success) throw new BadInput(problemsFromZod(parsed.error).map(withFlagHint));
  const over = workProblems(parsed.data as Record<string, unknown>, CLI_BUDGET);
  if (over.length) throw new BadInput(over);
  return parsed.data;
}
