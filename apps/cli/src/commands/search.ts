import { SearchScenario, search } from "@flopcast/contract";
import type { Command } from "commander";
import { renderCsv, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, withOutputFlags, withPriceFlags } from "./shared.ts";

const today = () => new Date().toISOString().slice(0, 10);

export function registerSearch(program: Command, run: Runner): void {
  withOutputFlags(
    withPriceFlags(
      program
        .command("search")
        .description(
          "Pareto search over chip × count × parallelism × batch × precision (train: cost vs days; serve: $/1M tokens vs TPOT)",
        )
        .option("--goal <train|serve>", "what to optimise")
        .option("--model <id|config.json>", "catalog model id or config.json")
        .option("--hardware <ids>", "comma-separated chips (default: 8 common data-centre chips)")
        .option("--tokens <n>", "train: training tokens")
        .option("--max-chips <n>", "train: largest chip count tried (default 16384)")
        .option("--requests-per-day <q>", "serve: size the fleet for this volume")
        .option("--input-tokens <n>", "serve: prompt tokens (default 1024)")
        .option("--output-tokens <n>", "serve: output tokens (default 256)")
        .option("--slo-tpot-ms <ms>", "serve: drop configurations slower than this TPOT")
        .option("--slo-ttft-ms <ms>", "serve: drop configurations slower than this TTFT")
        .option("--top <n>", "print only the first n front points")
        .option("--scenario <file>", "YAML/JSON scenario; flags override it"),
    ),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const s = scenarioFrom(SearchScenario, { today: today(), ...flags });
      const r = search(s, resolveModel(s.model));
      if (!r.ok) throw new BadInput(r.problems);
      const cols =
        s.goal === "train"
          ? ["hardware", "chips", "tp", "pp", "dp", "days", "costUsd", "mfu", "costBasis"]
          : [
              "hardware",
              "chips",
              "tp",
              "precision",
              "batch",
              "tpotMs",
              "ttftMs",
              "usdPerMillionOutputTokens",
              "costBasis",
            ];
      const rows = r.result.front.map((p) =>
        cols.map((c) => {
          const v = c in p ? (p as Record<string, unknown>)[c] : p.parallelism[c];
          return typeof v === "number" ? v : v === undefined ? null : String(v);
        }),
      );
      return {
        kind: "ok",
        json: r.result,
        csv: () => renderCsv(cols, rows),
        text: () =>
          `${renderTable(cols, rows)}\nPareto front: ${r.result.front.length} of ${r.result.evaluated} configurations evaluated (${r.result.pruned} pruned before evaluation)${r.result.skipped.map((x) => `\n  skipped ${x}`).join("")}`,
      };
    }),
  );
}
