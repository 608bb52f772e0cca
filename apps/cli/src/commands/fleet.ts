import {
  describeRental,
  FleetScenario,
  formatCount,
  formatMs,
  formatNumber,
  formatPercent,
  formatPower,
  formatUsd,
  localizeMessages,
  planFleet,
} from "@flopcast/contract";
import type { Command } from "commander";
import { type Column, column, csv } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { progressBar } from "../progress.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, todayIso, withOutputFlags, withPrecisionFlag, withPriceFlags } from "./shared.ts";

export function registerFleet(program: Command, run: Runner): void {
  const cmd = withOutputFlags(
    program
      .command("fleet")
      .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
      .option("--hardware <id>", "accelerator id")
      .option("--requests-per-day <q>", "requests per day (20e6, 1B); or --requests-per-s")
      .option("--requests-per-s <r>", "average requests per second (instead of --requests-per-day)")
      .option("--input-tokens <n>", "prompt tokens per request (default 1024)")
      .option("--output-tokens <n>", "output tokens per request (default 256)")
      .option("--slo-ttft-ms <ms>", "P99 time-to-first-token SLO")
      .option("--slo-tpot-ms <ms>", "P99 time-per-output-token SLO (optional: without it only TTFT constrains)")
      .option("--peak-to-average <x>", "peak-hour rate ÷ daily average (default 1.5)")
      .option("--headroom-replicas <k>", "N+k spare replicas (default 1)")
      .option("--tp <n>", "fix the tensor-parallel degree (default: searched)")
      .option("--sim-requests <n>", "requests per DES confirmation run (default 3000)")
      .option("--seed <s>", "random seed (default 1)")
      .option("--price-usd-per-chip <usd>", "capex per chip incl. server and network (default: catalog price × 1.45)")
      .option("--usd-per-kwh <x>", "electricity price (default: EIA US industrial 2023)")
      .option("--pue <x>", "power usage effectiveness (default 1.2: SemiAnalysis AI data centres 1.1–1.3)"),
  );
  withPrecisionFlag(cmd, "weights: bf16 | fp16 | fp8 | int8 | int4 | fp4 (default: bf16 where native, else fp16)");
  withPriceFlags(cmd);
  cmd
    .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
    .action((flags: Record<string, unknown>) =>
      run(flags, (): CommandOutcome => {
        const s = scenarioFrom(FleetScenario, { today: todayIso(), ...flags });
        const model = resolveModel(s.model);
        const hardware = resolveHardware(s.hardware);
        const bar = progressBar("sizing the fleet");
        const planned = planFleet(s, model, hardware, (f) => bar.update(f));
        bar.done();
        if (!planned.ok) throw new BadInput(planned.problems);
        // Warnings and reasons that name an input name it as a flag here (messages.ts); code and params are unchanged.
        const result = localizeMessages(planned.result, "cli");
        const r = result as FleetRow;
        return {
          kind: "ok",
          json: result,
          output: "fleet",
          text: () => renderFleet(r),
          csv: () => csv(FLEET_COLUMNS, [r]),
        };
      }),
    );
}

/** The fleet result as the renderers read it (JSON field names; sizing fields absent when infeasible). */
type FleetRow =
  ReturnType<typeof planFleet> extends infer P ? (P extends { ok: true; result: infer R } ? R : never) : never;
type FeasibleFleet = Extract<FleetRow, { chipsPerReplica: number }>;

const sized = <K extends keyof FeasibleFleet>(r: FleetRow, k: K): FeasibleFleet[K] | null =>
  "chipsPerReplica" in r ? (r as FeasibleFleet)[k] : null;

