import { type Accelerator, scaleOutBandwidthOf, scaleUpBandwidthOf } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import {
  activeFfnWidth,
  attendedPositions,
  attentionLayerCounts,
  localAttendedPositions,
  moeLayerCount,
  sharedExpertFfnWidth,
} from "../model/derived.ts";
import { attentionFlopsPerLayerPosition } from "../model/flops.ts";
import { kvBytesPerSequence, kvBytesPerTokenAllLayers, weightBytes } from "../model/memory.ts";
import { paramBreakdown } from "../model/params.ts";
import { bytesPerElement, type ComputePrecision, type StoragePrecision } from "../model/precision.ts";
import { GIGA } from "../units/index.ts";
import type { Assumption, CoreWarning, InfeasibleReason, Term } from "./derivation.ts";
import {
  gemmFlops,
  gemmLine,
  gemmLineTime,
  type Op,
  type OpTime,
  type PhysicalFractions,
  peakFor,
  timeOps,
} from "./roofline.ts";

/**
 * Physical fractions of the inference step model for one chip (its generation's fit, or the prior), plus the
 * engine's fixed cost per scheduler iteration. Fitted by `npm run calibrate` (docs/model.md §3.8).
 */
export interface InferenceEfficiency {
  /** Matmul / attention / HBM / bus fractions and η_gemm half-dimensions (roofline.ts, shared with training). */
  readonly fractions: PhysicalFractions;
  /** Fixed cost of one scheduler iteration: scheduling, sampling, kernel launches (engine overhead). */
  readonly stepOverheadS: number;
  readonly basis: string;
  readonly validated: boolean;
  /** Multipliers on predicted throughput spanning the calibration residuals (low ≤ 1 ≤ high). */
  readonly band: { readonly low: number; readonly high: number };
}

/** Fixed constants of the inference model: ours, labelled as assumptions in every result (docs/model.md §3). */
export const INFERENCE_ASSUMPTIONS = {
  /** vLLM's default gpu_memory_utilization: the rest is the runtime's and fragmentation. */
  usableMemoryFraction: 0.9,
  /** Paged KV block size in tokens (vLLM default). */
  kvBlockTokens: 16,
  /** Token budget of one scheduler iteration (vLLM/TensorRT-LLM max_num_batched_tokens / max_num_tokens 8192). */
  maxBatchedTokens: 8192,
  /** Latency of one small tensor-parallel all-reduce inside the scale-up domain (one-shot/NVLS kernels). */
  scaleUpAllReduceLatencyS: 8e-6,
  scaleOutAllReduceLatencyS: 30e-6,
  /** Expert load imbalance in decode (Switch Transformer capacity factor 1.25, Fedus et al. 2022 §2.1). */
  moeImbalance: 1.25,
  /** Decode-step points averaged over an isolated request's output (context grows from input to input + output). */
  decodeQuadraturePoints: 8,
  /** Bytes per activation element between ops (16-bit activations; FP8 matmuls quantise inside the kernel). */
  activationBytes: 2,
  /** Bytes per logit written by the LM head (fp32 logits for sampling). */
  logitBytes: 4,
} as const;

export type Bottleneck = "compute" | "memory" | "communication";

export interface SpeculativeInput {
  /** Draft tokens proposed per step. */
  readonly k: number;
  /** Probability that the target accepts each draft token (Leviathan et al. 2023 α). */
  readonly acceptance: number;
  /** A separate draft model; absent for MTP/EAGLE-style heads, which cost ≈ one extra layer per draft token. */
  readonly draft?: Architecture | undefined;
  /** Cost of one draft step ÷ one target step; computed from the draft model when not given. */
  readonly draftCostRatio?: number | undefined;
}

export interface InferenceInput {
  readonly architecture: Architecture;
  readonly chip: Accelerator;
  readonly chips: number;
  readonly tp: number;
  readonly pp: number;
  readonly ep: number;
  readonly weightPrecision: StoragePrecision;
  readonly kvPrecision: StoragePrecision;
  /** Precision the matmuls run in (already resolved to one the chip supports). */
  readonly computePrecision: ComputePrecision;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Concurrent sequences per replica, or "max" for the largest that fits. */
  readonly batch: number | "max";
  readonly maxBatchLimit?: number | undefined;
  /** Extra prompt tokens from images/audio/video (multimodal encoders' outputs). */
  readonly extraPrefillTokens: number;
  readonly usableMemoryFraction: number;
  readonly efficiency: InferenceEfficiency;
  readonly speculative?: SpeculativeInput | undefined;
  /** Busiest expert's load ÷ mean (MoE); default INFERENCE_ASSUMPTIONS.moeImbalance. */
  readonly moeImbalance?: number | undefined;
}

export interface PhaseTime {
  /** Σ over ops of their compute sides, FLOPs ÷ (peak · η) (docs/model.md §3.2). */
  readonly computeS: number;
  /** Σ over ops of their memory sides, bytes ÷ (HBM · η_mem). */
  readonly memoryS: number;
  /** Σ over ops of max(compute, memory): max(computeS, memoryS) ≤ opsS ≤ computeS + memoryS. */
  readonly opsS: number;
  readonly communicationS: number;
  readonly overheadS: number;
  /** opsS + communicationS + overheadS. */
  readonly totalS: number;
  readonly bottleneck: Bottleneck;
  readonly flops: number;
  readonly bytes: number;
  /** Per-op terms (per chip, all repetitions): QKV/O projections, attention, FFN or experts, norms, LM head. */
  readonly ops: readonly OpTime[];
}

export interface SpeculativeResult {
  readonly expectedTokensPerStep: number;
  readonly draftCostRatio: number;
  /** Leviathan et al. 2023 eq. (1): (1 − α^(k+1)) / ((1 − α)(k·c + 1)). */
  readonly analyticSpeedup: number;
  /** Our step model: tokens per step × plain step time ÷ (k draft steps + one verify step at (k+1) tokens). */
  readonly modelledSpeedup: number;
}

/** One request with the replica to itself (docs/model.md §3.5). */
export interface IsolatedRequest {
  /** Prefill of one prompt, chunked into iterations of ≤ maxBatchedTokens. */
  readonly ttftS: number;
  /** Mean decode step at batch 1 over the output. */
  readonly tpotS: number;
}

/** Steady state of a continuous-batching engine at `batch` concurrent sequences (Sarathi-Serve, docs/model.md §3.5). */
export interface SteadyState {
  readonly batch: number;
  /** Sequences decoding at once: batch, or fewer when the token budget cannot admit prompts fast enough. */
  readonly activeSequences: number;
  /** Time a request waits in the queue before its prefill starts (past the token-budget cap; else 0). */
  readonly queueWaitS: number;
  /** Prompt tokens arriving per decode iteration: the other (batch − 1) requests' prompts spread over their outputs. */
  readonly prefillTokensPerStep: number;
  /** Fraction of iterations that carry a prefill chunk (> 1: prefill-saturated). */
  readonly chunkShare: number;
  /** An iteration carrying a prefill chunk beside the batch's decode tokens at the mean context. */
  readonly step: PhaseTime;
  /** Time between a user's tokens at this load (÷ speculative speed-up). */
  readonly tpotS: number;
  /** One request's prompt, chunked alongside (batch − 1) decodes: what a request sees at this load. */
  readonly ttftS: number;
  readonly outputTokensPerSPerUser: number;
}

