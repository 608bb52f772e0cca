/**
 * The claims checker (`flopcast claims`). Claims are data files (packages/catalog/data/claims/*.json): inputs
 * (labelled assumptions with sources), quantities computed by arithmetic expressions over the catalog and the
 * estimators, the published value, a verdict rule and an explanation template. This module only evaluates them:
 * expressions are parsed by jsep and evaluated over a whitelist of functions (no eval, no code per claim).
 */
import {
  type ClaimFile,
  catalog,
  claimFiles,
  inferenceEfficiencyFor,
  purchasePrice,
  rentalPrice,
  requireAccelerator,
  requireModel,
  toAccelerator,
  trainingEfficiencyFor,
} from "@flopcast/catalog";
import {
  type ComputePrecision,
  estimateInference,
  estimateTraining,
  FLOP_PER_PF_DAY,
  INFERENCE_ASSUMPTIONS,
  paramBreakdown,
  SECONDS_PER_DAY,
  type StoragePrecision,
  speculativeSpeedup,
} from "@flopcast/core";
import jsep from "jsep";
import { loraPooling } from "./experiments.ts";
import { resolveComputePrecision } from "./infer-plan.ts";

const SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY;

type Value = number | string;

const model = requireModel;
const hw = requireAccelerator;

export class ClaimError extends Error {}

/** Serving throughput per chip (analytic) at a batch, on tp chips. */
function tokensPerSPerChip(
  modelId: string,
  hwId: string,
  precision: string,
  tp: number,
  input: number,
  output: number,
  batch: number,
): number {
  const h = hw(hwId);
  const chip = toAccelerator(h);
  const weights = precision as StoragePrecision;
  const e = estimateInference({
    architecture: model(modelId).architecture,
    chip,
    chips: tp,
    tp,
    pp: 1,
    ep: tp,
    weightPrecision: weights,
    kvPrecision: weights,
    computePrecision: resolveComputePrecision(chip, weights).precision,
    inputTokens: input,
    outputTokens: output,
    batch: batch > 0 ? batch : "max",
    extraPrefillTokens: 0,
    usableMemoryFraction: INFERENCE_ASSUMPTIONS.usableMemoryFraction,
    efficiency: inferenceEfficiencyFor(h),
  });
  return e.feasible ? e.outputTokensPerSPerChip : 0;
}

/** Frontier training compute per year from the catalog's models (6·N·D with their stated tokens), OLS on log2. */
function doublingMonths(fromYear: number, toYear: number, wantInterval: number): number {
  const byYear = new Map<number, number>();
  for (const m of catalog().models.values()) {
    if (!m.trainingTokens || m.year < fromYear || m.year > toYear) continue;
    const flops = 6 * paramBreakdown(m.architecture).active * m.trainingTokens.value;
    byYear.set(m.year, Math.max(byYear.get(m.year) ?? 0, flops));
  }
  const pts = [...byYear.entries()].map(([x, f]) => [x, Math.log2(f)] as const);
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p[0], 0) / n;
  const my = pts.reduce((s, p) => s + p[1], 0) / n;
  const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const slope = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx; // doublings per year
  const residual = pts.reduce((s, p) => s + (p[1] - (my + slope * (p[0] - mx))) ** 2, 0);
  const se = Math.sqrt(residual / Math.max(1, n - 2) / sxx);
  // wantInterval: 0 = point estimate, −1 = lower end (slope + 2 SE), +1 = upper end (slope − 2 SE) of the doubling time.
  return 12 / (slope - wantInterval * 2 * se);
}

