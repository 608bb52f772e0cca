import {
  describeRental,
  formatCount,
  formatDuration,
  formatEnergy,
  formatNumber,
  formatPercent,
  formatUsd,
  localizeMessages,
  planTraining,
  type RentalPriceView,
  TrainScenario,
} from "@flopcast/contract";
import type { Command } from "commander";
import { readCalibrationProfile } from "../calibration-profile.ts";
import { type Column, column, csv, renderTable, table } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveHardware, resolveModel } from "../resolve.ts";
import { scenarioFrom } from "../scenario-input.ts";
import { type Runner, todayIso, withOutputFlags } from "./shared.ts";

export function registerTrain(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("train")
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
      .option(
        "--global-batch-tokens <n>",
        "tokens per optimizer step (default: ≥ 4 Mi tokens, one sequence per 8 chips as clusters grow; stated)",
      )
      .option("--micro-batch <n>", "sequences per micro-batch (searched when absent)")
      .option("--recompute <mode>", "none | selective | full (searched when absent)")
      .option("--sequence-parallel", "Megatron sequence parallelism (default: on whenever tp > 1)")
      .option("--no-sequence-parallel", "turn sequence parallelism off")
      .option("--pp-interleave <v>", "virtual pipeline stages per chip (searched when absent)")
      .option("--schedule <s>", "1f1b | interleaved | zero-bubble | dualpipe (default 1f1b, interleaved when v > 1)")
      .option("--zero <stage>", "ZeRO stage 0-3 (searched when absent)")
      .option("--flash-attention", "FlashAttention: no s² activations, causal FLOPs (default: on for --year ≥ 2023)")
      .option("--no-flash-attention", "attention without FlashAttention (pre-2023 frameworks)")
      .option("--year <yyyy>", "year of the run: era defaults (FlashAttention, TP overlap from 2023)")
      .option("--tp-overlap", "overlap TP collectives with GEMMs (default: with FlashAttention)")
      .option("--no-tp-overlap", "TP collectives fully exposed")
      .option("--no-dp-overlap", "DP reduce-scatter/all-gather fully exposed (default: overlapped)")
      .option("--ep-overlap <mode>", "none | 1f1b | dualpipe: how MoE all-to-all overlaps compute")
      .option("--fp8-dispatch", "MoE dispatch in FP8 (DeepSeek-V3 §3.3.2)")
      .option("--node-limited-routing <m>", "each token reaches at most m scale-up domains (DeepSeek-V3: 4)")
      .option("--sharp", "in-network reduction (SHARP) on the scale-out network")
      .option("--scale-up-domain <n>", "chips per scale-up domain (e.g. 72 for GB200 NVL72; default: the catalog's)")
      .option(
        "--system <id>",
        "catalog system (gb200-nvl72, dgx-h100, tpu-v5p-pod, meta-grand-teton-roce-24k, …): network tiers for collectives",
      )
      .option("--mfu <x>", "override the predicted MFU (0-1)")
      .option("--goodput <x>", "fraction of wall time that trains (restarts, failures); default 1")
      .option(
        "--price-usd-per-chip-hour <usd>",
        "rental price for costUsd (default: the market median, see --price-basis)",
      )
      .option("--price-basis <basis>", "rental basis: market (default) | on-demand | reserved | list")
      .option(
        "--pue <x>",
        "power usage effectiveness (default 1.2: AI data centres 1.1–1.3, SemiAnalysis; an average site is ≈ 1.56, Uptime 2024)",
      )
      .option("--power-fraction <x>", "average draw as a fraction of TDP (default 1.0)")
      .option("--grid-kg-co2-per-kwh <x>", "grid carbon intensity for co2Tonnes")
      .option(
        "--calibration <profile.json>",
        "physical fractions from `flopcast calibrate --runs` (default: the catalog's)",
      )
      .option("--scenario <file>", "YAML/JSON scenario (keys = long flags in camelCase); flags override it")
      .option("--explain", "print the derivation: every time term, the bottleneck, assumptions, sources"),
  ).action((flags: Record<string, unknown>, cmd: Command) =>
    run(flags, async (): Promise<CommandOutcome> => {
      const raw: Record<string, unknown> = { today: todayIso(), ...flags };
      const calibration =
        typeof raw.calibration === "string" ? await readCalibrationProfile(raw.calibration) : undefined;
      delete raw.calibration;
      if (typeof raw.zero === "string") raw.zero = Number(raw.zero);
      // Commander sets negatable flags to true by default; only pass what the user typed.
      for (const k of ["sequenceParallel", "flashAttention", "tpOverlap", "dpOverlap"])
        if (cmd.getOptionValueSource(k) === "default") delete raw[k];
      const s = scenarioFrom(TrainScenario, raw);
      const model = resolveModel(s.model);
      const hardware = s.hardware ? resolveHardware(s.hardware) : undefined;
      const planned = planTraining(s, model, hardware, calibration);
      if (!planned.ok) throw new BadInput(planned.problems);
      // Warnings and reasons that name an input name it as a flag here (messages.ts); code and params are unchanged.
      const result = localizeMessages(planned.result, "cli");
      const r = result as TrainRow;
      return {
        kind: "ok",
        json: result,
        output: "train",
        text: () => renderTrain(r, Boolean(flags.explain)),
        csv: () => csv(TRAIN_COLUMNS, [r]),
      };
    }),
  );
}

