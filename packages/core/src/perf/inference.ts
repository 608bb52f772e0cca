import { type Accelerator, scaleOutBandwidthOf, scaleUpBandwidthOf } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import { activeFfnWidth, moeLayerCount, routedExpertParams, routedExpertParamsTotal } from "../model/derived.ts";
import { attentionFlopsPerToken } from "../model/flops.ts";
import { kvBytesPerTokenAllLayers, weightBytes } from "../model/memory.ts";
import { matmulParamsPerToken, paramBreakdown } from "../model/params.ts";
import { bytesPerElement, type ComputePrecision, type StoragePrecision } from "../model/precision.ts";
import { GIGA } from "../units/index.ts";
import type { Assumption, InfeasibleReason, Term } from "./derivation.ts";

/** Per-chip (or per-family) efficiency of the inference step model, fitted by `npm run calibrate`. */
export interface InferenceEfficiency {
  /** Achievable fraction of the dense peak in prefill and decode matmuls. */
  readonly computeFraction: number;
  /** Achievable fraction of HBM bandwidth when decode streams weights and KV cache. */
  readonly bandwidthFraction: number;
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
  /** Tokens per scheduler iteration that activation buffers are sized for (vLLM/TensorRT-LLM max_num_batched_tokens). */
  maxBatchedTokens: 8192,
  /** Fixed cost of one decode step: scheduling, sampling, kernel launches. */
  stepOverheadS: 0.002,
  /** Latency of one small tensor-parallel all-reduce inside the scale-up domain (one-shot/NVLS kernels). */
  scaleUpAllReduceLatencyS: 8e-6,
  scaleOutAllReduceLatencyS: 30e-6,
  linkEfficiency: 0.75,
  /** Expert load imbalance in decode (Switch Transformer capacity factor 1.25, Fedus et al. 2022 §2.1). */
  moeImbalance: 1.25,
  /** Decode-step points averaged over the output (context grows from input to input + output). */
  decodeQuadraturePoints: 8,
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
  readonly computeS: number;
  readonly memoryS: number;
  readonly communicationS: number;
  readonly overheadS: number;
  readonly totalS: number;
  readonly bottleneck: Bottleneck;
  readonly flops: number;
  readonly bytes: number;
}

export interface SpeculativeResult {
  readonly expectedTokensPerStep: number;
  readonly draftCostRatio: number;
  /** Leviathan et al. 2023 eq. (1): (1 − α^(k+1)) / ((1 − α)(k·c + 1)). */
  readonly analyticSpeedup: number;
  /** Our step model: tokens per step × plain step time ÷ (k draft steps + one verify step at (k+1) tokens). */
  readonly modelledSpeedup: number;
}

export interface InferenceEstimate {
  readonly feasible: boolean;
  readonly reasons: readonly InfeasibleReason[];
  readonly warnings: readonly string[];
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
  readonly prefill: PhaseTime;
  /** Decode step at the mean context (input + output/2). */
  readonly decode: PhaseTime;
  readonly ttftS: number;
  readonly tpotS: number;
  readonly outputTokensPerS: number;
  readonly outputTokensPerSPerChip: number;
  readonly band: { readonly low: number; readonly high: number };
  readonly speculative?: SpeculativeResult;
  readonly terms: readonly Term[];
  readonly assumptions: readonly Assumption[];
}

const bottleneckOf = (compute: number, memory: number, communication: number): Bottleneck =>
  communication > Math.max(compute, memory) ? "communication" : compute >= memory ? "compute" : "memory";

/** KV bytes one chip holds per token: KV heads split over tp (replicated when tp > kvHeads), layers over pp; MLA latents replicate over tp. */
export function kvBytesPerTokenPerChip(a: Architecture, precision: StoragePrecision, tp: number, pp: number): number {
  if (a.mla) return kvBytesPerTokenAllLayers(a, precision) / pp;
  // Per token, every layer is charged (conservative for sliding-window/chunked layers, which hold at most
  // their window: kvBytesPerSequence(a, precision, context) is exact once the context is known).
  const headsPerChip = Math.ceil(a.kvHeads / tp);
  return ((kvBytesPerTokenAllLayers(a, precision) / pp) * headsPerChip) / a.kvHeads;
}

/** Expected number of distinct experts hit by `tokens` routed tokens choosing k of E: E·(1 − (1 − k/E)^tokens) (docs/model.md §3.4). */
export function expectedExpertsTouched(experts: number, active: number, tokens: number): number {
  return experts * (1 - (1 - active / experts) ** tokens);
}

