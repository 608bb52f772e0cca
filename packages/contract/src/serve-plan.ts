/**
 * `serve`: validated scenario + resolved catalog records → per-role replica cost models (layouts on the
 * inference step model) → the discrete-event simulation → the JSON result of CONTRACT.md. I/O (trace files,
 * CSV, progress) stays in the CLI: the trace arrives as rows and progress as a callback.
 */
import { type AcceleratorFile, inferenceEfficiencyFor, servingCalibrationData, toAccelerator } from "@flopcast/catalog";
import {
  type Accelerator,
  type ClusterConfig,
  createRng,
  defaultPrecision,
  type EngineProfile,
  engineProfile,
  generateRequests,
  INFERENCE_ASSUMPTIONS,
  type LayoutInput,
  type LengthDistribution,
  layoutCostModel,
  loraAdapterBytes,
  PCIE_GEN4_X16_BYTES_PER_S,
  type Problem,
  type ReplicaConfig,
  requestsFromTrace,
  type ServingLayout,
  type SimRequest,
  type SimulationResult,
  type SpeculativeInput,
  type StoragePrecision,
  scaleOutBandwidthOf,
  scaleUpBandwidthOf,
  servingMetrics,
  simulateCluster,
  type TraceRow,
} from "@flopcast/core";
import { type ModelSubject, missingChipData } from "./catalog-views.ts";
import { defaultKvPrecision, resolveComputePrecision, speculativeOf } from "./infer-plan.ts";
import { type CodedMessage, codedMessage, codedProblem } from "./messages.ts";
import { roundTo } from "./numbers.ts";
import type { ServeScenario } from "./scenario.ts";

const MS = 1e3;
const ms = (p: { p50: number; p90: number; p99: number; mean: number }) => ({
  p50: roundTo(p.p50 * MS),
  p90: roundTo(p.p90 * MS),
  p99: roundTo(p.p99 * MS),
  mean: roundTo(p.mean * MS),
});

/**
 * MTP speculative decoding when only `--spec-mtp` is given (assumption, labelled in the output): k = 3 draft
 * tokens (SGLang's DeepSeek recipe: speculative-num-steps 3, eagle-topk 1; TensorRT-LLM num_nextn_predict_layers
 * up to 3) and a per-draft acceptance α = 0.7 with Leviathan et al.'s independence model, i.e. 2.53 tokens per
 * verify step. DeepSeek-V3 (tech report §5.4.3) measures 85–90% for the first draft on real text; the
 * benchmark's random-token prompts accept fewer (serving-measured.md caveat 7), hence the lower α.
 */
export const MTP_ASSUMPTION = {
  k: 3,
  acceptance: 0.7,
  basis:
    "assumption: k 3 (SGLang/TensorRT-LLM DeepSeek MTP recipes), α 0.7 per draft (DeepSeek-V3 §5.4.3 reports 0.85–0.9 on real text; random-token benchmark prompts accept fewer)",
} as const;

export interface RoleSetup {
  readonly workers: number;
  readonly layout: ServingLayout;
  readonly chipsPerWorker: number;
}

export interface ServeSetup {
  readonly cluster: ClusterConfig;
  readonly requests: SimRequest[];
  readonly chipsPerReplica: number;
  readonly replicas: number;
  /** All chips of the configuration (prefill + decode when disaggregated). */
  readonly chips: number;
  readonly roles: { readonly aggregated?: RoleSetup; readonly prefill?: RoleSetup; readonly decode?: RoleSetup };
  readonly engine: EngineProfile;
  readonly precision: { weights: StoragePrecision; kvCache: StoragePrecision; compute: string };
  readonly closedLoop?: { readonly concurrency: number; readonly warmupRequests: number } | undefined;
  readonly speculative?: { readonly k: number; readonly acceptance: number; readonly basis: string } | undefined;
  readonly warnings: CodedMessage[];
}