/** `fleet --csv`: one row (docs/cli.md). */
export const FLEET_COLUMNS: readonly Column<FleetRow>[] = [
  column("model", "model", (r) => r.model),
  column("hardware", "hardware", (r) => r.hardware),
  column("requestsPerDay", "requests/day", (r) => r.requestsPerDay, formatCount),
  column("avgRateReqPerS", "average req/s", (r) => r.avgRateReqPerS),
  column("peakRateReqPerS", "peak req/s", (r) => r.peakRateReqPerS),
  column("feasible", "feasible", (r) => r.feasible),
  column("replicas", "replicas", (r) => r.replicas, formatCount),
  column("chips", "chips", (r) => r.chips, formatCount),
  column("chipsPerReplica", "chips per replica", (r) => sized(r, "chipsPerReplica")),
  column("maxSeqsPerReplica", "max sequences per replica", (r) => sized(r, "maxSeqsPerReplica")),
  column("perReplicaRateReqPerS", "req/s per replica", (r) => sized(r, "perReplicaRateReqPerS")),
  column("p99TtftMsAtThatRate", "P99 TTFT ms", (r) => sized(r, "p99TtftMsAtThatRate")),
  column("p99TpotMsAtThatRate", "P99 TPOT ms", (r) => sized(r, "p99TpotMsAtThatRate")),
  column("utilisation", "utilisation", (r) => sized(r, "utilisation"), formatPercent),
  column("capexUsd", "capex", (r) => r.capexUsd, formatUsd),
  column("usdPerDay", "$/day", (r) => r.usdPerDay, formatUsd),
  column("costBasis", "cost basis", (r) => sized(r, "costBasis")),
  column("usdPerMillionOutputTokens", "$/1M output tokens", (r) => r.usdPerMillionOutputTokens, formatUsd),
  column("usdPerQuery", "$/query", (r) => r.usdPerQuery, formatUsd),
  column("powerMw", "power MW", (r) => r.powerMw),
];

function renderFleet(r: FleetRow): string {
  const f = formatNumber;
  const head = `${r.model} on ${r.hardware}: ${formatCount(r.requestsPerDay)} requests/day (average ${f(r.avgRateReqPerS)} req/s, peak ${f(r.peakRateReqPerS)} req/s)`;
  if (!("chipsPerReplica" in r))
    return [
      `${head}`,
      "  no fleet meets the SLOs",
      ...r.reasons.map((x) => `  reason: ${x.message}`),
      ...r.warnings.map((w) => `  warning: ${w.message}`),
    ].join("\n");
  return [
    head,
    `  ${formatCount(r.replicas)} replicas × ${r.chipsPerReplica} ${r.chipsPerReplica === 1 ? "chip" : "chips"} = ${formatCount(r.chips)} chips (TP ${r.parallelism.tp}, at most ${r.maxSeqsPerReplica} sequences each, N+${r.headroomReplicas} spare)`,
    `  each replica carries ${f(r.perReplicaRateReqPerS)} req/s at P99 TTFT ${formatMs(r.p99TtftMsAtThatRate)}, TPOT ${formatMs(r.p99TpotMsAtThatRate)}; average utilisation ${formatPercent(r.utilisation)}`,
    `  capex ${formatUsd(r.capexUsd)}; ${formatUsd(r.usdPerDay)}/day (${r.costBasis}); ${formatUsd(r.usdPerMillionOutputTokens)} per 1M output tokens; ${formatUsd(r.usdPerQuery)} per query; power ${formatPower(r.powerMw === null ? null : r.powerMw * 1e6)}`,
    ...(r.rented
      ? [
          `  rented: ${formatUsd(r.rented.usdPerChipHour)}/chip-hour → ${formatUsd(r.rented.usdPerDay)}/day, ${formatUsd(r.rented.usdPerMillionOutputTokens)} per 1M output tokens`,
        ]
      : []),
    `  prices: rental ${describeRental(r.prices.rental)}`,
    ...("method" in r.prices.purchase
      ? [
          `  prices: purchase ${formatUsd(r.prices.purchase.purchaseUsdPerChip)} per chip (${(r.prices.purchase.records ?? []).map((x) => `${x.id} ${x.date}`).join(", ")}); ${r.prices.purchase.method}`,
        ]
      : []),
    ...r.warnings.map((w) => `  warning: ${w.message}`),
  ].join("\n");
}