export interface InferenceEstimate {
  readonly feasible: boolean;
  readonly reasons: readonly InfeasibleReason[];
  readonly warnings: readonly CoreWarning[];
  readonly replicas: number;
  readonly batch: number;
  readonly maxBatch: number;
  readonly memoryPerChip: {
    readonly weights: number;
    readonly kvCache: number;
    readonly workspace: number;
    readonly total: number;
    readonly capacity: number;
  };
  readonly kvBytesPerTokenPerChip: number;
  /** Prefill of one prompt with the replica to itself (isolated TTFT). */
  readonly prefill: PhaseTime;
  /** Decode step of `batch` sequences at the mean context (input + output/2), without piggybacked prefill. */
  readonly decode: PhaseTime;
  readonly isolated: IsolatedRequest;
  readonly steady: SteadyState;
  /** TTFT of one request at this load (= isolated at batch 1). */
  readonly ttftS: number;
  /** Per-user time between tokens at this load. */
  readonly tpotS: number;
  readonly outputTokensPerS: number;
  readonly outputTokensPerSPerChip: number;
  readonly band: { readonly low: number; readonly high: number };
  readonly speculative?: SpeculativeResult;
  readonly terms: readonly Term[];
  readonly assumptions: readonly Assumption[];
}

/** Share of a replica's KV cache one chip holds: KV heads split over tp (replicated when tp > kvHeads), layers over pp; MLA latents replicate over tp. */
function kvChipShare(a: Architecture, tp: number, pp: number): number {
  if (a.mla) return 1 / pp;
  return Math.ceil(a.kvHeads / tp) / a.kvHeads / pp;
}

/**
 * KV bytes one chip holds per token if every layer kept every token (the serving simulator's token accounting;
 * for sliding-window/chunked layers an upper bound: `kvBytesPerSequencePerChip` is exact once the context is known).
 */
export function kvBytesPerTokenPerChip(a: Architecture, precision: StoragePrecision, tp: number, pp: number): number {
  return kvBytesPerTokenAllLayers(a, precision) * kvChipShare(a, tp, pp);
}

/**
 * KV bytes one chip holds for one sequence of `tokens` tokens: global layers keep all of them, sliding-window or
 * chunked layers min(tokens, window) (kvBytesPerSequence, docs/model.md §1.5), split like `kvBytesPerTokenPerChip`.
 */
export function kvBytesPerSequencePerChip(
  a: Architecture,
  precision: StoragePrecision,
  tp: number,
  pp: number,
  tokens: number,
): number {
  return kvBytesPerSequence(a, precision, tokens) * kvChipShare(a, tp, pp);
}

/** Expected number of distinct experts hit by `tokens` routed tokens choosing k of E: E·(1 − (1 − k/E)^tokens) (docs/model.md §3.4). */
export function expectedExpertsTouched(experts: number, active: number, tokens: number): number {
  return experts * (1 - (1 - active / experts) ** tokens);
}

/**
 * Matmul shapes of one layer on one chip of a tensor-parallel group, computed once per replica (docs/model.md
 * §3.2): N and K are per-chip widths (column-parallel QKV/up, row-parallel O/down, Shoeybi et al. 2019 §3).
 */
interface LayerShapes {
  readonly hidden: number;
  readonly layers: number;
  /** Layers attending to the whole context, and sliding-window/chunked local layers (derived.ts). */
  readonly globalLayers: number;
  readonly localLayers: number;
  readonly denseLayers: number;
  readonly moeLayers: number;
  /** QKV (MLA: every projection but O) output columns per chip. */
  readonly qkvN: number;
  /** O projection reduction width per chip (heads·v-head-dim ÷ tp). */
  readonly oK: number;
  /** Dense FFN: up (+ gate) columns and down reduction width per chip. */
  readonly ffnUpN: number;
  readonly ffnDownK: number;
  /** Shared experts of a MoE layer, run like a dense FFN on every token. */
  readonly sharedUpN: number;
  readonly sharedDownK: number;
  /** One routed expert's slice on one chip (experts split over ep, each expert over tp/ep). */
  readonly expertUpN: number;
  readonly expertDownK: number;
  readonly experts: number;
  readonly activeExperts: number;
  /** EP ranks within a pipeline stage (each holds experts ÷ epStage experts). */
  readonly epStage: number;
  /** Attention FLOPs per attended position per layer per chip: 2·(heads/tp)·(d_qk + d_v). */
  readonly attentionFlopsPerPosition: number;
  /** Q read + O written by the attention kernel per token per layer per chip (bytes). */
  readonly attentionActivationBytes: number;
  readonly kvBytesPerTokenPerLayer: number;
  /** Activation elements the norms, residual adds and gated activation move per token (all layers, per chip). */
  readonly elementwiseElementsPerToken: number;
  readonly lmHeadN: number;
  readonly weightBytesPerElement: number;
}

function layerShapes(a: Architecture, input: ReplicaInput, kvPerTokenPerChip: number): LayerShapes {
  const tp = input.tp;
  const p = paramBreakdown(a);
  const h = a.hidden;
  const oWidth = a.mla ? a.heads * a.mla.vHeadDim : a.heads * a.headDim;
  const gatedFactor = a.ffnGated ? 2 : 1;
  const moe = a.moe;
  const moeLayers = moeLayerCount(a);
  const sharedFfn = sharedExpertFfnWidth(a);
  const epStage = moe ? Math.max(1, Math.min(input.ep, tp)) : 1;
  const expertTp = Math.max(1, tp / epStage);
  const { qk, v } = a.mla
    ? { qk: a.mla.qkNopeHeadDim + a.mla.qkRopeHeadDim, v: a.mla.vHeadDim }
    : { qk: a.headDim, v: a.headDim };
  const activationElements = a.ffnGated ? 3 : 2; // gated: read gate + up, write product; else read + write
  const denseAct = a.ffn > 0 ? (activationElements * a.ffn) / tp : 0;
  const moeAct = moe ? activationElements * (((moe.active / epStage) * moe.expertFfn) / expertTp + sharedFfn / tp) : 0;
  return {
    hidden: h,
    layers: a.layers,
    globalLayers: attentionLayerCounts(a).global,
    localLayers: attentionLayerCounts(a).local,
    denseLayers: a.layers - moeLayers,
    moeLayers,
    qkvN: (p.attentionPerLayer - oWidth * h) / h / tp,
    oK: oWidth / tp,
    ffnUpN: (gatedFactor * a.ffn) / tp,
    ffnDownK: a.ffn / tp,
    sharedUpN: (gatedFactor * sharedFfn) / tp,
    sharedDownK: sharedFfn / tp,
    expertUpN: moe ? (gatedFactor * moe.expertFfn) / expertTp : 0,
    expertDownK: moe ? moe.expertFfn / expertTp : 0,
    experts: moe?.experts ?? 0,
    activeExperts: moe?.active ?? 0,
    epStage,
    // Per layer; the attended positions and KV tokens of local layers are capped at their window (IterationWork).
    attentionFlopsPerPosition: attentionFlopsPerLayerPosition(a) / tp,
    attentionActivationBytes: ((a.heads * (qk + v)) / tp) * INFERENCE_ASSUMPTIONS.activationBytes,
    kvBytesPerTokenPerLayer: (kvPerTokenPerChip * input.pp) / a.layers,
    // Two fused residual-add + RMSNorm/LayerNorm per layer (read x and residual, write both: 4·hidden) + activation.
    elementwiseElementsPerToken: a.layers * 8 * h + (a.layers - moeLayers) * denseAct + moeLayers * moeAct,
    lmHeadN: a.vocab / tp,
    weightBytesPerElement: bytesPerElement(input.weightPrecision),
  };
}

