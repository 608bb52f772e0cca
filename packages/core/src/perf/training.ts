import { rentalCostUsd } from "../cost/owned.ts";
import { type Accelerator, scaleOutBandwidthOf, scaleUpBandwidthOf } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { moeLayerCount, routedExpertParamsActive } from "../model/derived.ts";
import { trainingFlops, trainingFlops6nd } from "../model/flops.ts";
import { paramBreakdown } from "../model/params.ts";
import { bytesPerElement, type ComputePrecision } from "../model/precision.ts";
import {
  type BytesPerSecond,
  bytes,
  FLOP_PER_PF_DAY,
  JOULES_PER_MWH,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  seconds,
  tokens,
} from "../units/index.ts";
import { allGatherTime, allReduceTime, allToAllTime } from "./collectives.ts";
import type { Assumption, InfeasibleReason, Term } from "./derivation.ts";
import {
  chipsOf,
  OPTIMIZER_BYTES_PER_PARAM,
  type Parallelism,
  paramsPerChip,
  type Recompute,
  type TrainingMemory,
  trainingMemoryPerChip,
  type ZeroStage,
} from "./training-memory.ts";

/** Per-chip (or per-family) efficiency parameters of the training step model, fitted by `npm run calibrate`. */
export interface TrainingEfficiency {
  /** Achievable fraction of the dense 16-bit peak on large matmuls. */
  readonly matmul16: number;
  /** Achievable fraction of the dense FP8 peak (FP8 scaling and casting overheads included). */
  readonly matmul8: number;
  /** "calibrated on …", "family prior …" or "global prior …". */
  readonly basis: string;
  /** Basis of the FP8 value when it differs (e.g. derived from the 16-bit fit). */
  readonly basis8?: string | undefined;
  readonly validated: boolean;
  /** Multipliers on predicted throughput spanning the calibration residuals (low ≤ 1 ≤ high). */
  readonly band: { readonly low: number; readonly high: number };
}

/** Fixed constants of the step model: ours, labelled as assumptions in every result (docs/model.md §2). */
export const TRAINING_ASSUMPTIONS = {
  /** Matmul efficiency halves when the per-chip GEMM width (hidden/tp) is this many columns. */
  gemmHalfWidth: 96,
  /** Achieved fraction of a link's nominal bandwidth for large collectives (NCCL bus bandwidth ≈ 70–80% of nominal). */
  linkEfficiency: 0.75,
  scaleUpLatencyS: 5e-6,
  scaleOutLatencyS: 15e-6,
  /** Expert load imbalance: tokens of the busiest expert ÷ mean (Switch Transformer capacity factor 1.25, Fedus et al. 2022 §2.1). */
  moeImbalance: 1.25,
  /** Bytes moved per parameter by the optimizer step (read/write fp32 master, m, v; read gradient; write bf16 weight). */
  optimizerBytesPerParam: 2 * OPTIMIZER_BYTES_PER_PARAM + 4,
  /** Fraction of the backward pass that selective recompute re-runs (attention scores only; Korthikanti et al. 2022 §5: ≈2.7% FLOPs overhead for GPT-3). */
  selectiveRecomputeOverhead: 0.027,
} as const;

export interface TrainingInput {
  readonly architecture: Architecture;
  readonly trainingTokens: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  readonly microBatch: number;
  readonly precision: ComputePrecision;
  readonly recompute?: Recompute | undefined;
  readonly sequenceParallel: boolean;
  readonly ppInterleave: number;
  readonly zero: ZeroStage;
  readonly goodput: number;
}

export interface ClusterInput {
  readonly chip: Accelerator;
  readonly chips: number;
  readonly efficiency: TrainingEfficiency;
  /** Fixed layout; missing degrees are searched. */
  readonly parallelism?: Partial<Parallelism> | undefined;
  readonly mfuOverride?: number | undefined;
  /** Fraction of TDP drawn while training (power ≈ TDP × this × PUE). */
  readonly powerFraction: number;
  readonly pue: number;
  readonly usdPerChipHour?: number | undefined;
  readonly kgCo2PerKwh?: number | undefined;
}

export interface StepBreakdown {
  readonly computeS: number;
  readonly tensorParallelS: number;
  readonly pipelineBubbleS: number;
  readonly pipelineP2pS: number;
  readonly dataParallelS: number;
  readonly expertParallelS: number;
  readonly optimizerS: number;
  readonly stepS: number;
}

