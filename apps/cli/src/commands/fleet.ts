import { describeRental, FleetScenario, planFleet } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, withOutputFlags, withPriceFlags } from "./shared.ts";

/** Today's date for price ages: the CLI reads the clock, core and catalog never do. */
const today = () => new Date().toISOString().slice(0, 10);

export function registerFleet(program: Command, run: Runner): void {
  withOutputFlags(
    withPriceFlags(
      program
        .command("fleet")
        .description(
          "smallest fleet meeting P99 TTFT/TPOT SLOs for a daily volume: replicas, chips, capex, $/day, $/1M tokens, MW",
        )
        .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
        .option("--hardware <id>", "accelerator id")
        .option("--requests-per-day <q>", "requests per day (20e6, 1B)")
        .option("--input-tokens <n>", "prompt tokens per request (default 1024)")
        .option("--output-tokens <n>", "output tokens per request (default 256)")
        .option("--slo-ttft-ms <ms>", "P99 time-to-first-token SLO")
        .option("--slo-tpot-ms <ms>", "P99 time-per-output-token SLO")
        .option("--peak-to-average <x>", "peak-hour rate ÷ daily average (default 1.5)")
        .option("--headroom-replicas <k>", "N+k spare replicas (default 1)")
        .option("--precision <p>", "weights precision")
        .option("--tp <n>", "fix the tensor-parallel degree (default: searched)")
        .option("--sim-requests <n>", "requests per DES confirmation run (default 3000)")
        .option("--seed <s>", "random seed (default 1)")
        .option("--price-usd-per-chip <usd>", "capex per chip incl. server and network (default: catalog price × 1.45)")
        .option("--usd-per-kwh <x>", "electricity price (default: EIA US industrial 2023)")
        .option("--pue <x>", "power usage effectiveness (default 1.2: SemiAnalysis AI data centres 1.1–1.3)")
        .option("--scenario <file>", "YAML/JSON scenario; flags override it"),
    ),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const s = scenarioFrom(FleetScenario, { today: today(), ...flags });
      const model = resolveModel(s.model);
      const hardware = resolveHardware(s.hardware);
      const planned = planFleet(s, model, hardware);
      if (!planned.ok) throw new BadInput(planned.problems);
      const r = planned.result;
      const f = (x: number | null | undefined) => (x === null || x === undefined ? "—" : formatNumber(x));
      return {
        kind: "ok",
        json: r,
        text: () =>
          r.feasible && "chipsPerReplica" in r
            ? [
                `${r.model} on ${r.hardware}: ${f(r.requestsPerDay)} requests/day (avg ${f(r.avgRateReqPerS)}/s, peak ${f(r.peakRateReqPerS)}/s)`,
                `  ${f(r.replicas)} replicas × ${r.chipsPerReplica} chips = ${f(r.chips)} chips (tp ${r.parallelism.tp}, ≤ ${r.maxSeqsPerReplica} sequences each, N+${r.headroomReplicas})`,
                `  each replica carries ${f(r.perReplicaRateReqPerS)} req/s at P99 TTFT ${f(r.p99TtftMsAtThatRate)} ms, TPOT ${f(r.p99TpotMsAtThatRate)} ms; average utilisation ${f(r.utilisation)}`,
                `  capex $${f(r.capexUsd)}; $${f(r.usdPerDay)}/day (${r.costBasis}); $${f(r.usdPerMillionOutputTokens)} per 1M output tokens; $${f(r.usdPerQuery)} per query; ${f(r.powerMw)} MW`,
                ...(r.rented
                  ? [
                      `  rented: $${f(r.rented.usdPerChipHour)}/chip-hour → $${f(r.rented.usdPerDay)}/day, $${f(r.rented.usdPerMillionOutputTokens)} per 1M output tokens`,
                    ]
                  : []),
                `  prices: rental ${describeRental(r.prices.rental)}`,
                ...("method" in r.prices.purchase
                  ? [
                      `  prices: purchase $${f(r.prices.purchase.purchaseUsdPerChip)} per chip (${(r.prices.purchase.records ?? []).map((x) => `${x.id} ${x.date}`).join(", ")}); ${r.prices.purchase.method}`,
                    ]
                  : []),
                ...r.warnings.map((w) => `  warning: ${w}`),
              ].join("\n")
            : [`${r.model} on ${r.hardware}: no fleet meets the SLOs`, ...r.reasons.map((x) => `  reason: ${x}`)].join(
                "\n",
              ),
      };
    }),
  );
}