interface Ctx {
  readonly a: Architecture;
  readonly input: ReplicaInput;
  readonly chip: Accelerator;
  readonly fractions: PhysicalFractions;
  /** Bus bandwidth of the replica's link: nominal × busBandwidthFraction. */
  readonly linkBw: number;
  readonly allReduceLatency: number;
  readonly weightBytesPerChip: number;
  readonly kvPerTokenPerChip: number;
  readonly shapes: LayerShapes;
  readonly imbalance: number;
}

/** The work of one scheduler iteration (or of several identical ones: `passes`), as the step model prices it. */
export interface IterationWork {
  /** Tokens run through the model: decode tokens + prefill tokens. */
  readonly newTokens: number;
  /** Tokens that need logits (decode tokens, the last token of each prompt). */
  readonly logitTokens: number;
  /** Σ over new tokens of the positions each attends to (causal prefill: P(P+1)/2 per prompt). */
  readonly attendedPositions: number;
  /** KV-cache tokens read (decode: every sequence's context). */
  readonly kvReadTokens: number;
  /**
   * The same two sums for the sliding-window/chunked layers, where a token attends to (and reads the KV of) at most
   * its window: min(context, w) per sequence (derived.ts `localAttendedPositions`). Absent: as in a global layer
   * (conservative; the serving simulator's aggregate work does not split them).
   */
  readonly localAttendedPositions?: number | undefined;
  readonly localKvReadTokens?: number | undefined;
  /** KV-cache tokens written. */
  readonly kvWriteTokens: number;
  /** Weight reads (one per iteration). */
  readonly passes: number;
}

/** A matmul op of M×K·K×N with weights K·N at the weight precision, activations in and out at 16 bits. */
function gemmOp(ctx: Ctx, name: string, m: number, n: number, k: number, count: number): Op {
  const shape = { m, n, k };
  return {
    name,
    kind: "gemm",
    flops: gemmFlops(shape),
    bytes: n * k * ctx.shapes.weightBytesPerElement + m * (n + k) * INFERENCE_ASSUMPTIONS.activationBytes,
    precision: ctx.input.computePrecision,
    shape,
    count,
  };
}

/** The 16-bit precision attention and elementwise kernels run in (FP8/FP4 apply to the matmuls only). */
const sixteenBit = (chip: Accelerator): ComputePrecision => (chip.peak.bf16 !== null ? "bf16" : "fp16");

/**
 * The ops of one pass over `tokens` new tokens on one chip (docs/model.md §3.2): per layer QKV and O projections,
 * attention over the KV cache (reads every cached position), the FFN or the experts the tokens touch, and the
 * norms/residual/activation kernels; `count` = layers (or MoE layers × experts touched per chip).
 */
function passOps(ctx: Ctx, tokens: number, attention: PassAttention): Op[] {
  const s = ctx.shapes;
  const h = s.hidden;
  const attentionOp = (name: string, attended: number, kvTokens: number, count: number): Op => ({
    name,
    kind: "attention",
    flops: s.attentionFlopsPerPosition * attended,
    bytes: kvTokens * s.kvBytesPerTokenPerLayer + tokens * s.attentionActivationBytes,
    precision: sixteenBit(ctx.chip),
    count,
  });
  const window = ctx.a.window;
  const ops: Op[] = [gemmOp(ctx, "QKV projection", tokens, s.qkvN, h, s.layers)];
  if (s.globalLayers > 0)
    ops.push(
      attentionOp(
        window ? "attention, global layers (KV cache)" : "attention (KV cache)",
        attention.attended,
        attention.kvTokens,
        s.globalLayers,
      ),
    );
  if (window && s.localLayers > 0)
    ops.push(
      attentionOp(
        `attention, ${window.kind === "sliding" ? "sliding-window" : "chunked"} layers (≤ ${window.tokens} tokens)`,
        attention.localAttended,
        attention.localKvTokens,
        s.localLayers,
      ),
    );
  ops.push(gemmOp(ctx, "O projection", tokens, h, s.oK, s.layers));
  if (s.denseLayers > 0 && s.ffnUpN > 0) {
    ops.push(gemmOp(ctx, "FFN up/gate", tokens, s.ffnUpN, h, s.denseLayers));
    ops.push(gemmOp(ctx, "FFN down", tokens, h, s.ffnDownK, s.denseLayers));
  }
  if (s.moeLayers > 0) {
    // Expected distinct experts the pass's tokens select (uniform routing); each touched expert runs a GEMM of
    // the tokens routed to it (× imbalance: the busiest chip sets the pace), reading its weights once.
    const touched = expectedExpertsTouched(s.experts, s.activeExperts, tokens);
    const perExpert = ((tokens * s.activeExperts) / touched) * ctx.imbalance;
    const perChip = touched / s.epStage;
    ops.push(gemmOp(ctx, "router", tokens, s.experts, h, s.moeLayers));
    ops.push(gemmOp(ctx, "experts up/gate", perExpert, s.expertUpN, h, s.moeLayers * perChip));
    ops.push(gemmOp(ctx, "experts down", perExpert, h, s.expertDownK, s.moeLayers * perChip));
    if (s.sharedUpN > 0) {
      ops.push(gemmOp(ctx, "shared experts up/gate", tokens, s.sharedUpN, h, s.moeLayers));
      ops.push(gemmOp(ctx, "shared experts down", tokens, h, s.sharedDownK, s.moeLayers));
    }
  }
  ops.push({
    name: "norms, residual, activation",
    kind: "memory",
    flops: 0,
    bytes:
      tokens * (s.elementwiseElementsPerToken * INFERENCE_ASSUMPTIONS.activationBytes + h * s.weightBytesPerElement),
    precision: sixteenBit(ctx.chip),
  });
  return ops;
}

