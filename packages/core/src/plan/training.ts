/**
 * The training planner (docs/model.md §2.6): builds every layout through `layout()`, searches tp/pp/dp/ep/cp,
 * ZeRO stage, recompute, micro-batch, interleaving and schedule, and turns the chosen layout into a run
 * estimate (days, chip-hours, cost, energy) with its derivation. Pure: no I/O.
 */
import { rentalCostUsd } from "../cost/owned.ts";
import type { Accelerator } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { trainingFlops, trainingFlops6nd } from "../model/flops.ts";
import type { ComputePrecision } from "../model/precision.ts";
import type { Assumption, CoreWarning, InfeasibleReason, Term } from "../perf/derivation.ts";
import {
  type ClusterInput,
  type EpOverlap,
  estimateLayout,
  type LayoutEstimate,
  type PipelineSchedule,
  type SystemNetwork,
  TRAINING_ASSUMPTIONS,
  type TrainingEfficiency,
  type TrainingInput,
} from "../perf/training.ts";
import { chipsOf, type Parallelism, type Recompute, type ZeroStage } from "../perf/training-memory.ts";
import { FLOP_PER_PF_DAY, JOULES_PER_MWH, SECONDS_PER_DAY, SECONDS_PER_HOUR, tokens } from "../units/index.ts";

export type LayoutResult = { ok: true; parallelism: Parallelism } | { ok: false; reason: InfeasibleReason };

/**
 * The one layout builder (every plan, claim and validation case goes through it): missing degrees default to
 * 1, dp = chips ÷ (tp·pp·cp); the product must equal the chip count and ep must divide dp.
 */
export function layout(
  chips: number,
  d: {
    tp?: number | undefined;
    pp?: number | undefined;
    dp?: number | undefined;
    ep?: number | undefined;
    cp?: number | undefined;
  },
): LayoutResult {
  const tp = d.tp ?? 1;
  const pp = d.pp ?? 1;
  const cp = d.cp ?? 1;
  const ep = d.ep ?? 1;
  const dp = d.dp ?? chips / (tp * pp * cp);
  const p = { tp, pp, dp, ep, cp };
  if (!Number.isInteger(dp) || dp < 1 || chipsOf(p) !== chips)
    return {
      ok: false,
      reason: {
        code: "layout",
        params: { tp, pp, cp, dp: d.dp ?? null, chips },
        message: `tp ${tp} × pp ${pp} × cp ${cp}${d.dp ? ` × dp ${d.dp}` : ""} does not divide ${chips} chips${nearestHint(chips, tp * pp * cp * (d.dp ?? 1))}`,
      },
    };
  if (dp % ep !== 0)
    return {
      ok: false,
      reason: { code: "ep", params: { ep, dp, experts: null }, message: `ep ${ep} does not divide dp ${dp}` },
    };
  return { ok: true, parallelism: p };
}

/** Nearest chip counts that are multiples of `unit` (what works with the degrees given). */
export function nearestChipCounts(chips: number, unit: number): number[] {
  const below = Math.floor(chips / unit) * unit;
  const above = Math.ceil(chips / unit) * unit;
  return [...new Set([below, above].filter((x) => x > 0 && x !== chips))];
}
/**
 * 4194304 → "4,194,304" for the batch note. Not toLocaleString: the first one in a process loads ICU's number
 * formatting, which costs more start-up than the whole estimate (the CLI and web format with contract/format.ts).
 */
const withSeparators = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

const nearestHint = (chips: number, unit: number) => {
  const n = nearestChipCounts(chips, unit);
  return n.length ? `; nearest counts that work: ${n.join(" or ")}` : "";
};

/**
 * Global batch when none is given, from practice: at least 4 Mi tokens (GPT-3 used 3.2M, Brown et al. 2020
 * Table 2.1; Llama 2 4M), and one sequence per 8 chips rounded to a power of two as clusters grow
 * (Llama 3 405B: 16M tokens = 2,048 × 8K sequences on 16,384 GPUs, Dubey et al. 2024 Table 4).
 */
export function defaultGlobalBatchTokens(chips: number, seqLen: number): number {
  const floorSeqs = Math.ceil(4_194_304 / seqLen);
  const scaleSeqs = 2 ** Math.round(Math.log2(Math.max(1, chips / 8)));
  return Math.max(floorSeqs, scaleSeqs) * seqLen;
}

