/**
 * The claims checker (`flopcast claims`). Claims are data files (packages/catalog/data/claims/*.json): inputs
 * (labelled assumptions with sources), quantities computed by arithmetic expressions over the catalog and the
 * estimators, the published value, a verdict rule and an explanation template. This module only evaluates them:
 * expressions are parsed by jsep and evaluated over a whitelist of functions (no eval, no code per claim).
 */

import {
  type ClaimFile,
  purchasePrice as catalogPurchasePrice,
  claimFiles,
  inferenceEfficiencyFor,
  type PriceBasis,
  rentalPrice,
  requireAccelerator,
  requireModel,
  toAccelerator,
  trainingEfficiencyFor,
} from "@flopcast/catalog";
import {
  type ComputePrecision,
  defaultPrecision,
  estimateInference,
  FLOP_PER_PF_DAY,
  kvBytesPerToken,
  paramBreakdown,
  planTrainingRun,
  replicaInput,
  SECONDS_PER_DAY,
  type StoragePrecision,
  speculativeSpeedup,
} from "@flopcast/core";
import jsep from "jsep";
import { DEFAULT_SCENARIO_DATE } from "./context.ts";
import { ownedChipHour } from "./cost-inputs.ts";
import { loraPooling } from "./experiments.ts";
import { formatSignificant } from "./format.ts";
import { computeTrend, TrendsScenario } from "./trends.ts";

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
    ...replicaInput({
      architecture: model(modelId).architecture,
      chip,
      efficiency: inferenceEfficiencyFor(h),
      tp,
      weightPrecision: weights,
      kvPrecision: weights,
    }),
    inputTokens: input,
    outputTokens: output,
    batch: batch > 0 ? batch : "max",
    extraPrefillTokens: 0,
  });
  return e.feasible ? e.outputTokensPerSPerChip : Number.NaN;
}

/** Doubling time of training compute over the dated runs (`flopcast trends`): point, or the interval's ends. */
function trendMonths(subset: string, from: number, to: number, which: "point" | "low" | "high"): number {
  const t = computeTrend(TrendsScenario.parse({ subset, fromYear: from, toYear: to }));
  const v = which === "point" ? t.doublingMonths : which === "low" ? t.doublingMonthsLow : t.doublingMonthsHigh;
  return v ?? Number.NaN;
}

/** What a claims run prices at: the claim's own date unless told otherwise, on a basis, or at a given rent. */
export interface ClaimPriceContext {
  readonly basis?: PriceBasis | undefined;
  readonly usdPerChipHour?: number | undefined;
}

/** A price a claim used, with the dated records behind it (every price in an output names its records). */
interface PriceUse {
  readonly name: string;
  readonly source: string;
}

const recordList = (rs: readonly { id: string; date: string }[]) => rs.map((r) => `${r.id} ${r.date}`).join(", ");

