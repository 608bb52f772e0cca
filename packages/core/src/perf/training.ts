import { type Accelerator, scaleOutBandwidthOf, scaleUpBandwidthOf } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { routedExpertParamsTotal } from "../model/derived.ts";
import { trainingFlops } from "../model/flops.ts";
import { attentionParams, paramBreakdown } from "../model/params.ts";
import type { ComputePrecision } from "../model/precision.ts";
import { type BytesPerSecond, bytes, seconds, tokens } from "../units/index.ts";
import { groupCollectiveTime, type Network } from "./collectives.ts";
import type { InfeasibleReason } from "./derivation.ts";
import { type Op, type PhysicalFractions, PRIOR_PHYSICAL_FRACTIONS, timeOps } from "./roofline.ts";
import {
  chipsOf,
  OPTIMIZER_BYTES_PER_PARAM,
  type Parallelism,
  type PipelineSchedule,
  paramsPerChip,
  type Recompute,
  type TrainingMemory,
  trainingMemoryPerChip,
  type ZeroStage,
} from "./training-memory.ts";

export type { PipelineSchedule } from "./training-memory.ts";

/** How expert-parallel all-to-all overlaps with compute (docs/model.md §2.5). */
export type EpOverlap = "none" | "1f1b" | "dualpipe";

/**
 * Efficiency parameters of the training step model for one chip: the physical fractions of its generation
 * (roofline.ts), fitted by `npm run calibrate` or the generation-independent prior.
 */
export interface TrainingEfficiency {
  readonly fractions: PhysicalFractions;
  /** "calibrated on …", "family …" or "prior …". */
  readonly basis: string;
  readonly validated: boolean;
  /** Multipliers on predicted throughput spanning the calibration residuals (low ≤ 1 ≤ high). */
  readonly band: { readonly low: number; readonly high: number };
}

/** The prior as a TrainingEfficiency (chips and settings without calibration rows). */
export const PRIOR_TRAINING_EFFICIENCY: TrainingEfficiency = {
  fractions: PRIOR_PHYSICAL_FRACTIONS,
  basis: PRIOR_PHYSICAL_FRACTIONS.basis,
  validated: false,
  band: { low: 0.7, high: 1.3 },
};

/** Fixed constants of the step model: ours, labelled as assumptions in every result (docs/model.md §2). */
export const TRAINING_ASSUMPTIONS = {
  scaleUpLatencyS: 5e-6,
  scaleOutLatencyS: 15e-6,
  /** Per-hop latency beyond the pod: two more switch layers (aggregation / DCN) than scale-out (assumption). */
  dcnLatencyS: 30e-6,
  /** Expert load imbalance: tokens of the busiest expert ÷ mean (Switch Transformer capacity factor 1.25, Fedus et al. 2022 §2.1). */
  moeImbalance: 1.25,
  /** Bytes moved per parameter by the optimizer step (read/write fp32 master, m, v; read gradient; write bf16 weight). */
  optimizerBytesPerParam: 2 * OPTIMIZER_BYTES_PER_PARAM + 4,
  /** FlashAttention backward ÷ forward FLOPs (5 matmuls vs 2, the forward's recomputed; Dao 2023, FlashAttention-2 §3.1). */
  flashBackwardRatio: 2.5,
  /** Share of overlapped communication time that still slows compute (SMs and HBM shared with comm kernels; assumption). */
  overlapSlowdown: 0.1,
  /** FlashAttention is the default for runs from this year on (FlashAttention-2 in Megatron/NeMo/MaxText, 2023). */
  flashAttentionFromYear: 2023,
} as const;

export interface TrainingInput {
  readonly architecture: Architecture;
  readonly trainingTokens: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  readonly microBatch: number;
  readonly precision: ComputePrecision;
  readonly recompute?: Recompute | undefined;
  /** Megatron sequence parallelism; default: on whenever tp > 1 (what practitioners run). */
  readonly sequenceParallel?: boolean | undefined;
  /** Virtual pipeline stages per chip (v). */
  readonly ppInterleave: number;
  readonly zero: ZeroStage;
  readonly goodput: number;
  /** FlashAttention (no s² score activations, causal FLOPs); default on. */
  readonly flashAttention?: boolean | undefined;
  /** Default: interleaved when v > 1, else 1F1B. */
  readonly schedule?: PipelineSchedule | undefined;
  /** Overlap TP collectives with the GEMMs next to them (Megatron/TE `tp_comm_overlap`); default: with FlashAttention (the modern-era default). */
  readonly tpOverlap?: boolean | undefined;
  /** Overlap the DP reduce-scatter/all-gather with backward/forward (Megatron `--overlap-grad-reduce/--overlap-param-gather`); default on. */
  readonly dpOverlap?: boolean | undefined;
  /** Default: "dualpipe" with the DualPipe schedule, else "none". */
  readonly epOverlap?: EpOverlap | undefined;
  /** Dispatch MoE tokens in FP8 (DeepSeek-V3 report §3.3.2); default off. */
  readonly fp8Dispatch?: boolean | undefined;
  /** Node-limited routing: each token reaches at most this many scale-up domains (DeepSeek-V3 §2.1.2: 4). */
  readonly nodeLimitedRouting?: number | undefined;
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
  /** Chips per scale-up domain when the system differs from the chip's default (catalog systems/, e.g. NVL72). */
  readonly scaleUpDomain?: number | undefined;
  /** In-network reduction (SHARP) on the scale-out tier. */
  readonly sharp?: boolean | undefined;
  /** The system's network tiers (catalog systems/); default: the chip's scale-up domain and NIC bandwidth. */
  readonly system?: SystemNetwork | undefined;
}