/** KV precision: FP4 weights on a chip with native FP4 matmuls keep an FP8 cache (NVFP4/MXFP4 recipes); else infer's rule. */
function kvPrecisionFor(chip: Accelerator, weights: StoragePrecision, asked: StoragePrecision | undefined) {
  if (asked) return asked;
  if (weights === "fp4" && chip.peak.fp4 !== null && chip.peak.fp8 !== null) return "fp8";
  return defaultKvPrecision(chip, weights);
}

function layoutProblems(s: ServeScenario, model: ModelSubject, role: string, l: ServingLayout): Problem[] {
  const a = model.architecture;
  const out: Problem[] = [];
  const path = (k: string) => (role === "" ? k : `${role}${k[0]?.toUpperCase()}${k.slice(1)}`);
  if (!l.dpAttention && a.heads % l.tp !== 0)
    out.push(
      codedProblem(path("tp"), "serve-tp-heads", { tp: l.tp, heads: a.heads, dpAttentionField: path("dpAttention") }),
    );
  if (l.ep > l.tp * l.pp)
    out.push({ path: path("ep"), message: `ep ${l.ep} exceeds the ${l.tp * l.pp} chips of a replica` });
  if (!a.moe && l.ep > 1 && s.ep !== undefined)
    out.push({ path: path("ep"), message: `${s.model} is dense: expert parallelism needs a MoE model` });
  return out;
}