/** The train result as the text and CSV renderers read it (JSON field names; hardware fields absent without --hardware). */
interface TrainRow {
  readonly [field: string]: unknown;
  readonly model: string;
  readonly tokens: number;
  readonly seqLenTokens: number;
  readonly flops: number;
  readonly flops6nd: number;
  readonly pfDays: number;
  readonly hardware?: string;
  readonly chips?: number;
  readonly precision?: string;
  readonly parallelism?: Readonly<Record<string, number>>;
  readonly recompute?: string;
  readonly feasible?: boolean;
  readonly reasons?: readonly { message: string }[];
  readonly warnings?: readonly { message: string }[];
}

const num = (r: TrainRow, k: string): number | null => (typeof r[k] === "number" ? (r[k] as number) : null);
const layout = (r: TrainRow, k: string): number | null => r.parallelism?.[k] ?? null;

/** `train --csv`: one row; columns = the JSON fields of the same name (docs/cli.md). */
export const TRAIN_COLUMNS: readonly Column<TrainRow>[] = [
  column("model", "model", (r) => r.model),
  column("tokens", "tokens", (r) => r.tokens, formatCount),
  column("seqLenTokens", "sequence tokens", (r) => r.seqLenTokens, formatCount),
  column("flops", "model FLOPs", (r) => r.flops),
  column("flops6nd", "6ND FLOPs", (r) => r.flops6nd),
  column("pfDays", "PF-days", (r) => r.pfDays),
  column("hardware", "hardware", (r) => r.hardware ?? null),
  column("chips", "chips", (r) => r.chips ?? null, formatCount),
  column("precision", "precision", (r) => r.precision ?? null),
  column("tp", "TP", (r) => layout(r, "tp")),
  column("pp", "PP", (r) => layout(r, "pp")),
  column("dp", "DP", (r) => layout(r, "dp")),
  column("ep", "EP", (r) => layout(r, "ep")),
  column("recompute", "recompute", (r) => r.recompute ?? null),
  column("feasible", "feasible", (r) => r.feasible ?? null),
  column("mfu", "MFU", (r) => num(r, "mfu"), formatPercent),
  column("hfu", "HFU", (r) => num(r, "hfu"), formatPercent),
  column("stepTimeS", "step", (r) => num(r, "stepTimeS"), formatDuration),
  column("days", "days", (r) => num(r, "days")),
  column("daysLow", "days (low)", (r) => num(r, "daysLow")),
  column("daysHigh", "days (high)", (r) => num(r, "daysHigh")),
  column("chipHours", "chip-hours", (r) => num(r, "chipHours"), formatCount),
  column("costUsd", "cost", (r) => num(r, "costUsd"), formatUsd),
  column("costLowUsd", "cost (low)", (r) => num(r, "costLowUsd"), formatUsd),
  column("costHighUsd", "cost (high)", (r) => num(r, "costHighUsd"), formatUsd),
  column("energyMwh", "energy MWh", (r) => num(r, "energyMwh")),
  column("co2Tonnes", "CO2 t", (r) => num(r, "co2Tonnes")),
  column("memoryPerChipGb", "memory GB/chip", (r) => num(r, "memoryPerChipGb")),
  column("bottleneck", "bottleneck", (r) => (typeof r.bottleneck === "string" ? r.bottleneck : null)),
];

/** The cost range: price range × the estimator's time band; none when price and MFU are both given. */
function costBand(low: number | null, high: number | null, cost: number): string {
  if (low === null || high === null) return "";
  if (Math.abs(high - low) <= 1e-9 * cost) return "(no band: price and MFU given)";
  return `(${formatUsd(low)}–${formatUsd(high)}: price range × time band)`;
}

function settingsLine(s: Record<string, unknown> | undefined): string {
  if (!s) return "";
  return `${s.schedule}${Number(s.ppInterleave) > 1 ? ` v=${s.ppInterleave}` : ""}, micro-batch ${s.microBatch}, ZeRO-${s.zero}, SP ${s.sequenceParallel ? "on" : "off"}, FlashAttention ${s.flashAttention ? "on" : "off"}, TP overlap ${s.tpOverlap ? "on" : "off"}, EP overlap ${s.epOverlap}`;
}

