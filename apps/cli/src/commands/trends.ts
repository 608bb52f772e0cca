import { computeTrend, TrendsScenario } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber, renderCsv, renderTable } from "../format/table.ts";
import type { CommandOutcome } from "../output.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerTrends(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("trends")
      .option("--subset <s>", "frontier (runs that set a compute record; default) | all")
      .option("--from-year <y>", "first release year included (default 2010)")
      .option("--to-year <y>", "last release year included (default: all)")
      .option("--exclude-estimates", "leave out third-party estimates of undisclosed runs (Epoch AI rows)")
      .option("--confidence <x>", "interval level (default 0.95)"),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const r = computeTrend(scenarioFrom(TrendsScenario, flags));
      const f = (x: number | null) => (x === null ? "—" : formatNumber(x));
      const cols = ["id", "model", "released", "flop", "estimate"];
      const rows = r.runs.map((x) => [x.id, x.model ?? "", x.released ?? "", x.flop, x.estimate ? "yes" : ""]);
      return {
        kind: "ok",
        json: r,
        csv: () => renderCsv(cols, rows),
        text: () =>
          [
            `training compute, ${r.subset} runs released ${r.fromYear}–${r.toYear === 2100 ? "now" : r.toYear}: ${r.points} runs`,
            r.doublingMonths === null
              ? `  ${r.reason}`
              : `  doubles every ${f(r.doublingMonths)} months (${r.confidence * 100}% interval ${f(r.doublingMonthsLow)}–${r.doublingMonthsHigh === null ? "unbounded" : f(r.doublingMonthsHigh)}), ×${f(r.growthPerYear)} per year, R² ${f(r.rSquared)}`,
            `  ${r.method}`,
            "",
            renderTable(cols, rows),
          ].join("\n"),
      };
    }),
  );
}