/** Builds the simulated cluster and the request stream; problems when the layout cannot serve the model. */
export function setupServe(
  s: ServeScenario,
  model: ModelSubject,
  hardware: AcceleratorFile,
  opts: {
    trace?: readonly TraceRow[];
    draft?: ModelSubject;
    /** Replaces the engine's fitted host overhead per iteration (calibration, leave-one-chip-out). */
    iterationOverheadS?: number | undefined;
    /** Replaces the calibrated MTP acceptance α (calibration, leave-one-chip-out). */
    mtpAcceptance?: number | undefined;
    /** Replaces the engine's fitted request-path latency (calibration, leave-one-chip-out). */
    requestLatencyS?: number | undefined;
  },
): { ok: true; setup: ServeSetup } | { ok: false; problems: Problem[] } {
  const chip = toAccelerator(hardware);
  const a = model.architecture;
  const weights: StoragePrecision = s.precision ?? defaultPrecision(chip);
  const kv: StoragePrecision = kvPrecisionFor(chip, weights, s.kvPrecision);
  const { precision: compute, warning } = resolveComputePrecision(chip, weights, s.activationPrecision);
  const missing = missingChipData(hardware, compute);
  if (missing.length) return { ok: false, problems: missing };
  const warnings: CodedMessage[] = warning ? [warning] : [];
  const engine = engineProfile(s.engine);
  if (engine.warning) warnings.push(engine.warning);
  const useEngine = s.engine !== undefined;
  const prefillWorkers = s.prefillWorkers ?? s.prefillReplicas;
  const decodeWorkers = s.decodeWorkers ?? s.decodeReplicas;
  const disagg = prefillWorkers !== undefined && decodeWorkers !== undefined;
  const domainTp = Math.min(s.chips, chip.scaleUpDomain ?? 1);
  const problems: Problem[] = [];
  const roleLayout = (tp: number, ep: number | undefined, dpa: boolean | undefined): ServingLayout => ({
    tp,
    pp: s.pp,
    ep: ep ?? (a.moe ? tp * s.pp : 1),
    dpAttention: (dpa ?? s.dpAttention) && a.moe !== undefined,
  });
  let roles: ServeSetup["roles"];
  let replicas: number;
  let chipsPerReplica: number;
  if (disagg) {
    const legacyTp = s.tp ?? Math.max(1, Math.floor(Math.floor(s.chips / (prefillWorkers + decodeWorkers)) / s.pp));
    const prefill = roleLayout(s.prefillTp ?? legacyTp, s.prefillEp ?? s.ep, s.prefillDpAttention);
    const decode = roleLayout(s.decodeTp ?? legacyTp, s.decodeEp ?? s.ep, s.decodeDpAttention);
    roles = {
      prefill: { workers: prefillWorkers, layout: prefill, chipsPerWorker: prefill.tp * s.pp },
      decode: { workers: decodeWorkers, layout: decode, chipsPerWorker: decode.tp * s.pp },
    };
    problems.push(...layoutProblems(s, model, "prefill", prefill), ...layoutProblems(s, model, "decode", decode));
    replicas = prefillWorkers + decodeWorkers;
    chipsPerReplica = decode.tp * s.pp;
  } else {
    replicas = s.replicas ?? Math.max(1, Math.floor(s.chips / (s.tp ?? domainTp) / s.pp));
    const perReplica =
      s.replicas !== undefined ? Math.max(1, Math.floor(s.chips / replicas)) : (s.tp ?? domainTp) * s.pp;
    const tp = s.tp ?? Math.max(1, Math.floor(perReplica / s.pp));
    const layout = roleLayout(tp, s.ep, s.dpAttention);
    roles = { aggregated: { workers: replicas, layout, chipsPerWorker: tp * s.pp } };
    chipsPerReplica = tp * s.pp;
    if (tp * s.pp * replicas > s.chips)
      problems.push({
        path: "chips",
        message: `${replicas} replicas × tp ${tp} × pp ${s.pp} need ${replicas * tp * s.pp} chips, have ${s.chips}`,
      });
    problems.push(...layoutProblems(s, model, "", layout));
  }
  if (problems.length) return { ok: false, problems };
  for (const r of [roles.aggregated, roles.prefill, roles.decode])
    if (r && a.moe && a.moe.experts % r.layout.ep !== 0)
      warnings.push(codedMessage("ep-uneven-experts", { ep: r.layout.ep, experts: a.moe.experts }));
  const mtpOnly = s.specMtp && s.specK === undefined && s.specAcceptance === undefined && !opts.draft;
  const calibration = servingCalibrationData();
  const mtpAcceptance = opts.mtpAcceptance ?? calibration.mtpAcceptance?.value ?? MTP_ASSUMPTION.acceptance;
  const speculative: SpeculativeInput | undefined = mtpOnly
    ? { k: MTP_ASSUMPTION.k, acceptance: mtpAcceptance }
    : speculativeOf(s, opts.draft);
  const base: LayoutInput = {
    architecture: a,
    chip,
    weightPrecision: weights,
    kvPrecision: kv,
    computePrecision: compute,
    usableMemoryFraction: s.usableMemoryFraction,
    efficiency: inferenceEfficiencyFor(hardware),
    speculative,
    moeImbalance: s.moeImbalance,
  };
  const input: LengthDistribution = s.inputDist ?? { kind: "fixed", tokens: s.inputTokens };
  const output: LengthDistribution = s.outputDist ?? { kind: "fixed", tokens: s.outputTokens };
  const rng = createRng(s.seed);
  const closedLoop =
    s.concurrency !== undefined
      ? { concurrency: s.concurrency, warmupRequests: s.warmupRequests ?? 2 * s.concurrency }
      : undefined;
  const rate = s.rate ?? 1;
  const count = closedLoop
    ? closedLoop.warmupRequests + (s.requests ?? 10 * closedLoop.concurrency)
    : (s.requests ?? Math.max(1, Math.round(rate * (s.duration ?? 0))));
  const requests = opts.trace
    ? requestsFromTrace(opts.trace)
    : generateRequests(
        {
          requests: count,
          arrivals:
            s.arrival === "gamma"
              ? { kind: "gamma", ratePerS: rate, cv: s.burstiness }
              : { kind: "poisson", ratePerS: rate },
          diurnal: s.diurnalPeakToAverage
            ? { peakToAverage: s.diurnalPeakToAverage, periodS: 86_400, peakAtS: 0 }
            : undefined,
          input,
          output,
          prefix:
            s.prefixGroups && s.prefixTokens
              ? { groups: s.prefixGroups ?? 1, tokens: s.prefixTokens ?? 0, fraction: s.prefixFraction }
              : undefined,
          lora: s.loraAdapters ? { adapters: s.loraAdapters, zipfS: s.loraZipf, fraction: s.loraFraction } : undefined,
        },
        rng,
      );
  const usesPrefix = requests.some((r) => r.prefixGroup >= 0);
  const usesLora = requests.some((r) => r.adapter >= 0);
  const loraLoadS = loraAdapterBytes(a, s.loraRank) / PCIE_GEN4_X16_BYTES_PER_S;
  const fitted = calibration.engines[engine.profile.id];
  const profile: EngineProfile = {
    ...engine.profile,
    iterationOverheadS: opts.iterationOverheadS ?? fitted?.iterationOverheadS ?? engine.profile.iterationOverheadS,
    requestLatencyS: opts.requestLatencyS ?? fitted?.requestLatencyS ?? engine.profile.requestLatencyS,
    basis: fitted
      ? `${engine.profile.basis}; host overhead ${(fitted.iterationOverheadS * 1e3).toFixed(2)} ms/iteration calibrated on ${fitted.rows} rows${fitted.requestLatencyS !== undefined ? `; request-path latency ${(fitted.requestLatencyS * 1e3).toFixed(0)} ms calibrated on ${fitted.requestLatencyRows ?? 0} rows at concurrency ≤ 4` : ""}`
      : engine.profile.basis,
  };
  const replicaFor = (role: RoleSetup, name: string): ReplicaConfig | Problem => {
    const cost = layoutCostModel(base, role.layout);
    if (!cost.feasible)
      return codedProblem("hardware", "replica-does-not-fit", {
        role: name.trim(),
        chipsPerWorker: role.chipsPerWorker,
        hardware: chip.id,
        detail: cost.reason ?? "",
        tpField: name.trim() ? `${name.trim()}Tp` : "tp",
      });
    return {
      cost,
      maxBatchedTokens:
        s.maxBatchedTokens ??
        (useEngine
          ? profile.maxBatchedTokens
          : s.scheduler === "chunked"
            ? 2048
            : INFERENCE_ASSUMPTIONS.maxBatchedTokens),
      maxSeqs: s.maxSeqs ?? (useEngine ? profile.maxRunningRequests : 256),
      watermark: 0.01,
      scheduler: s.scheduler,
      prefixCacheTokens: usesPrefix ? s.prefixCacheFraction * cost.kvCapacityTokens : 0,
      loraSlots: usesLora ? s.loraSlots : 0,
      loraLoadS,
      speculative: speculative
        ? {
            k: speculative.k,
            acceptance: speculative.acceptance,
            draftCostRatio: s.specDraftCost ?? (s.specMtp || !opts.draft ? 1 / a.layers : 0),
          }
        : undefined,
      iterationOverheadS: useEngine ? profile.iterationOverheadS : 0,
      graphBatchSizes: useEngine ? profile.graphBatchSizes : undefined,
    };
  };
  const isProblem = (x: ReplicaConfig | Problem): x is Problem => "message" in x;
  let cluster: ClusterConfig;
  let chips: number;
  if (roles.prefill && roles.decode) {
    const p = replicaFor(roles.prefill, "prefill ");
    const d = replicaFor(roles.decode, "decode ");
    const bad = [p, d].filter(isProblem);
    if (bad.length) return { ok: false, problems: bad };
    const pc = p as ReplicaConfig;
    const dc = d as ReplicaConfig;
    const prefillChips = roles.prefill.workers * roles.prefill.chipsPerWorker;
    chips = prefillChips + roles.decode.workers * roles.decode.chipsPerWorker;
    // KV moves over NVLink when the whole configuration fits one scale-up domain (e.g. NVL72), else over the NICs.
    const withinDomain = chips <= (chip.scaleUpDomain ?? 1);
    const link = withinDomain ? scaleUpBandwidthOf(chip) : scaleOutBandwidthOf(chip);
    if (!withinDomain && s.chips > 1 && chips > (chip.scaleUpDomain ?? 1))
      warnings.push(codedMessage("kv-over-scale-out", { chips, scaleUpDomain: chip.scaleUpDomain ?? 1 }));
    cluster = {
      replicas,
      router: s.router,
      replica: dc,
      requestLatencyS: useEngine ? profile.requestLatencyS : 0,
      disaggregated: {
        prefillReplicas: roles.prefill.workers,
        decodeReplicas: roles.decode.workers,
        kvTransferBytesPerS:
          link * roles.prefill.chipsPerWorker * inferenceEfficiencyFor(hardware).fractions.busBandwidthFraction,
        kvTransferLatencyS: withinDomain
          ? INFERENCE_ASSUMPTIONS.scaleUpAllReduceLatencyS
          : INFERENCE_ASSUMPTIONS.scaleOutAllReduceLatencyS,
        prefill: pc,
        decode: dc,
      },
    };
  } else {
    const agg = roles.aggregated as RoleSetup;
    const r = replicaFor(agg, "");
    if (isProblem(r)) return { ok: false, problems: [r] };
    chips = replicas * chipsPerReplica;
    cluster = { replicas, router: s.router, replica: r, requestLatencyS: useEngine ? profile.requestLatencyS : 0 };
  }
  return {
    ok: true,
    setup: {
      cluster,
      requests,
      chipsPerReplica,
      replicas,
      chips,
      roles,
      engine: profile,
      precision: { weights, kvCache: kv, compute },
      closedLoop,
      speculative: speculative
        ? {
            k: speculative.k,
            acceptance: speculative.acceptance,
            basis: mtpOnly
              ? opts.mtpAcceptance === undefined && calibration.mtpAcceptance
                ? `k ${MTP_ASSUMPTION.k} (SGLang/TensorRT-LLM DeepSeek MTP recipes); α ${calibration.mtpAcceptance.value} per draft calibrated on ${calibration.mtpAcceptance.rows} MTP rows of serving-measured.csv (random-token prompts: real text accepts more, DeepSeek-V3 §5.4.3 reports 0.85–0.9)`
                : MTP_ASSUMPTION.basis
              : "given (k and acceptance are inputs)",
          }
        : undefined,
      warnings,
    },
  };
}