export interface LayoutEstimate {
  readonly parallelism: Parallelism;
  readonly recompute: Recompute;
  readonly feasible: boolean;
  readonly reasons: readonly InfeasibleReason[];
  readonly memory: TrainingMemory;
  readonly step: StepBreakdown;
  readonly microBatchesPerStep: number;
  readonly mfu: number;
  readonly hfu: number;
  readonly bottleneck: "compute" | "communication" | "pipeline-bubble" | "memory";
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
  readonly terms: readonly Term[];
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
  /** Runner-up layouts from the search (fastest first), when the layout was searched. */
  readonly alternatives: readonly LayoutEstimate[];
  readonly evaluatedLayouts: number;
}

/** Effective matmul efficiency for a layout: calibrated fraction × GEMM-width factor (docs/model.md §2.2). */
export function matmulEfficiency(
  a: Architecture,
  tp: number,
  precision: ComputePrecision,
  eff: TrainingEfficiency,
): number {
  const base = precision === "fp8" || precision === "fp4" ? eff.matmul8 : eff.matmul16;
  const width = a.hidden / tp;
  return base * (width / (width + TRAINING_ASSUMPTIONS.gemmHalfWidth));
}

interface Links {
  readonly scaleUp: BytesPerSecond;
  readonly scaleOut: BytesPerSecond;
  readonly domain: number;
}

function links(chip: Accelerator): Links {
  const e = TRAINING_ASSUMPTIONS.linkEfficiency;
  const scaleOutRaw = scaleOutBandwidthOf(chip);
  const scaleUpRaw = scaleUpBandwidthOf(chip);
  return {
    scaleUp: (scaleUpRaw * e) as BytesPerSecond,
    scaleOut: (scaleOutRaw * e) as BytesPerSecond,
    domain: chip.scaleUpDomain ?? 1,
  };
}

/** Bandwidth and latency for a group of `span` consecutive chips: the scale-up link inside the domain, else scale-out. */
function linkFor(l: Links, span: number): { bw: BytesPerSecond; latency: number } {
  return span <= l.domain
    ? { bw: l.scaleUp, latency: TRAINING_ASSUMPTIONS.scaleUpLatencyS }
    : { bw: l.scaleOut, latency: TRAINING_ASSUMPTIONS.scaleOutLatencyS };
}