const powersOfTwoUpTo = (n: number): number[] => {
  const out: number[] = [];
  for (let x = 1; x <= n; x *= 2) out.push(x);
  return out;
};
const divisorsUpTo = (n: number, max: number): number[] => {
  const out: number[] = [];
  for (let x = 1; x <= Math.min(n, max); x++) if (n % x === 0) out.push(x);
  return out;
};

/** What the search may vary: everything not fixed by the caller (docs/model.md §2.6). */
export interface SearchSpace {
  readonly zero: readonly ZeroStage[];
  readonly recompute: readonly Recompute[];
  readonly microBatch: readonly number[];
  readonly ppInterleave: readonly number[];
}

/**
 * Stage-1 layouts: tp ∈ powers of two ≤ min(scale-up domain, heads) dividing the heads; cp ∈ powers of two with
 * ≥ 4K tokens per chip (long sequences only); pp ∈ divisors of chips/(tp·cp) ≤ layers; ep ∈ divisors of dp that
 * divide the experts (MoE); dp the rest.
 */
export function candidateLayouts(
  a: Architecture,
  chips: number,
  domain: number,
  seqLen: number,
  fixed: Partial<Parallelism>,
): Parallelism[] {
  const tps = fixed.tp
    ? [fixed.tp]
    : powersOfTwoUpTo(Math.min(Math.max(domain, 1), a.heads, chips)).filter((t) => a.heads % t === 0);
  const cps = fixed.cp
    ? [fixed.cp]
    : powersOfTwoUpTo(Math.max(1, Math.floor(seqLen / 4096))).filter((c) => c === 1 || seqLen >= 16384);
  const out: Parallelism[] = [];
  for (const tp of tps)
    for (const cp of cps) {
      if (chips % (tp * cp) !== 0) continue;
      const pps = fixed.pp ? [fixed.pp] : divisorsUpTo(chips / (tp * cp), a.layers);
      for (const pp of pps) {
        const l = layout(chips, { tp, pp, cp, dp: fixed.dp });
        if (!l.ok) continue;
        const dp = l.parallelism.dp;
        const eps = fixed.ep
          ? [fixed.ep]
          : a.moe
            ? divisorsUpTo(dp, a.moe.experts).filter((e) => a.moe && a.moe.experts % e === 0)
            : [1];
        for (const ep of eps) {
          const withEp = layout(chips, { tp, pp, cp, dp: fixed.dp, ep });
          if (withEp.ok) out.push(withEp.parallelism);
        }
      }
    }
  return out;
}

export interface RunnerUp extends LayoutEstimate {
  /** Why it lost to the chosen layout, in words. */
  readonly lostBecause: string;
}

export interface TrainingEstimate {
  readonly flops: number;
  readonly flops6nd: number;
  readonly pfDays: number;
  readonly cluster?: ClusterEstimate;
}

export interface ClusterEstimate extends LayoutEstimate {
  readonly days: number;
  readonly daysLow: number;
  readonly daysHigh: number;
  readonly chipHours: number;
  readonly costUsd: number | null;
  readonly energyMwh: number | null;
  readonly co2Tonnes: number | null;
  readonly mfuOverridden: boolean;
  readonly globalBatchTokens: number;
  readonly terms: readonly Term[];
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly CoreWarning[];
  /** Runner-up layouts from the search (fastest first) and why each lost. */
  readonly alternatives: readonly RunnerUp[];
  readonly evaluatedLayouts: number;
}

const STEP_TERMS: readonly [keyof LayoutEstimate["step"], string][] = [
  ["computeS", "compute"],
  ["tensorParallelS", "tensor-parallel communication"],
  ["contextParallelS", "context-parallel communication"],
  ["pipelineBubbleS", "pipeline bubble"],
  ["pipelineP2pS", "pipeline point-to-point"],
  ["dataParallelS", "data-parallel communication"],
  ["expertParallelS", "expert-parallel all-to-all"],
  ["optimizerS", "optimizer step"],
];

