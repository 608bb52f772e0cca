import { readFileSync, writeFileSync } from "node:fs";
import { calibrateFromRuns, clockToday, RUNS_CSV_COLUMNS } from "@flopcast/contract";
import type { Command } from "commander";
import { BadInput, type CommandOutcome } from "../output.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

/** `flopcast calibrate --runs my-runs.csv [--out profile.json]` (CSV columns: packages/contract/src/calibrate-runs.ts). */
export function registerCalibrate(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("calibrate")
      .option("--runs <file.csv>", `measured runs: ${RUNS_CSV_COLUMNS.join(",")}[,cp,precision,micro_batch,…]`)
      .option("--out <profile.json>", "where to write the profile (default: print it)"),
  ).action((opts: { runs?: string; out?: string; json?: boolean }) =>
    run(opts, (): CommandOutcome => {
      if (!opts.runs) throw new BadInput([{ path: "runs", message: "required", hint: "--runs my-runs.csv" }]);
      let text: string;
      try {
        text = readFileSync(opts.runs, "utf8");
      } catch (e) {
        throw new BadInput([
          { path: "runs", message: `cannot read ${opts.runs}: ${(e as NodeJS.ErrnoException).code ?? "read error"}` },
        ]);
      }
      const r = calibrateFromRuns(text, { fittedAt: clockToday(), source: opts.runs });
      if (!r.ok) throw new BadInput(r.problems);
      if (opts.out) writeFileSync(opts.out, `${JSON.stringify(r.profile, null, 2)}\n`);
      const fams = Object.entries(r.profile.families);
      return {
        kind: "ok",
        json: r.profile,
        text: () =>
          [
            `fitted on ${r.cases} runs${opts.out ? `, wrote ${opts.out}` : ""}`,
            ...fams.map(
              ([g, f]) =>
                `  ${g}: matmul peak fraction ${f.matmulPeakFraction?.value ?? "—"}, FP8 ${f.lowPrecisionMatmulPeakFraction?.value ?? "—"}`,
            ),
            ...(r.profile.misses.length
              ? [`  misses (need a fraction > 1): ${r.profile.misses.map((m) => m.id).join(", ")}`]
              : []),
            "use it with: flopcast train … --calibration <profile.json> (or infer … --calibration <profile.json>)",
          ].join("\n"),
      };
    }),
  );
}