/** Time terms of one optimizer step for a fixed layout (docs/model.md §2). */
export function estimateLayout(
  input: TrainingInput,
  cluster: ClusterInput,
  p: Parallelism,
  recompute: Recompute,
): LayoutEstimate {
  const a = input.architecture;
  const chip = cluster.chip;
  const chips = chipsOf(p);
  const reasons: InfeasibleReason[] = [];
  const seqPerChip = input.seqLen / p.cp;
  const microBatchesPerStep = input.globalBatchTokens / (input.seqLen * input.microBatch * p.dp);
  if (microBatchesPerStep < 1) {
    reasons.push({
      code: "batch-too-small",
      message: `global batch of ${input.globalBatchTokens} tokens is smaller than dp ${p.dp} × micro-batch ${input.microBatch} × seq ${input.seqLen}`,
    });
  }
  const m = Math.max(1, microBatchesPerStep);
  const memory = trainingMemoryPerChip(a, p, {
    seqLen: input.seqLen,
    microBatch: input.microBatch,
    sequenceParallel: input.sequenceParallel,
    recompute,
    zero: input.zero,
    ppInterleave: input.ppInterleave,
  });
  if (chip.memory !== null && memory.total > chip.memory) {
    reasons.push({
      code: "exceeds-memory",
      message: `needs ${(memory.total / 1e9).toFixed(1)} GB per chip (weights ${(memory.weights / 1e9).toFixed(1)}, grads ${(memory.gradients / 1e9).toFixed(1)}, optimizer ${(memory.optimizer / 1e9).toFixed(1)}, activations ${(memory.activations / 1e9).toFixed(1)}), has ${(chip.memory / 1e9).toFixed(0)} GB`,
      requiredBytes: memory.total,
      availableBytes: chip.memory,
    });
  }
  if (a.layers < p.pp) reasons.push({ code: "too-many-stages", message: `pp ${p.pp} exceeds ${a.layers} layers` });
  if (a.heads % p.tp !== 0)
    reasons.push({ code: "tp-heads", message: `tp ${p.tp} does not divide ${a.heads} attention heads` });

  const modelFlops = trainingFlops(a, tokens(input.globalBatchTokens), input.seqLen);
  const recomputeFactor =
    recompute === "full" ? 4 / 3 : recompute === "selective" ? 1 + TRAINING_ASSUMPTIONS.selectiveRecomputeOverhead : 1;
  const hardwareFlops = modelFlops * recomputeFactor;

  const peak = chip.peak[input.precision] ?? 0;
  const efficiency = matmulEfficiency(a, p.tp, input.precision, cluster.efficiency);
  // MoE: the busiest expert sets the pace of the expert matmuls (imbalance), which are the routed share of FLOPs.
  const b = paramBreakdown(a);
  const moeLayers = moeLayerCount(a);
  const routedShare = routedExpertParamsActive(a) / b.active;
  const imbalance = 1 + routedShare * (TRAINING_ASSUMPTIONS.moeImbalance - 1);
  const computeS = (hardwareFlops * imbalance) / (chips * peak * efficiency);

  const l = links(chip);
  const actBytes = bytesPerElement(input.precision === "fp8" ? "bf16" : input.precision === "fp32" ? "fp32" : "bf16");
  const layersPerStage = a.layers / p.pp;
  // TP: 2 all-reduces per layer forward + 2 backward (+2 in the recomputed forward), of b·s·h activations (Megatron, Shoeybi et al. 2019 §3).
  const tpLink = linkFor(l, p.tp);
  const tpPayload = bytes(input.microBatch * seqPerChip * a.hidden * actBytes);
  const tpCollectivesPerLayer = recompute === "full" ? 6 : 4;
  const tensorParallelS =
    m * layersPerStage * tpCollectivesPerLayer * allReduceTime(tpPayload, p.tp, tpLink.bw, seconds(tpLink.latency));
  // PP bubble: (p−1)/(v·m) of the ideal pipeline time (Narayanan et al. 2021 §2.2).
  const pipelineBubbleS = p.pp > 1 ? ((computeS + tensorParallelS) * (p.pp - 1)) / (input.ppInterleave * m) : 0;
  // PP point-to-point: each micro-batch crosses each stage boundary forward and backward.
  const ppLink = linkFor(l, p.tp * p.pp);
  const pipelineP2pS = p.pp > 1 ? (2 * m * (tpPayload / p.tp)) / ppLink.bw + 2 * m * ppLink.latency : 0;
  // DP (docs/model.md §2.3). ZeRO 0: one bf16 gradient all-reduce. ZeRO ≥ 1 (Megatron's distributed optimizer):
  // a gradient reduce-scatter, then an all-gather of the updated bf16 parameters that overlaps with the next
  // step's forward pass. Gradients are final per bucket after the last micro-batch's backward, so the reduction
  // overlaps with the rest of that backward and with the pipeline flush (the cool-down half of the bubble).
  const dpLink = linkFor(l, chips);
  const dpBytes = bytes(paramsPerChip(a, p) * 2);
  const dpLatency = seconds(dpLink.latency);
  const overlapWindowS = ((2 / 3) * computeS) / m + pipelineBubbleS / 2;
  const forwardS = computeS / 3;
  const dataParallelS =
    input.zero === 0
      ? Math.max(0, allReduceTime(dpBytes, p.dp, dpLink.bw, dpLatency) - overlapWindowS)
      : Math.max(0, allGatherTime(dpBytes, p.dp, dpLink.bw, dpLatency) - overlapWindowS) +
        Math.max(
          0,
          allGatherTime(dpBytes, p.dp, dpLink.bw, dpLatency) * (input.zero === 3 ? 3 : 1) -
            forwardS * (input.zero === 3 ? 3 : 1),
        );
  // EP: dispatch + combine all-to-all, forward and backward, per MoE layer per micro-batch (docs/model.md §2.5).
  let expertParallelS = 0;
  if (a.moe && p.ep > 1) {
    const epLink = linkFor(l, p.tp * p.ep);
    const payload = bytes((input.microBatch * seqPerChip * a.hidden * actBytes * a.moe.active) / p.tp);
    expertParallelS = m * (moeLayers / p.pp) * 4 * allToAllTime(payload, p.ep, epLink.bw, seconds(epLink.latency));
  }
  const hbm = chip.memoryBandwidth ?? 1;
  const optimizerS =
    (paramsPerChip(a, p) * TRAINING_ASSUMPTIONS.optimizerBytesPerParam) / (input.zero >= 1 ? p.dp : 1) / hbm;
  const stepS =
    computeS + tensorParallelS + pipelineBubbleS + pipelineP2pS + dataParallelS + expertParallelS + optimizerS;

  const peakAll = chips * peak;
  const communication = tensorParallelS + pipelineP2pS + dataParallelS + expertParallelS;
  const bottleneck = reasons.some((r) => r.code === "exceeds-memory")
    ? "memory"
    : communication > computeS
      ? "communication"
      : pipelineBubbleS > computeS / 2
        ? "pipeline-bubble"
        : "compute";
  return {
    parallelism: p,
    recompute,
    feasible: reasons.length === 0,
    reasons,
    memory,
    step: {
      computeS,
      tensorParallelS,
      pipelineBubbleS,
      pipelineP2pS,
      dataParallelS,
      expertParallelS,
      optimizerS,
      stepS,
    },
    microBatchesPerStep: m,
    mfu: modelFlops / (stepS * peakAll),
    hfu: hardwareFlops / (stepS * peakAll),
    bottleneck,
  };
}