/** The functions a claim's expressions may call (units in their names or docs/claims.md). */
const FUNCTIONS: Record<string, (...args: Value[]) => number> = {
  params: (m) => paramBreakdown(model(String(m)).architecture).total,
  paramsActive: (m) => paramBreakdown(model(String(m)).architecture).active,
  flops6nd: (m, tokens) => 6 * paramBreakdown(model(String(m)).architecture).active * Number(tokens),
  pfDays: (m, tokens) => (6 * paramBreakdown(model(String(m)).architecture).active * Number(tokens)) / FLOP_PER_PF_DAY,
  /** Dense peak, FLOP/s (int8: OP/s); 0 when the chip lacks the precision. */
  peak: (h, p) => toAccelerator(hw(String(h))).peak[String(p) as ComputePrecision] ?? 0,
  memoryGb: (h) => (toAccelerator(hw(String(h))).memory ?? 0) / 1e9,
  tdpW: (h) => toAccelerator(hw(String(h))).tdp ?? 0,
  /** Purchase price per chip incl. server and network share at a date (the one price method), USD. */
  priceUsd: (h, date = "2026-11-23") => purchasePrice(String(h), String(date))?.capexUsdPerChip ?? Number.NaN,
  /** Market-median rental price at a date, USD per chip-hour (`rentUsdPerHourLow`/`High`: the range). */
  rentUsdPerHour: (h, date = "2026-11-23") => rentalPrice(String(h), String(date))?.median ?? Number.NaN,
  rentUsdPerHourLow: (h, date = "2026-11-23") => rentalPrice(String(h), String(date))?.low ?? Number.NaN,
  rentUsdPerHourHigh: (h, date = "2026-11-23") => rentalPrice(String(h), String(date))?.high ?? Number.NaN,
  /** Predicted MFU for training `m` on `chips` × `h` (layout searched). */
  trainMfu: (m, h, chips, seqLen, batchTokens) => {
    const f = hw(String(h));
    const e = estimateTraining(
      {
        architecture: model(String(m)).architecture,
        trainingTokens: 1e9,
        seqLen: Number(seqLen),
        globalBatchTokens: Number(batchTokens),
        microBatch: 1,
        precision: toAccelerator(f).peak.bf16 ? "bf16" : "fp16",
        sequenceParallel: true,
        ppInterleave: 1,
        zero: 1,
        goodput: 1,
      },
      { chip: toAccelerator(f), chips: Number(chips), efficiency: trainingEfficiencyFor(f), powerFraction: 1, pue: 1 },
    );
    return e.cluster?.mfu ?? Number.NaN;
  },
  tokensPerSPerChip: (m, h, precision, tp, input, output, batch) =>
    tokensPerSPerChip(
      String(m),
      String(h),
      String(precision),
      Number(tp),
      Number(input),
      Number(output),
      Number(batch),
    ),
  specSpeedup: (k, alpha, c) => speculativeSpeedup(Number(k), Number(alpha), Number(c)),
  /** Cost per token of one multi-LoRA replica ÷ N dedicated replicas at the same traffic (DES). */
  loraPoolCostRatio: (m, h, adapters, rate) => {
    const r = loraPooling(
      {
        architecture: model(String(m)).architecture,
        hardware: hw(String(h)),
        inputTokens: 512,
        outputTokens: 256,
        today: "2026-11-23",
      },
      Number(adapters),
      Number(rate),
      0.0027,
    );
    return r.pooled.usdPerMillionTokens / r.dedicated.usdPerMillionTokens;
  },
  doublingMonths: (from, to) => doublingMonths(Number(from), Number(to), 0),
  doublingMonthsLow: (from, to) => doublingMonths(Number(from), Number(to), -1),
  doublingMonthsHigh: (from, to) => doublingMonths(Number(from), Number(to), 1),
  min: (...xs) => Math.min(...xs.map(Number)),
  max: (...xs) => Math.max(...xs.map(Number)),
  pow: (a, b) => Number(a) ** Number(b),
  ceil: (a) => Math.ceil(Number(a)),
};

const CONSTANTS: Record<string, number> = {
  DAY: SECONDS_PER_DAY,
  YEAR: SECONDS_PER_YEAR,
  HOUR: 3600,
  PF_DAY: FLOP_PER_PF_DAY,
  TERA: 1e12,
  GIGA: 1e9,
  MEGA: 1e6,
};

