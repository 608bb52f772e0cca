import { summarize, trainingLedger } from "@flopcast/contract";
import type { Command } from "commander";
import { renderCsv, renderTable } from "../format/table.ts";
import type { CommandOutcome } from "../output.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function registerValidate(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("validate")
      .description("the validation ledger: every published measurement we reproduce, our prediction and the error")
      .option("--estimator <name>", "training (more estimators join as they land)"),
  ).action((opts: { json?: boolean; csv?: boolean }) =>
    run(opts, (): CommandOutcome => {
      const cases = trainingLedger();
      const summary = summarize(cases);
      const headers = ["id", "metric", "hardware", "expected", "predicted", "errorRatio", "fitted"];
      const rows = cases.map((c) => [
        c.id,
        c.metric,
        c.hardware,
        c.expected,
        c.predicted,
        pct(c.errorRatio),
        c.fitted ? "yes" : "no",
      ]);
      return {
        kind: "ok",
        json: { cases, summary },
        csv: () =>
          renderCsv(
            headers,
            cases.map((c) => [c.id, c.metric, c.hardware, c.expected, c.predicted, c.errorRatio, String(c.fitted)]),
          ),
        text: () =>
          [
            renderTable(headers, rows),
            "",
            renderTable(
              ["hardware", "metric", "cases", "median |error|", "worst error"],
              summary.byChipMetric.map((g) => [
                g.hardware,
                g.metric,
                g.cases,
                pct(g.medianAbsError),
                pct(g.worstErrorRatio),
              ]),
            ),
            "",
            `${summary.cases} cases, median |error| ${pct(summary.medianAbsError)}, ${summary.withinTolerance} within their stated tolerance`,
          ].join("\n"),
      };
    }),
  );
}