/** One TP all-reduce of `payload` bytes: α + 2(t−1)/t · payload ÷ bus bandwidth (one-shot/ring, docs/model.md §3.3). */
function tpAllReduce(ctx: Ctx, payload: number): number {
  const t = ctx.input.tp;
  if (t <= 1) return 0;
  return ctx.allReduceLatency + (2 * (t - 1) * payload) / t / ctx.linkBw;
}

/**
 * Collectives of one forward pass over `tokens` tokens: 2 TP all-reduces per dense layer; a MoE layer with
 * expert parallelism (ep > 1) keeps the attention all-reduce and replaces the FFN one by a dispatch and a
 * combine all-to-all of tokens·h·k activations, (ep − 1)/ep of them leaving the chip (docs/model.md §3.4).
 */
function passCollectives(ctx: Ctx, tokens: number): number {
  const s = ctx.shapes;
  const payload = tokens * s.hidden * INFERENCE_ASSUMPTIONS.activationBytes;
  const ep = s.epStage;
  const epLayers = ep > 1 ? s.moeLayers : 0;
  const allReduces = 2 * (s.layers - epLayers) + epLayers;
  const allToAll = ep > 1 ? ctx.allReduceLatency + (((ep - 1) / ep) * payload * s.activeExperts) / ep / ctx.linkBw : 0;
  return allReduces * tpAllReduce(ctx, payload) + 2 * epLayers * allToAll;
}

/** The LM head over the tokens that need logits (all decode tokens, the last token of each prompt). */
function lmHeadOp(ctx: Ctx, logitTokens: number): Op {
  const s = ctx.shapes;
  const op = gemmOp(ctx, "LM head", logitTokens, s.lmHeadN, s.hidden, 1);
  return { ...op, bytes: op.bytes + logitTokens * s.lmHeadN * (INFERENCE_ASSUMPTIONS.logitBytes - 2) };
}

/**
 * Time of an iteration (docs/model.md §3.1–3.2): Σ over ops of max(FLOPs ÷ (peak · η), bytes ÷ (HBM · η_mem))
 * (roofline.ts) + TP/EP collectives + the engine's per-iteration overhead. Never one max over the whole step.
 */
function iterationCost(ctx: Ctx, w: IterationWork, overheadS: number): PhaseTime {
  const passes = Math.max(1, w.passes);
  const tokens = w.newTokens / passes;
  // Per pass: each op once per pass (count × passes), the LM head once over the logit tokens.
  const ops: Op[] = (tokens > 0 ? passOps(ctx, tokens, passAttention(w, passes)) : []).map((op) => ({
    ...op,
    count: (op.count ?? 1) * passes,
  }));
  if (w.logitTokens > 0) ops.push(lmHeadOp(ctx, w.logitTokens));
  const t = timeOps(ops, ctx.chip, ctx.fractions);
  const communicationS = tokens > 0 ? passes * passCollectives(ctx, tokens) : 0;
  const totalOverhead = passes * overheadS;
  return {
    computeS: t.computeS,
    memoryS: t.memoryS,
    opsS: t.totalS,
    communicationS,
    overheadS: totalOverhead,
    totalS: t.totalS + communicationS + totalOverhead,
    bottleneck: communicationS > t.totalS ? "communication" : t.bound,
    // Whole replica: per-chip ops × tp (every TP rank does its share); pipeline stages run the layers in turn.
    flops: t.flops * ctx.input.tp,
    bytes: t.bytes * ctx.input.tp,
    ops: t.ops,
  };
}

/** Attention work of one pass: global layers' and local layers' attended positions and KV tokens touched. */
interface PassAttention {
  readonly attended: number;
  readonly kvTokens: number;
  readonly localAttended: number;
  readonly localKvTokens: number;
}

function passAttention(w: IterationWork, passes: number): PassAttention {
  return {
    attended: w.attendedPositions / passes,
    kvTokens: (w.kvReadTokens + w.kvWriteTokens) / passes,
    localAttended: (w.localAttendedPositions ?? w.attendedPositions) / passes,
    localKvTokens: ((w.localKvReadTokens ?? w.kvReadTokens) + w.kvWriteTokens) / passes,
  };
}

/**
 * The same total as `iterationCost(ctx, w, overheadS).totalS`, compiled once per replica into per-op affine lines
 * (`gemmLine`: compute c·(M + h_M), memory a + b·M) so the serving simulator can price millions of iterations
 * without building op lists. A test checks the two agree.
 */
export type IterationSeconds = (w: IterationWork) => number;

function compileIteration(ctx: Ctx, overheadS: number): IterationSeconds {
  const s = ctx.shapes;
  const { chip, fractions: f } = ctx;
  const ab = INFERENCE_ASSUMPTIONS.activationBytes;
  const line = (n: number, k: number, count: number) =>
    gemmLine(n, k, count, ctx.input.computePrecision, s.weightBytesPerElement, ab, chip, f);
  const bw = (chip.memoryBandwidth ?? 0) * f.hbmFraction;
  const qkv = line(s.qkvN, s.hidden, s.layers);
  const o = line(s.hidden, s.oK, s.layers);
  const dense = s.denseLayers > 0 && s.ffnUpN > 0;
  const up = line(s.ffnUpN, s.hidden, s.denseLayers);
  const down = line(s.hidden, s.ffnDownK, s.denseLayers);
  const moe = s.moeLayers > 0;
  const router = line(s.experts, s.hidden, s.moeLayers);
  const expertUp = line(s.expertUpN, s.hidden, s.moeLayers);
  const expertDown = line(s.hidden, s.expertDownK, s.moeLayers);
  const shared = moe && s.sharedUpN > 0;
  const sharedUp = line(s.sharedUpN, s.hidden, s.moeLayers);
  const sharedDown = line(s.hidden, s.sharedDownK, s.moeLayers);
  const lmBase = line(s.lmHeadN, s.hidden, 1);
  const lm = { ...lmBase, b: lmBase.b + (s.lmHeadN * (INFERENCE_ASSUMPTIONS.logitBytes - 2)) / bw };
  // Per attention layer: compute per attended position, KV bytes per token touched, activations per new token.
  const attnCompute = s.attentionFlopsPerPosition / (peakFor(chip, sixteenBit(chip)) * f.attentionPeakFraction);
  const attnKv = s.kvBytesPerTokenPerLayer / bw;
  const attnAct = s.attentionActivationBytes / bw;
  const attentionS = (layers: number, attended: number, kv: number, t: number) =>
    layers > 0 ? layers * Math.max(attnCompute * attended, attnKv * kv + attnAct * t) : 0;
  const elementwise = (s.elementwiseElementsPerToken * ab + s.hidden * s.weightBytesPerElement) / bw;
  return (w) => {
    const passes = Math.max(1, w.passes);
    const t = w.newTokens / passes;
    let total = 0;
    if (t > 0) {
      const at = passAttention(w, passes);
      let pass =
        gemmLineTime(qkv, t) +
        attentionS(s.globalLayers, at.attended, at.kvTokens, t) +
        (ctx.a.window ? attentionS(s.localLayers, at.localAttended, at.localKvTokens, t) : 0) +
        gemmLineTime(o, t) +
        elementwise * t;
      if (dense) pass += gemmLineTime(up, t) + gemmLineTime(down, t);
      if (moe) {
        const touched = expectedExpertsTouched(s.experts, s.activeExperts, t);
        const perExpert = ((t * s.activeExperts) / touched) * ctx.imbalance;
        pass +=
          gemmLineTime(router, t) +
          (touched / s.epStage) * (gemmLineTime(expertUp, perExpert) + gemmLineTime(expertDown, perExpert));
        if (shared) pass += gemmLineTime(sharedUp, t) + gemmLineTime(sharedDown, t);
      }
      total = passes * (pass + passCollectives(ctx, t));
    }
    return total + gemmLineTime(lm, w.logitTokens) + passes * overheadS;
  };
}

