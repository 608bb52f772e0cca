import { type CommandName, formatProblems, localizeProblems } from "@flopcast/contract";
import { InvariantError, type Problem } from "@flopcast/core";

/** What a command hands back: data for --json, a text rendering, optionally CSV; or problems (exit 2). */
export type CommandOutcome =
  | {
      readonly kind: "ok";
      readonly json: unknown;
      readonly text: () => string;
      readonly csv?: () => string;
      /** The registry command whose output schema `json` follows (packages/contract/src/commands.ts). */
      readonly output?: CommandName;
    }
  | { readonly kind: "problems"; readonly problems: readonly Problem[] };

export interface OutputOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
}

export const EXIT_OK = 0;
export const EXIT_BUG = 1;
export const EXIT_BAD_INPUT = 2;

/** Thrown inside a command to stop with bad-input problems (caught in main, exit 2). */
export class BadInput extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map((p) => p.message).join("; "));
    this.problems = problems;
  }
}

/** Prints an outcome in the requested format and returns the exit code (CONTRACT.md conventions). */
export function emit(outcome: CommandOutcome, opts: OutputOptions): number {
  if (outcome.kind === "problems") {
    // Coded problems name command-line flags here (messages.ts); the API and web name JSON fields.
    const problems = localizeProblems(outcome.problems, "cli");
    if (opts.json) process.stdout.write(`${JSON.stringify({ problems }, null, 2)}\n`);
    else process.stderr.write(`${formatProblems(problems)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(outcome.json, null, 2)}\n`);
  else if (opts.csv) {
    // Never the text report under --csv: a script reading CSV gets CSV or a clear refusal.
    if (!outcome.csv) return emit({ kind: "problems", problems: [{ path: "csv", message: "no CSV form here" }] }, opts);
    process.stdout.write(outcome.csv());
  } else process.stdout.write(`${outcome.text()}\n`);
  return EXIT_OK;
}

/** One line on stderr about a side effect (a file written), so stdout stays the result alone. */
export function announce(message: string): void {
  process.stderr.write(`flopcast: ${message}\n`);
}

/** Last-resort handler: a bug prints its stack and exits 1. */
export function reportBug(error: unknown): number {
  const kind = error instanceof InvariantError ? "internal invariant broken" : "internal error";
  process.stderr.write(
    `flopcast: ${kind} (this is a bug; please report it)\n${error instanceof Error ? error.stack : String(error)}\n`,
  );
  return EXIT_BUG;
}