/** The functions a claim's expressions may call (units in their names or docs/claims.md). */
function functions(
  ctx: ClaimPriceContext,
  used: Map<string, PriceUse> = new Map(),
): Record<string, (...args: Value[]) => number> {
  const rent = (h: Value, date: Value) => {
    if (ctx.usdPerChipHour !== undefined) return null;
    const basis = ctx.basis ?? "market";
    const r = rentalPrice(String(h), String(date), basis);
    const name = `rent ${String(h)} at ${String(date)}`;
    used.set(name, {
      name,
      source: r
        ? `${basis} median of the dated rental records ${r.stale ? "(none in the 12 months before; the newest year's)" : "of the 12 months before"}: ${recordList(r.records)}`
        : `no ${basis} rental record before ${String(date)}`,
    });
    return r;
  };
  const purchasePrice = (h: string, date: string) => {
    const p = catalogPurchasePrice(h, date);
    const name = `purchase ${h} at ${date}`;
    used.set(name, {
      name,
      source: p ? `${p.method}; records: ${recordList(p.chip.records)}` : `no purchase record before ${date}`,
    });
    return p;
  };
  return {
    params: (m) => paramBreakdown(model(String(m)).architecture).total,
    paramsActive: (m) => paramBreakdown(model(String(m)).architecture).active,
    flops6nd: (m, tokens) => 6 * paramBreakdown(model(String(m)).architecture).active * Number(tokens),
    pfDays: (m, tokens) =>
      (6 * paramBreakdown(model(String(m)).architecture).active * Number(tokens)) / FLOP_PER_PF_DAY,
    /** Dense peak, FLOP/s (int8: OP/s); NaN (shown as unknown) when the catalog has none. */
    peak: (h, p) => toAccelerator(hw(String(h))).peak[String(p) as ComputePrecision] ?? Number.NaN,
    memoryGb: (h) => (toAccelerator(hw(String(h))).memory ?? Number.NaN) / 1e9,
    tdpW: (h) => toAccelerator(hw(String(h))).tdp ?? Number.NaN,
    /** Capex per chip (chip + server and network share) at a date, by the one price method, USD. */
    priceUsd: (h, date) => purchasePrice(String(h), String(date))?.capexUsdPerChip ?? Number.NaN,
    /** The chip alone at a date: median of its dated records (`…Low`/`…High`: the range), USD. */
    chipPriceUsd: (h, date) => purchasePrice(String(h), String(date))?.chip.median ?? Number.NaN,
    chipPriceUsdLow: (h, date) => purchasePrice(String(h), String(date))?.chip.low ?? Number.NaN,
    chipPriceUsdHigh: (h, date) => purchasePrice(String(h), String(date))?.chip.high ?? Number.NaN,
    /** Rental USD per chip-hour at a date: market median of the 12 months before it (`…Low`/`…High`: the range). */
    rentUsdPerHour: (h, date) => ctx.usdPerChipHour ?? rent(h, date)?.median ?? Number.NaN,
    rentUsdPerHourLow: (h, date) => ctx.usdPerChipHour ?? rent(h, date)?.low ?? Number.NaN,
    rentUsdPerHourHigh: (h, date) => ctx.usdPerChipHour ?? rent(h, date)?.high ?? Number.NaN,
    /** Owned USD per chip-hour at full use at a date (capex over the useful life + power + hosting + maintenance). */
    ownedUsdPerHour: (h, date) => {
      const f = hw(String(h));
      const p = purchasePrice(f.id, String(date));
      const o = p ? ownedChipHour(toAccelerator(f), p.capexUsdPerChip, String(date), 1) : null;
      return o?.totalUsd ?? Number.NaN;
    },
    kvBytesPerToken: (m, precision) =>
      kvBytesPerToken(model(String(m)).architecture, String(precision) as StoragePrecision),
    /** Predicted MFU for training `m` on `chips` × `h` (layout searched). */
    trainMfu: (m, h, chips, seqLen, batchTokens) => {
      const f = hw(String(h));
      const chip = toAccelerator(f);
      // The one estimator-input builder (core/plan/training.ts); the layout is searched through `layout()`.
      const e = planTrainingRun(
        model(String(m)).architecture,
        {
          tokens: 1e9,
          seqLen: Number(seqLen),
          globalBatchTokens: Number(batchTokens),
          microBatch: 1,
          precision: defaultPrecision(chip),
          sequenceParallel: true,
          ppInterleave: 1,
          zero: 1,
          chips: Number(chips),
          pue: 1,
        },
        { chip, efficiency: trainingEfficiencyFor(f) },
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
    /** Chip-hours per token of one multi-LoRA replica ÷ N dedicated replicas at the same traffic (DES; price-free). */
    loraPoolCostRatio: (m, h, adapters, rate) => {
      const r = loraPooling(
        {
          architecture: model(String(m)).architecture,
          hardware: hw(String(h)),
          inputTokens: 512,
          outputTokens: 256,
          // A ratio of two costs at the same date: the date cancels; the catalog default keeps it reproducible.
          today: DEFAULT_SCENARIO_DATE,
        },
        Number(adapters),
        Number(rate),
        0.0027,
      );
      return r.pooled.chipHoursPerMillionTokens / r.dedicated.chipHoursPerMillionTokens;
    },
    /** Doubling time of training compute, months (`flopcast trends`; `…Low`/`…High`: the 95% interval). */
    doublingMonths: (subset, from, to) => trendMonths(String(subset), Number(from), Number(to), "point"),
    doublingMonthsLow: (subset, from, to) => trendMonths(String(subset), Number(from), Number(to), "low"),
    doublingMonthsHigh: (subset, from, to) => trendMonths(String(subset), Number(from), Number(to), "high"),
    min: (...xs) => Math.min(...xs.map(Number)),
    max: (...xs) => Math.max(...xs.map(Number)),
    pow: (a, b) => Number(a) ** Number(b),
    sqrt: (a) => Math.sqrt(Number(a)),
    ceil: (a) => Math.ceil(Number(a)),
  };
}

const CONSTANTS: Record<string, number> = {
  DAY: SECONDS_PER_DAY,
  YEAR: SECONDS_PER_YEAR,
  HOUR: 3600,
  PF_DAY: FLOP_PER_PF_DAY,
  TERA: 1e12,
  GIGA: 1e9,
  MEGA: 1e6,
};

function evaluate(
  node: jsep.Expression,
  scope: Record<string, Value>,
  fns: Record<string, (...args: Value[]) => number>,
): Value {
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
      return -Number(evaluate(u.argument, scope, fns));
    }
    case "BinaryExpression": {
      const b = node as jsep.BinaryExpression;
      const l = Number(evaluate(b.left, scope, fns));
      const r = Number(evaluate(b.right, scope, fns));
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
      const fn = fns[name];
      if (!fn) throw new ClaimError(`unknown function ${name}`);
      return fn(...c.arguments.map((a) => evaluate(a, scope, fns)));
    }
    default:
      throw new ClaimError(`expression of type ${node.type} not allowed`);
  }
}

