import type { RequestRecords } from "./simulate.ts";

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
}

/** Nearest-rank percentiles of the finite values (docs/metrics.md). */
export function percentiles(values: Float64Array): Percentiles {
  const finite = values.filter(Number.isFinite).sort();
  const at = (q: number) =>
    finite.length ? (finite[Math.min(finite.length - 1, Math.ceil(q * finite.length) - 1)] as number) : Number.NaN;
  let sum = 0;
  for (const v of finite) sum += v;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: finite.length ? sum / finite.length : Number.NaN };
}

export interface ServingMetrics {
  readonly completed: number;
  readonly durationS: number;
  readonly throughputReqPerS: number;
  readonly outputTokensPerS: number;
  /** Input + output tokens of completed requests per second (InferenceX total_token_throughput). */
  readonly totalTokensPerS: number;
  readonly ttftS: Percentiles;
  readonly tpotS: Percentiles;
  readonly e2eS: Percentiles;
  /** Fraction of requests meeting both SLOs (null when no SLO was given). */
  readonly sloAttainment: number | null;
  /** Completed requests per second that met the SLOs. */
  readonly goodputReqPerS: number | null;
}

/**
 * TTFT = first token − arrival; TPOT = (completion − first token) ÷ (output − 1) for outputs of ≥ 2 tokens
 * (vLLM benchmark_serving); E2E = completion − arrival; throughput over the span from the first arrival to the
 * last completion. The first `warmupRequests` requests (by id = issue order) are left out of everything.
 */
export function servingMetrics(
  r: RequestRecords,
  slo?: { ttftS?: number | undefined; tpotS?: number | undefined },
  warmupRequests = 0,
): ServingMetrics {
  const n = r.arrivedAt.length;
  const w = Math.min(n, Math.max(0, warmupRequests));
  const ttft = new Float64Array(n - w);
  const tpot = new Float64Array(n - w).fill(Number.NaN);
  const e2e = new Float64Array(n - w);
  let completed = 0;
  let outputTokens = 0;
  let inputTokens = 0;
  let met = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let i = w; i < n; i++) {
    const arrived = r.arrivedAt[i] as number;
    const done = r.completedAt[i] as number;
    const firstToken = r.firstTokenAt[i] as number;
    const out = r.outputTokens[i] as number;
    const j = i - w;
    ttft[j] = firstToken - arrived;
    e2e[j] = done - arrived;
    if (out > 1) tpot[j] = (done - firstToken) / (out - 1);
    if (Number.isFinite(done)) {
      completed++;
      outputTokens += out;
      inputTokens += r.inputTokens[i] as number;
      if (done > last) last = done;
      const ok =
        (slo?.ttftS === undefined || (ttft[j] as number) <= slo.ttftS) &&
        (slo?.tpotS === undefined || out <= 1 || (tpot[j] as number) <= slo.tpotS);
      if (ok) met++;
    }
    if (arrived < first) first = arrived;
  }
  const durationS = Math.max(last - (Number.isFinite(first) ? first : 0), 1e-9);
  const hasSlo = slo?.ttftS !== undefined || slo?.tpotS !== undefined;
  return {
    completed,
    durationS,
    throughputReqPerS: completed / durationS,
    outputTokensPerS: outputTokens / durationS,
    totalTokensPerS: (inputTokens + outputTokens) / durationS,
    ttftS: percentiles(ttft),
    tpotS: percentiles(tpot),
    e2eS: percentiles(e2e),
    sloAttainment: hasSlo ? met / Math.max(1, n - w) : null,
    goodputReqPerS: hasSlo ? met / durationS : null,
  };
}
