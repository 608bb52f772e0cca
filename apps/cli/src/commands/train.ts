import { describeRental, planTraining, type RentalPriceView, TrainScenario } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, todayIso, withOutputFlags } from "./shared.ts";

export function registerTrain(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("train")
      .description("training compute, memory per chip, predicted MFU, days, chip-hours, $, energy")
      .option("--model <id|config.json>", "catalog model id or path to a Hugging Face config.json")
      .option("--tokens <n>", "training tokens (300e9, 300B, 1.5T)")
      .option("--hardware <id>", "accelerator id (flopcast hardware list)")
      .option("--chips <n>", "number of accelerators")
      .option("--precision <p>", "bf16 | fp16 | fp8 | … (default: bf16 where native, else fp16)")
      .option("--tp <n>", "tensor-parallel degree (searched when absent)")
      .option("--pp <n>", "pipeline-parallel degree (searched when absent)")
      .option("--dp <n>", "data-parallel degree (chips / (tp·pp·cp) when absent)")
      .option("--ep <n>", "expert-parallel degree, MoE (searched when absent)")
      .option("--cp <n>", "context-parallel degree (default 1)")
      .option("--seq-len <tokens>", "sequence length (default: model max context, capped at 8192)")
      .option("--global-batch-tokens <n>", "tokens per optimizer step (default 4,194,304)")
      .option("--micro-batch <n>", "sequences per micro-batch (default 1)")
      .option("--recompute <mode>", "none | selective | full (searched when absent)")
      .option("--sequence-parallel", "Megatron sequence parallelism (shards activations over tp)")
      .option("--pp-interleave <v>", "virtual pipeline stages per chip (default 1)")
      .option("--zero <stage>", "ZeRO stage 0-3 (default 1: sharded optimizer)")
      .option("--mfu <x>", "override the predicted MFU (0-1)")
      .option("--goodput <x>", "fraction of wall time that trains (restarts, failures); default 1")
      .option(
        "--price-usd-per-chip-hour <usd>",
        "rental price for costUsd (default: the market median, see --price-basis)",
      )
      .option("--price-basis <basis>", "rental basis: market (default) | on-demand | reserved | list")
      .option("--pue <x>", "power usage effectiveness (default 1.1)")
      .option("--power-fraction <x>", "average draw as a fraction of TDP (default 1.0)")
      .option("--grid-kg-co2-per-kwh <x>", "grid carbon intensity for co2Tonnes")
      .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
      .option("--explain", "print the derivation: every time term, the bottleneck, assumptions, sources"),
  ).action((flags: Record<string, unknown>) =>
    run(flags, (): CommandOutcome => {
      const raw: Record<string, unknown> = { today: todayIso(), ...flags };
      if (typeof raw.zero === "string") raw.zero = Number(raw.zero);
      const s = scenarioFrom(TrainScenario, raw);
      const model = resolveModel(s.model);
      const hardware = s.hardware ? resolveHardware(s.hardware) : undefined;
      const planned = planTraining(s, model, hardware);
      if (!planned.ok) throw new BadInput(planned.problems);
      const r = planned.result;
      return { kind: "ok", json: r, text: () => renderTrain(r as Record<string, unknown>, Boolean(flags.explain)) };
    }),
  );
}

function renderTrain(r: Record<string, unknown>, explain: boolean): string {
  const n = (k: string) => (typeof r[k] === "number" ? formatNumber(r[k] as number) : String(r[k] ?? "—"));
  const lines = [
    `${r.model}: ${n("tokens")} tokens at seq ${n("seqLenTokens")}`,
    `  model FLOPs ${n("flops")} (6ND ${n("flops6nd")}) = ${n("pfDays")} PF-days`,
  ];
  if (r.hardware === undefined) return lines.join("\n");
  const p = r.parallelism as Record<string, number>;
  lines.push(
    `  on ${n("chips")} × ${r.hardware} (${r.precision}), tp ${p.tp} pp ${p.pp} dp ${p.dp} ep ${p.ep}, recompute ${r.recompute}`,
    `  ${r.feasible ? "feasible" : "INFEASIBLE"}; memory ${n("memoryPerChipGb")} GB/chip; bottleneck ${r.bottleneck}`,
    `  MFU ${n("mfu")} (${r.mfuSource}), HFU ${n("hfu")}; step ${n("stepTimeS")} s`,
    `  ${n("days")} days (band ${n("daysLow")}–${n("daysHigh")}), ${n("chipHours")} chip-hours, cost ${r.costUsd === null ? "— (give --price-usd-per-chip-hour)" : `$${n("costUsd")} ($${n("costLowUsd")}–$${n("costHighUsd")})`}, ${n("energyMwh")} MWh`,
  );
  if (r.price) lines.push(`  price: ${describeRental(r.price as RentalPriceView)}`);
  for (const reason of (r.reasons as { message: string }[]) ?? []) lines.push(`  reason: ${reason.message}`);
  for (const w of (r.warnings as string[]) ?? []) lines.push(`  warning: ${w}`);
  if (explain) {
    const terms = r.terms as { name: string; formula: string; value: number; unit: string }[];
    lines.push(
      "",
      renderTable(
        ["term", "value", "unit", "formula"],
        terms.map((t) => [t.name, t.value, t.unit, t.formula]),
      ),
    );
    const as = r.assumptions as { name: string; value: number | string; unit?: string; basis: string }[];
    lines.push(
      "",
      "assumptions:",
      ...as.map((x) => `  ${x.name} = ${x.value}${x.unit ? ` ${x.unit}` : ""} — ${x.basis}`),
    );
    const sources = (r.sources as { field: string; title: string; where?: string }[] | undefined) ?? [];
    lines.push("", "sources:", ...sources.map((x) => `  ${x.field}: ${x.title}${x.where ? ` — ${x.where}` : ""}`));
    const alts = r.alternatives as {
      parallelism: Record<string, number>;
      recompute: string;
      stepTimeS: number;
      mfu: number;
    }[];
    if (alts.length)
      lines.push(
        "",
        `runner-up layouts (of ${n("evaluatedLayouts")} evaluated):`,
        renderTable(
          ["tp", "pp", "dp", "ep", "recompute", "step s", "MFU"],
          alts.map((x) => [
            x.parallelism.tp ?? 1,
            x.parallelism.pp ?? 1,
            x.parallelism.dp ?? 1,
            x.parallelism.ep ?? 1,
            x.recompute,
            x.stepTimeS,
            x.mfu,
          ]),
        ),
      );
  }
  return lines.join("\n");
}