/** The same replica running a draft model instead of the target (speculative decoding). */
function draftContext(ctx: Ctx, draft: Architecture): Ctx {
  const { input } = ctx;
  const chipsPerReplica = input.tp * input.pp;
  const kvPerTokenPerChip = kvBytesPerTokenPerChip(draft, input.kvPrecision, input.tp, input.pp);
  return {
    ...ctx,
    a: draft,
    weightBytesPerChip: weightBytes(draft, input.weightPrecision) / chipsPerReplica,
    kvPerTokenPerChip,
    shapes: layerShapes(draft, input, kvPerTokenPerChip),
  };
}

/** One decode step of `batch` sequences at context `context` (docs/model.md §3.2); `tokensPerSequence` > 1 verifies drafts. */
function decodeStep(ctx: Ctx, batch: number, context: number, tokensPerSequence = 1): PhaseTime {
  const tokens = batch * tokensPerSequence;
  const local = localAttendedPositions(ctx.a, context);
  return iterationCost(
    ctx,
    {
      newTokens: tokens,
      logitTokens: tokens,
      attendedPositions: tokens * context,
      kvReadTokens: batch * context,
      localAttendedPositions: tokens * local,
      localKvReadTokens: batch * local,
      kvWriteTokens: tokens,
      passes: 1,
    },
    ctx.input.efficiency.stepOverheadS,
  );
}

/** Smallest prefill chunk an iteration carries when the decode tokens alone nearly fill the token budget (assumption). */
const MIN_CHUNK_TOKENS = 512;

/**
 * Mean positions a decode token attends to in a local (sliding-window/chunked) layer while a sequence decodes
 * positions P + 1 … P + O: Σ localAttendedPositions ÷ O (derived.ts, closed form); the whole context without a window.
 */
function meanLocalDecodeContext(a: Architecture, prompt: number, output: number): number {
  if (output <= 0) return localAttendedPositions(a, prompt);
  return attendedPositions(a, output, prompt).local / output;
}

/**
 * One iteration of `decodes` sequences at context `context` (`localContext` in local layers) that also carries
 * `chunk` prompt tokens of prompts of `prompt` tokens (causal: a prompt token attends to (P + 1)/2 positions on
 * average in a global layer, Σ min(i, w) ÷ P in a sliding-window one).
 */
function mixedIteration(
  ctx: Ctx,
  decodes: number,
  context: number,
  localContext: number,
  chunk: number,
  prompt: number,
): PhaseTime {
  const tokens = decodes + chunk;
  const localPerPromptToken = prompt > 0 ? attendedPositions(ctx.a, prompt).local / prompt : 0;
  return iterationCost(
    ctx,
    {
      newTokens: tokens,
      logitTokens: decodes + chunk / prompt,
      attendedPositions: decodes * context + chunk * ((prompt + 1) / 2),
      kvReadTokens: decodes * context,
      localAttendedPositions: decodes * localContext + chunk * localPerPromptToken,
      localKvReadTokens: decodes * localContext,
      kvWriteTokens: tokens,
      passes: Math.max(1, Math.ceil(tokens / INFERENCE_ASSUMPTIONS.maxBatchedTokens)),
    },
    ctx.input.efficiency.stepOverheadS,
  );
}

/**
 * Steady state of a continuous-batching engine at `batch` concurrent requests with chunked prefill (Sarathi-Serve,
 * Agrawal et al. OSDI'24 §4; docs/model.md §3.5), closed loop (a finished request is replaced at once).
 * - Every iteration decodes one token of each running sequence at the mean context P + O/2 (contexts spread
 *   uniformly over the output; the KV read is linear in context).
 * - Arriving prompts need R = (active − 1)·P/O prompt tokens per iteration; they ride along in chunks of
 *   C = min(max(P, R), budget − active) tokens, so a share n = R/C of iterations carries a chunk:
 *   per-user TPOT = decode + n·(chunk-carrying iteration − decode).
 * - The token budget caps how many sequences can run: admitting prompts as fast as (active) sequences finish needs
 *   active + (active − 1)·P/O ≤ budget, i.e. active ≤ (O·budget + P)/(P + O); requests beyond it wait in the queue.
 * - TTFT: the request's own prompt in ⌈P / C'⌉ iterations beside active − 1 decodes (C' = budget − (active − 1)),
 *   plus, past the budget cap, its wait in the queue: (batch − active) × cycle ÷ active (Little's law).
 */
function steadyState(ctx: Ctx, batch: number, prompt: number, output: number) {
  const budget = INFERENCE_ASSUMPTIONS.maxBatchedTokens;
  const context = prompt + output / 2;
  const localContext = meanLocalDecodeContext(ctx.a, prompt, output);
  const budgetCap = Math.max(1, Math.floor((output * budget + prompt) / (prompt + output)));
  const active = Math.max(1, Math.min(batch, budgetCap));
  const decode = mixedIteration(ctx, active, context, localContext, 0, prompt);
  const prefillPerStep = ((active - 1) * prompt) / Math.max(1, output);
  const room = Math.max(MIN_CHUNK_TOKENS, budget - active);
  const chunk = Math.min(Math.max(prompt, prefillPerStep), room);
  const chunkShare = prefillPerStep / chunk;
  const step = mixedIteration(ctx, active, context, localContext, chunk, prompt);
  const tpotS = chunkShare <= 1 ? decode.totalS + chunkShare * (step.totalS - decode.totalS) : chunkShare * step.totalS;
  const own = Math.min(prompt, Math.max(MIN_CHUNK_TOKENS, budget - (active - 1)));
  const promptS =
    active === 1
      ? undefined
      : Math.ceil(prompt / own) *
        mixedIteration(ctx, active - 1, context, localContext, own, prompt).totalS *
        Math.max(1, chunkShare);
  return { active, tpotS, promptS, step, decode, prefillPerStep, chunkShare };
}

