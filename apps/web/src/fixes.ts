/**
 * One-click fixes for an infeasible plan, derived from the result's reason codes (exceeds memory → ZeRO 3, full
 * recompute, fp8, more chips; batch over the KV cache → the largest batch that fits; …). Each candidate is a change
 * of scenario keys; `verifiedFixes` re-runs the estimate with it and keeps the ones that make the plan feasible, so
 * a button never promises a fix the engine does not confirm.
 */
import { findAccelerator, toAccelerator } from "@flopcast/catalog";

export type Params = Record<string, string>;

export interface Fix {
  /** Button text, e.g. "ZeRO 3". */
  readonly label: string;
  /** Keys to set; an empty string removes the key (lets the planner choose). */
  readonly patch: Params;
  /** Larger versions of the same change, tried in order when `patch` is not enough (more and more chips). */
  readonly ladder?: readonly Params[];
}

export interface VerifiedFix extends Fix {
  /** What the fixed plan gives, in words ("fits: 41.2 days"). */
  readonly outcome: string;
}

interface ReasonLike {
  readonly code?: string;
  readonly message?: string;
  readonly requiredBytes?: number;
  readonly availableBytes?: number;
}

const num = (s: string | undefined, fallback: number) => {
  const x = Number(s);
  return s !== undefined && s !== "" && Number.isFinite(x) ? x : fallback;
};

/** Whether the chip runs this precision natively (catalog capability), so an fp8 suggestion is real. */
function native(hardware: string | undefined, precision: "fp8"): boolean {
  if (!hardware) return false;
  const h = findAccelerator(hardware);
  return h.ok && toAccelerator(h.value).peak[precision] !== null;
}

/** Chips rounded up to a multiple of 8 (a node), at least double the current count. */
const moreChips = (chips: number, factor: number) => Math.max(chips * 2, Math.ceil((chips * factor) / 8) * 8);

/** A chip count and its doublings (up to 64×), each as a patch made by `patch`. */
function chipLadder(start: number, patch: (chips: number) => Params): Fix {
  const steps = Array.from({ length: 7 }, (_, i) => patch(start * 2 ** i));
  return { label: "more chips", patch: steps[0] ?? {}, ladder: steps.slice(1) };
}

function scaleUpDomain(hardware: string | undefined): number {
  const h = hardware ? findAccelerator(hardware) : undefined;
  return h?.ok ? Math.max(1, toAccelerator(h.value).scaleUpDomain ?? 1) : 1;
}

/** Candidate fixes for a training plan's reasons. */
export function trainFixes(params: Params, reasons: readonly ReasonLike[]): Fix[] {
  const fixes: Fix[] = [];
  const codes = new Set(reasons.map((r) => r.code));
  const chips = num(params.chips, 1);
  const fixedLayout = ["tp", "pp", "dp"].some((k) => params[k]);
  if (codes.has("layout") || codes.has("tp-heads") || codes.has("too-many-stages") || (fixedLayout && codes.size))
    fixes.push({ label: "let the planner choose tp/pp/dp", patch: { tp: "", pp: "", dp: "" } });
  if (codes.has("exceeds-memory")) {
    if (num(params.zero, 1) < 3) fixes.push({ label: "ZeRO 3", patch: { zero: "3" } });
    if (params.recompute !== "full") fixes.push({ label: "full recompute", patch: { recompute: "full" } });
    if (params.precision !== "fp8" && native(params.hardware, "fp8"))
      fixes.push({ label: "fp8", patch: { precision: "fp8" } });
    const r = reasons.find((x) => x.code === "exceeds-memory");
    const factor = r?.requiredBytes && r.availableBytes ? r.requiredBytes / r.availableBytes : 2;
    fixes.push(chipLadder(moreChips(chips, factor), (n) => ({ chips: String(n) })));
  }
  if (codes.has("batch-too-small")) {
    fixes.push({ label: "fewer chips", patch: { chips: String(Math.max(1, Math.floor(chips / 2))), dp: "" } });
  }
  return fixes;
}

