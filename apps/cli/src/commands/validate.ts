import { inferenceLedger, type LedgerCase, summarize, trainingLedger } from "@flopcast/contract";
import type { Command } from "commander";
import { renderCsv, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ESTIMATORS = ["training", "inference"] as const;

export function registerValidate(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("validate")
      .description("the validation ledger: every published measurement we reproduce, our prediction and the error")
      .option("--estimator <name>", "training | inference (default: both)"),
  ).action((opts: { json?: boolean; csv?: boolean; estimator?: string }) =>
    run(opts, (): CommandOutcome => {
      if (opts.estimator !== undefined && !(ESTIMATORS as readonly string[]).includes(opts.estimator))
        throw new BadInput([
          { path: "estimator", message: `unknown estimator "${opts.estimator}"`, hint: "training or inference" },
        ]);
      const wanted = ESTIMATORS.filter((e) => opts.estimator === undefined || opts.estimator === e);
      const cases: LedgerCase[] = wanted.flatMap((e) => (e === "training" ? trainingLedger() : inferenceLedger()));
      const byEstimator = Object.fromEntries(wanted.map((e) => [e, summarize(cases.filter((c) => c.estimator === e))]));
      const summary = { ...summarize(cases), byEstimator };
      const headers = ["estimator", "id", "metric", "hardware", "expected", "predicted", "errorRatio", "fitted"];
      /** One ledger row; the table shows the ratio as a percentage and fitted as yes/no, the CSV raw values. */
      const row = (c: LedgerCase, errorRatio: string | number, fitted: string) => [
        c.estimator,
        c.id,
        c.metric,
        c.hardware,
        c.expected,
        c.predicted,
        errorRatio,
        fitted,
      ];
      return {
        kind: "ok",
        json: { cases, summary },
        csv: () =>
          renderCsv(
            headers,
            cases.map((c) => row(c, c.errorRatio, String(c.fitted))),
          ),
        text: () =>
          [
            renderTable(
              ["estimator", "id", "metric", "hardware", "measured", "predicted", "error", "fitted on it"],
              cases.map((c) => row(c, pct(c.errorRatio), c.fitted ? "yes" : "no")),
            ),
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
            ...Object.entries(byEstimator).map(
              ([e, s]) =>
                `${e}: ${s.cases} cases, median |error| ${pct(s.medianAbsError)}, ${s.withinTolerance} within their stated tolerance`,
            ),
          ].join("\n"),
      };
    }),
  );
}
