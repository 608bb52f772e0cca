import type { Command } from "commander";
import type { CommandOutcome, OutputOptions } from "../output.ts";

/** Runs a command body with the output options; main.ts supplies it (formatting, exit codes, bad input). */
export type Runner = (opts: OutputOptions, body: () => CommandOutcome | Promise<CommandOutcome>) => Promise<void>;

export function withOutputFlags(cmd: Command): Command {
  return cmd
    .option("--json", "print one JSON document on stdout (CONTRACT.md fields)")
    .option("--csv", "print CSV on stdout");
}
