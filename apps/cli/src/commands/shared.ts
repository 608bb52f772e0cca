import type { Command } from "commander";
import type { CommandOutcome, OutputOptions } from "../output.ts";

/** Runs a command body with the output options; main.ts supplies it (formatting, exit codes, bad input). */
export type Runner = (opts: OutputOptions, body: () => CommandOutcome | Promise<CommandOutcome>) => Promise<void>;

export function withOutputFlags(cmd: Command): Command {
  return cmd
    .option("--json", "print one JSON document on stdout (fields: docs/cli.md)")
    .option("--csv", "print CSV on stdout (columns: docs/cli.md)");
}

/**
 * Flags that several commands share, defined once so their names and help read the same everywhere. Add a
 * shared flag here (e.g. a price basis) and every command that calls the helper gains it.
 */
export function withPriceFlags(cmd: Command, help = "rental price per chip-hour (default: each chip's catalog price)") {
  return cmd.option("--price-usd-per-chip-hour <usd>", help);
}

export function withPrecisionFlag(
  cmd: Command,
  help = "bf16 | fp16 | fp8 | int8 | int4 | fp4 (default: bf16 where native, else fp16)",
) {
  return cmd.option("--precision <p>", help);
}
