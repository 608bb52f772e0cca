/**
 * The `flopcast` command: argv → contract → core → text | json | csv (ARCHITECTURE §1). Exit codes:
 * 0 ok (an infeasible plan included), 2 bad input, 1 internal error (CONTRACT.md conventions).
 */
import { Command, CommanderError } from "commander";
import { registerClaims } from "./commands/claims.ts";
import { registerCompare } from "./commands/compare.ts";
import { registerFleet } from "./commands/fleet.ts";
import { registerHardware } from "./commands/hardware.ts";
import { registerInfer } from "./commands/infer.ts";
import { registerModel } from "./commands/model.ts";
import { registerResults } from "./commands/results.ts";
import { registerSearch } from "./commands/search.ts";
import { registerServe } from "./commands/serve.ts";
import type { Runner } from "./commands/shared.ts";
import { registerSweep } from "./commands/sweep.ts";
import { registerTrain } from "./commands/train.ts";
import { registerTrends } from "./commands/trends.ts";
import { registerUi } from "./commands/ui.ts";
import { registerValidate } from "./commands/validate.ts";
import { environmentProblems } from "./files.ts";
import { BadInput, EXIT_BAD_INPUT, EXIT_OK, emit, reportBug } from "./output.ts";

const run: Runner = async (opts, body) => {
  try {
    process.exitCode = emit(await body(), opts);
  } catch (e) {
    const problems = e instanceof BadInput ? e.problems : environmentProblems(e);
    process.exitCode = problems ? emit({ kind: "problems", problems }, opts) : reportBug(e);
  }
};

export function buildProgram(): Command {
  const program = new Command("flopcast")
    .description(
      "What does it cost, in chips, days, megawatts and dollars, to train and serve a model?\nExamples:\n  flopcast hardware list\n  flopcast model show llama-3.1-70b\n  flopcast train --model gpt3-175b --tokens 300e9",
    )
    .version("0.1.0")
    .showSuggestionAfterError(true)
    .exitOverride();
  registerHardware(program, run);
  registerModel(program, run);
  registerTrain(program, run);
  registerInfer(program, run);
  registerServe(program, run);
  registerFleet(program, run);
  registerClaims(program, run);
  registerCompare(program, run);
  registerSearch(program, run);
  registerTrends(program, run);
  registerSweep(program, run);
  registerResults(program, run);
  registerUi(program);
  registerValidate(program, run);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
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