export function runServe(s: ServeScenario, setup: ServeSetup, onProgress?: (fraction: number) => void, trace = false) {
  const sim = simulateCluster(setup.requests, setup.cluster, {
    rng: createRng(s.seed + 1),
    closedLoop: setup.closedLoop,
    onProgress,
    trace,
  });
  return { sim, result: serveResult(s, setup, sim) };
}

/** Served below this share of the offered rate = overloaded (a stable finite run lands within a few % of 1). */
export const OVERLOAD_SERVED_FRACTION = 0.9;

/**
 * Offered vs served rate: requests ÷ the arrival span against completions ÷ the completion span. A stable system
 * completes requests as fast as they arrive (both spans shift by about one latency); an overloaded one queues
 * without bound, so its completions spread over a longer span and served < offered.
 */
export function servedVsOffered(records: SimulationResult["records"]) {
  let firstArrival = Number.POSITIVE_INFINITY;
  let lastArrival = Number.NEGATIVE_INFINITY;
  let firstDone = Number.POSITIVE_INFINITY;
  let lastDone = Number.NEGATIVE_INFINITY;
  let done = 0;
  for (let i = 0; i < records.arrivedAt.length; i++) {
    const a = records.arrivedAt[i] as number;
    firstArrival = Math.min(firstArrival, a);
    lastArrival = Math.max(lastArrival, a);
    const c = records.completedAt[i] as number;
    if (Number.isNaN(c)) continue;
    done++;
    firstDone = Math.min(firstDone, c);
    lastDone = Math.max(lastDone, c);
  }
  const n = records.arrivedAt.length;
  const offered = n > 1 && lastArrival > firstArrival ? (n - 1) / (lastArrival - firstArrival) : null;
  const served = done > 1 && lastDone > firstDone ? (done - 1) / (lastDone - firstDone) : null;
  const overloaded = offered !== null && (done < n || (served !== null && served < OVERLOAD_SERVED_FRACTION * offered));
  return { offeredRateReqPerS: roundTo(offered), servedRateReqPerS: roundTo(served), overloaded };
}

