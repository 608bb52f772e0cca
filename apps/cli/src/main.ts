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
 * Every command, in the order of `flopcast --help`, with its one-line description (here, not in its module: the help
 * lists them without loading any). Command modules load lazily: a call imports only the module of the command it
 * names, so `--version` loads no engine code and `train` does not pay for `serve`'s or `sweep`'s imports.
 */
const COMMANDS: Record<string, { description: string; load: () => Promise<Register> }> = {
  hardware: {
    description: "the accelerator catalog: every number with its unit and source",
    load: async () => (await import("./commands/hardware.ts")).registerHardware,
  },
  model: {
    description: "model architectures: exact parameter counts, FLOPs and bytes per token",
    load: async () => (await import("./commands/model.ts")).registerModel,
  },
  train: {
    description: "training compute, memory per chip, predicted MFU, days, chip-hours, $, energy",
    load: async () => (await import("./commands/train.ts")).registerTrain,
  },
  infer: {
    description: "inference step model: TTFT, TPOT, tokens/s, KV-cache capacity, memory per chip, the bottleneck",
    load: async () => (await import("./commands/infer.ts")).registerInfer,
  },
  serve: {
    description:
      "discrete-event simulation of a serving fleet under traffic: latency percentiles, throughput, SLO attainment",
    load: async () => (await import("./commands/serve.ts")).registerServe,
  },
  fleet: {
    description:
      "smallest fleet meeting P99 TTFT/TPOT SLOs for a daily volume: replicas, chips, capex, $/day, $/1M tokens, MW",
    load: async () => (await import("./commands/fleet.ts")).registerFleet,
  },
  claims: {
    description: "reproduce published AI-compute claims from first principles and say whether the arithmetic holds",
    load: async () => (await import("./commands/claims.ts")).registerClaims,
  },
  compare: {
    description: "the same workload across chips: training (--tokens --chips) or serving (--requests-per-day + SLOs)",
    load: async () => (await import("./commands/compare.ts")).registerCompare,
  },
  search: {
    description:
      "Pareto search over chip × count × parallelism × batch × precision (train: cost vs days; serve: $/1M tokens vs TPOT)",
    load: async () => (await import("./commands/search.ts")).registerSearch,
  },
  trends: {
    description: "doubling time of training compute (with its confidence interval) over the dated training runs",
    load: async () => (await import("./commands/trends.ts")).registerTrends,
  },
  sweep: {
    description: "evaluate a grid of scenarios (YAML) on a worker pool, sharded across machines if asked; JSONL out",
    load: async () => (await import("./commands/sweep.ts")).registerSweep,
  },
  results: {
    description: "the SQLite results store written by `sweep --db`",
    load: async () => (await import("./commands/results.ts")).registerResults,
  },
  ui: {
    description: "serve the web app and the HTTP API on this machine and print the URL",
    load: async () => (await import("./commands/ui.ts")).registerUi,
  },
  validate: {
    description: "the validation ledger: every published measurement we reproduce, our prediction and the error",
    load: async () => (await import("./commands/validate.ts")).registerValidate,
  },
  calibrate: {
    description: "fit the training model's physical fractions to your own measured step times → a profile JSON",
    load: async () => (await import("./commands/calibrate.ts")).registerCalibrate,
  },
};

/**
 * What a call needs: the modules of the command it names (`help <name>` included), or none, with every command
 * listed by name and description only (`--help`, no command, an unknown name: the help and typo suggestions).
 */
export function commandsFor(args: readonly string[]): { load: string[]; listed: string[] } {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) return { load: [], listed: [] };
  const positional = args.filter((a) => !a.startsWith("-"));
  const name = positional[0] === "help" ? positional[1] : positional[0];
  return name !== undefined && name in COMMANDS
    ? { load: [name], listed: [] }
    : { load: [], listed: Object.keys(COMMANDS) };
}

/** The program with the commands `args` (argv without node and script) needs; all of them listed by default. */
export async function buildProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command("flopcast")
    .description(
      "What does it cost, in chips, days, megawatts and dollars, to train and serve a model?\nExamples:\n  flopcast hardware list\n  flopcast model show llama-3.1-70b\n  flopcast train --model gpt3-175b --tokens 300e9",
    )
    .version(packageJson.version)
    .showSuggestionAfterError(true)
    .exitOverride();
  const { load, listed } = commandsFor(args);
  for (const name of listed) program.command(name).description(COMMANDS[name]?.description ?? "");
  for (const name of load) {
    (await COMMANDS[name]?.load())?.(program, run);
    program.commands.find((c) => c.name() === name)?.description(COMMANDS[name]?.description ?? "");
  }
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