interface Ctx {
  readonly a: Architecture;
  readonly input: InferenceInput;
  readonly peak: number;
  readonly bw: number;
  readonly scaleUpBw: number;
  readonly allReduceLatency: number;
  readonly weightBytesPerChip: number;
  readonly kvPerTokenPerChip: number;
  /** Per-architecture constants, computed once per replica so an iteration costs a few multiplications. */
  readonly k: ArchConstants;
}

interface ArchConstants {
  readonly matmulParams: number;
  readonly lmHeadFlopsPerToken: number;
  /** Attention FLOPs per attended position: 2·layers·heads·(d_qk + d_v). */
  readonly attentionFlopsPerPosition: number;
  readonly moeLayers: number;
  readonly denseBytesPerChip: number;
  readonly expertBytesPerChip: number;
}

function archConstants(a: Architecture, weightPrecision: StoragePrecision, chipsPerReplica: number): ArchConstants {
  const p = paramBreakdown(a);
  const moeLayers = moeLayerCount(a);
  const perExpert = routedExpertParams(a);
  const expertParams = routedExpertParamsTotal(a);
  const bpe = bytesPerElement(weightPrecision);
  return {
    matmulParams: matmulParamsPerToken(a),
    lmHeadFlopsPerToken: 2 * a.vocab * a.hidden,
    attentionFlopsPerPosition: attentionFlopsPerToken(a, 1),
    moeLayers,
    denseBytesPerChip: ((p.total - expertParams) * bpe) / chipsPerReplica,
    expertBytesPerChip: (perExpert * bpe) / chipsPerReplica,
  };
}

function tpAllReduce(ctx: Ctx, payloadBytes: number): number {
  const t = ctx.input.tp;
  if (t <= 1) return 0;
  return ctx.allReduceLatency + (2 * (t - 1) * payloadBytes) / t / ctx.scaleUpBw;
}

/**
 * Collectives of one forward pass over `tokens` tokens: 2 TP all-reduces per dense layer; a MoE layer with
 * expert parallelism (ep > 1) keeps the attention all-reduce and replaces the FFN one by a dispatch and a
 * combine all-to-all of tokens·h·k activations, (ep − 1)/ep of them leaving the chip (docs/model.md §3.4).
 */
function layerCollectives(ctx: Ctx, tokens: number): number {
  const { a, input } = ctx;
  const payload = tokens * a.hidden * 2;
  const moeLayers = input.ep > 1 ? moeLayerCount(a) : 0;
  const allReduces = 2 * (a.layers - moeLayers) + moeLayers;
  const allToAll =
    a.moe && input.ep > 1
      ? ctx.allReduceLatency + (((input.ep - 1) / input.ep) * payload * a.moe.active) / input.ep / ctx.scaleUpBw
      : 0;
  return allReduces * tpAllReduce(ctx, payload) + 2 * moeLayers * allToAll;
}

/** Weight bytes one chip streams in a decode step: dense share + the experts the batch touches (MoE). */
function weightBytesTouchedPerChip(ctx: Ctx, tokensInStep: number): number {
  const a = ctx.a;
  if (!a.moe) return ctx.weightBytesPerChip;
  const touched = expectedExpertsTouched(a.moe.experts, a.moe.active, tokensInStep);
  return ctx.k.denseBytesPerChip + ctx.k.moeLayers * touched * ctx.k.expertBytesPerChip;
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
  /** KV-cache tokens written. */
  readonly kvWriteTokens: number;
  /** Weight reads (one per iteration). */
  readonly passes: number;
}

/**
 * Time of an iteration (docs/model.md §3.1–3.2): max(compute, memory) + collectives + per-step overhead,
 * compute = FLOPs·imbalance ÷ (tp·peak·compute fraction), memory = bytes ÷ (HBM·bandwidth fraction) per chip.
 */