export type Verdict = "holds" | "off" | "unverifiable" | "premise-false";

/** One input of a claim as shown to the reader: a stated input with its source, or a catalog lookup. */
export interface ClaimInput {
  readonly name: string;
  readonly value: number | string;
  readonly unit?: string | undefined;
  readonly source: string;
  readonly kind: string;
}

export interface ClaimResult {
  readonly id: string;
  readonly source: string;
  readonly date: string;
  readonly quote: string;
  readonly claim: string;
  readonly published: number | null;
  readonly publishedLow: number | null;
  readonly publishedHigh: number | null;
  readonly reproduced: number | null;
  readonly reproducedLow: number | null;
  readonly reproducedHigh: number | null;
  readonly unit: string;
  readonly verdict: Verdict;
  readonly verdictRule: string;
  readonly explanation: string;
  readonly inputs: readonly ClaimInput[];
  readonly quantities: readonly { name: string; label: string; value: number; unit: string; expression: string }[];
}

const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return x.toExponential(3);
  return formatSignificant(x, 4);
};

/** Catalog lookups an expression makes (`peak('h100-sxm', 'bf16')`), as inputs sourced to the catalog. */
function catalogCalls(node: jsep.Expression, out: Set<string>): void {
  if (node.type === "CallExpression") {
    const c = node as jsep.CallExpression;
    const args = c.arguments.map((a) => (a.type === "Literal" ? JSON.stringify((a as jsep.Literal).value) : "…"));
    if (c.arguments.some((a) => a.type === "Literal" && typeof (a as jsep.Literal).value === "string"))
      out.add(`${(c.callee as jsep.Identifier).name}(${args.join(", ")})`);
    for (const a of c.arguments) catalogCalls(a, out);
  } else if (node.type === "BinaryExpression") {
    catalogCalls((node as jsep.BinaryExpression).left, out);
    catalogCalls((node as jsep.BinaryExpression).right, out);
  } else if (node.type === "UnaryExpression") catalogCalls((node as jsep.UnaryExpression).argument, out);
}