export interface StepBreakdown {
  /** Σ per-op roofline times of all micro-batches on the slowest stage (no communication, no bubble). */
  readonly computeS: number;
  readonly tensorParallelS: number;
  readonly contextParallelS: number;
  readonly pipelineBubbleS: number;
  readonly pipelineP2pS: number;
  readonly dataParallelS: number;
  readonly expertParallelS: number;
  readonly optimizerS: number;
  readonly stepS: number;
}

/** The knobs a layout is evaluated with, resolved (defaults applied). */
export interface TrainingSettings {
  readonly microBatch: number;
  readonly recompute: Recompute;
  readonly sequenceParallel: boolean;
  readonly ppInterleave: number;
  readonly schedule: PipelineSchedule;
  readonly zero: ZeroStage;
  readonly flashAttention: boolean;
  readonly tpOverlap: boolean;
  readonly dpOverlap: boolean;
  readonly epOverlap: EpOverlap;
}

export interface LayoutEstimate {
  readonly parallelism: Parallelism;
  readonly recompute: Recompute;
  readonly settings: TrainingSettings;
  readonly feasible: boolean;
  readonly reasons: readonly InfeasibleReason[];
  readonly memory: TrainingMemory;
  readonly step: StepBreakdown;
  readonly microBatchesPerStep: number;
  readonly mfu: number;
  readonly hfu: number;
  readonly bottleneck: "compute" | "communication" | "pipeline-bubble" | "memory";
}

/**
 * A system's network tiers, from the catalog's systems/ files: per chip, one direction, nominal (before the
 * bus-bandwidth fraction). `podChips`/`dcnBandwidth`: the scale-out fabric's full-bisection size and the
 * per-chip bandwidth beyond it (aggregation layer or data-centre network between pods or TPU slices).
 */
export interface SystemNetwork {
  readonly id: string;
  readonly scaleUpDomain: number;
  readonly scaleUpBandwidth: number;
  readonly scaleOutBandwidth: number;
  readonly podChips?: number | undefined;
  readonly dcnBandwidth?: number | undefined;
}

/**
 * The network tiers a chip's groups map onto, with the fitted bus-bandwidth fraction applied to each tier's
 * nominal bandwidth (docs/model.md §2.3): the system's tiers when one is given, else the chip's own.
 */
export function trainingNetwork(
  chip: Accelerator,
  f: PhysicalFractions,
  opts: { scaleUpDomain?: number | undefined; sharp?: boolean | undefined; system?: SystemNetwork | undefined } = {},
): Network {
  const e = f.busBandwidthFraction;
  const sys = opts.system;
  return {
    domain: opts.scaleUpDomain ?? sys?.scaleUpDomain ?? chip.scaleUpDomain ?? 1,
    scaleUp: {
      name: "scale-up",
      bandwidth: ((sys?.scaleUpBandwidth ?? scaleUpBandwidthOf(chip)) * e) as BytesPerSecond,
      latency: seconds(TRAINING_ASSUMPTIONS.scaleUpLatencyS),
    },
    scaleOut: {
      name: "scale-out",
      bandwidth: ((sys?.scaleOutBandwidth ?? scaleOutBandwidthOf(chip)) * e) as BytesPerSecond,
      latency: seconds(TRAINING_ASSUMPTIONS.scaleOutLatencyS),
    },
    sharp: opts.sharp,
    ...(sys?.podChips && sys.dcnBandwidth
      ? {
          pod: sys.podChips,
          dcn: {
            name: "dcn" as const,
            bandwidth: (sys.dcnBandwidth * e) as BytesPerSecond,
            latency: seconds(TRAINING_ASSUMPTIONS.dcnLatencyS),
          },
        }
      : {}),
  };
}