function iterationCost(ctx: Ctx, w: IterationWork): PhaseTime {
  const { a, input } = ctx;
  const imbalance = a.moe ? (input.moeImbalance ?? INFERENCE_ASSUMPTIONS.moeImbalance) : 1;
  const flops =
    w.newTokens * 2 * ctx.k.matmulParams -
    (w.newTokens - w.logitTokens) * ctx.k.lmHeadFlopsPerToken +
    ctx.k.attentionFlopsPerPosition * w.attendedPositions;
  const chipsPerReplica = input.tp * input.pp;
  const computeS = ((flops * imbalance) / (chipsPerReplica * ctx.peak * input.efficiency.computeFraction)) * input.pp;
  const tokensPerPass = w.newTokens / w.passes;
  const bytes =
    w.passes * weightBytesTouchedPerChip(ctx, tokensPerPass) +
    (w.kvReadTokens + w.kvWriteTokens) * ctx.kvPerTokenPerChip;
  const memoryS = (bytes / (ctx.bw * input.efficiency.bandwidthFraction)) * input.pp;
  const communicationS = w.passes * layerCollectives(ctx, tokensPerPass);
  const overheadS = w.passes * INFERENCE_ASSUMPTIONS.stepOverheadS;
  return {
    computeS,
    memoryS,
    communicationS,
    overheadS,
    totalS: Math.max(computeS, memoryS) + communicationS + overheadS,
    bottleneck: bottleneckOf(computeS, memoryS, communicationS),
    flops,
    bytes: bytes * chipsPerReplica,
  };
}

/** The same replica running a draft model instead of the target (speculative decoding). */
function draftContext(ctx: Ctx, draft: Architecture): Ctx {
  const { input } = ctx;
  const chipsPerReplica = input.tp * input.pp;
  return {
    ...ctx,
    a: draft,
    weightBytesPerChip: weightBytes(draft, input.weightPrecision) / chipsPerReplica,
    kvPerTokenPerChip: kvBytesPerTokenPerChip(draft, input.kvPrecision, input.tp, input.pp),
    k: archConstants(draft, input.weightPrecision, chipsPerReplica),
  };
}

/** One decode step of `batch` sequences at context `context` (docs/model.md §3.2); `tokensPerSequence` > 1 verifies drafts. */
function decodeStep(ctx: Ctx, batch: number, context: number, tokensPerSequence = 1): PhaseTime {
  const tokens = batch * tokensPerSequence;
  return iterationCost(ctx, {
    newTokens: tokens,
    logitTokens: tokens,
    attendedPositions: tokens * context,
    kvReadTokens: batch * context,
    kvWriteTokens: tokens,
    passes: 1,
  });
}

/** Prefill of `batch` prompts (docs/model.md §3.1): causal attention, logits for the last token only, weights read once per iteration of ≤ maxBatchedTokens. */
function prefillPhase(ctx: Ctx, batch: number): PhaseTime {
  const prompt = ctx.input.inputTokens + ctx.input.extraPrefillTokens;
  const passes = Math.max(1, Math.ceil((batch * prompt) / INFERENCE_ASSUMPTIONS.maxBatchedTokens));
  return iterationCost(ctx, {
    newTokens: batch * prompt,
    logitTokens: batch,
    attendedPositions: (batch * prompt * (prompt + 1)) / 2,
    kvReadTokens: 0,
    kvWriteTokens: batch * prompt,
    passes,
  });
}

