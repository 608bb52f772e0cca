import { assertNever } from "../errors.ts";
import { exponential, gamma, lognormal, type Rng, zipfSampler } from "../random.ts";

/** One request as the simulator sees it (times in seconds from the start of the run). */
export interface SimRequest {
  readonly id: number;
  readonly arrivedAt: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Requests of one prefix group share their first `prefixTokens` prompt tokens (system prompt, few-shot). */
  readonly prefixGroup: number;
  readonly prefixTokens: number;
  /** LoRA adapter id, or −1 for the base model. */
  readonly adapter: number;
}

export type LengthDistribution =
  | { readonly kind: "fixed"; readonly tokens: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "lognormal"; readonly median: number; readonly sigma: number }
  | { readonly kind: "empirical"; readonly values: readonly number[] };

export type ArrivalProcess =
  | { readonly kind: "poisson"; readonly ratePerS: number }
  /** Gamma-distributed gaps with coefficient of variation `cv` (cv > 1 = bursty; cv = 1 is Poisson). */
  | { readonly kind: "gamma"; readonly ratePerS: number; readonly cv: number };

/** Rate multiplier over the day: 1 + (peak/average − 1)·cos(2π(t − peakAt)/period) (a sinusoidal diurnal curve). */
export interface DiurnalCurve {
  readonly peakToAverage: number;
  readonly periodS: number;
  readonly peakAtS: number;
}

export interface WorkloadSpec {
  readonly requests: number;
  readonly arrivals: ArrivalProcess;
  readonly diurnal?: DiurnalCurve | undefined;
  readonly input: LengthDistribution;
  readonly output: LengthDistribution;
  readonly prefix?: { readonly groups: number; readonly tokens: number; readonly fraction: number } | undefined;
  readonly lora?: { readonly adapters: number; readonly zipfS: number; readonly fraction: number } | undefined;
}

export function sampleLength(d: LengthDistribution, rng: Rng): number {
  switch (d.kind) {
    case "fixed":
      return d.tokens;
    case "uniform":
      return Math.round(d.min + rng.next() * (d.max - d.min));
    case "lognormal":
      return Math.max(1, Math.round(lognormal(rng, d.median, d.sigma)));
    case "empirical":
      return d.values[Math.floor(rng.next() * d.values.length)] ?? 1;
    default:
      return assertNever(d);
  }
}

/** Mean of a length distribution (for analytic brackets). */
export function meanLength(d: LengthDistribution): number {
  switch (d.kind) {
    case "fixed":
      return d.tokens;
    case "uniform":
      return (d.min + d.max) / 2;
    case "lognormal":
      return d.median * Math.exp((d.sigma * d.sigma) / 2);
    case "empirical":
      return d.values.reduce((s, x) => s + x, 0) / Math.max(1, d.values.length);
    default:
      return assertNever(d);
  }
}

function nextGap(a: ArrivalProcess, rng: Rng, rateScale: number): number {
  switch (a.kind) {
    case "poisson":
      return exponential(rng, a.ratePerS * rateScale);
    case "gamma": {
      const shape = 1 / (a.cv * a.cv);
      return gamma(rng, shape, 1 / (a.ratePerS * rateScale * shape));
    }
    default:
      return assertNever(a);
  }
}

/**
 * Generates `spec.requests` requests in arrival order. The diurnal curve modulates the rate by thinning-free
 * time scaling: each gap is drawn at the rate in force at the previous arrival.
 */
export function generateRequests(spec: WorkloadSpec, rng: Rng): SimRequest[] {
  const out: SimRequest[] = new Array(spec.requests);
  const zipf = spec.lora ? zipfSampler(spec.lora.adapters, spec.lora.zipfS) : undefined;
  let t = 0;
  for (let i = 0; i < spec.requests; i++) {
    const d = spec.diurnal;
    const scale = d
      ? Math.max(0.01, 1 + (d.peakToAverage - 1) * Math.cos((2 * Math.PI * (t - d.peakAtS)) / d.periodS))
      : 1;
    t += nextGap(spec.arrivals, rng, scale);
    const inPrefix = spec.prefix !== undefined && rng.next() < spec.prefix.fraction;
    const prefixGroup = inPrefix && spec.prefix ? Math.floor(rng.next() * spec.prefix.groups) : -1;
    const prefixTokens = inPrefix && spec.prefix ? spec.prefix.tokens : 0;
    const inputTokens = Math.max(prefixTokens + 1, sampleLength(spec.input, rng) + prefixTokens);
    const adapter = zipf && spec.lora && rng.next() < spec.lora.fraction ? zipf(rng) : -1;
    out[i] = {
      id: i,
      arrivedAt: t,
      inputTokens,
      outputTokens: Math.max(1, sampleLength(spec.output, rng)),
      prefixGroup,
      prefixTokens,
      adapter,
    };
  }
  return out;
}

/** A replayed trace row (CSV/JSONL): arrival time, input and output tokens, optional adapter and prefix ids. */
export interface TraceRow {
  readonly arrivedAt: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly adapter?: number | undefined;
  readonly prefixGroup?: number | undefined;
  readonly prefixTokens?: number | undefined;
}

export function requestsFromTrace(rows: readonly TraceRow[]): SimRequest[] {
  return [...rows]
    .sort((a, b) => a.arrivedAt - b.arrivedAt)
    .map((r, id) => ({
      id,
      arrivedAt: r.arrivedAt,
      inputTokens: r.inputTokens,
      outputTokens: Math.max(1, r.outputTokens),
      prefixGroup: r.prefixGroup ?? -1,
      prefixTokens: r.prefixGroup === undefined ? 0 : Math.min(r.prefixTokens ?? 0, r.inputTokens - 1),
      adapter: r.adapter ?? -1,
    }));
}
