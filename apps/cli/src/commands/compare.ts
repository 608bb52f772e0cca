import { CompareScenario, compareHardware, describeRental } from "@flopcast/contract";
import type { Command } from "commander";
import { renderCsv, renderTable } from "../format/table.ts";
import type { CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, withOutputFlags, withPriceFlags } from "./shared.ts";

const today = () => new Date().toISOString().slice(0, 10);

export function registerCompare(program: Command, run: Runner): void {
  withOutputFlags(
    withPriceFlags(
      program
        .command("compare")
        .description(
          "the same workload across chips: training (--tokens --chips) or serving (--requests-per-day + SLOs)",
        )
        .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
        .option("--hardware <ids>", "comma-separated accelerator ids, e.g. h100-sxm,mi300x,tpu-v5e,gaudi2")
        .option("--tokens <n>", "training: tokens")
        .option("--chips <n>", "training: chips per option")
        .option("--requests-per-day <q>", "serving: requests per day")
        .option("--input-tokens <n>", "serving: prompt tokens (default 1024)")
        .option("--output-tokens <n>", "serving: output tokens (default 256)")
        .option("--slo-ttft-ms <ms>", "serving: P99 TTFT SLO")
        .option("--slo-tpot-ms <ms>", "serving: P99 TPOT SLO")
        .option("--sim-requests <n>", "serving: requests per DES run (default 1500)")
        .option("--scenario <file>", "YAML/JSON scenario; flags override it"),
    ),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const s = scenarioFrom(CompareScenario, { today: today(), ...flags });
      const model = resolveModel(s.model);
      const chips = s.hardware.split(",").map((id, i) => resolveHardware(id.trim(), `hardware[${i}]`));
      const r = compareHardware(s, model, chips);
      const cell = (x: unknown) => (typeof x === "number" || x === null ? (x as number | null) : String(x ?? ""));
      const cols =
        r.goal === "train"
          ? ["hardware", "feasible", "chips", "days", "mfu", "costUsd", "costOwnedUsd", "energyMwh", "bottleneck"]
          : [
              "hardware",
              "feasible",
              "chips",
              "replicas",
              "tp",
              "usdPerMillionOutputTokens",
              "rentedUsdPerMillionOutputTokens",
              "usdPerDay",
              "capexUsd",
              "powerMw",
            ];
      const rows = r.rows.map((row) => cols.map((c) => cell((row as Record<string, unknown>)[c])));
      return {
        kind: "ok",
        json: r,
        csv: () => renderCsv(cols, rows),
        text: () =>
          `${r.model}: ${r.goal === "train" ? "training" : "serving"} comparison\n${renderTable(cols, rows)}${r.rows
            .flatMap((row) => [
              ...("price" in row && row.price && row.price.median !== null
                ? [`\n  ${row.hardware}: rented at ${describeRental(row.price)}`]
                : []),
              ...(row.reasons ?? []).map((x) => `\n  ${row.hardware}: ${x}`),
            ])
            .join("")}`,
      };
    }),
  );
}
