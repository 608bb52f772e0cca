/**
 * Fleet sizing (docs/model.md §4.3): the smallest fleet of identical replicas that meets TTFT/TPOT SLOs at P99.
 * For each layout (TP, max concurrent sequences) the analytic model brackets a replica's capacity, the DES finds
 * the highest per-replica rate that still meets the SLOs (bisection), and replicas = ⌈peak rate ÷ that⌉ + N+k
 * headroom. A fleet behind a router is composed of identical replicas, so one representative replica is simulated
 * at its share of the traffic; `compositionCheck` measures the error of that against a full simulation.
 * Pure: takes the resolved replica (architecture, chip, efficiency, precisions); prices are the caller's.
 */
import type { Accelerator } from "../hardware/accelerator.ts";
import type { Architecture } from "../model/architecture.ts";
import type { ComputePrecision, StoragePrecision } from "../model/precision.ts";
import type { InfeasibleReason } from "../perf/derivation.ts";
import { estimateInference, type InferenceEfficiency, replicaCostModel } from "../perf/inference.ts";
import { createRng } from "../random.ts";
import { servingMetrics } from "../serve/metrics.ts";
import { type ClusterConfig, simulateCluster } from "../serve/simulate.ts";
import { generateRequests } from "../serve/workload.ts";
import { replicaInput, servingTpCandidates } from "./inference.ts";

/** Concurrency caps (vLLM max_num_seqs) a fleet layout may use. */
export const FLEET_MAX_SEQS_OPTIONS = [16, 32, 64, 128, 256] as const;

/** Bisection steps on the per-replica rate (2⁻⁷ of the analytic ceiling: < 1% of it). */
const BISECTION_STEPS = 7;

export interface FleetCandidate {
  readonly tp: number;
  readonly maxSeqs: number;
  /** Highest arrival rate per replica meeting both P99 SLOs in the DES. */
  readonly rateReqPerS: number;
  readonly p99TtftMs: number;
  readonly p99TpotMs: number;
  readonly replicas: number;
  readonly chips: number;
  readonly desRuns: number;
}

export interface FleetSpec {
  readonly architecture: Architecture;
  readonly chip: Accelerator;
  readonly efficiency: InferenceEfficiency;
  readonly weightPrecision: StoragePrecision;
  readonly kvPrecision: StoragePrecision;
  readonly computePrecision: ComputePrecision;
  /** Fixed tensor-parallel degree; default: every serving TP degree inside the scale-up domain. */
  readonly tp?: number | undefined;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly sloTtftS: number;
  /** Infinity: only TTFT constrains the fleet. */
  readonly sloTpotS: number;
  /** Peak-hour arrival rate the fleet must carry, requests/s. */
  readonly peakRateReqPerS: number;
  /** N+k: spare replicas beyond what the peak needs. */
  readonly headroomReplicas: number;
  /** Requests per DES confirmation run. */
  readonly simRequests: number;
  readonly seed: number;
}

export interface FleetSizing {
  /** The fewest chips (then the highest per-replica rate); undefined when no layout meets the SLOs. */
  readonly chosen: FleetCandidate | undefined;
  readonly candidates: readonly FleetCandidate[];
  readonly desRuns: number;
  /** Why layouts were dropped (weights do not fit, one request already misses the SLO). */
  readonly reasons: readonly InfeasibleReason[];
}