/** Mean decode step at `batch` over the output: midpoint rule over `decodeQuadraturePoints` context lengths. */
function meanDecodeStep(ctx: Ctx, batch: number, prompt: number, output: number): number {
  const n = INFERENCE_ASSUMPTIONS.decodeQuadraturePoints;
  const step = compileIteration(ctx, ctx.input.efficiency.stepOverheadS);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const context = prompt + ((i + 0.5) / n) * output;
    const local = localAttendedPositions(ctx.a, context);
    sum += step({
      newTokens: batch,
      logitTokens: batch,
      attendedPositions: batch * context,
      kvReadTokens: batch * context,
      localAttendedPositions: batch * local,
      localKvReadTokens: batch * local,
      kvWriteTokens: batch,
      passes: 1,
    });
  }
  return sum / n;
}

/** Leviathan et al. 2023: expected tokens per verify step with k drafts at acceptance α. */
export function expectedTokensPerStep(k: number, acceptance: number): number {
  return acceptance >= 1 ? k + 1 : (1 - acceptance ** (k + 1)) / (1 - acceptance);
}

/** Leviathan et al. 2023 eq. (1): walltime improvement (1 − α^(k+1)) / ((1 − α)(k·c + 1)). */
export function speculativeSpeedup(k: number, acceptance: number, draftCostRatio: number): number {
  return expectedTokensPerStep(k, acceptance) / (k * draftCostRatio + 1);
}

/** What a replica's memory holds and what its links cost, shared by the analytic model and the simulator. */
interface ReplicaSetup {
  readonly ctx: Ctx;
  readonly withinDomain: boolean;
  readonly capacity: number;
  readonly workspace: number;
  readonly freeForKv: number;
  readonly draftWeightsPerChip: number;
  readonly kvPerTokenAllModels: number;
  readonly kvCapacityTokens: number;
}

/** The fields of an inference scenario that fix a replica (not the request mix). */
export type ReplicaInput = Omit<
  InferenceInput,
  "inputTokens" | "outputTokens" | "batch" | "extraPrefillTokens" | "maxBatchLimit"
>;

function setupReplica(input: ReplicaInput): ReplicaSetup {
  const a = input.architecture;
  const chip = input.chip;
  const chipsPerReplica = input.tp * input.pp;
  const withinDomain = chipsPerReplica <= (chip.scaleUpDomain ?? 1);
  const linkRaw = withinDomain ? scaleUpBandwidthOf(chip) : scaleOutBandwidthOf(chip);
  const fractions = input.efficiency.fractions;
  const kvPerTokenPerChip = kvBytesPerTokenPerChip(a, input.kvPrecision, input.tp, input.pp);
  const ctx: Ctx = {
    a,
    input,
    chip,
    fractions,
    linkBw: linkRaw * fractions.busBandwidthFraction,
    allReduceLatency: withinDomain
      ? INFERENCE_ASSUMPTIONS.scaleUpAllReduceLatencyS
      : INFERENCE_ASSUMPTIONS.scaleOutAllReduceLatencyS,
    weightBytesPerChip: weightBytes(a, input.weightPrecision) / chipsPerReplica,
    kvPerTokenPerChip,
    shapes: layerShapes(a, input, kvPerTokenPerChip),
    imbalance: a.moe ? (input.moeImbalance ?? INFERENCE_ASSUMPTIONS.moeImbalance) : 1,
  };
  // A draft model lives beside the target: its weights and KV cache share the memory (its own step uses its own bytes).
  const draft = input.speculative?.draft;
  const draftWeightsPerChip = draft ? weightBytes(draft, input.weightPrecision) / chipsPerReplica : 0;
  const draftKvPerTokenPerChip = draft ? kvBytesPerTokenPerChip(draft, input.kvPrecision, input.tp, input.pp) : 0;
  const capacity = (chip.memory ?? 0) * input.usableMemoryFraction;
  const ffnPerChip = activeFfnWidth(a) / input.tp;
  const workspace = 2 * INFERENCE_ASSUMPTIONS.maxBatchedTokens * (a.hidden + 2 * ffnPerChip) * 2;
  const freeForKv = capacity - ctx.weightBytesPerChip - draftWeightsPerChip - workspace;
  const kvPerTokenAllModels = ctx.kvPerTokenPerChip + draftKvPerTokenPerChip;
  return {
    ctx,
    withinDomain,
    capacity,
    workspace,
    freeForKv,
    draftWeightsPerChip,
    kvPerTokenAllModels,
    kvCapacityTokens: Math.max(0, freeForKv) / kvPerTokenAllModels,
  };
}

/** A replica as the serving simulator sees it: iteration cost and KV capacity (docs/model.md §3, §4). */
export interface ReplicaCostModel {
  /** Seconds for one scheduler iteration doing `work`. */
  readonly iterationS: (work: IterationWork) => number;
  /** Seconds for one draft-model iteration (speculative decoding with a separate draft), if any. */
  readonly draftIterationS?: ((work: IterationWork) => number) | undefined;
  /** Tokens of KV cache the replica can hold (after weights and workspace). */
  readonly kvCapacityTokens: number;
  /** Bytes of KV cache per token for the whole replica (for KV transfer in disaggregated serving). */
  readonly kvBytesPerToken: number;
  readonly feasible: boolean;
  readonly reason?: string;
}

/** Per-op detail of one iteration on a replica (what `--explain` shows); `replicaCostModel` prices the same work fast. */
export function iterationDetail(input: ReplicaInput, work: IterationWork): PhaseTime {
  return iterationCost(setupReplica(input).ctx, work, input.efficiency.stepOverheadS);
}

export function replicaCostModel(input: ReplicaInput): ReplicaCostModel {
  const r = setupReplica(input);
  const draft = input.speculative?.draft;
  const draftCtx = draft ? draftContext(r.ctx, draft) : undefined;
  const overhead = input.efficiency.stepOverheadS;
  return {
    iterationS: compileIteration(r.ctx, overhead),
    draftIterationS: draftCtx ? compileIteration(draftCtx, overhead) : undefined,
    kvCapacityTokens: r.kvCapacityTokens,
    kvBytesPerToken: r.ctx.kvPerTokenPerChip * input.tp * input.pp,
    feasible: r.freeForKv > 0,
    ...(r.freeForKv > 0
      ? {}
      : {
          reason: `weights need ${((r.ctx.weightBytesPerChip + r.draftWeightsPerChip) / GIGA).toFixed(1)} GB per chip, usable memory is ${(r.capacity / GIGA).toFixed(1)} GB`,
        }),
  };
}

