/**
 * `serve`: validated scenario + resolved catalog records → a replica cost model from the inference step
 * model → the discrete-event simulation → the JSON result of CONTRACT.md. I/O (trace files, CSV, progress)
 * stays in the CLI: the trace arrives as rows and progress as a callback.
 */
import { type AcceleratorFile, inferenceEfficiencyFor, toAccelerator } from "@flopcast/catalog";
import {
  type ClusterConfig,
  createRng,
  defaultPrecision,
  generateRequests,
  INFERENCE_ASSUMPTIONS,
  type LengthDistribution,
  loraAdapterBytes,
  PCIE_GEN4_X16_BYTES_PER_S,
  type Problem,
  replicaCostModel,
  requestsFromTrace,
  type SimRequest,
  type SimulationResult,
  type StoragePrecision,
  scaleOutBandwidthOf,
  servingMetrics,
  simulateCluster,
  type TraceRow,
} from "@flopcast/core";
import { type ModelSubject, missingChipData } from "./catalog-views.ts";
import { defaultKvPrecision, resolveComputePrecision, speculativeOf } from "./infer-plan.ts";
import { roundTo } from "./numbers.ts";
import type { ServeScenario } from "./scenario.ts";

const MS = 1e3;
const ms = (p: { p50: number; p90: number; p99: number; mean: number }) => ({
  p50: roundTo(p.p50 * MS),
  p90: roundTo(p.p90 * MS),
  p99: roundTo(p.p99 * MS),
  mean: roundTo(p.mean * MS),
});

export interface ServeSetup {
  readonly cluster: ClusterConfig;
  readonly requests: SimRequest[];
  readonly chipsPerReplica: number;
  readonly replicas: number;
  readonly precision: { weights: StoragePrecision; kvCache: StoragePrecision; compute: string };
  readonly warnings: string[];
}