const powersOfTwoUpTo = (n: number): number[] => {
  const out: number[] = [];
  for (let x = 1; x <= n; x *= 2) out.push(x);
  return out;
};

/**
 * Layouts searched when degrees are not given: tp ∈ powers of two ≤ min(scale-up domain, heads); pp ∈ powers
 * of two ≤ layers; ep ∈ powers of two dividing dp and ≤ experts (MoE only); cp = 1; recompute ∈ {none,
 * selective, full} unless fixed; dp = chips / (tp·pp·cp) must be a whole number (docs/model.md §2.6).
 */
export function candidateLayouts(
  a: Architecture,
  chips: number,
  domain: number,
  fixed: Partial<Parallelism>,
): Parallelism[] {
  const cp = fixed.cp ?? 1;
  const tps = fixed.tp ? [fixed.tp] : powersOfTwoUpTo(Math.min(domain, a.heads, chips));
  const pps = fixed.pp ? [fixed.pp] : powersOfTwoUpTo(Math.min(a.layers, chips));
  const out: Parallelism[] = [];
  for (const tp of tps) {
    for (const pp of pps) {
      const dp = fixed.dp ?? chips / (tp * pp * cp);
      if (!Number.isInteger(dp) || dp < 1 || tp * pp * dp * cp !== chips) continue;
      const eps = fixed.ep
        ? [fixed.ep]
        : a.moe
          ? powersOfTwoUpTo(Math.min(dp, a.moe.experts)).filter((e) => dp % e === 0)
          : [1];
      for (const ep of eps) out.push({ tp, pp, dp, ep, cp });
    }
  }
  return out;
}