/** Mean decode step over the output: midpoint rule over `decodeQuadraturePoints` context lengths. */
function meanDecodeStep(ctx: Ctx, batch: number): number {
  const n = INFERENCE_ASSUMPTIONS.decodeQuadraturePoints;
  const { inputTokens, outputTokens, extraPrefillTokens } = ctx.input;
  let sum = 0;
  for (let i = 0; i < n; i++)
    sum += decodeStep(ctx, batch, inputTokens + extraPrefillTokens + ((i + 0.5) / n) * outputTokens).totalS;
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
  const ctx: Ctx = {
    a,
    input: { ...input, inputTokens: 0, outputTokens: 0, batch: 1, extraPrefillTokens: 0 },
    peak: chip.peak[input.computePrecision] ?? 0,
    bw: chip.memoryBandwidth ?? 0,
    scaleUpBw: linkRaw * INFERENCE_ASSUMPTIONS.linkEfficiency,
    allReduceLatency: withinDomain
      ? INFERENCE_ASSUMPTIONS.scaleUpAllReduceLatencyS
      : INFERENCE_ASSUMPTIONS.scaleOutAllReduceLatencyS,
    weightBytesPerChip: weightBytes(a, input.weightPrecision) / chipsPerReplica,
    kvPerTokenPerChip: kvBytesPerTokenPerChip(a, input.kvPrecision, input.tp, input.pp),
    k: archConstants(a, input.weightPrecision, chipsPerReplica),
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

export function replicaCostModel(input: ReplicaInput): ReplicaCostModel {
  const r = setupReplica(input);
  const draft = input.speculative?.draft;
  const draftCtx = draft ? draftContext(r.ctx, draft) : undefined;
  return {
    iterationS: (w) => iterationCost(r.ctx, w).totalS,
    draftIterationS: draftCtx ? (w) => iterationCost(draftCtx, w).totalS : undefined,
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

/** TTFT, TPOT, throughput, KV capacity and bottlenecks of serving one model on one chip type (docs/model.md §3). */
export function estimateInference(input: InferenceInput): InferenceEstimate {
  const a = input.architecture;
  const chip = input.chip;
  const reasons: InfeasibleReason[] = [];
  const warnings: string[] = [];
  const chipsPerReplica = input.tp * input.pp;
  const replicas = Math.max(1, Math.floor(input.chips / chipsPerReplica));
  const setup = setupReplica(input);
  const ctx: Ctx = { ...setup.ctx, input };
  const { capacity, workspace, freeForKv, draftWeightsPerChip, kvPerTokenAllModels, kvCapacityTokens } = setup;
  if (!setup.withinDomain && chipsPerReplica > 1)
    warnings.push(
      `tp×pp = ${chipsPerReplica} exceeds the ${chip.scaleUpDomain ?? 1}-chip scale-up domain: collectives cross the scale-out network`,
    );

  const block = INFERENCE_ASSUMPTIONS.kvBlockTokens;
  const prompt = input.inputTokens + input.extraPrefillTokens;
  const tokensPerSequence = Math.ceil((prompt + input.outputTokens) / block) * block;
  const kvLimited = Math.floor(kvCapacityTokens / tokensPerSequence);
  const maxBatch = Math.max(0, Math.min(kvLimited, input.maxBatchLimit ?? Number.POSITIVE_INFINITY));
  if (freeForKv <= 0) {
    reasons.push({
      code: "weights-exceed-memory",
      message: `weights need ${((ctx.weightBytesPerChip + draftWeightsPerChip) / GIGA).toFixed(1)} GB per chip (+ ${(workspace / GIGA).toFixed(1)} GB workspace), usable memory is ${(capacity / GIGA).toFixed(1)} GB (${input.usableMemoryFraction} × ${((chip.memory ?? 0) / GIGA).toFixed(0)} GB)`,
      requiredBytes: ctx.weightBytesPerChip + draftWeightsPerChip + workspace,
      availableBytes: capacity,
    });
  } else if (maxBatch < 1) {
    reasons.push({
      code: "kv-exceeds-memory",
      message: `one sequence of ${tokensPerSequence} tokens needs ${((tokensPerSequence * kvPerTokenAllModels) / GIGA).toFixed(2)} GB of KV cache per chip, ${(freeForKv / GIGA).toFixed(2)} GB is free`,
      requiredBytes: tokensPerSequence * kvPerTokenAllModels,
      availableBytes: freeForKv,
    });
  }
  const batch = input.batch === "max" ? Math.max(1, maxBatch) : input.batch;
  if (input.batch !== "max" && reasons.length === 0 && batch > maxBatch) {
    reasons.push({
      code: "batch-exceeds-kv",
      message: `batch ${batch} × ${tokensPerSequence} tokens needs ${((batch * tokensPerSequence * kvPerTokenAllModels) / GIGA).toFixed(1)} GB of KV cache per chip, ${(freeForKv / GIGA).toFixed(1)} GB is free (max batch ${maxBatch})`,
      requiredBytes: batch * tokensPerSequence * kvPerTokenAllModels,
      availableBytes: freeForKv,
    });
  }
  if (input.chips % chipsPerReplica !== 0)
    warnings.push(
      `${input.chips} chips is not a multiple of tp×pp = ${chipsPerReplica}: ${input.chips - replicas * chipsPerReplica} chips idle`,
    );

  const prefill = prefillPhase(ctx, batch);
  const meanContext = prompt + input.outputTokens / 2;
  const decode = decodeStep(ctx, batch, meanContext);
  let tpotS = meanDecodeStep(ctx, batch);
  let speculative: SpeculativeResult | undefined;
  if (input.speculative) {
    const s = input.speculative;
    const plain = decodeStep(ctx, batch, meanContext).totalS;
    const verify = decodeStep(ctx, batch, meanContext, s.k + 1).totalS;
    const draftStep = s.draft ? decodeStep(draftContext(ctx, s.draft), batch, meanContext).totalS : plain / a.layers; // MTP/EAGLE head ≈ one extra layer per draft token
    const c = s.draftCostRatio ?? draftStep / plain;
    const tau = expectedTokensPerStep(s.k, s.acceptance);
    const modelledStep = s.draftCostRatio !== undefined ? s.k * c * plain + verify : s.k * draftStep + verify;
    const modelledSpeedup = (tau * plain) / modelledStep;
    speculative = {
      expectedTokensPerStep: tau,
      draftCostRatio: c,
      analyticSpeedup: speculativeSpeedup(s.k, s.acceptance, c),
      modelledSpeedup,
    };
    tpotS /= modelledSpeedup;
  }
  const ttftS = prefill.totalS;
  const requestTimeS = prefill.totalS + input.outputTokens * tpotS;
  const outputTokensPerS = (replicas * batch * input.outputTokens) / requestTimeS;
  const band = input.efficiency.band;
  const terms: Term[] = [
    {
      name: "prefill FLOPs",
      formula: "batch·(2·N_matmul·P + causal attention − LM head on P−1 tokens) (§3.1)",
      value: prefill.flops,
      unit: "FLOP",
    },
    {
      name: "prefill compute",
      formula: "FLOPs ÷ (chips·peak·compute fraction) (§3.1)",
      value: prefill.computeS,
      unit: "s",
    },
    {
      name: "prefill memory",
      formula: "weights per iteration + KV written ÷ (HBM·bandwidth fraction) (§3.1)",
      value: prefill.memoryS,
      unit: "s",
    },
    {
      name: "prefill TP all-reduce",
      formula: "2·layers·(α + 2(t−1)/t·tokens·h·2 B ÷ link) (§3.3)",
      value: prefill.communicationS,
      unit: "s",
    },
    {
      name: "decode bytes per step",
      formula: "weights (touched experts) + batch·context·KV bytes/token (§3.2)",
      value: decode.bytes,
      unit: "B",
    },
    {
      name: "decode compute",
      formula: "batch·(2·N_matmul + attention) ÷ (chips·peak·compute fraction) (§3.2)",
      value: decode.computeS,
      unit: "s",
    },
    {
      name: "decode memory",
      formula: "bytes per chip ÷ (HBM·bandwidth fraction) (§3.2)",
      value: decode.memoryS,
      unit: "s",
    },
    {
      name: "decode TP all-reduce",
      formula: "2·layers·(α + 2(t−1)/t·batch·h·2 B ÷ link) (§3.3)",
      value: decode.communicationS,
      unit: "s",
    },
    { name: "decode step overhead", formula: "fixed per step (§3.2)", value: decode.overheadS, unit: "s" },
    {
      name: "TPOT",
      formula: "mean decode step over the output (÷ speculative speed-up) (§3.2)",
      value: tpotS,
      unit: "s",
    },
    {
      name: "throughput",
      formula: "replicas·batch·O ÷ (prefill + O·TPOT) (§3.5)",
      value: outputTokensPerS,
      unit: "token/s",
    },
  ];
  const assumptions: Assumption[] = [
    {
      name: "compute fraction",
      value: input.efficiency.computeFraction,
      unit: "fraction of dense peak",
      basis: input.efficiency.basis,
    },
    {
      name: "bandwidth fraction",
      value: input.efficiency.bandwidthFraction,
      unit: "fraction of HBM bandwidth",
      basis: input.efficiency.basis,
    },
    {
      name: "usable memory",
      value: input.usableMemoryFraction,
      unit: "fraction of HBM",
      basis: "vLLM gpu_memory_utilization default 0.9",
    },
    {
      name: "decode step overhead",
      value: INFERENCE_ASSUMPTIONS.stepOverheadS,
      unit: "s",
      basis: "assumption: scheduling, sampling and launch cost per step",
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
      value: input.moeImbalance ?? INFERENCE_ASSUMPTIONS.moeImbalance,
      basis: "Switch Transformer capacity factor 1.25 (Fedus et al. 2022 §2.1)",
    });
  if (!input.efficiency.validated)
    warnings.push(`no inference measurements for ${chip.id}: ${input.efficiency.basis} (unvalidated)`);
  return {
    feasible: reasons.length === 0,
    reasons,
    warnings,
    replicas,
    batch,
    maxBatch,
    memoryPerChip: {
      weights: ctx.weightBytesPerChip + draftWeightsPerChip,
      kvCache: batch * tokensPerSequence * kvPerTokenAllModels,
      workspace,
      total: ctx.weightBytesPerChip + draftWeightsPerChip + workspace + batch * tokensPerSequence * kvPerTokenAllModels,
      capacity,
    },
    kvBytesPerTokenPerChip: ctx.kvPerTokenPerChip,
    prefill,
    decode,
    ttftS,
    tpotS,
    outputTokensPerS,
    outputTokensPerSPerChip: outputTokensPerS / (replicas * chipsPerReplica),
    band,
    ...(speculative ? { speculative } : {}),
    terms,
    assumptions,
  };
}
