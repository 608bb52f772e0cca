import {
  describeRental,
  type FrontPoint,
  formatCount,
  formatPercent,
  formatUsd,
  localizeMessages,
  type SearchPrice,
  SearchScenario,
  search,
} from "@flopcast/contract";
import type { Command } from "commander";
import { type Column, column, csv, table } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { progressBar } from "../progress.ts";
import { resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, todayIso, withOutputFlags, withPrecisionFlag, withPriceFlags } from "./shared.ts";

export function registerSearch(program: Command, run: Runner): void {
  const cmd = withOutputFlags(
    program
      .command("search")
      .option("--goal <train|serve>", "what to optimise")
      .option("--model <id|config.json>", "catalog model id or config.json")
      .option("--hardware <ids>", "comma-separated chips (default: 8 common data-centre chips)")
      .option("--tokens <n>", "train: training tokens")
      .option("--max-chips <n>", "train: largest chip count tried (default 16384)")
      .option("--requests-per-day <q>", "serve: size the fleet for this volume")
      .option("--input-tokens <n>", "serve: prompt tokens (default 1024)")
      .option("--output-tokens <n>", "serve: output tokens (default 256)")
      .option("--slo-tpot-ms <ms>", "serve: drop configurations slower than this TPOT")
      .option(
        "--slo-ttft-ms <ms>",
        "serve: drop configurations slower than this TTFT (default 2000, MLPerf Server p99 bound)",
      )
      .option("--top <n>", "print only the first n front points"),
  );
  withPriceFlags(cmd);
  withPrecisionFlag(cmd, "search only this precision (default: bf16 where native, plus fp8 for serving)");
  cmd
    .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
    .action((flags: Record<string, unknown>) =>
      run(flags, (): CommandOutcome => {
        const s = scenarioFrom(SearchScenario, { today: todayIso(), ...flags });
        const bar = progressBar("searching");
        const found = search(s, resolveModel(s.model), (f) => bar.update(f));
        // Skipped chips' reasons that name an input name it as a flag here (messages.ts).
        const r = found.ok ? { ...found, result: localizeMessages(found.result, "cli") } : found;
        bar.done();
        if (!r.ok) throw new BadInput(r.problems);
        const columns = s.goal === "train" ? TRAIN_SEARCH_COLUMNS : SERVE_SEARCH_COLUMNS;
        const front = r.result.front;
        return {
          kind: "ok",
          json: r.result,
          output: "search",
          csv: () => csv(columns, front),
          text: () =>
            [
              table(columns, front),
              `Pareto front: ${formatCount(front.length)} of ${formatCount(r.result.evaluated)} configurations evaluated (${formatCount(r.result.pruned)} pruned before evaluation)`,
              ...r.result.skipped.map((x) => `  skipped ${x.message}`),
              ...r.result.warnings.map((x) => `  warning: ${x.message}`),
              `prices (${s.goal === "train" ? "rented, as train prices" : "owned at full use unless a rental basis or price is given, as fleet prices"}):`,
              ...r.result.prices.map((p) => `  ${p.hardware}: ${describePrice(p)}`),
            ].join("\n"),
        };
      }),
    );
}

/** One line naming a chip-hour price's records and their dates. */
function describePrice(p: SearchPrice): string {
  if (p.method === "rented") return describeRental(p.rental);
  const recs = (p.owned?.records ?? []).map((r) => `${r.id} ${r.date}`).join(", ");
  return `owned ${formatUsd(p.usdPerChipHour)}/chip-hour at full use, capex ${formatUsd(p.owned?.capexUsdPerChip ?? Number.NaN)}/chip (${recs})`;
}

const value =
  (key: string) =>
  (p: FrontPoint): number | string | null => {
    const v = key in p ? p[key] : p.parallelism[key];
    return typeof v === "number" || typeof v === "string" ? v : null;
  };
const c = (key: string, header: string, format?: (x: number) => string) =>
  column<FrontPoint>(key, header, value(key), format);

/** `search --goal train --csv` columns (docs/cli.md). */
export const TRAIN_SEARCH_COLUMNS: readonly Column<FrontPoint>[] = [
  c("hardware", "hardware"),
  c("chips", "chips", formatCount),
  c("tp", "TP"),
  c("pp", "PP"),
  c("dp", "DP"),
  c("days", "days"),
  c("costUsd", "cost", formatUsd),
  c("mfu", "MFU", formatPercent),
  c("costBasis", "cost basis"),
];

/** `search --goal serve --csv` columns (docs/cli.md). */
export const SERVE_SEARCH_COLUMNS: readonly Column<FrontPoint>[] = [
  c("hardware", "hardware"),
  c("chips", "chips", formatCount),
  c("tp", "TP"),
  c("precision", "precision"),
  c("batch", "batch", formatCount),
  c("tpotMs", "TPOT ms"),
  c("ttftMs", "TTFT ms"),
  c("usdPerMillionOutputTokens", "$/1M output tokens", formatUsd),
  c("costBasis", "cost basis"),
];