/** Training FLOPs, then (with a cluster) memory, step time, MFU, days, cost and energy (docs/model.md §2). */
export function estimateTraining(input: TrainingInput, cluster?: ClusterInput): TrainingEstimate {
  const a = input.architecture;
  const D = tokens(input.trainingTokens);
  const flops6nd = trainingFlops6nd(a, D);
  const flops = trainingFlops(a, D, input.seqLen);
  const base = { flops, flops6nd, pfDays: flops6nd / FLOP_PER_PF_DAY };
  if (!cluster) return base;

  const chip = cluster.chip;
  const fixed = cluster.parallelism ?? {};
  const layouts = candidateLayouts(a, cluster.chips, chip.scaleUpDomain ?? 1, fixed);
  const recomputes: Recompute[] = input.recompute ? [input.recompute] : ["none", "selective", "full"];
  const evaluated: LayoutEstimate[] = [];
  for (const p of layouts) for (const r of recomputes) evaluated.push(estimateLayout(input, cluster, p, r));
  const warnings: string[] = [];
  if (evaluated.length === 0) {
    const p: Parallelism = {
      tp: fixed.tp ?? 1,
      pp: fixed.pp ?? 1,
      dp: fixed.dp ?? cluster.chips,
      ep: fixed.ep ?? 1,
      cp: fixed.cp ?? 1,
    };
    const e = estimateLayout(input, cluster, p, recomputes[0] ?? "selective");
    const reason: InfeasibleReason = {
      code: "layout",
      message: `tp ${p.tp} × pp ${p.pp} × dp ${p.dp} × cp ${p.cp} = ${chipsOf(p)} ≠ ${cluster.chips} chips`,
    };
    evaluated.push({ ...e, feasible: false, reasons: [reason, ...e.reasons] });
  }
  const feasible = evaluated.filter((e) => e.feasible).sort((x, y) => x.step.stepS - y.step.stepS);
  const chosen =
    feasible[0] ??
    [...evaluated].sort((x, y) => x.memory.total - y.memory.total || x.step.stepS - y.step.stepS)[0] ??
    (evaluated[0] as LayoutEstimate);
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
    warnings.push(`no training measurements for ${chip.id}: efficiency from ${cluster.efficiency.basis} (unvalidated)`);
  if (input.goodput < 1) warnings.push(`days divided by goodput ${input.goodput} (restarts, failures): an assumption`);
  const terms: Term[] = [
    {
      name: "model FLOPs",
      formula: "6·N_active·D + 12·layers·heads·headDim·seqLen·D (§1.3)",
      value: flops,
      unit: "FLOP",
    },
    { name: "6ND", formula: "6·N_active·D (§1.3)", value: flops6nd, unit: "FLOP" },
    {
      name: "compute per step",
      formula: "hardware FLOPs·imbalance ÷ (chips·peak·matmul efficiency) (§2.2)",
      value: chosen.step.computeS,
      unit: "s",
    },
    {
      name: "tensor-parallel collectives",
      formula: "m·layers/pp·4·ring all-reduce(b·s·h bytes) over the scale-up link (§2.3)",
      value: chosen.step.tensorParallelS,
      unit: "s",
    },
    {
      name: "pipeline bubble",
      formula: "(p−1)/(v·m)·(compute + TP) (§2.4)",
      value: chosen.step.pipelineBubbleS,
      unit: "s",
    },
    {
      name: "pipeline point-to-point",
      formula: "2·m·b·s·h bytes ÷ link (§2.4)",
      value: chosen.step.pipelineP2pS,
      unit: "s",
    },
    {
      name: "data-parallel gradient sync (exposed)",
      formula: "ring all-reduce(grad bytes) − last micro-batch backward (§2.3)",
      value: chosen.step.dataParallelS,
      unit: "s",
    },
    {
      name: "expert-parallel all-to-all",
      formula: "m·MoE layers/pp·4·all-to-all(b·s·h·k bytes) (§2.5)",
      value: chosen.step.expertParallelS,
      unit: "s",
    },
    {
      name: "optimizer step",
      formula: "params per chip·28 B ÷ HBM bandwidth (§2.2)",
      value: chosen.step.optimizerS,
      unit: "s",
    },
    { name: "step time", formula: "sum of the above", value: chosen.step.stepS, unit: "s" },
  ];
  const assumptions: Assumption[] = [
    {
      name: "matmul efficiency (16-bit)",
      value: Number(cluster.efficiency.matmul16.toPrecision(4)),
      unit: "fraction of dense peak",
      basis: cluster.efficiency.basis,
    },
    {
      name: "matmul efficiency (fp8)",
      value: Number(cluster.efficiency.matmul8.toPrecision(4)),
      unit: "fraction of dense fp8 peak",
      basis: cluster.efficiency.basis8 ?? cluster.efficiency.basis,
    },
    {
      name: "GEMM half-efficiency width",
      value: TRAINING_ASSUMPTIONS.gemmHalfWidth,
      unit: "columns (hidden/tp)",
      basis: "assumption: narrow per-chip GEMMs lose efficiency",
    },
    {
      name: "link efficiency",
      value: TRAINING_ASSUMPTIONS.linkEfficiency,
      unit: "fraction of nominal",
      basis: "assumption: NCCL bus bandwidth ≈ 70–80% of nominal",
    },
    {
      name: "MoE imbalance",
      value: TRAINING_ASSUMPTIONS.moeImbalance,
      unit: "busiest/mean expert load",
      basis: "Switch Transformer capacity factor 1.25 (Fedus et al. 2022 §2.1)",
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
      basis: "assumption (override with --power-fraction)",
    },
    { name: "PUE", value: cluster.pue, unit: "ratio", basis: "given or default" },
  ];
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
      terms,
      assumptions,
      warnings,
      alternatives: feasible.slice(1, 6),
      evaluatedLayouts: evaluated.length,
    },
  };
}