/** Searches TP × max concurrent sequences for the smallest fleet meeting the P99 SLOs (docs/model.md §4.3). */
export function sizeFleet(s: FleetSpec, onProgress?: (fraction: number) => void): FleetSizing {
  const a = s.architecture;
  const domain = Math.max(1, s.chip.scaleUpDomain ?? 1);
  const tps = s.tp ? [s.tp] : servingTpCandidates(a.heads, domain);
  const slo = { ttftS: s.sloTtftS, tpotS: s.sloTpotS };
  const candidates: FleetCandidate[] = [];
  let desRuns = 0;
  const reasons: InfeasibleReason[] = [];
  const layouts = tps.length * FLEET_MAX_SEQS_OPTIONS.length;
  for (const [tpIndex, tp] of tps.entries()) {
    const replica = replicaInput({
      architecture: a,
      chip: s.chip,
      efficiency: s.efficiency,
      tp,
      weightPrecision: s.weightPrecision,
      kvPrecision: s.kvPrecision,
      computePrecision: s.computePrecision,
    });
    const cost = replicaCostModel(replica);
    if (!cost.feasible) {
      reasons.push({ code: "weights-exceed-memory", params: { tp }, message: `tp ${tp}: ${cost.reason}` });
      continue;
    }
    const workload = { inputTokens: s.inputTokens, outputTokens: s.outputTokens, extraPrefillTokens: 0 };
    for (const [seqIndex, maxSeqs] of FLEET_MAX_SEQS_OPTIONS.entries()) {
      onProgress?.((tpIndex * FLEET_MAX_SEQS_OPTIONS.length + seqIndex) / layouts);
      // Analytic bracket: throughput at this concurrency (or the KV limit) is the replica's ceiling.
      const analytic = estimateInference({ ...replica, ...workload, batch: maxSeqs, maxBatchLimit: maxSeqs });
      const batch = Math.min(maxSeqs, Math.max(1, analytic.maxBatch));
      const ceiling = estimateInference({ ...replica, ...workload, batch });
      if (!ceiling.feasible) continue;
      const single = estimateInference({ ...replica, ...workload, batch: 1 });
      if (single.tpotS > slo.tpotS || single.ttftS > slo.ttftS) {
        reasons.push({
          code: "slo-missed-at-batch-1",
          params: { tp, ttftMs: single.ttftS * 1e3, tpotMs: single.tpotS * 1e3 },
          message: `tp ${tp}: even one request misses the SLO (TTFT ${(single.ttftS * 1e3).toFixed(0)} ms, TPOT ${(single.tpotS * 1e3).toFixed(1)} ms)`,
        });
        break;
      }
      const cluster: ClusterConfig = {
        replicas: 1,
        router: "round-robin",
        replica: {
          cost,
          maxBatchedTokens: 2048,
          maxSeqs,
          watermark: 0.01,
          scheduler: "chunked",
          prefixCacheTokens: 0,
          loraSlots: 0,
          loraLoadS: 0,
        },
      };
      const meets = (rate: number) => {
        desRuns++;
        const requests = generateRequests(
          {
            requests: s.simRequests,
            arrivals: { kind: "poisson", ratePerS: rate },
            input: { kind: "fixed", tokens: s.inputTokens },
            output: { kind: "fixed", tokens: s.outputTokens },
          },
          createRng(s.seed),
        );
        const m = servingMetrics(simulateCluster(requests, cluster, { rng: createRng(s.seed + 1) }).records);
        return { ok: m.ttftS.p99 <= slo.ttftS && m.tpotS.p99 <= slo.tpotS, ttft: m.ttftS.p99, tpot: m.tpotS.p99 };
      };
      // Bisection on the per-replica rate between 0 and the analytic ceiling (in requests per second).
      let hi = (ceiling.outputTokensPerS / s.outputTokens) * 1.05;
      let lo = 0;
      let best = { ok: false, ttft: Number.NaN, tpot: Number.NaN };
      for (let i = 0; i < BISECTION_STEPS; i++) {
        const mid = (lo + hi) / 2;
        const r = meets(mid);
        if (r.ok) {
          lo = mid;
          best = r;
        } else hi = mid;
      }
      if (lo <= 0) continue;
      const replicas = Math.ceil(s.peakRateReqPerS / lo) + s.headroomReplicas;
      candidates.push({
        tp,
        maxSeqs,
        rateReqPerS: lo,
        p99TtftMs: best.ttft * 1e3,
        p99TpotMs: best.tpot * 1e3,
        replicas,
        chips: replicas * tp,
        desRuns,
      });
    }
  }
  const chosen = [...candidates].sort((x, y) => x.chips - y.chips || y.rateReqPerS - x.rateReqPerS)[0];
  return { chosen, candidates, desRuns, reasons };
}

/**
 * Composition error: a full simulation of `replicas` replicas behind a router vs one replica at 1/replicas of the
 * traffic, on p99 TTFT/TPOT and throughput. Measured at small scale to justify fleet-scale composition.
 */
export function compositionCheck(
  cluster: ClusterConfig,
  ratePerS: number,
  requests: number,
  inputTokens: number,
  outputTokens: number,
  seed: number,
) {
  const spec = (n: number, rate: number) => ({
    requests: n,
    arrivals: { kind: "poisson" as const, ratePerS: rate },
    input: { kind: "fixed" as const, tokens: inputTokens },
    output: { kind: "fixed" as const, tokens: outputTokens },
  });
  const full = servingMetrics(
    simulateCluster(generateRequests(spec(requests, ratePerS), createRng(seed)), cluster, { rng: createRng(seed + 1) })
      .records,
  );
  const one = servingMetrics(
    simulateCluster(
      generateRequests(spec(Math.ceil(requests / cluster.replicas), ratePerS / cluster.replicas), createRng(seed)),
      { ...cluster, replicas: 1 },
      { rng: createRng(seed + 1) },
    ).records,
  );
  return {
    p99TtftRatio: one.ttftS.p99 / full.ttftS.p99,
    p99TpotRatio: one.tpotS.p99 / full.tpotS.p99,
    throughputRatio: (one.outputTokensPerS * cluster.replicas) / full.outputTokensPerS,
  };
}
