import { clockToday } from "@flopcast/contract";
import type { Command } from "commander";
import type { CommandOutcome, OutputOptions } from "../output.ts";

/** Runs a command body with the output options; main.ts supplies it (formatting, exit codes, bad input). */
export type Runner = (opts: OutputOptions, body: () => CommandOutcome | Promise<CommandOutcome>) => Promise<void>;

export function withOutputFlags(cmd: Command): Command {
  return cmd
    .option("--json", "print one JSON document on stdout (fields: docs/cli.md)")
    .option("--csv", "print CSV on stdout (columns: docs/cli.md)");
}

/** `--precision`, with the help text of the command (what the precision applies to). */
export function withPrecisionFlag(
  cmd: Command,
  help = "bf16 | fp16 | fp8 | int8 | int4 | fp4 (default: bf16 where native, else fp16)",
) {
  return cmd.option("--precision <p>", help);
}

/** `--price-basis` (and `--price-usd-per-chip-hour` unless the command defines it): every command that prices something. */
export function withPriceFlags(cmd: Command, perChipHour = true): Command {
  cmd.option(
    "--price-basis <basis>",
    "rental price basis: market (default: median of all segments, 12 months before today) | on-demand | reserved | list",
  );
  if (perChipHour) cmd.option("--price-usd-per-chip-hour <usd>", "rent at this price instead of the catalog's");
  return cmd;
}

/** The scenario date for prices: the CLI reads the clock (once per call, through the contract's clockToday). */
export const todayIso = (): string => clockToday();