const layoutOf = (r: RoleSetup) => ({
  workers: r.workers,
  tp: r.layout.tp,
  pp: r.layout.pp,
  ep: r.layout.ep,
  dpAttention: r.layout.dpAttention,
  chips: r.workers * r.chipsPerWorker,
});

function serveResult(s: ServeScenario, setup: ServeSetup, sim: SimulationResult) {
  const load = servedVsOffered(sim.records);
  const warmup = setup.closedLoop?.warmupRequests ?? 0;
  const m = servingMetrics(
    sim.records,
    {
      ttftS: s.sloTtftMs === undefined ? undefined : s.sloTtftMs / MS,
      tpotS: s.sloTpotMs === undefined ? undefined : s.sloTpotMs / MS,
    },
    warmup,
  );
  const { aggregated, prefill, decode } = setup.roles;
  return {
    model: s.model,
    hardware: s.hardware,
    chips: setup.chips,
    replicas: setup.replicas,
    chipsPerReplica: setup.chipsPerReplica,
    layout: {
      mode: aggregated ? ("aggregated" as const) : ("disaggregated" as const),
      ...(aggregated ? { aggregated: layoutOf(aggregated) } : {}),
      ...(prefill ? { prefill: layoutOf(prefill) } : {}),
      ...(decode ? { decode: layoutOf(decode) } : {}),
    },
    engine: { id: setup.engine.id, generic: setup.engine.generic, basis: setup.engine.basis },
    scheduler: s.scheduler,
    router: s.router,
    precision: setup.precision,
    ...(setup.speculative ? { speculative: setup.speculative } : {}),
    ...(setup.closedLoop
      ? { concurrency: setup.closedLoop.concurrency, warmupRequests: setup.closedLoop.warmupRequests }
      : {}),
    requests: setup.requests.length - warmup,
    completed: m.completed,
    durationS: roundTo(m.durationS),
    throughputReqPerS: roundTo(m.throughputReqPerS),
    ...load,
    outputTokensPerS: roundTo(m.outputTokensPerS),
    throughputTokensPerSPerChip: roundTo(m.totalTokensPerS / setup.chips),
    outputTokensPerSPerChip: roundTo(m.outputTokensPerS / setup.chips),
    outputTokensPerSPerUser: roundTo(1 / m.tpotS.p50),
    ttftMs: ms(m.ttftS),
    tpotMs: ms(m.tpotS),
    e2eMs: ms(m.e2eS),
    ...(m.sloAttainment === null
      ? {}
      : { sloAttainment: roundTo(m.sloAttainment, 4), goodputReqPerS: roundTo(m.goodputReqPerS ?? 0) }),
    simulatedEvents: sim.simulatedEvents,
    iterations: sim.iterations,
    kvUtilisation: { mean: roundTo(sim.kvUtilisationMean, 4), max: roundTo(sim.kvUtilisationMax, 4) },
    preemptions: sim.preemptions,
    prefixCacheHitRate: sim.prefixLookups ? roundTo(sim.prefixHits / sim.prefixLookups, 4) : null,
    loraLoads: sim.loraLoads,
    seed: s.seed,
    warnings: [
      ...setup.warnings,
      ...sim.warnings,
      ...(load.overloaded
        ? [
            codedMessage("overloaded", {
              offeredReqPerS: roundTo(load.offeredRateReqPerS, 3),
              servedReqPerS: roundTo(load.servedRateReqPerS, 3),
            }),
          ]
        : []),
    ],
  };
}