/** Settings with the practice defaults applied (docs/model.md §2.1). */
export function resolveSettings(input: TrainingInput, p: Parallelism, recompute: Recompute): TrainingSettings {
  const schedule = input.schedule ?? (input.ppInterleave > 1 ? "interleaved" : "1f1b");
  return {
    microBatch: input.microBatch,
    recompute,
    sequenceParallel: input.sequenceParallel ?? p.tp > 1,
    ppInterleave: schedule === "interleaved" ? input.ppInterleave : 1,
    schedule,
    zero: input.zero,
    flashAttention: input.flashAttention ?? true,
    // TP communication overlap (TE userbuffers) ships on in Megatron/NeMo recipes from 2023: on with the era default.
    tpOverlap: input.tpOverlap ?? input.flashAttention ?? true,
    dpOverlap: input.dpOverlap ?? true,
    epOverlap: input.epOverlap ?? (schedule === "dualpipe" ? "dualpipe" : "none"),
  };
}

const gemm = (name: string, m: number, n: number, k: number, precision: ComputePrecision, count = 1): Op => ({
  name,
  kind: "gemm",
  flops: 2 * m * n * k,
  bytes: (m * k + k * n + m * n) * 2,
  precision,
  shape: { m, n, k },
  count,
});
/** Backward of a matmul [M×K]·[K×N]: input gradient [M×N]·[N×K] and weight gradient [K×M]·[M×N]. */
const dgrad = (g: Op): Op => {
  const s = g.shape ?? { m: 1, n: 1, k: 1 };
  return { ...g, name: `${g.name} dgrad`, shape: { m: s.m, n: s.k, k: s.n } };
};
const wgrad = (g: Op): Op => {
  const s = g.shape ?? { m: 1, n: 1, k: 1 };
  return { ...g, name: `${g.name} wgrad`, shape: { m: s.k, n: s.n, k: s.m } };
};
const memOp = (name: string, bytes_: number, precision: ComputePrecision): Op => ({
  name,
  kind: "memory",
  flops: 0,
  bytes: bytes_,
  precision,
});

interface LayerTimes {
  /** Forward, backward (incl. recompute), and the weight-gradient share of backward, seconds per micro-batch. */
  readonly f: number;
  readonly b: number;
  readonly w: number;
  /** GEMM time per micro-batch (what TP communication can hide behind). */
  readonly gemm: number;
  readonly attention: number;
}