/** Builds the simulated cluster and the request stream; problems when the layout cannot serve the model. */
export function setupServe(
  s: ServeScenario,
  model: ModelSubject,
  hardware: AcceleratorFile,
  opts: { trace?: readonly TraceRow[]; draft?: ModelSubject },
): { ok: true; setup: ServeSetup } | { ok: false; problems: Problem[] } {
  const chip = toAccelerator(hardware);
  const a = model.architecture;
  const weights: StoragePrecision = s.precision ?? defaultPrecision(chip);
  const kv: StoragePrecision = s.kvPrecision ?? defaultKvPrecision(chip, weights);
  const { precision: compute, warning } = resolveComputePrecision(chip, weights, s.activationPrecision);
  const missing = missingChipData(hardware, compute);
  if (missing.length) return { ok: false, problems: missing };
  const warnings = warning ? [warning] : [];
  const disagg = s.prefillReplicas !== undefined && s.decodeReplicas !== undefined;
  const replicas = disagg
    ? (s.prefillReplicas ?? 0) + (s.decodeReplicas ?? 0)
    : (s.replicas ?? Math.max(1, Math.floor(s.chips / (s.tp ?? Math.min(s.chips, chip.scaleUpDomain ?? 1)) / s.pp)));
  const perReplica =
    s.replicas !== undefined || disagg
      ? Math.max(1, Math.floor(s.chips / replicas))
      : (s.tp ?? Math.min(s.chips, chip.scaleUpDomain ?? 1)) * s.pp;
  const tp = s.tp ?? Math.max(1, Math.floor(perReplica / s.pp));
  const problems: Problem[] = [];
  if (tp * s.pp * replicas > s.chips)
    problems.push({
      path: "chips",
      message: `${replicas} replicas × tp ${tp} × pp ${s.pp} need ${replicas * tp * s.pp} chips, have ${s.chips}`,
    });
  if (a.heads % tp !== 0)
    problems.push({ path: "tp", message: `tp ${tp} does not divide the ${a.heads} attention heads` });
  if (problems.length) return { ok: false, problems };
  const speculative = speculativeOf(s, opts.draft);
  const cost = replicaCostModel({
    architecture: a,
    chip,
    chips: tp * s.pp,
    tp,
    pp: s.pp,
    ep: s.ep ?? tp * s.pp,
    weightPrecision: weights,
    kvPrecision: kv,
    computePrecision: compute,
    usableMemoryFraction: s.usableMemoryFraction,
    efficiency: inferenceEfficiencyFor(hardware),
    speculative,
    moeImbalance: s.moeImbalance,
  });
  if (!cost.feasible)
    return {
      ok: false,
      problems: [
        {
          path: "hardware",
          message: `the model does not fit a replica of ${tp * s.pp} × ${chip.id}: ${cost.reason}`,
          hint: "raise --tp, lower --precision, or pick a chip with more memory",
        },
      ],
    };
  const input: LengthDistribution = s.inputDist ?? { kind: "fixed", tokens: s.inputTokens };
  const output: LengthDistribution = s.outputDist ?? { kind: "fixed", tokens: s.outputTokens };
  const rng = createRng(s.seed);
  const rate = s.rate ?? 1;
  const count = s.requests ?? Math.max(1, Math.round(rate * (s.duration ?? 0)));
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
              ? { groups: s.prefixGroups, tokens: s.prefixTokens, fraction: s.prefixFraction }
              : undefined,
          lora: s.loraAdapters ? { adapters: s.loraAdapters, zipfS: s.loraZipf, fraction: s.loraFraction } : undefined,
        },
        rng,
      );
  const usesPrefix = requests.some((r) => r.prefixGroup >= 0);
  const usesLora = requests.some((r) => r.adapter >= 0);
  const loraLoadS = loraAdapterBytes(a, s.loraRank) / PCIE_GEN4_X16_BYTES_PER_S;
  const cluster: ClusterConfig = {
    replicas,
    router: s.router,
    replica: {
      cost,
      maxBatchedTokens:
        s.maxBatchedTokens ?? (s.scheduler === "chunked" ? 2048 : INFERENCE_ASSUMPTIONS.maxBatchedTokens),
      maxSeqs: s.maxSeqs,
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
    },
    disaggregated: disagg
      ? {
          prefillReplicas: s.prefillReplicas ?? 1,
          decodeReplicas: s.decodeReplicas ?? 1,
          kvTransferBytesPerS: scaleOutBandwidthOf(chip) * tp * s.pp * INFERENCE_ASSUMPTIONS.linkEfficiency,
        }
      : undefined,
  };
  return {
    ok: true,
    setup: {
      cluster,
      requests,
      chipsPerReplica: tp * s.pp,
      replicas,
      precision: { weights, kvCache: kv, compute },
      warnings,
    },
  };
}

export function runServe(s: ServeScenario, setup: ServeSetup, onProgress?: (fraction: number) => void, trace = false) {
  const sim = simulateCluster(setup.requests, setup.cluster, { rng: createRng(s.seed + 1), onProgress, trace });
  return { sim, result: serveResult(s, setup, sim) };
}

function serveResult(s: ServeScenario, setup: ServeSetup, sim: SimulationResult) {
  const m = servingMetrics(sim.records, {
    ttftS: s.sloTtftMs === undefined ? undefined : s.sloTtftMs / MS,
    tpotS: s.sloTpotMs === undefined ? undefined : s.sloTpotMs / MS,
  });
  return {
    model: s.model,
    hardware: s.hardware,
    chips: setup.replicas * setup.chipsPerReplica,
    replicas: setup.replicas,
    chipsPerReplica: setup.chipsPerReplica,
    scheduler: s.scheduler,
    router: s.router,
    precision: setup.precision,
    requests: setup.requests.length,
    completed: m.completed,
    durationS: roundTo(m.durationS),
    throughputReqPerS: roundTo(m.throughputReqPerS),
    outputTokensPerS: roundTo(m.outputTokensPerS),
    outputTokensPerSPerChip: roundTo(m.outputTokensPerS / (setup.replicas * setup.chipsPerReplica)),
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
    warnings: [...setup.warnings, ...sim.warnings],
  };
}