function renderTrain(r: TrainRow, explain: boolean): string {
  const n = (k: string) => num(r, k);
  const lines = [
    `${r.model}: ${formatCount(r.tokens)} tokens at sequence length ${formatCount(r.seqLenTokens)}`,
    `  model FLOPs ${formatNumber(r.flops)} (6ND ${formatNumber(r.flops6nd)}) = ${formatNumber(r.pfDays)} PF-days`,
  ];
  if (r.hardware === undefined) return lines.join("\n");
  const p = r.parallelism ?? {};
  const days = n("days");
  const cost = n("costUsd");
  lines.push(
    `  on ${formatCount(r.chips)} × ${r.hardware} (${r.precision}): TP ${p.tp} · PP ${p.pp} · DP ${p.dp} · EP ${p.ep} · CP ${p.cp ?? 1}, recompute ${r.recompute}`,
    `  ${settingsLine(r.settings as Record<string, unknown> | undefined)}`,
    `  ${r.feasible ? "feasible" : "INFEASIBLE"}; memory ${formatNumber(n("memoryPerChipGb"), 3)} GB per chip; bottleneck ${r.bottleneck}`,
    `  MFU ${formatPercent(n("mfu"))} (${r.mfuSource}), HFU ${formatPercent(n("hfu"))}; one step ${formatDuration(n("stepTimeS"))}`,
    `  ${days === null ? "—" : formatDuration(days * 86_400)} (band ${formatNumber(n("daysLow"), 3)}–${formatNumber(n("daysHigh"), 3)} days), ${formatCount(n("chipHours"))} chip-hours`,
    `  cost ${cost === null ? "— (give --price-usd-per-chip-hour)" : `${formatUsd(cost)} ${costBand(n("costLowUsd"), n("costHighUsd"), cost)}`}; energy ${n("energyMwh") === null ? "— (no TDP for this chip)" : formatEnergy((n("energyMwh") ?? Number.NaN) * 1e6)}${n("co2Tonnes") === null ? "" : `, ${formatNumber(n("co2Tonnes"), 3)} t CO2e`}`,
  );
  if (r.price) lines.push(`  price: ${describeRental(r.price as RentalPriceView)}`);
  for (const reason of r.reasons ?? []) lines.push(`  reason: ${reason.message}`);
  for (const w of r.warnings ?? []) lines.push(`  warning: ${w.message}`);
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
      ...as.map(
        (x) =>
          `  ${x.name} = ${typeof x.value === "number" ? formatNumber(x.value) : x.value}${x.unit ? ` ${x.unit}` : ""} — ${x.basis}`,
      ),
    );
    lines.push("", `calibration: ${String(r.calibration ?? "catalog")}`);
    const sources = (r.sources as { field: string; title: string; where?: string }[] | undefined) ?? [];
    lines.push("", "sources:", ...sources.map((x) => `  ${x.field}: ${x.title}${x.where ? ` — ${x.where}` : ""}`));
    const alts = r.alternatives as {
      parallelism: Record<string, number>;
      recompute: string;
      settings: { zero: number; microBatch: number; ppInterleave: number; schedule: string };
      stepTimeS: number;
      mfu: number;
      lostBecause: string;
    }[];
    const alt = column<(typeof alts)[number]>;
    if (alts.length)
      lines.push(
        "",
        `runner-up layouts (of ${formatCount(n("evaluatedLayouts"))} evaluated) and why each lost:`,
        table(
          [
            alt("tp", "TP", (x) => x.parallelism.tp ?? 1),
            alt("pp", "PP", (x) => x.parallelism.pp ?? 1),
            alt("dp", "DP", (x) => x.parallelism.dp ?? 1),
            alt("ep", "EP", (x) => x.parallelism.ep ?? 1),
            alt("cp", "CP", (x) => x.parallelism.cp ?? 1),
            alt("zero", "optimizer sharding stage", (x) => x.settings.zero),
            alt("microBatch", "micro-batch", (x) => x.settings.microBatch),
            alt("ppInterleave", "v", (x) => x.settings.ppInterleave),
            alt("recompute", "recompute", (x) => x.recompute),
            alt("stepTimeS", "step s", (x) => x.stepTimeS),
            alt("mfu", "MFU", (x) => x.mfu, formatPercent),
            alt("lostBecause", "why it lost", (x) => x.lostBecause),
          ],
          alts,
        ),
      );
  }
  return lines.join("\n");
}