function whyLost(alt: LayoutEstimate, best: LayoutEstimate): string {
  if (!alt.feasible) return alt.reasons.map((r) => r.message).join("; ");
  let worst: [string, number] = ["", 0];
  for (const [k, label] of STEP_TERMS) {
    const d = alt.step[k] - best.step[k];
    if (d > worst[1]) worst = [label, d];
  }
  const slower = (alt.step.stepS / best.step.stepS - 1) * 100;
  return `${slower.toFixed(1)}% slower${worst[0] ? `: more ${worst[0]} (+${worst[1].toPrecision(3)} s per step)` : ""}`;
}

/** Key of a layout + settings, to keep one of each in the ranking. */
const keyOf = (e: LayoutEstimate) => {
  const p = e.parallelism;
  const s = e.settings;
  return `${p.tp}/${p.pp}/${p.dp}/${p.ep}/${p.cp}/${s.zero}/${s.recompute}/${s.microBatch}/${s.ppInterleave}/${s.schedule}`;
};

/**
 * Searches the layout space (docs/model.md §2.6). Stage 1 evaluates every (tp, pp, cp, ep, ZeRO, recompute) at
 * micro-batch 1 and v = 1, the memory-minimal settings, so it finds a feasible layout whenever one exists;
 * stage 2 refines the best few over micro-batch and interleaving. Knobs the caller fixed are not varied.
 */