/** Candidate fixes for an inference plan's reasons. */
export function inferFixes(params: Params, reasons: readonly ReasonLike[], maxBatch?: number): Fix[] {
  const fixes: Fix[] = [];
  const codes = new Set(reasons.map((r) => r.code));
  const chips = num(params.chips, 1);
  const memory = reasons.find((x) => x.code === "weights-exceed-memory" || x.code === "kv-exceeds-memory");
  if (codes.has("batch-exceeds-kv") && maxBatch && maxBatch >= 1)
    fixes.push({ label: `batch ${maxBatch} (largest that fits)`, patch: { batch: String(maxBatch) } });
  if (codes.has("weights-exceed-memory")) {
    if (!["fp8", "int8", "int4", "fp4"].includes(params.precision ?? "") && native(params.hardware, "fp8"))
      fixes.push({ label: "fp8 weights", patch: { precision: "fp8" } });
    if (params.precision !== "int4") fixes.push({ label: "int4 weights", patch: { precision: "int4" } });
  }
  if (codes.has("kv-exceeds-memory") || codes.has("batch-exceeds-kv")) {
    if (params.kvPrecision !== "fp8" && native(params.hardware, "fp8"))
      fixes.push({ label: "fp8 KV cache", patch: { kvPrecision: "fp8" } });
  }
  if (memory || codes.has("batch-exceeds-kv")) {
    const factor = memory?.requiredBytes && memory.availableBytes ? memory.requiredBytes / memory.availableBytes : 2;
    // One replica spans the chips: tp up to the scale-up domain, pipeline stages for the rest.
    const domain = scaleUpDomain(params.hardware);
    fixes.push(
      chipLadder(moreChips(chips, factor), (n) => {
        const tp = Math.min(n, domain);
        return { chips: String(n), tp: String(tp), pp: String(Math.max(1, Math.floor(n / tp))) };
      }),
    );
  }
  return fixes;
}

/**
 * Candidate fixes for a fleet that meets no SLO, from its reasons' codes: smaller weights when they do not fit,
 * looser SLOs when latency is the limit. Fleet sizing runs in a worker, so these are not verified.
 */
export function fleetFixes(params: Params, reasons: readonly ReasonLike[]): Fix[] {
  const fixes: Fix[] = [];
  const memory = reasons.some((r) => r.code === "weights-exceed-memory" || r.code === "kv-exceeds-memory");
  const latency =
    reasons.some((r) => r.code === "slo-missed-at-batch-1" || r.code === "no-layout-meets-slo") || !memory;
  const quantized = ["fp8", "int8", "int4", "fp4"].includes(params.precision ?? "");
  if (!quantized && native(params.hardware, "fp8")) fixes.push({ label: "fp8 weights", patch: { precision: "fp8" } });
  if (memory && params.precision !== "int4") fixes.push({ label: "int4 weights", patch: { precision: "int4" } });
  if (latency && params.sloTpotMs)
    fixes.push({ label: "TPOT SLO ×2", patch: { sloTpotMs: String(num(params.sloTpotMs, 50) * 2) } });
  if (latency && params.sloTtftMs)
    fixes.push({ label: "TTFT SLO ×2", patch: { sloTtftMs: String(num(params.sloTtftMs, 1000) * 2) } });
  return fixes;
}

/** Applies a fix: keys with "" are removed. */
export function applyFix(params: Params, fix: Fix): Params {
  const out: Params = { ...params };
  for (const [k, v] of Object.entries(fix.patch)) {
    if (v === "") delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Re-runs each candidate (`evaluate` returns the outcome in words when the fixed plan is feasible, else null) and
 * keeps those that work; a ladder is climbed until a step works.
 */
export function verifiedFixes(
  params: Params,
  candidates: readonly Fix[],
  evaluate: (p: Params) => string | null,
): VerifiedFix[] {
  const out: VerifiedFix[] = [];
  for (const c of candidates) {
    for (const patch of [c.patch, ...(c.ladder ?? [])]) {
      const outcome = evaluate(applyFix(params, { label: c.label, patch }));
      if (outcome === null) continue;
      const chips = patch.chips && patch.chips !== params.chips ? `${patch.chips} chips` : undefined;
      out.push({ label: chips ?? c.label, patch, outcome });
      break;
    }
  }
  return out;
}