/** Ops of one layer for one micro-batch on one chip (docs/model.md §2.2), timed on the roofline. */
function layerTimes(
  a: Architecture,
  moe: boolean,
  ctx: {
    tokens: number;
    seq: number;
    tp: number;
    ep: number;
    s: TrainingSettings;
    precision: ComputePrecision;
    chip: Accelerator;
    f: PhysicalFractions;
  },
): LayerTimes {
  const { tokens: T, seq, tp: t, ep, s, precision } = ctx;
  const h = a.hidden;
  const half: ComputePrecision =
    precision === "fp32" || precision === "tf32" || precision === "fp16" ? precision : "bf16";
  const qk = a.mla ? a.mla.qkNopeHeadDim + a.mla.qkRopeHeadDim : a.headDim;
  const v = a.mla ? a.mla.vHeadDim : a.headDim;
  const outWidth = a.heads * v;
  const qkvWidth = Math.max(1, (attentionParams(a) - outWidth * h) / h);
  const fwd: Op[] = [];
  const gemms: Op[] = [
    gemm("QKV", T, qkvWidth / t, h, precision),
    gemm("attention out", T, h, outWidth / t, precision),
  ];
  const sharded = s.sequenceParallel ? T / t : T;
  let ffnActivated = a.ffn;
  if (moe && a.moe) {
    const m = a.moe;
    const gated = a.ffnGated ? 2 : 1;
    const perExpert = ((T * m.active * ep) / m.experts) * TRAINING_ASSUMPTIONS.moeImbalance;
    const local = m.experts / ep;
    gemms.push(gemm("router", sharded, m.experts, h, half));
    gemms.push(gemm("experts up", perExpert, (gated * m.expertFfn) / t, h, precision, local));
    gemms.push(gemm("experts down", perExpert, h, m.expertFfn / t, precision, local));
    if (m.shared > 0) {
      gemms.push(gemm("shared up", T, (gated * m.shared * m.expertFfn) / t, h, precision));
      gemms.push(gemm("shared down", T, h, (m.shared * m.expertFfn) / t, precision));
    }
    // Permute + unpermute: read and write k copies of each token (Megatron token dispatcher).
    fwd.push(memOp("MoE permute/unpermute", 8 * sharded * m.active * h, half));
    ffnActivated = m.expertFfn * (m.active * TRAINING_ASSUMPTIONS.moeImbalance + m.shared);
  } else {
    gemms.push(gemm("MLP up", T, ((a.ffnGated ? 2 : 1) * a.ffn) / t, h, precision));
    gemms.push(gemm("MLP down", T, h, a.ffn / t, precision));
  }
  fwd.push(...gemms);
  // Attention core. FlashAttention: fused, causal FLOPs (half the s² products), no score matrix in HBM.
  const attnFlopsFull = (2 * T * seq * a.heads * (qk + v)) / t;
  const attnOps: Op[] = s.flashAttention
    ? [
        {
          name: "attention (flash)",
          kind: "attention",
          flops: attnFlopsFull / 2,
          bytes: T * ((2 * a.heads * (qk + v) + 2 * a.kvHeads * (qk + v)) / t),
          precision: half,
        },
      ]
    : [
        gemm("scores QKᵀ", seq, seq, qk, half, (T / seq) * (a.heads / t)),
        gemm("scores·V", seq, v, seq, half, (T / seq) * (a.heads / t)),
        memOp("softmax + mask + dropout", (8 * T * seq * a.heads) / t, half),
      ];
  fwd.push(...attnOps);
  // Elementwise kernels at HBM bandwidth: norms (read+write h), residual adds (2 reads + write), activation
  // (SwiGLU reads 2 and writes 1 of ffn/t; GeLU reads and writes 1), RoPE on q and k.
  const elementwise =
    a.normsPerLayer * 4 * h * sharded +
    2 * 6 * h * sharded +
    (a.ffnGated ? 6 : 4) * (ffnActivated / t) * T +
    (a.positionEmbedding === "rope" ? (4 * (a.heads + a.kvHeads) * a.headDim * T) / t : 0);
  fwd.push(memOp("norms, residuals, activation, RoPE", elementwise, half));

  // FP8 (Transformer Engine, Micikevicius et al. 2022 §4): every FP8 GEMM input is quantised from bf16 (read 2 B,
  // write 1 B per element) forward, the output gradient backward, plus a transposed FP8 copy of the input for
  // the weight gradient (Hopper FP8 GEMMs take only the TN layout). Int8 training (AQT, quantised forward and
  // backward matmuls; MaxText `quantization=int8`) quantises its GEMM inputs the same way.
  const lowGemms = gemms.filter((g) => g.precision === "fp8" || g.precision === "fp4" || g.precision === "int8");
  const castFwd = lowGemms.reduce((x, g) => x + 3 * (g.shape?.m ?? 0) * (g.shape?.k ?? 0) * (g.count ?? 1), 0);
  const castBwd = lowGemms.reduce(
    (x, g) => x + (3 * (g.shape?.n ?? 0) + 2 * (g.shape?.k ?? 0)) * (g.shape?.m ?? 0) * (g.count ?? 1),
    0,
  );
  if (castFwd > 0) fwd.push(memOp("FP8 casts", castFwd, half));
  const bwd: Op[] = [];
  if (castBwd > 0) bwd.push(memOp("FP8 casts backward", castBwd, half));
  const wOps: Op[] = [];
  for (const g of gemms) {
    bwd.push(dgrad(g));
    const w = wgrad(g);
    bwd.push(w);
    wOps.push(w);
  }
  if (s.flashAttention) {
    const att = attnOps[0] as Op;
    bwd.push({
      ...att,
      name: "attention backward",
      flops: att.flops * TRAINING_ASSUMPTIONS.flashBackwardRatio,
      bytes: 2 * att.bytes,
    });
  } else {
    for (const g of attnOps)
      bwd.push(g.kind === "gemm" ? dgrad(g) : { ...g, bytes: 2 * g.bytes }, ...(g.kind === "gemm" ? [wgrad(g)] : []));
  }
  bwd.push(memOp("elementwise backward", 2 * elementwise, half));
  if (moe && a.moe) bwd.push(memOp("MoE permute backward", 8 * sharded * a.moe.active * h, half));
  if (s.recompute === "full") bwd.push(...fwd);
  else if (s.recompute === "selective" && !s.flashAttention) bwd.push(...attnOps);

  const F = timeOps(fwd, ctx.chip, ctx.f);
  const B = timeOps(bwd, ctx.chip, ctx.f);
  const W = timeOps(wOps, ctx.chip, ctx.f);
  const gemmTime = F.ops.filter((o) => o.kind === "gemm").reduce((x, o) => x + o.timeS, 0);
  const attention = F.ops
    .filter((o) => o.name.startsWith("attention") || o.name.startsWith("scores"))
    .reduce((x, o) => x + o.timeS, 0);
  return { f: F.totalS, b: B.totalS, w: W.totalS, gemm: gemmTime * 3, attention: attention * 3 };
}

/**
 * Per-layer and end-stage op timings once per (architecture, cluster, micro-batch shape): they depend on tokens,
 * sequence, tp, ep, precision, sequence parallelism, FlashAttention and recompute, not on ZeRO, interleaving or dp, and
 * the planner evaluates ~150 such settings of one layout (3 micro-batch sizes). Same numbers, a fraction of the work
 * (it is most of a `train` call's planning time).
 */
