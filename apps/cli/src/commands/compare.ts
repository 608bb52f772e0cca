import {
  CompareScenario,
  compareHardware,
  describePurchase,
  describeRental,
  formatCount,
  formatPercent,
  formatPower,
  formatUsd,
  localizeMessages,
} from "@flopcast/contract";
import type { Command } from "commander";
import { type Column, column, csv, table } from "../format/table.ts";
import type { CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, todayIso, withOutputFlags, withPrecisionFlag, withPriceFlags } from "./shared.ts";

export function registerCompare(program: Command, run: Runner): void {
  const cmd = withOutputFlags(
    program
      .command("compare")
      .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
      .option("--hardware <ids>", "comma-separated accelerator ids, e.g. h100-sxm,mi300x,tpu-v5e,gaudi2")
      .option("--tokens <n>", "training: tokens")
      .option("--chips <n>", "training: chips per option")
      .option("--requests-per-day <q>", "serving: requests per day")
      .option("--input-tokens <n>", "serving: prompt tokens (default 1024)")
      .option("--output-tokens <n>", "serving: output tokens (default 256)")
      .option("--slo-ttft-ms <ms>", "serving: P99 TTFT SLO")
      .option("--slo-tpot-ms <ms>", "serving: P99 TPOT SLO (optional)")
      .option("--sim-requests <n>", "serving: requests per DES run (default 1500)"),
  );
  withPriceFlags(cmd);
  withPrecisionFlag(cmd, "training: matmul precision; serving: weights (default: bf16 where native, else fp16)");
  cmd
    .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
    .action((flags: Record<string, unknown>) =>
      run(flags, (): CommandOutcome => {
        const s = scenarioFrom(CompareScenario, { today: todayIso(), ...flags });
        const model = resolveModel(s.model);
        const chips = s.hardware.split(",").map((id, i) => resolveHardware(id.trim(), `hardware[${i}]`));
        // Reasons that name an input name it as a flag here (messages.ts); code and params are unchanged.
        const r = localizeMessages(compareHardware(s, model, chips), "cli");
        const train = r.goal === "train";
        const columns = train ? TRAIN_COMPARE_COLUMNS : SERVE_COMPARE_COLUMNS;
        const rows = r.rows as readonly CompareRow[];
        return {
          kind: "ok",
          json: r,
          output: "compare",
          csv: () => csv(columns, rows),
          text: () =>
            [
              `${r.model}: ${train ? "training" : "serving"} comparison`,
              table(columns, rows),
              ...r.rows.flatMap((row) => [
                ...("price" in row && row.price && row.price.median !== null
                  ? [`  ${row.hardware}: rented at ${describeRental(row.price)}`]
                  : []),
                ...("purchase" in row && row.purchase && row.purchase.purchaseUsdPerChip !== null
                  ? [`  ${row.hardware}: purchase ${describePurchase(row.purchase)}`]
                  : []),
                ...(row.reasons ?? []).map((x) => `  ${row.hardware}: ${x.message}`),
              ]),
              ...r.warnings.map((x) => `  warning: ${x.message}`),
            ].join("\n"),
        };
      }),
    );
}

/** A compare row as the renderers read it: the JSON fields (training or serving ones). */
type CompareRow = Readonly<Record<string, unknown>> & { readonly hardware: string; readonly feasible: boolean };
const field =
  (key: string) =>
  (row: CompareRow): number | string | null => {
    const v = row[key];
    return typeof v === "number" || typeof v === "string" ? v : null;
  };
const c = (key: string, header: string, format?: (x: number) => string) =>
  column<CompareRow>(key, header, field(key), format);

/** `compare --csv` columns, training goal (docs/cli.md). */
export const TRAIN_COMPARE_COLUMNS: readonly Column<CompareRow>[] = [
  c("hardware", "hardware"),
  column<CompareRow>("feasible", "feasible", (r) => r.feasible),
  c("chips", "chips", formatCount),
  c("days", "days"),
  c("mfu", "MFU", formatPercent),
  c("usdPerChipHour", "$/chip-hour", formatUsd),
  c("costUsd", "cost rented", formatUsd),
  c("costOwnedUsd", "cost owned", formatUsd),
  c("energyMwh", "energy MWh"),
  c("bottleneck", "bottleneck"),
];

/** `compare --csv` columns, serving goal (docs/cli.md). */
export const SERVE_COMPARE_COLUMNS: readonly Column<CompareRow>[] = [
  c("hardware", "hardware"),
  column<CompareRow>("feasible", "feasible", (r) => r.feasible),
  c("chips", "chips", formatCount),
  c("replicas", "replicas", formatCount),
  c("tp", "TP"),
  c("usdPerMillionOutputTokens", "$/1M output tokens", formatUsd),
  c("costBasis", "cost basis"),
  c("rentedUsdPerMillionOutputTokens", "$/1M rented", formatUsd),
  c("usdPerDay", "$/day", formatUsd),
  c("capexUsd", "capex", formatUsd),
  column<CompareRow>(
    "powerMw",
    "power",
    (r) => field("powerMw")(r),
    (x) => formatPower(x * 1e6),
  ),
];