function evaluate(node: jsep.Expression, scope: Record<string, Value>): Value {
  switch (node.type) {
    case "Literal":
      return (node as jsep.Literal).value as Value;
    case "Identifier": {
      const name = (node as jsep.Identifier).name;
      if (name in scope) return scope[name] as Value;
      if (name in CONSTANTS) return CONSTANTS[name] as number;
      throw new ClaimError(`unknown name ${name}`);
    }
    case "UnaryExpression": {
      const u = node as jsep.UnaryExpression;
      if (u.operator !== "-") throw new ClaimError(`operator ${u.operator} not allowed`);
      return -Number(evaluate(u.argument, scope));
    }
    case "BinaryExpression": {
      const b = node as jsep.BinaryExpression;
      const l = Number(evaluate(b.left, scope));
      const r = Number(evaluate(b.right, scope));
      switch (b.operator) {
        case "+":
          return l + r;
        case "-":
          return l - r;
        case "*":
          return l * r;
        case "/":
          return l / r;
        default:
          throw new ClaimError(`operator ${b.operator} not allowed (use pow(a, b))`);
      }
    }
    case "CallExpression": {
      const c = node as jsep.CallExpression;
      const name = (c.callee as jsep.Identifier).name;
      const fn = FUNCTIONS[name];
      if (!fn) throw new ClaimError(`unknown function ${name}`);
      return fn(...c.arguments.map((a) => evaluate(a, scope)));
    }
    default:
      throw new ClaimError(`expression of type ${node.type} not allowed`);
  }
}

export interface ClaimResult {
  readonly id: string;
  readonly source: string;
  readonly claim: string;
  readonly published: number | null;
  readonly reproduced: number;
  readonly unit: string;
  readonly verdict: "holds" | "off" | "unverifiable";
  readonly explanation: string;
  readonly quantities: readonly { name: string; label: string; value: number; unit: string; expression: string }[];
  readonly assumptions: readonly { name: string; value: number | string; unit?: string | undefined; basis: string }[];
}

const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return x.toExponential(3);
  return x.toLocaleString("en-US", { maximumSignificantDigits: 4 });
};

/** Evaluates one claim file. */
export function checkClaim(c: ClaimFile): ClaimResult {
  const scope: Record<string, Value> = {};
  for (const a of c.assumptions) scope[a.name] = a.value;
  const quantities: ClaimResult["quantities"][number][] = [];
  for (const q of c.quantities) {
    const value = Number(evaluate(jsep(q.expression), scope));
    scope[q.name] = value;
    quantities.push({ name: q.name, label: q.label, value, unit: q.unit, expression: q.expression });
  }
  const reproducedQ = quantities.find((q) => q.name === c.reproduced);
  if (!reproducedQ) throw new ClaimError(`${c.id}: no quantity named ${c.reproduced}`);
  const reproduced = reproducedQ.value;
  const v = c.verdict;
  let verdict: ClaimResult["verdict"];
  if (v.kind === "fixed") verdict = v.verdict;
  else if (v.kind === "compare")
    verdict =
      c.published.value !== null && Math.abs(reproduced / c.published.value - 1) <= v.tolerance ? "holds" : "off";
  else {
    const x = Number(scope[v.quantity]);
    verdict = x >= (v.min ?? Number.NEGATIVE_INFINITY) && x <= (v.max ?? Number.POSITIVE_INFINITY) ? "holds" : "off";
  }
  const explanation = c.explanation.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "published") return c.published.value === null ? "—" : fmt(c.published.value);
    if (name === "ratio") return c.published.value ? fmt(reproduced / c.published.value) : "—";
    const val = scope[name];
    return typeof val === "number" ? fmt(val) : String(val ?? `{${name}}`);
  });
  return {
    id: c.id,
    source: c.source,
    claim: c.claim,
    published: c.published.value,
    reproduced,
    unit: reproducedQ.unit,
    verdict,
    explanation,
    quantities,
    assumptions: c.assumptions,
  };
}

export function checkAllClaims(): ClaimResult[] {
  return claimFiles().map(checkClaim);
}