/** Speed-up of speculative decoding at `batch` with our step model (docs/model.md §3.6). */
function speculativeAt(ctx: Ctx, s: SpeculativeInput, batch: number, context: number): SpeculativeResult {
  const plain = decodeStep(ctx, batch, context).totalS;
  const verify = decodeStep(ctx, batch, context, s.k + 1).totalS;
  // MTP/EAGLE head ≈ one extra layer per draft token.
  const draftStep = s.draft ? decodeStep(draftContext(ctx, s.draft), batch, context).totalS : plain / ctx.a.layers;
  const c = s.draftCostRatio ?? draftStep / plain;
  const tau = expectedTokensPerStep(s.k, s.acceptance);
  const modelledStep = s.draftCostRatio !== undefined ? s.k * c * plain + verify : s.k * draftStep + verify;
  return {
    expectedTokensPerStep: tau,
    draftCostRatio: c,
    analyticSpeedup: speculativeSpeedup(s.k, s.acceptance, c),
    modelledSpeedup: (tau * plain) / modelledStep,
  };
}

/** TTFT, TPOT, throughput, KV capacity and bottlenecks of serving one model on one chip type (docs/model.md §3). */
export function estimateInference(input: InferenceInput): InferenceEstimate {
  const a = input.architecture;
  const chip = input.chip;
  const reasons: InfeasibleReason[] = [];
  const warnings: CoreWarning[] = [];
  const chipsPerReplica = input.tp * input.pp;
  const replicas = Math.max(1, Math.floor(input.chips / chipsPerReplica));
  const setup = setupReplica(input);
  const ctx = setup.ctx;
  const { capacity, workspace, freeForKv, draftWeightsPerChip } = setup;
  if (!setup.withinDomain && chipsPerReplica > 1)
    warnings.push({
      code: "beyond-scale-up-domain",
      params: { chipsPerReplica, scaleUpDomain: chip.scaleUpDomain ?? 1 },
      message: `tp×pp = ${chipsPerReplica} exceeds the ${chip.scaleUpDomain ?? 1}-chip scale-up domain: collectives cross the scale-out network`,
    });

  const block = INFERENCE_ASSUMPTIONS.kvBlockTokens;
  const prompt = input.inputTokens + input.extraPrefillTokens;
  const output = input.outputTokens;
  const tokensPerSequence = Math.ceil((prompt + output) / block) * block;
  // KV one sequence holds per chip: global layers all its tokens, sliding-window/chunked layers min(tokens, window).
  const draft = input.speculative?.draft;
  const kvPerSequence =
    kvBytesPerSequencePerChip(a, input.kvPrecision, input.tp, input.pp, tokensPerSequence) +
    (draft ? kvBytesPerSequencePerChip(draft, input.kvPrecision, input.tp, input.pp, tokensPerSequence) : 0);
  const kvLimited = Math.floor(Math.max(0, freeForKv) / kvPerSequence);
  const maxBatch = Math.max(0, Math.min(kvLimited, input.maxBatchLimit ?? Number.POSITIVE_INFINITY));
  if (freeForKv <= 0) {
    reasons.push({
      code: "weights-exceed-memory",
      params: {
        needBytes: ctx.weightBytesPerChip + draftWeightsPerChip + workspace,
        haveBytes: capacity,
        weightsBytes: ctx.weightBytesPerChip + draftWeightsPerChip,
        workspaceBytes: workspace,
        usableMemoryFraction: input.usableMemoryFraction,
        memoryBytes: chip.memory ?? 0,
      },
      message: `weights need ${((ctx.weightBytesPerChip + draftWeightsPerChip) / GIGA).toFixed(1)} GB per chip (+ ${(workspace / GIGA).toFixed(1)} GB workspace), usable memory is ${(capacity / GIGA).toFixed(1)} GB (${input.usableMemoryFraction} × ${((chip.memory ?? 0) / GIGA).toFixed(0)} GB)`,
      requiredBytes: ctx.weightBytesPerChip + draftWeightsPerChip + workspace,
      availableBytes: capacity,
    });
  } else if (maxBatch < 1) {
    reasons.push({
      code: "kv-exceeds-memory",
      params: { needBytes: kvPerSequence, haveBytes: freeForKv, tokensPerSequence },
      message: `one sequence of ${tokensPerSequence} tokens needs ${(kvPerSequence / GIGA).toFixed(2)} GB of KV cache per chip, ${(freeForKv / GIGA).toFixed(2)} GB is free`,
      requiredBytes: kvPerSequence,
      availableBytes: freeForKv,
    });
  }
  const batch = input.batch === "max" ? Math.max(1, maxBatch) : input.batch;
  if (input.batch !== "max" && reasons.length === 0 && batch > maxBatch) {
    reasons.push({
      code: "batch-exceeds-kv",
      params: { needBytes: batch * kvPerSequence, haveBytes: freeForKv, batch, tokensPerSequence, maxBatch },
      message: `batch ${batch} × ${tokensPerSequence} tokens needs ${((batch * kvPerSequence) / GIGA).toFixed(1)} GB of KV cache per chip, ${(freeForKv / GIGA).toFixed(1)} GB is free (max batch ${maxBatch})`,
      requiredBytes: batch * kvPerSequence,
      availableBytes: freeForKv,
    });
  }
  if (input.chips % chipsPerReplica !== 0)
    warnings.push({
      code: "idle-chips",
      params: { chips: input.chips, chipsPerReplica, idleChips: input.chips - replicas * chipsPerReplica },
      message: `${input.chips} chips is not a multiple of tp×pp = ${chipsPerReplica}: ${input.chips - replicas * chipsPerReplica} chips idle`,
    });

  // Isolated request: its prompt alone, in iterations of ≤ maxBatchedTokens, then decode at batch 1.
  const chunks = Math.max(1, Math.ceil(prompt / INFERENCE_ASSUMPTIONS.maxBatchedTokens));
  const prefill = iterationCost(
    ctx,
    {
      newTokens: prompt,
      logitTokens: 1,
      attendedPositions: (prompt * (prompt + 1)) / 2,
      kvReadTokens: 0,
      localAttendedPositions: attendedPositions(a, prompt).local,
      localKvReadTokens: 0,
      kvWriteTokens: prompt,
      passes: chunks,
    },
    input.efficiency.stepOverheadS,
  );
  const meanContext = prompt + output / 2;
  const load = steadyState(ctx, batch, prompt, output);
  const decode = load.decode;
  let isolatedTpotS = meanDecodeStep(ctx, 1, prompt, output);
  let steadyTpotS = load.tpotS;
  let speculative: SpeculativeResult | undefined;
  if (input.speculative) {
    speculative = speculativeAt(ctx, input.speculative, batch, meanContext);
    steadyTpotS /= speculative.modelledSpeedup;
    isolatedTpotS /=
      batch === 1 ? speculative.modelledSpeedup : speculativeAt(ctx, input.speculative, 1, meanContext).modelledSpeedup;
  }
  const isolated: IsolatedRequest = { ttftS: prefill.totalS, tpotS: isolatedTpotS };
  // A request's own prompt (isolated when it runs alone), then O − 1 further tokens at the loaded TPOT.
  const promptS = load.promptS ?? prefill.totalS;
  const activeCycleS = promptS + Math.max(0, output - 1) * steadyTpotS;
  const waitS = ((batch - load.active) * activeCycleS) / load.active;
  const steadyTtftS = promptS + waitS;
  const steady: SteadyState = {
    batch,
    activeSequences: load.active,
    queueWaitS: waitS,
    prefillTokensPerStep: load.prefillPerStep,
    chunkShare: load.chunkShare,
    step: load.step,
    tpotS: steadyTpotS,
    ttftS: steadyTtftS,
    outputTokensPerSPerUser: 1 / steadyTpotS,
  };
  // Closed loop: the active sequences each cycle through their prompt and O − 1 further steps.
  const outputTokensPerS = (replicas * load.active * output) / activeCycleS;
  const band = input.efficiency.band;
  const f = input.efficiency.fractions;
  const terms: Term[] = [
    {
      name: "prefill FLOPs (one prompt)",
      formula: "2·N_matmul·P + causal attention + LM head on the last token (§3.1)",
      value: prefill.flops,
      unit: "FLOP",
    },
    {
      name: "prefill: Σ ops",
      formula: "Σ_op max(FLOPs ÷ (peak·η_gemm(M,N,K)), bytes ÷ (HBM·η_mem)) per chip (§3.2)",
      value: prefill.opsS,
      unit: "s",
    },
    {
      name: "prefill TP/EP communication",
      formula: "2·layers·(α + 2(t−1)/t·tokens·h·2 B ÷ bus bw) (+ EP all-to-all) (§3.3–3.4)",
      value: prefill.communicationS,
      unit: "s",
    },
    {
      name: "decode bytes per step",
      formula: "weights (experts touched) + batch·context·KV bytes/token + activations (§3.2)",
      value: decode.bytes,
      unit: "B",
    },
    {
      name: "decode: Σ ops",
      formula: "Σ_op max(compute, memory); max(Σcompute, Σmemory) ≤ Σ ≤ Σcompute + Σmemory (§3.2)",
      value: decode.opsS,
      unit: "s",
    },
    {
      name: "decode TP/EP communication",
      formula: "2·layers·(α + 2(t−1)/t·batch·h·2 B ÷ bus bw) (+ EP all-to-all) (§3.3–3.4)",
      value: decode.communicationS,
      unit: "s",
    },
    {
      name: "iteration overhead",
      formula: "engine's fixed cost per iteration (§3.8)",
      value: decode.overheadS,
      unit: "s",
    },
    {
      name: "isolated TTFT",
      formula: "one prompt alone, chunks of ≤ 8,192 tokens (§3.5)",
      value: isolated.ttftS,
      unit: "s",
    },
    {
      name: "isolated TPOT",
      formula: "mean decode step at batch 1 over the output (÷ speculative speed-up) (§3.5)",
      value: isolated.tpotS,
      unit: "s",
    },
    {
      name: "piggybacked prefill per step",
      formula: "R = (batch − 1)·P ÷ O prompt tokens per decode iteration (Sarathi-Serve) (§3.5)",
      value: steady.prefillTokensPerStep,
      unit: "token",
    },
    {
      name: "share of iterations carrying a chunk",
      formula: "n = R ÷ min(max(P, R), budget − batch) (§3.5)",
      value: steady.chunkShare,
      unit: "",
    },
    {
      name: "TPOT at this load",
      formula: "decode(batch at P + O/2) + n·(chunk-carrying iteration − decode) (§3.5)",
      value: steady.tpotS,
      unit: "s",
    },
    {
      name: "TTFT at this load",
      formula:
        "⌈P ÷ (budget − (batch − 1))⌉ iterations carrying the prompt beside batch − 1 decodes, × max(1, n) (§3.5)",
      value: steady.ttftS,
      unit: "s",
    },
    {
      name: "throughput",
      formula: "replicas·active·O ÷ (own prompt + (O − 1)·TPOT), active = min(batch, (O·budget + P)/(P + O)) (§3.5)",
      value: outputTokensPerS,
      unit: "token/s",
    },
  ];
  const assumptions: Assumption[] = [
    { name: "matmul peak fraction", value: f.matmulPeakFraction, unit: "of dense peak", basis: f.basis },
    { name: "attention peak fraction", value: f.attentionPeakFraction, unit: "of 16-bit peak", basis: f.basis },
    { name: "HBM fraction", value: f.hbmFraction, unit: "of HBM bandwidth", basis: f.basis },
    { name: "bus bandwidth fraction", value: f.busBandwidthFraction, unit: "of link bandwidth", basis: f.basis },
    {
      name: "η_gemm half-dimensions",
      value: `M ${f.gemmHalfDim.m}, N ${f.gemmHalfDim.n}, K ${f.gemmHalfDim.k}`,
      basis: "η_gemm = peak fraction · M/(M+h_M) · N/(N+h_N) · K/(K+h_K) (roofline.ts)",
    },
    {
      name: "iteration overhead",
      value: input.efficiency.stepOverheadS,
      unit: "s",
      basis: input.efficiency.basis,
    },
    {
      name: "usable memory",
      value: input.usableMemoryFraction,
      unit: "fraction of HBM",
      basis: "vLLM gpu_memory_utilization default 0.9",
    },
    {
      name: "token budget per iteration",
      value: INFERENCE_ASSUMPTIONS.maxBatchedTokens,
      unit: "tokens",
      basis: "vLLM max_num_batched_tokens / TensorRT-LLM max_num_tokens 8192",
    },
    {
      name: "all-reduce latency",
      value: ctx.allReduceLatency,
      unit: "s",
      basis: "assumption: small-message one-shot all-reduce",
    },
    {
      name: "KV block",
      value: INFERENCE_ASSUMPTIONS.kvBlockTokens,
      unit: "tokens",
      basis: "vLLM PagedAttention default block size",
    },
  ];
  if (a.moe)
    assumptions.push({
      name: "MoE imbalance",
      value: ctx.imbalance,
      basis: "Switch Transformer capacity factor 1.25 (Fedus et al. 2022 §2.1)",
    });
  if (!input.efficiency.validated)
    warnings.push({
      code: "unvalidated-efficiency",
      params: { hardware: chip.id, basis: input.efficiency.basis },
      message: `no inference measurements for ${chip.id}: ${input.efficiency.basis} (unvalidated)`,
    });
  return {
    feasible: reasons.length === 0,
    reasons,
    warnings,
    replicas,
    batch,
    maxBatch,
    memoryPerChip: {
      weights: ctx.weightBytesPerChip + draftWeightsPerChip,
      kvCache: batch * kvPerSequence,
      workspace,
      total: ctx.weightBytesPerChip + draftWeightsPerChip + workspace + batch * kvPerSequence,
      capacity,
    },
    kvBytesPerTokenPerChip: ctx.kvPerTokenPerChip,
    prefill,
    decode,
    isolated,
    steady,
    ttftS: steady.ttftS,
    tpotS: steady.tpotS,
    outputTokensPerS,
    outputTokensPerSPerChip: outputTokensPerS / (replicas * chipsPerReplica),
    band,
    ...(speculative ? { speculative } : {}),
    terms,
    assumptions,
  };
}