export function searchLayouts(
  input: TrainingInput,
  cluster: ClusterInput,
  fixedKnobs: { zero?: boolean; microBatch?: boolean; ppInterleave?: boolean; recompute?: boolean },
): { chosen: LayoutEstimate; ranked: LayoutEstimate[]; evaluated: number; layouts: Parallelism[] } {
  const a = input.architecture;
  const domain = cluster.scaleUpDomain ?? cluster.system?.scaleUpDomain ?? cluster.chip.scaleUpDomain ?? 1;
  const layouts = candidateLayouts(a, cluster.chips, domain, input.seqLen, cluster.parallelism ?? {});
  const zeros: ZeroStage[] = fixedKnobs.zero ? [input.zero] : [0, 1, 2, 3];
  const flash = input.flashAttention ?? true;
  const recomputes: Recompute[] =
    fixedKnobs.recompute && input.recompute
      ? [input.recompute]
      : flash
        ? ["none", "full"]
        : ["none", "selective", "full"];
  const base = {
    ...input,
    microBatch: fixedKnobs.microBatch ? input.microBatch : 1,
    ppInterleave: fixedKnobs.ppInterleave ? input.ppInterleave : 1,
  };
  const evaluated: LayoutEstimate[] = [];
  for (const p of layouts)
    for (const zero of zeros)
      for (const r of recomputes) evaluated.push(estimateLayout({ ...base, zero }, cluster, p, r));
  const byTime = (x: LayoutEstimate, y: LayoutEstimate) => x.step.stepS - y.step.stepS;
  const stage1 = evaluated.filter((e) => e.feasible).sort(byTime);
  // Stage 2: the best few, with larger micro-batches and interleaving where they fit.
  const mbs = fixedKnobs.microBatch ? [input.microBatch] : [1, 2, 4];
  for (const e of stage1.slice(0, 6)) {
    const p = e.parallelism;
    // v up to one layer per chunk (Megatron-LM needs ≥ 1 layer per virtual stage), at most 12.
    const vs =
      fixedKnobs.ppInterleave || p.pp === 1
        ? [base.ppInterleave]
        : Array.from({ length: Math.min(12, Math.floor(a.layers / p.pp)) }, (_, i) => i + 1);
    for (const mb of mbs)
      for (const v of vs) {
        if (mb === e.settings.microBatch && v === e.settings.ppInterleave) continue;
        const schedule: PipelineSchedule | undefined = input.schedule ?? (v > 1 ? "interleaved" : undefined);
        evaluated.push(
          estimateLayout(
            { ...input, zero: e.settings.zero, microBatch: mb, ppInterleave: v, schedule },
            cluster,
            p,
            e.recompute,
          ),
        );
      }
  }
  const seen = new Set<string>();
  const ranked = evaluated
    .filter((e) => e.feasible)
    .sort(byTime)
    .filter((e) => {
      const k = keyOf(e);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  const chosen =
    ranked[0] ??
    [...evaluated].sort((x, y) => x.memory.total - y.memory.total || byTime(x, y))[0] ??
    estimateLayout(input, cluster, { tp: 1, pp: 1, dp: cluster.chips, ep: 1, cp: 1 }, input.recompute ?? "none");
  return { chosen, ranked, evaluated: evaluated.length, layouts };
}

/** Training FLOPs, then (with a cluster) memory, step time, MFU, days, cost and energy (docs/model.md §2). */
export function estimateTraining(
  input: TrainingInput,
  cluster?: ClusterInput,
  fixedKnobs: { zero?: boolean; microBatch?: boolean; ppInterleave?: boolean; recompute?: boolean } = {
    zero: true,
    microBatch: true,
    ppInterleave: true,
    recompute: input.recompute !== undefined,
  },
): TrainingEstimate {
  const a = input.architecture;
  const D = tokens(input.trainingTokens);
  const flops6nd = trainingFlops6nd(a, D);
  const flops = trainingFlops(a, D, input.seqLen);
  const base = { flops, flops6nd, pfDays: flops6nd / FLOP_PER_PF_DAY };
  if (!cluster) return base;

  const chip = cluster.chip;
  const fixed = cluster.parallelism ?? {};
  const warnings: CoreWarning[] = [];
  const allFixed = fixed.tp !== undefined && fixed.pp !== undefined;
  let chosen: LayoutEstimate;
  let ranked: LayoutEstimate[] = [];
  let evaluatedLayouts = 1;
  const unit = (fixed.tp ?? 1) * (fixed.pp ?? 1) * (fixed.cp ?? 1) * (fixed.dp ?? 1);
  const fixedLayout = layout(cluster.chips, fixed);
  const knobsFixed = fixedKnobs.zero && fixedKnobs.microBatch && fixedKnobs.ppInterleave;
  if (allFixed && knobsFixed && fixedLayout.ok && input.recompute !== undefined) {
    chosen = estimateLayout(input, cluster, fixedLayout.parallelism, input.recompute);
    ranked = chosen.feasible ? [chosen] : [];
  } else {
    const r = searchLayouts(input, cluster, fixedKnobs);
    chosen = r.chosen;
    ranked = r.ranked;
    evaluatedLayouts = r.evaluated;
    if (r.layouts.length === 0) {
      const reason: InfeasibleReason = fixedLayout.ok
        ? {
            code: "layout",
            params: { chips: cluster.chips },
            message: `no layout of ${cluster.chips} chips satisfies the fixed degrees`,
          }
        : fixedLayout.reason;
      const fallback = estimateLayout(
        input,
        cluster,
        {
          tp: fixed.tp ?? 1,
          pp: fixed.pp ?? 1,
          dp: Math.max(1, Math.floor(cluster.chips / unit)),
          ep: 1,
          cp: fixed.cp ?? 1,
        },
        input.recompute ?? "none",
      );
      chosen = { ...fallback, feasible: false, reasons: [reason, ...fallback.reasons] };
    }
  }
  const peak = chip.peak[input.precision] ?? 0;
  const mfuOverridden = cluster.mfuOverride !== undefined;
  // Whole-run time: model FLOPs of the run ÷ (chips · peak · MFU) ÷ goodput (ARCHITECTURE §2).
  const mfu = cluster.mfuOverride ?? chosen.mfu;
  const runFlops = mfuOverridden ? flops6nd : flops;
  const seconds_ = runFlops / (cluster.chips * peak * mfu) / input.goodput;
  const days = seconds_ / SECONDS_PER_DAY;
  const chipHours = (seconds_ * cluster.chips) / SECONDS_PER_HOUR;
  const band = mfuOverridden ? { low: 1, high: 1 } : cluster.efficiency.band;
  const energyJ = chip.tdp === null ? null : chip.tdp * cluster.powerFraction * cluster.pue * cluster.chips * seconds_;
  const energyMwh = energyJ === null ? null : energyJ / JOULES_PER_MWH;
  const co2Tonnes =
    energyMwh !== null && cluster.kgCo2PerKwh !== undefined ? (energyMwh * 1000 * cluster.kgCo2PerKwh) / 1000 : null;
  if (!cluster.efficiency.validated && !mfuOverridden)
    warnings.push({
      code: "unvalidated-efficiency",
      params: { hardware: chip.id, basis: cluster.efficiency.basis },
      message: `no training measurements for ${chip.id}: efficiency from ${cluster.efficiency.basis} (unvalidated)`,
    });
  if (input.goodput < 1)
    warnings.push({
      code: "goodput-assumed",
      params: { goodput: input.goodput },
      message: `days divided by goodput ${input.goodput} (restarts, failures): an assumption`,
    });
  const p = chosen.parallelism;
  if (p.pp > 1 && chosen.microBatchesPerStep < 2 * p.pp) {
    const params = {
      sequences: Math.round(input.globalBatchTokens / input.seqLen),
      microBatches: chosen.microBatchesPerStep,
      pp: p.pp,
      bubbleFraction: chosen.step.pipelineBubbleS / chosen.step.stepS,
    };
    // Names an input: the contract re-renders it per audience (messages.ts "pipeline-bubble").
    warnings.push({
      code: "pipeline-bubble",
      params,
      message: `global batch of ${params.sequences} sequences leaves ${params.microBatches} micro-batches per pipeline for pp ${p.pp}: the bubble costs ${(params.bubbleFraction * 100).toFixed(0)}% of the step (a larger global batch would use the cluster better)`,
    });
  }
  const s = chosen.settings;
  const st = chosen.step;
  const terms: Term[] = [
    {
      name: "model FLOPs",
      formula: "6·N_active·D + 12·layers·heads·headDim·seqLen·D (§1.3)",
      value: flops,
      unit: "FLOP",
    },
    { name: "6ND", formula: "6·N_active·D (§1.3)", value: flops6nd, unit: "FLOP" },
    {
      name: "compute",
      formula:
        "m · Σ ops of the slowest stage (ceil(L/p) layers + LM head), each max(FLOPs ÷ (peak·η), bytes ÷ (HBM·η_mem)) (§2.2)",
      value: st.computeS,
      unit: "s",
    },
    {
      name: "tensor-parallel (exposed)",
      formula: `m·layers·${s.recompute === "full" ? 6 : 4}·all-reduce(b·s·h) on its tier${s.tpOverlap ? ", overlapped with the GEMMs" : ""} (§2.3)`,
      value: st.tensorParallelS,
      unit: "s",
    },
    {
      name: "context-parallel (exposed)",
      formula: "ring K/V exchange − attention compute (§2.3)",
      value: st.contextParallelS,
      unit: "s",
    },
    {
      name: "pipeline bubble",
      formula: `${s.schedule}: ${s.schedule === "interleaved" ? "(p−1)/v" : s.schedule === "zero-bubble" ? "(p−1)(F+B−2W)" : s.schedule === "dualpipe" ? "(p/2−1)(F&B+B−3W)" : "(p−1)"} × per-micro-batch time (§2.4)`,
      value: st.pipelineBubbleS,
      unit: "s",
    },
    {
      name: "pipeline point-to-point",
      formula: "m·2·v·b·s·h/t bytes ÷ tier bandwidth (§2.4)",
      value: st.pipelineP2pS,
      unit: "s",
    },
    {
      name: "data-parallel (exposed)",
      formula: `ZeRO-${s.zero}: gradient ${s.zero === 0 ? "all-reduce" : "reduce-scatter + parameter all-gather"} on its tiers − overlap (§2.3)`,
      value: st.dataParallelS,
      unit: "s",
    },
    {
      name: "expert-parallel all-to-all (exposed)",
      formula: `m·MoE layers/p·4·all-to-all(b·s·h·k), overlap ${s.epOverlap} (§2.5)`,
      value: st.expertParallelS,
      unit: "s",
    },
    { name: "optimizer step", formula: "params per chip·28 B ÷ (HBM·η_mem) (§2.2)", value: st.optimizerS, unit: "s" },
    { name: "step time", formula: "sum of the above", value: st.stepS, unit: "s" },
  ];
  const f = cluster.efficiency.fractions;
  const assumptions: Assumption[] = [
    {
      name: "matmul peak fraction",
      value: Number(f.matmulPeakFraction.toPrecision(4)),
      unit: "fraction of dense peak",
      basis: cluster.efficiency.basis,
    },
    ...(f.lowPrecisionMatmulPeakFraction !== undefined
      ? [
          {
            name: "FP8 matmul peak fraction",
            value: Number(f.lowPrecisionMatmulPeakFraction.toPrecision(4)),
            unit: "fraction of dense FP8 peak",
            basis: cluster.efficiency.basis,
          },
        ]
      : []),
    {
      name: "attention peak fraction",
      value: Number(f.attentionPeakFraction.toPrecision(4)),
      unit: "fraction of dense 16-bit peak",
      basis: cluster.efficiency.basis,
    },
    { name: "HBM fraction", value: f.hbmFraction, unit: "fraction of HBM bandwidth", basis: f.basis },
    {
      name: "bus bandwidth fraction",
      value: f.busBandwidthFraction,
      unit: "fraction of nominal link bandwidth",
      basis: f.basis,
    },
    {
      name: "network tiers",
      value: networkTiersLine(cluster),
      unit: "per chip, one direction, nominal",
      basis: cluster.system
        ? `catalog system ${cluster.system.id} (systems/); groups map to tiers in rank order TP, CP, EP, PP, DP`
        : "the chip's scale-up domain and NIC (catalog accelerators/); rank order TP, CP, EP, PP, DP",
    },
    {
      name: "link latency per hop",
      value: `scale-up ${TRAINING_ASSUMPTIONS.scaleUpLatencyS * 1e6} µs, scale-out ${TRAINING_ASSUMPTIONS.scaleOutLatencyS * 1e6} µs, DCN ${TRAINING_ASSUMPTIONS.dcnLatencyS * 1e6} µs`,
      basis: "assumption (docs/model.md §2.3)",
    },
    {
      name: "GEMM half-dimensions",
      value: `${f.gemmHalfDim.m}/${f.gemmHalfDim.n}/${f.gemmHalfDim.k}`,
      unit: "M/N/K",
      basis: f.basis,
    },
    {
      name: "settings",
      value: `SP ${s.sequenceParallel ? "on" : "off"}, FlashAttention ${s.flashAttention ? "on" : "off"}, ${s.schedule}${s.ppInterleave > 1 ? ` v=${s.ppInterleave}` : ""}, micro-batch ${s.microBatch}, ZeRO-${s.zero}, recompute ${s.recompute}, TP overlap ${s.tpOverlap ? "on" : "off"}, DP overlap ${s.dpOverlap ? "on" : "off"}, EP overlap ${s.epOverlap}`,
      basis: "given, or chosen by the planner (docs/model.md §2.1, §2.6)",
    },
    {
      name: "overlap slowdown",
      value: TRAINING_ASSUMPTIONS.overlapSlowdown,
      unit: "fraction of hidden comm time",
      basis: "assumption: comm kernels share SMs and HBM",
    },
    {
      name: "MoE imbalance",
      value: TRAINING_ASSUMPTIONS.moeImbalance,
      unit: "busiest/mean expert load",
      basis: "Switch Transformer capacity factor 1.25 (Fedus et al. 2022 §2.1)",
    },
    {
      name: "global batch",
      value: input.globalBatchTokens,
      unit: "tokens",
      basis: "given, or the practice default (docs/model.md §2.1)",
    },
    {
      name: "goodput",
      value: input.goodput,
      unit: "fraction of wall time that trains",
      basis: input.goodput === 1 ? "default 1.0 (no restarts): an assumption" : "given",
    },
    {
      name: "power draw",
      value: cluster.powerFraction,
      unit: "fraction of TDP",
      basis: "assumption (the power-fraction input overrides it)",
    },
    { name: "PUE", value: cluster.pue, unit: "ratio", basis: "given or default" },
  ];
  const alternatives: RunnerUp[] = ranked
    .filter((e) => e !== chosen)
    .slice(0, 5)
    .map((e) => ({ ...e, lostBecause: whyLost(e, chosen) }));
  return {
    ...base,
    cluster: {
      ...chosen,
      mfu,
      hfu: mfuOverridden ? mfu * (chosen.hfu / chosen.mfu) : chosen.hfu,
      days,
      daysLow: days / band.high,
      daysHigh: days / band.low,
      chipHours,
      costUsd: cluster.usdPerChipHour === undefined ? null : rentalCostUsd(cluster.usdPerChipHour, chipHours, 1),
      energyMwh,
      co2Tonnes,
      mfuOverridden,
      globalBatchTokens: input.globalBatchTokens,
      terms,
      assumptions,
      warnings,
      alternatives,
      evaluatedLayouts,
    },
  };
}

/** "8 × 450 GB/s scale-up; 400 Gbit/s scale-out; pod 3,072 chips, then 57 Gbit/s DCN" for --explain. */
function networkTiersLine(cluster: ClusterInput): string {
  const sys = cluster.system;
  const domain = cluster.scaleUpDomain ?? sys?.scaleUpDomain ?? cluster.chip.scaleUpDomain ?? 1;
  const up = sys?.scaleUpBandwidth ?? cluster.chip.scaleUpBandwidth;
  const out = sys?.scaleOutBandwidth ?? cluster.chip.scaleOutBandwidth;
  const gbs = (x: number | null | undefined) => (x ? `${Number((x / 1e9).toPrecision(3))} GB/s` : "unknown");
  const gbit = (x: number | null | undefined) => (x ? `${Number(((x * 8) / 1e9).toPrecision(3))} Gbit/s` : "unknown");
  const dcn =
    sys?.podChips && sys.dcnBandwidth ? `; pod ${sys.podChips} chips, then ${gbit(sys.dcnBandwidth)} DCN` : "";
  return `${domain} × ${gbs(up)} scale-up; ${gbit(out)} scale-out${dcn}`;
}

/** Everything a training scenario may state, in plain numbers (CLI flags, scenario files, API, validation cases). */
export interface TrainingSpec {
  readonly tokens: number;
  readonly seqLen?: number | undefined;
  readonly globalBatchTokens?: number | undefined;
  readonly microBatch?: number | undefined;
  readonly precision: ComputePrecision;
  readonly recompute?: Recompute | undefined;
  readonly sequenceParallel?: boolean | undefined;
  readonly ppInterleave?: number | undefined;
  readonly zero?: ZeroStage | undefined;
  readonly goodput?: number | undefined;
  readonly flashAttention?: boolean | undefined;
  /** Year of the run: era defaults (FlashAttention and TP overlap from 2023). */
  readonly year?: number | undefined;
  readonly schedule?: PipelineSchedule | undefined;
  readonly tpOverlap?: boolean | undefined;
  readonly dpOverlap?: boolean | undefined;
  readonly epOverlap?: EpOverlap | undefined;
  readonly fp8Dispatch?: boolean | undefined;
  readonly nodeLimitedRouting?: number | undefined;
  readonly chips?: number | undefined;
  readonly tp?: number | undefined;
  readonly pp?: number | undefined;
  readonly dp?: number | undefined;
  readonly ep?: number | undefined;
  readonly cp?: number | undefined;
  readonly mfu?: number | undefined;
  readonly powerFraction?: number | undefined;
  readonly pue?: number | undefined;
  readonly usdPerChipHour?: number | undefined;
  readonly kgCo2PerKwh?: number | undefined;
  readonly scaleUpDomain?: number | undefined;
  /** The system's network tiers (catalog systems/: scale-up domain, scale-out, pod size and DCN beyond it). */
  readonly system?: SystemNetwork | undefined;
  readonly sharp?: boolean | undefined;
}

/** Default training sequence length: the model's context, capped at 8,192 (docs/model.md §2.1). */
export const DEFAULT_TRAIN_SEQ_LEN_CAP = 8192;
/**
 * PUE for library callers that give none. Adapters always pass the catalog's sourced default (contract
 * cost-inputs.ts `pueFor`: price point semianalysis-ai-dc-pue, AI data centres 1.1–1.3); core cannot read the
 * catalog, so the value is repeated here and a contract test keeps the two equal.
 */
export const PUE_IF_NOT_GIVEN = 1.2;
/** Global batch without a cluster (FLOPs only): 4 Mi tokens. */
export const DEFAULT_GLOBAL_BATCH_TOKENS = 4_194_304;

export interface TrainingInputs {
  readonly input: TrainingInput;
  readonly cluster?: ClusterInput | undefined;
  readonly fixedKnobs: { zero: boolean; microBatch: boolean; ppInterleave: boolean; recompute: boolean };
  /** Choices made for the user (stated in the result). */
  readonly notes: readonly CoreWarning[];
}

/**
 * The one estimator-input builder: a spec + resolved architecture/chip/efficiency → estimator inputs, with the
 * practice defaults of docs/model.md §2.1 (FlashAttention and TP overlap by era, SP when tp > 1, global batch
 * from the cluster size). Knobs the spec leaves out are searched by the planner.
 */
export function buildTrainingInputs(
  a: Architecture,
  spec: TrainingSpec,
  hw?: { chip: Accelerator; efficiency: TrainingEfficiency } | undefined,
): TrainingInputs {
  const notes: CoreWarning[] = [];
  const seqLen = spec.seqLen ?? Math.min(a.maxContext, DEFAULT_TRAIN_SEQ_LEN_CAP);
  let globalBatchTokens = spec.globalBatchTokens;
  if (globalBatchTokens === undefined) {
    if (spec.chips !== undefined && hw) {
      globalBatchTokens = defaultGlobalBatchTokens(spec.chips, seqLen);
      notes.push({
        code: "global-batch-default",
        params: { globalBatchTokens, sequences: globalBatchTokens / seqLen, seqLen, chips: spec.chips },
        message: `global batch not given: ${withSeparators(globalBatchTokens)} tokens (${globalBatchTokens / seqLen} sequences of ${seqLen}) chosen from practice for ${spec.chips} chips (≥ 4 Mi tokens, one sequence per 8 chips; docs/model.md §2.1)`,
      });
    } else globalBatchTokens = DEFAULT_GLOBAL_BATCH_TOKENS;
  }
  // FlashAttention-2 runs on Ampere and newer GPUs (Dao 2023, README "Requirements"); earlier NVIDIA chips default off.
  const preFlashChip = hw !== undefined && /nvidia-(volta|turing|pascal)/.test(hw.chip.family);
  const flashAttention =
    spec.flashAttention ??
    (!preFlashChip && (spec.year === undefined || spec.year >= TRAINING_ASSUMPTIONS.flashAttentionFromYear));
  const input: TrainingInput = {
    architecture: a,
    trainingTokens: spec.tokens,
    seqLen,
    globalBatchTokens,
    microBatch: spec.microBatch ?? 1,
    precision: spec.precision,
    recompute: spec.recompute,
    sequenceParallel: spec.sequenceParallel,
    ppInterleave: spec.ppInterleave ?? 1,
    zero: spec.zero ?? 1,
    goodput: spec.goodput ?? 1,
    flashAttention,
    schedule: spec.schedule,
    tpOverlap: spec.tpOverlap,
    dpOverlap: spec.dpOverlap,
    epOverlap: spec.epOverlap,
    fp8Dispatch: spec.fp8Dispatch,
    nodeLimitedRouting: spec.nodeLimitedRouting,
  };
  const cluster: ClusterInput | undefined =
    hw && spec.chips !== undefined
      ? {
          chip: hw.chip,
          chips: spec.chips,
          efficiency: hw.efficiency,
          parallelism: { tp: spec.tp, pp: spec.pp, dp: spec.dp, ep: spec.ep, cp: spec.cp },
          mfuOverride: spec.mfu,
          powerFraction: spec.powerFraction ?? 1,
          pue: spec.pue ?? PUE_IF_NOT_GIVEN,
          usdPerChipHour: spec.usdPerChipHour,
          kgCo2PerKwh: spec.kgCo2PerKwh,
          scaleUpDomain: spec.scaleUpDomain,
          system: spec.system,
          sharp: spec.sharp,
        }
      : undefined;
  return {
    input,
    cluster,
    fixedKnobs: {
      zero: spec.zero !== undefined,
      microBatch: spec.microBatch !== undefined,
      ppInterleave: spec.ppInterleave !== undefined || (spec.schedule !== undefined && spec.schedule !== "interleaved"),
      recompute: spec.recompute !== undefined,
    },
    notes,
  };
}

/** Builds the inputs and estimates: what `train`, validation and calibration all call. */
export function planTrainingRun(
  a: Architecture,
  spec: TrainingSpec,
  hw?: { chip: Accelerator; efficiency: TrainingEfficiency } | undefined,
): TrainingEstimate & { notes: readonly CoreWarning[]; seqLen: number } {
  const b = buildTrainingInputs(a, spec, hw);
  return { ...estimateTraining(b.input, b.cluster, b.fixedKnobs), notes: b.notes, seqLen: b.input.seqLen };
}
