/**
 * The `flopcast` command: argv → contract → core → text | json | csv (ARCHITECTURE §1). Exit codes:
 * 0 ok (an infeasible plan included), 2 bad input, 1 internal error (docs/cli.md).
 */
import { Command, CommanderError } from "commander";
import packageJson from "../package.json" with { type: "json" };
import type { Runner } from "./commands/shared.ts";
import { BadInput, EXIT_BAD_INPUT, EXIT_OK, emit, reportBug } from "./output.ts";

const run: Runner = async (opts, body) => {
  try {
    // The YAML parser loads only for a call that reads a --scenario file (scenario-input.ts).
    if (typeof (opts as { scenario?: unknown }).scenario === "string")
      await (await import("./scenario-input.ts")).loadScenarioParser();
    const outcome = await body();
    // Tests (and FLOPCAST_CHECK_OUTPUT=1 runs) check every --json result against its registry output schema.
    if (process.env.FLOPCAST_CHECK_OUTPUT && outcome.kind === "ok" && outcome.output)
      (await import("./check-output.ts")).checkOutput(outcome.output, outcome.json);
    process.exitCode = emit(outcome, opts);
  } catch (e) {
    // environment.ts (and the store it knows) loads only when something failed, not on every call.
    const problems = e instanceof BadInput ? e.problems : (await import("./environment.ts")).environmentProblems(e);
    process.exitCode = problems ? emit({ kind: "problems", problems }, opts) : reportBug(e);
  }
};

type Register = (program: Command, run: Runner) => void;

/**
 * Command modules load lazily: a call imports only the module of the command it names, so `--version` loads
 * no engine code and `train` does not pay for `serve`'s or `sweep`'s imports. `--help`, `help`, an unknown
 * name or no command at all load every module (the help lists them all; typo suggestions need the names).
 * Order = the order of `flopcast --help`.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  hardware: async () => (await import("./commands/hardware.ts")).registerHardware,
  model: async () => (await import("./commands/model.ts")).registerModel,
  train: async () => (await import("./commands/train.ts")).registerTrain,
  infer: async () => (await import("./commands/infer.ts")).registerInfer,
  serve: async () => (await import("./commands/serve.ts")).registerServe,
  fleet: async () => (await import("./commands/fleet.ts")).registerFleet,
  claims: async () => (await import("./commands/claims.ts")).registerClaims,
  compare: async () => (await import("./commands/compare.ts")).registerCompare,
  search: async () => (await import("./commands/search.ts")).registerSearch,
  trends: async () => (await import("./commands/trends.ts")).registerTrends,
  sweep: async () => (await import("./commands/sweep.ts")).registerSweep,
  results: async () => (await import("./commands/results.ts")).registerResults,
  ui: async () => (await import("./commands/ui.ts")).registerUi,
  validate: async () => (await import("./commands/validate.ts")).registerValidate,
  calibrate: async () => (await import("./commands/calibrate.ts")).registerCalibrate,
};

/** The command modules a call needs: none for a bare `--version`, the named one, or all of them. */
export function commandsFor(args: readonly string[]): string[] {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) return [];
  const name = args.find((a) => !a.startsWith("-"));
  return name !== undefined && name in COMMANDS ? [name] : Object.keys(COMMANDS);
}

/** The program with the commands `args` (argv without node and script) needs; all of them by default. */
export async function buildProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command("flopcast")
    .description(
      "What does it cost, in chips, days, megawatts and dollars, to train and serve a model?\nExamples:\n  flopcast hardware list\n  flopcast model show llama-3.1-70b\n  flopcast train --model gpt3-175b --tokens 300e9",
    )
    .version(packageJson.version)
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const name of commandsFor(args)) (await COMMANDS[name]?.())?.(program, run);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

/**
 * Set by bin/flopcast.js when it runs the bundle: resolves to false when a source is newer than the bundle, and the
 * launcher then runs the sources instead. Nothing is parsed or printed before it resolves to true.
 */
const bundleFresh = (globalThis as Record<symbol, Promise<boolean> | undefined>)[Symbol.for("flopcast.bundleFresh")];

async function main(argv: readonly string[]): Promise<void> {
  const program = await buildProgram(argv.slice(2));
  if (bundleFresh && !(await bundleFresh)) return;
  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      const benign = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(e.code);
      const wantsJson = argv.includes("--json");
      if (!benign && wantsJson)
        process.stdout.write(
          `${JSON.stringify({ problems: [{ path: "argv", message: e.message.replace(/^error: /, "") }] }, null, 2)}\n`,
        );
      process.exitCode = benign ? EXIT_OK : EXIT_BAD_INPUT;
      return;
    }
    process.exitCode = reportBug(e);
  }
}

await main(process.argv);