function verdictOf(
  c: ClaimFile,
  r: number | null,
  lo: number | null,
  hi: number | null,
): { verdict: Verdict; rule: string } {
  const v = c.verdict;
  const p = c.published;
  if (v.kind === "fixed") return { verdict: v.verdict, rule: `fixed: ${v.verdict} (see the explanation)` };
  if (v.kind === "within-reproduced-range") {
    const ok = p.value !== null && lo !== null && hi !== null && p.value >= lo && p.value <= hi;
    return { verdict: ok ? "holds" : "off", rule: "the published figure lies within the reproduced range" };
  }
  if (r === null || !Number.isFinite(r)) return { verdict: "unverifiable", rule: "no reproduction" };
  if (p.low !== undefined || p.high !== undefined) {
    const ok = r >= (p.low ?? Number.NEGATIVE_INFINITY) && r <= (p.high ?? Number.POSITIVE_INFINITY);
    return { verdict: ok ? "holds" : "off", rule: "the reproduction lies within the claim's own range" };
  }
  const ok = p.value !== null && Math.abs(r / p.value - 1) <= v.tolerance;
  return { verdict: ok ? "holds" : "off", rule: `|reproduced ÷ published − 1| ≤ ${v.tolerance} (${v.toleranceBasis})` };
}

/** Evaluates one claim file; prices are taken at the claim's date unless `ctx` gives a basis or a rent. */
export function checkClaim(c: ClaimFile, ctx: ClaimPriceContext = {}): ClaimResult {
  const used = new Map<string, PriceUse>();
  const fns = functions(ctx, used);
  const scope: Record<string, Value> = { DATE: c.date };
  for (const a of c.assumptions) scope[a.name] = a.value;
  const quantities: ClaimResult["quantities"][number][] = [];
  const calls = new Set<string>();
  for (const q of c.quantities) {
    const tree = jsep(q.expression);
    catalogCalls(tree, calls);
    const value = Number(evaluate(tree, scope, fns));
    scope[q.name] = value;
    quantities.push({ name: q.name, label: q.label, value, unit: q.unit, expression: q.expression });
  }
  const quantityValue = (name: string | null | undefined): number | null => {
    if (!name) return null;
    const q = quantities.find((x) => x.name === name);
    if (!q) throw new ClaimError(`${c.id}: no quantity named ${name}`);
    return Number.isFinite(q.value) ? q.value : null;
  };
  const reproduced = quantityValue(c.reproduced);
  const reproducedLow = quantityValue(c.reproducedLow);
  const reproducedHigh = quantityValue(c.reproducedHigh);
  const { verdict, rule } = verdictOf(c, reproduced, reproducedLow, reproducedHigh);
  const explanation = c.explanation.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "published") return c.published.value === null ? "—" : fmt(c.published.value);
    if (name === "ratio") return c.published.value && reproduced !== null ? fmt(reproduced / c.published.value) : "—";
    const val = scope[name];
    return typeof val === "number" ? fmt(val) : String(val ?? `{${name}}`);
  });
  const priceNote =
    ctx.usdPerChipHour !== undefined
      ? `rent given: $${ctx.usdPerChipHour}/chip-hour`
      : `dated price records, ${ctx.basis ?? "market"} basis, the 12 months before the date in the call (DATE = ${c.date})`;
  return {
    id: c.id,
    source: c.source,
    date: c.date,
    quote: c.quote,
    claim: c.claim,
    published: c.published.value,
    publishedLow: c.published.low ?? null,
    publishedHigh: c.published.high ?? null,
    reproduced,
    reproducedLow,
    reproducedHigh,
    unit: c.published.unit,
    verdict,
    verdictRule: rule,
    explanation,
    inputs: [
      ...c.assumptions.map((a) => ({ name: a.name, value: a.value, unit: a.unit, source: a.source, kind: a.kind })),
      ...[...calls].map((call) => ({
        name: call,
        value: "catalog lookup",
        source: /rent|price|owned/i.test(call)
          ? `catalog (${priceNote})`
          : "catalog (packages/catalog/data, each value sourced)",
        kind: "catalog",
      })),
      // The prices the lookups resolved to, each naming its dated records.
      ...[...used.values()].map((u) => ({ name: u.name, value: "price records", source: u.source, kind: "catalog" })),
    ],
    quantities,
  };
}

export function checkAllClaims(ctx: ClaimPriceContext = {}): ClaimResult[] {
  return claimFiles().map((c) => checkClaim(c, ctx));
}
