import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type LedgerCase, validationReport } from "@flopcast/contract";
import { type ServingRowOutcome, servingCsvHeaderProblems, servingLedger } from "@flopcast/contract/serving-validation";
import type { Command } from "commander";
import { parse as parseCsv } from "csv-parse/sync";
import { servingWorkerUrl } from "../entry-urls.ts";
import { renderCsv, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const ESTIMATORS = ["training", "inference"] as const;

export function registerValidate(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("validate")
      .option("--estimator <name>", "training | inference (default: both)")
      .option(
        "--serving <file.csv>",
        "serving ledger: simulate every row of a CSV in the schema of reference/serving-measured.csv (closed-loop serve per row)",
      )
      .option("--workers <n>", "--serving: worker threads (default: available cores, at most 8)"),
  ).action((opts: { json?: boolean; csv?: boolean; estimator?: string; serving?: string; workers?: string }) =>
    run(opts, (): CommandOutcome | Promise<CommandOutcome> => {
      if (opts.serving !== undefined) return validateServing(opts.serving, opts.workers);
      if (opts.estimator !== undefined && !(ESTIMATORS as readonly string[]).includes(opts.estimator))
        throw new BadInput([
          { path: "estimator", message: `unknown estimator "${opts.estimator}"`, hint: "training or inference" },
        ]);
      // The same report as GET /v1/validate (packages/contract/src/commands.ts `validationReport`).
      const { cases, summary } = validationReport(opts.estimator as (typeof ESTIMATORS)[number] | undefined);
      const { byEstimator, trainingOutOfSample, inferenceOutOfSample } = summary;
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
        output: "validate",
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
            ...(trainingOutOfSample
              ? [
                  `training out of sample: leave-one-chip-out ${pct(trainingOutOfSample.leaveOneChipOut)}, leave-one-model-family-out ${pct(trainingOutOfSample.leaveOneModelFamilyOut)}, leave-one-framework-out ${pct(trainingOutOfSample.leaveOneFrameworkOut)}`,
                ]
              : []),
            ...(inferenceOutOfSample
              ? [
                  `inference out of sample: leave-one-chip-out ${pct(inferenceOutOfSample.leaveOneChipOut)}, leave-one-model-family-out ${pct(inferenceOutOfSample.leaveOneModelFamilyOut)}, ${Object.entries(
                    inferenceOutOfSample.vendorHeldOut,
                  )
                    .map(([v, m]) => `${v} held out ${pct(m)}`)
                    .join(", ")}`,
                ]
              : []),
          ].join("\n"),
      };
    }),
  );
}

/** Reads and checks a serving CSV: records keyed by column, or problems (exit 2). */
function readServingCsv(path: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new BadInput([{ path: "serving", message: `cannot read ${path}` }]);
  }
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (e) {
    throw new BadInput([{ path: "serving", message: `${path} is not valid CSV: ${(e as Error).message}` }]);
  }
  const header = records[0] ? Object.keys(records[0]) : [];
  const problems = servingCsvHeaderProblems(header);
  if (problems.length || records.length === 0)
    throw new BadInput(problems.length ? problems : [{ path: "serving", message: `${path} has no rows` }]);
  return records;
}

/** Simulates the rows on a worker_threads pool; outcomes come back in file order (deterministic output). */
async function simulateRows(records: Record<string, string>[], workersFlag: string | undefined) {
  const asked = workersFlag === undefined ? Math.min(8, availableParallelism()) : Number(workersFlag);
  if (!Number.isInteger(asked) || asked < 1)
    throw new BadInput([{ path: "workers", message: `--workers must be a whole number ≥ 1, got ${workersFlag}` }]);
  const count = Math.min(asked, records.length);
  const outcomes: (ServingRowOutcome | undefined)[] = new Array(records.length);
  await new Promise<void>((resolve, reject) => {
    const workers = Array.from({ length: count }, () => new Worker(servingWorkerUrl(), { workerData: { records } }));
    let done = 0;
    let next = 0;
    // Small batches handed out on demand: rows differ 100× in cost (concurrency × output length).
    const feed = (w: Worker) => {
      const batch: number[] = [];
      while (batch.length < 4 && next < records.length) batch.push(next++);
      if (batch.length) w.postMessage(batch);
    };
    for (const w of workers) {
      let outstanding = 0;
      w.on("message", (m: { index: number; outcome: ServingRowOutcome }) => {
        outcomes[m.index] = m.outcome;
        done++;
        outstanding--;
        if (done === records.length) {
          for (const x of workers) void x.terminate();
          resolve();
        } else if (outstanding <= 0) {
          const before = next;
          feed(w);
          outstanding = next - before;
        }
      });
      w.on("error", reject);
      const before = next;
      feed(w);
      outstanding = next - before;
    }
  });
  return outcomes as ServingRowOutcome[];
}

async function validateServing(path: string, workersFlag: string | undefined): Promise<CommandOutcome> {
  const records = readServingCsv(path);
  const outcomes = await simulateRows(records, workersFlag);
  const { cases, summary } = servingLedger(outcomes);
  const headers = ["id", "metric", "hardware", "engine", "mode", "expected", "predicted", "errorRatio", "fitted"];
  const row = (c: (typeof cases)[number], err: string | number, fitted: string) => [
    c.id,
    c.metric,
    c.hardware,
    c.engine,
    c.mtp ? `${c.mode}+mtp` : c.mode,
    c.expected,
    c.predicted,
    err,
    fitted,
  ];
  const groupTable = (title: string, gs: typeof summary.byHardware) =>
    renderTable(
      [title, "metric", "cases", "median |error|", "LOCO median |error|", "median error"],
      gs.map((g) => [
        g.key,
        g.metric,
        g.cases,
        pct(g.medianAbsError),
        pct(g.medianAbsErrorLoco),
        pct(g.medianErrorRatio),
      ]),
    );
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
          headers,
          cases.map((c) => row(c, pct(c.errorRatio), c.fitted ? "yes" : "no")),
        ),
        "",
        groupTable("hardware", summary.byHardware),
        "",
        groupTable("engine", summary.byEngine),
        "",
        groupTable("mode", summary.byMode),
        "",
        ...Object.entries(summary.byMetric).map(
          ([m, s]) =>
            `${m}: ${s.cases} fitted cases, median |error| ${pct(s.medianAbsError)} in-sample, ${pct(s.medianAbsErrorLoco)} leave-one-chip-out`,
        ),
        `${summary.expressed} of ${summary.rows} rows simulated; ${summary.skipped.length} skipped:`,
        ...Object.entries(summary.skippedByReason).map(([r, n]) => `  ${n} × ${r}`),
      ].join("\n"),
  };
}