const opTimesMemo = new WeakMap<Architecture, WeakMap<ClusterInput, Map<string, unknown>>>();
function memoOpTimes<T>(a: Architecture, cluster: ClusterInput, key: string, compute: () => T): T {
  const byCluster = opTimesMemo.get(a) ?? new WeakMap<ClusterInput, Map<string, unknown>>();
  opTimesMemo.set(a, byCluster);
  const times = byCluster.get(cluster) ?? new Map<string, unknown>();
  byCluster.set(cluster, times);
  if (times.has(key)) return times.get(key) as T;
  const t = compute();
  times.set(key, t);
  return t;
}

/** Exposed part of a communication that overlaps with `window` seconds of compute (docs/model.md §2.3). */
function exposed(comm: number, window: number, overlap: boolean): number {
  if (!overlap) return comm;
  const hidden = Math.min(comm, Math.max(0, window));
  return comm - hidden + TRAINING_ASSUMPTIONS.overlapSlowdown * hidden;
}

/** Micro-batches per pipeline per step: whole sequences ÷ (dp · micro-batch), rounded up (the last is padded). */
export function microBatchCount(globalBatchTokens: number, seqLen: number, dp: number, microBatch: number): number {
  const seqs = Math.max(1, Math.round(globalBatchTokens / seqLen));
  return Math.ceil(seqs / (dp * microBatch));
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
  const f = cluster.efficiency.fractions;
  const s = resolveSettings(input, p, recompute);
  const chips = chipsOf(p);
  const reasons: InfeasibleReason[] = [];
  const seqs = Math.round(input.globalBatchTokens / input.seqLen);
  if (seqs < p.dp * s.microBatch) {
    reasons.push({
      code: "batch-too-small",
      params: { sequences: seqs, dp: p.dp, microBatch: s.microBatch },
      message: `global batch of ${seqs} sequences is smaller than dp ${p.dp} × micro-batch ${s.microBatch}`,
    });
  }
  const m = microBatchCount(input.globalBatchTokens, input.seqLen, p.dp, s.microBatch);
  const memory = trainingMemoryPerChip(a, p, {
    seqLen: input.seqLen,
    microBatch: s.microBatch,
    sequenceParallel: s.sequenceParallel,
    recompute,
    zero: s.zero,
    ppInterleave: s.ppInterleave,
    flashAttention: s.flashAttention,
    schedule: s.schedule,
    microBatches: m,
  });
  if (chip.memory !== null && memory.total > chip.memory) {
    reasons.push({
      code: "exceeds-memory",
      params: {
        needBytes: memory.total,
        haveBytes: chip.memory,
        weightsBytes: memory.weights,
        gradientsBytes: memory.gradients,
        optimizerBytes: memory.optimizer,
        activationsBytes: memory.activations,
      },
      message: `needs ${(memory.total / 1e9).toFixed(1)} GB per chip (weights ${(memory.weights / 1e9).toFixed(1)}, grads ${(memory.gradients / 1e9).toFixed(1)}, optimizer ${(memory.optimizer / 1e9).toFixed(1)}, activations ${(memory.activations / 1e9).toFixed(1)}), has ${(chip.memory / 1e9).toFixed(0)} GB`,
      requiredBytes: memory.total,
      availableBytes: chip.memory,
    });
  }
  if (a.layers < p.pp)
    reasons.push({
      code: "too-many-stages",
      params: { pp: p.pp, layers: a.layers },
      message: `pp ${p.pp} exceeds ${a.layers} layers`,
    });
  if (a.heads % p.tp !== 0)
    reasons.push({
      code: "tp-heads",
      params: { tp: p.tp, heads: a.heads },
      message: `tp ${p.tp} does not divide ${a.heads} attention heads`,
    });
  if (p.ep > 1 && (!a.moe || a.moe.experts % p.ep !== 0 || p.dp % p.ep !== 0))
    reasons.push({
      code: "ep",
      params: { ep: p.ep, dp: p.dp, experts: a.moe?.experts ?? null },
      message: a.moe
        ? `ep ${p.ep} must divide the ${a.moe.experts} experts and dp ${p.dp}`
        : `ep ${p.ep} > 1 on a dense model`,
    });
  if (input.seqLen % p.cp !== 0)
    reasons.push({
      code: "cp",
      params: { cp: p.cp, seqLen: input.seqLen },
      message: `cp ${p.cp} does not divide the sequence length ${input.seqLen}`,
    });
  if (s.schedule === "interleaved" && p.pp > 1) {
    if (m % p.pp !== 0)
      reasons.push({
        code: "interleave-microbatches",
        params: { microBatches: m, pp: p.pp },
        message: `interleaved schedule needs micro-batches (${m}) divisible by pp ${p.pp}`,
      });
    // Every model chunk holds at least one layer, except that the first may hold only the embedding and the
    // last only the LM head and loss (Llama 3 Herd §3.3.2; Megatron-LM `--account-for-embedding-in-pipeline-split`
    // and `--account-for-loss-in-pipeline-split`): at most L + 2 chunks.
    if (s.ppInterleave * p.pp > a.layers + 2)
      reasons.push({
        code: "interleave-layers",
        params: { pp: p.pp, ppInterleave: s.ppInterleave, layers: a.layers },
        message: `pp ${p.pp} × v ${s.ppInterleave} exceeds ${a.layers} layers + the embedding and LM-head chunks`,
      });
  }
  if (s.schedule === "dualpipe" && p.pp > 1 && p.pp % 2 !== 0)
    reasons.push({ code: "dualpipe", params: { pp: p.pp }, message: `DualPipe needs an even pp (got ${p.pp})` });

  const net = trainingNetwork(chip, f, {
    scaleUpDomain: cluster.scaleUpDomain,
    sharp: cluster.sharp,
    system: cluster.system,
  });
  const D = net.domain;
  const T = (s.microBatch * input.seqLen) / p.cp;
  const ctx = { tokens: T, seq: input.seqLen, tp: p.tp, ep: p.ep, s, precision: input.precision, chip, f };
  const half: ComputePrecision =
    input.precision === "fp8" || input.precision === "fp4" || input.precision === "int8" ? "bf16" : input.precision;
  const moeLayerCount = a.moe ? a.layers - a.moe.firstDenseLayers : 0;
  const layersPerStage = Math.ceil(a.layers / p.pp);
  const moeStage = Math.min(layersPerStage, Math.ceil(moeLayerCount / p.pp));
  const denseStage = layersPerStage - moeStage;
  const shape = `${T}|${input.seqLen}|${p.tp}|${p.ep}|${input.precision}|${s.sequenceParallel}|${s.flashAttention}|${recompute}`;
  const dense = denseStage > 0 ? memoOpTimes(a, cluster, `dense|${shape}`, () => layerTimes(a, false, ctx)) : undefined;
  const moe = moeStage > 0 ? memoOpTimes(a, cluster, `moe|${shape}`, () => layerTimes(a, true, ctx)) : undefined;

  // Rank order TP innermost, then CP, EP, PP, DP: each group's members per scale-up domain, and per pod (the
  // scale-out fabric at full bisection; beyond it the DCN tier), consecutive ranks filling a domain, then a pod.
  const within = (size: number, stride: number, span: number) =>
    size <= 1 ? 1 : stride >= span ? 1 : Math.max(1, Math.min(size, Math.floor(span / stride)));
  const local = (size: number, stride: number) => within(size, stride, D);
  const Q = net.pod ?? chips;
  const pod = (size: number, stride: number) => within(size, stride, Q);
  const tpLocal = local(p.tp, 1);
  const cpLocal = local(p.cp, p.tp);
  const epLocal = local(p.ep, p.tp * p.cp);
  const epPod = pod(p.ep, p.tp * p.cp);
  const ppLocal = local(p.pp, p.tp * p.cp * p.ep);
  const ppPod = pod(p.pp, p.tp * p.cp * p.ep);
  const dpStride = p.tp * p.cp * p.ep * p.pp;
  const dpLocal = epLocal * local(p.dp / p.ep, dpStride);
  const dpPod = epPod * pod(p.dp / p.ep, dpStride);

  // TP (Shoeybi et al. 2019 §3; with SP Korthikanti et al. 2022 §4.2.2): per layer per micro-batch 2 all-reduce
  // equivalents forward (all-gather + reduce-scatter pairs with SP), 2 backward, +2 for a fully recomputed forward.
  const actBytes = 2;
  const tpOne = groupCollectiveTime("all-reduce", bytes(T * a.hidden * actBytes), p.tp, tpLocal, net, pod(p.tp, 1));
  const tpPerLayer = tpOne * (recompute === "full" ? 6 : 4);
  // CP ring attention (Liu et al. 2023; Megatron CP): K,V chunks pass around the ring forward, K,V and their
  // gradients backward, hidden behind the attention compute of the chunk in hand.
  const kvBytes = bytes(((T * 2 * a.kvHeads * a.headDim) / Math.min(p.tp, a.kvHeads)) * actBytes);
  const cpPerLayer = 3 * groupCollectiveTime("all-gather", bytes(kvBytes * p.cp), p.cp, cpLocal, net, pod(p.cp, p.tp));
  // EP all-to-all (docs/model.md §2.5): dispatch + combine forward and backward, k copies of the tokens.
  let epPerLayer = 0;
  if (a.moe && p.ep > 1) {
    const tokensHere = s.sequenceParallel ? T / p.tp : T;
    const k = a.moe.active;
    const outsideShare = (p.ep - epLocal) / p.ep;
    const insideShare = (epLocal - 1) / p.ep;
    // Node-limited routing sends a token once per destination domain (≤ M), then forwards on scale-up.
    const outsideCopies =
      input.nodeLimitedRouting !== undefined ? Math.min(k * outsideShare, input.nodeLimitedRouting) : k * outsideShare;
    // The copies leaving the domain split between the pod's scale-out fabric and the DCN tier by destination.
    const dcnCopies = net.dcn && epLocal < p.ep ? (outsideCopies * (p.ep - epPod)) / (p.ep - epLocal) : 0;
    const dcn = net.dcn ?? net.scaleOut;
    const a2a = (bytesPerValue: number) =>
      Math.max(
        (tokensHere * a.hidden * bytesPerValue * k * insideShare) / net.scaleUp.bandwidth,
        (tokensHere * a.hidden * bytesPerValue * (outsideCopies - dcnCopies)) / net.scaleOut.bandwidth,
        (tokensHere * a.hidden * bytesPerValue * dcnCopies) / dcn.bandwidth,
      ) + (epPod < p.ep && net.dcn ? dcn.latency : epLocal < p.ep ? net.scaleOut.latency : net.scaleUp.latency);
    epPerLayer = a2a(input.fp8Dispatch ? 1 : 2) + 3 * a2a(2);
  }

  const perLayer = (lt: LayerTimes | undefined, ep: number) => {
    if (!lt) return { f: 0, b: 0, w: 0, tp: 0, cp: 0, ep: 0 };
    const compute = lt.f + lt.b;
    const tp = exposed(tpPerLayer, lt.gemm, s.tpOverlap);
    const cp = exposed(cpPerLayer, lt.attention, true);
    const epExp = exposed(ep, compute, s.epOverlap !== "none");
    return { f: lt.f, b: lt.b, w: lt.w, tp, cp, ep: epExp };
  };
  const dl = perLayer(dense, 0);
  const ml = perLayer(moe, epPerLayer);
  const stageF = denseStage * dl.f + moeStage * ml.f;
  const stageB = denseStage * dl.b + moeStage * ml.b;
  const stageW = denseStage * dl.w + moeStage * ml.w;
  const stageTp = denseStage * dl.tp + moeStage * ml.tp;
  const stageCp = denseStage * dl.cp + moeStage * ml.cp;
  const stageEp = moeStage * ml.ep;
  // End stages: embedding lookup (first), LM head GEMM + cross-entropy (last); the slowest stage sets the pace.
  const [head, embedding] = memoOpTimes(a, cluster, `ends|${shape}`, () => {
    const lmHead = gemm("LM head", T, a.vocab / p.tp, a.hidden, input.precision);
    return [
      timeOps([lmHead, dgrad(lmHead), wgrad(lmHead), memOp("cross-entropy", (12 * T * a.vocab) / p.tp, half)], chip, f)
        .totalS,
      timeOps([memOp("embedding", 6 * T * a.hidden, half)], chip, f).totalS,
    ];
  });
  const endExtra = p.pp > 1 ? Math.max(head, embedding) : head + embedding;
  // PP point-to-point: activations forward and gradients backward at every stage boundary, × v when interleaved.
  const p2pBytes = (T * a.hidden * actBytes) / (s.sequenceParallel ? p.tp : 1);
  const ppTier = ppLocal >= p.pp ? net.scaleUp : ppPod >= p.pp || !net.dcn ? net.scaleOut : net.dcn;
  const p2p = p.pp > 1 ? 2 * s.ppInterleave * (p2pBytes / ppTier.bandwidth + ppTier.latency) : 0;
  const computeMb = stageF + stageB + endExtra;
  const tMb = computeMb + stageTp + stageCp + stageEp + p2p;
  const F = stageF + endExtra / 3;
  const B = stageB + (2 * endExtra) / 3;
  const W = stageW;
  const commPerMb = tMb - computeMb;
  let bubble = 0;
  if (p.pp > 1) {
    switch (s.schedule) {
      case "1f1b":
        bubble = (p.pp - 1) * tMb;
        break;
      case "interleaved":
        bubble = ((p.pp - 1) * tMb) / s.ppInterleave;
        break;
      case "zero-bubble": // ZB-H1 (Qi et al. 2024, Table 1): (p−1)(F + B − 2W)
        bubble = (p.pp - 1) * Math.max(0, F + B - 2 * W + commPerMb);
        break;
      case "dualpipe": // DeepSeek-V3 report Table 2: (p/2 − 1)(F&B + B − 3W), F&B = F + B
        bubble = (p.pp / 2 - 1) * Math.max(0, F + 2 * B - 3 * W + commPerMb);
        break;
    }
  }
  const pipelineS = m * tMb + bubble;

  // DP (docs/model.md §2.3): dense gradients over dp, expert gradients over dp/ep.
  const nChip = paramsPerChip(a, p);
  const b_ = paramBreakdown(a);
  const gradBytes = (share: number) => bytes(nChip * share * 2);
  const denseShareChip = nChip - routedExpertParamsTotal(a) / (p.tp * p.pp * p.ep);
  const expertShareChip = nChip - denseShareChip;
  const dpColl = (kind: "all-reduce" | "all-gather" | "reduce-scatter") =>
    groupCollectiveTime(kind, gradBytes(denseShareChip / nChip), p.dp, dpLocal, net, dpPod) +
    groupCollectiveTime(
      kind,
      gradBytes(expertShareChip / nChip),
      p.dp / p.ep,
      local(p.dp / p.ep, dpStride),
      net,
      pod(p.dp / p.ep, dpStride),
    );
  // Overlap windows of the busiest (first) stage: gradients are final after the last micro-batch's backward, and
  // parameters are needed at the first micro-batch's forward. With v interleaved chunks, chunk c's gradients
  // are final (and its parameters needed) up to the whole cool-down (warm-up) phase earlier, min(m, p) − 1
  // micro-batch slots, on average (v − 1)/v of it (Megatron-LM interleaved 1F1B warm-up of (v−1)·p + … chunks).
  const spread = 1 + ((Math.min(m, p.pp) - 1) * (s.ppInterleave - 1)) / s.ppInterleave;
  const rsWindow = B * spread;
  const agWindow = F * spread;
  let dataParallelS = 0;
  if (p.dp > 1) {
    if (s.zero === 0) dataParallelS = exposed(dpColl("all-reduce"), rsWindow, s.dpOverlap);
    else if (s.zero === 1)
      dataParallelS =
        exposed(dpColl("reduce-scatter"), rsWindow, s.dpOverlap) + exposed(dpColl("all-gather"), agWindow, s.dpOverlap);
    else if (s.zero === 2)
      // ZeRO-2 keeps only its gradient shard, so gradients are reduce-scattered after every micro-batch's backward.
      dataParallelS =
        m * exposed(dpColl("reduce-scatter"), B, s.dpOverlap) + exposed(dpColl("all-gather"), agWindow, s.dpOverlap);
    else {
      // ZeRO-3 / FSDP: parameters gathered for forward and backward, gradients reduce-scattered, every micro-batch,
      // prefetched behind that micro-batch's compute.
      const perMb = 2 * dpColl("all-gather") + dpColl("reduce-scatter");
      dataParallelS = m * exposed(perMb, computeMb, s.dpOverlap);
    }
  }
  const optimizerS = timeOps(
    [memOp("optimizer", (nChip * TRAINING_ASSUMPTIONS.optimizerBytesPerParam) / (s.zero >= 1 ? p.dp : 1), "fp32")],
    chip,
    f,
  ).totalS;
  const stepS = pipelineS + dataParallelS + optimizerS;

  const modelFlops = trainingFlops(a, tokens(input.globalBatchTokens), input.seqLen);
  const attnShare =
    1 -
    (6 * (b_.active - (a.tiedEmbeddings ? 0 : a.vocab * a.hidden) - b_.positions)) /
      (modelFlops / input.globalBatchTokens);
  const recomputeFactor =
    recompute === "full" ? 4 / 3 : recompute === "selective" && !s.flashAttention ? 1 + attnShare / 3 : 1;
  const peak = chip.peak[input.precision] ?? 0;
  const peakAll = chips * peak;
  const tensorParallelS = m * stageTp;
  const contextParallelS = m * stageCp;
  const expertParallelS = m * stageEp;
  const pipelineP2pS = m * p2p;
  const computeS = m * computeMb;
  const communication = tensorParallelS + contextParallelS + expertParallelS + pipelineP2pS + dataParallelS;
  const bottleneck = reasons.some((r) => r.code === "exceeds-memory")
    ? "memory"
    : communication > computeS
      ? "communication"
      : bubble > computeS / 2
        ? "pipeline-bubble"
        : "compute";
  return {
    parallelism: p,
    recompute,
    settings: s,
    feasible: reasons.length === 0,
    reasons,
    memory,
    step: {
      computeS,
      tensorParallelS,
      contextParallelS,
      pipelineBubbleS: bubble,
      pipelineP2pS,
      dataParallelS,
      expertParallelS,
      optimizerS,
      stepS,
    },
    microBatchesPerStep: m,
    mfu: modelFlops / (stepS * peakAll),
    hfu: (modelFlops * recomputeFactor) / (stepS * peakAll),
    bottleneck,
  };
}
