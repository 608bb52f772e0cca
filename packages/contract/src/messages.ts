/**
 * Messages are data (issue #15 item 5): a problem, an infeasible reason or a warning carries a `code` and `params`,
 * and this one table turns them into text for an audience. The CLI names inputs as flags (`--spec-k`, `--zero 3`);
 * the API and the web app name them as fields (`specK`, `zero: 3`), so an HTTP user is never told about a flag they
 * cannot type. Programs read `code` and `params`; people read `message`.
 *
 * - Problems: contract schemas raise coded issues with `codedIssue`; `problemsFromZod` renders them for the API/web
 *   by default, and the CLI re-renders every problem it prints with `localizeProblems(problems, "cli")`.
 * - Warnings and reasons (`{code, params, message}`, core's `CodedMessage`): the contract makes its own with
 *   `codedMessage` (rendered for the API/web); core writes its English text where it computes the numbers. Every
 *   code whose text names an input has an entry in `MESSAGES` (so each audience reads its own name for it); the
 *   other codes are listed in `FIXED_TEXT_CODES` and keep the text they were raised with. The CLI re-renders a
 *   whole result with `localizeMessages(result, "cli")`. docs/messages.md lists every code.
 */
import type { CodedMessage, CoreReasonCode, CoreWarningCode, MessageParams, Problem } from "@flopcast/core";
import { formatInteger } from "./format.ts";

export type { CodedMessage, MessageParam, MessageParams } from "@flopcast/core";

/** Who reads the message: `cli` (flags) or `api` (JSON field names; the web app reads the API's form too). */
export type Audience = "cli" | "api";

/** How an audience names an input: the field itself, the field with a placeholder, and a field set to a value. */
interface Namer {
  field(name: string): string;
  /** `--requests K` on the command line; `requests` in a body (the placeholder is a CLI habit). */
  arg(name: string, placeholder: string): string;
  setting(name: string, value: string | number): string;
}

const kebab = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const NAMERS: Record<Audience, Namer> = {
  cli: {
    field: (n) => `--${kebab(n)}`,
    arg: (n, placeholder) => `--${kebab(n)} ${placeholder}`,
    setting: (n, v) => `--${kebab(n)} ${v}`,
  },
  api: {
    field: (n) => n,
    arg: (n) => n,
    setting: (n, v) => `${n}: ${typeof v === "string" ? JSON.stringify(v) : v}`,
  },
};

const str = (p: MessageParams, k: string): string => String(p[k] ?? "");
const num = (p: MessageParams, k: string): number => (typeof p[k] === "number" ? (p[k] as number) : Number.NaN);
/** ": detail" when a param adds one (the catalog's reason a price is missing), else nothing. */
const detail = (p: MessageParams, k = "detail"): string => (p[k] ? `: ${str(p, k)}` : "");
const list = (p: MessageParams, k: string): readonly string[] => {
  const v = p[k];
  return Array.isArray(v) ? (v as readonly string[]) : [];
};
/** "a and b", "a, b and c". */
const and = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;

/** Every coded message, by code. Params are named in each entry's comment. */
export const MESSAGES = {
  /** fields: [a, b] — two inputs that only make sense together. */
  "fields-go-together": (p: MessageParams, n: Namer) => `${and(list(p, "fields").map(n.field))} go together`,
  /** product, chips — an explicit layout that does not multiply to the chip count. */
  "layout-product-mismatch": (p: MessageParams) =>
    `tp × pp × dp × cp = ${str(p, "product")} but chips = ${str(p, "chips")}`,
  /** (none) — speculative decoding asked for without k and α. */
  "speculative-needs-rates": (_: MessageParams, n: Namer) =>
    `speculative decoding needs ${n.field("specK")} and ${n.field("specAcceptance")}`,
  /** (none) — speculative decoding with no draft model, MTP or draft cost. */
  "speculative-needs-draft": (_: MessageParams, n: Namer) =>
    `give a draft model (${n.field("specDraft")}), ${n.field("specMtp")}, or the draft cost ratio (${n.field("specDraftCost")})`,
  /** field, needs, note? — one input requires another. */
  "field-needs-field": (p: MessageParams, n: Namer) =>
    `${n.field(str(p, "field"))} needs ${n.field(str(p, "needs"))}${p.note ? ` (${str(p, "note")})` : ""}`,
  /** setting, value, needs — an input value requires another input (`--goal train needs --tokens`). */
  "setting-needs-field": (p: MessageParams, n: Namer) =>
    `${n.setting(str(p, "setting"), str(p, "value"))} needs ${n.field(str(p, "needs"))}`,
  /** subject, fields: [a, b] — a feature that needs both inputs. */
  "needs-both": (p: MessageParams, n: Namer) =>
    `${str(p, "subject")} needs both ${and(list(p, "fields").map(n.field))}`,
  /** subject, field — a mode that needs one input. */
  "mode-needs-field": (p: MessageParams, n: Namer) => `${str(p, "subject")} needs ${n.field(str(p, "field"))}`,
  /** (none) — an open-loop simulation without a length. */
  "serve-needs-length": (_: MessageParams, n: Namer) =>
    `give ${n.arg("requests", "K")}, ${n.arg("duration", "S")} or ${n.arg("trace", "FILE")}`,
  /** (none) — a simulation without a load. */
  "serve-needs-load": (_: MessageParams, n: Namer) =>
    `give ${n.arg("rate", "R")} (requests per second), ${n.arg("concurrency", "N")} (closed loop) or ${n.arg("trace", "FILE")}`,
  /** (none) — a closed loop given open-loop inputs. */
  "closed-loop-conflict": (_: MessageParams, n: Namer) =>
    `${n.field("concurrency")} is a closed loop: drop ${and(["rate", "duration", "trace"].map(n.field))}`,
  /** (none) — compare without a training or serving workload. */
  "compare-needs-goal": (_: MessageParams, n: Namer) =>
    `give ${n.field("tokens")} and ${n.field("chips")} (training) or ${n.field("requestsPerDay")} with SLOs (serving)`,
  /** (none) — fleet without a volume. */
  "fleet-needs-volume": (_: MessageParams, n: Namer) =>
    `give the volume: ${n.arg("requestsPerDay", "Q")} or ${n.arg("requestsPerS", "R")}`,
  /** (none) — fleet given both volumes. */
  "fleet-one-volume": (_: MessageParams, n: Namer) =>
    `give ${n.field("requestsPerDay")} or ${n.field("requestsPerS")}, not both`,
  /** (none) — int4 asked for training. */
  "training-no-int4": () => "training has no int4 matmuls",
  /** (none) — a batch given to serve (its batch comes from the arrivals). */
  "serve-no-batch": (_: MessageParams, n: Namer) =>
    `serve has no ${n.field("batch")}: concurrency comes from the arrivals (see ${n.field("maxSeqs")})`,
  /** system, accelerator, hardware — a catalog system built on another chip than the one trained on. */
  "system-holds-other-chip": (p: MessageParams) =>
    `system ${str(p, "system")} holds ${str(p, "accelerator")}, not ${str(p, "hardware")}`,
  /** tp, heads, dpAttentionField — serve: tp does not divide the attention heads (hint names the DP-attention input). */
  "serve-tp-heads": (p: MessageParams) => `tp ${str(p, "tp")} does not divide the ${str(p, "heads")} attention heads`,
  /** role, chipsPerWorker, hardware, detail, tpField — serve: the weights do not fit one replica (or role worker). */
  "replica-does-not-fit": (p: MessageParams) =>
    `the model does not fit a ${p.role ? `${str(p, "role")} ` : ""}replica of ${str(p, "chipsPerWorker")} × ${str(p, "hardware")}: ${str(p, "detail")}`,

  // ── Warnings and reasons (results) ─────────────────────────────────────────────────────────────────────────────
  /** sequences, microBatches, pp, bubbleFraction — core: too few micro-batches per pipeline (warning). */
  "pipeline-bubble": (p: MessageParams, n: Namer) =>
    `global batch of ${str(p, "sequences")} sequences leaves ${str(p, "microBatches")} micro-batches per pipeline for pp ${str(p, "pp")}: the bubble costs ${(num(p, "bubbleFraction") * 100).toFixed(0)}% of the step (a larger ${n.field("globalBatchTokens")} would use the cluster better)`,
  /** globalBatchTokens, sequences, seqLen, chips — core: the global batch was chosen, not given (warning). */
  "global-batch-default": (p: MessageParams, n: Namer) =>
    `${n.field("globalBatchTokens")} not given: ${formatInteger(num(p, "globalBatchTokens"))} tokens (${str(p, "sequences")} sequences of ${str(p, "seqLen")}) chosen from practice for ${str(p, "chips")} chips (≥ 4 Mi tokens, one sequence per 8 chips; docs/model.md §2.1)`,
  /** hardware, basis, detail? — no dated rental price on the basis: no rented cost (warning; compare/search reason). */
  "no-rental-price": (p: MessageParams, n: Namer) =>
    `no ${str(p, "basis")} rental price for ${str(p, "hardware")} in the catalog${detail(p)} (give ${n.field("priceUsdPerChipHour")} to price it)`,
  /** hardware, detail?, canGive — no purchase price: no capex, no owned cost (warning; compare reason). */
  "no-purchase-price": (p: MessageParams, n: Namer) =>
    `no purchase price for ${str(p, "hardware")} in the catalog${detail(p)}: no capex or owned cost${p.canGive ? ` (give ${n.field("priceUsdPerChip")})` : ""}`,
  /** hardware, capexShown — no TDP: power, energy and owned cost unknown (warning; compare reason). */
  "no-tdp": (p: MessageParams) =>
    `no TDP for ${str(p, "hardware")} in the catalog: power, energy and owned cost unknown${p.capexShown ? " (capex shown)" : ""}`,
  /** hardware — fleet: neither a rented nor an owned $/day (warning). */
  "no-cost": (p: MessageParams, n: Namer) =>
    `no $/day for ${str(p, "hardware")}: give ${n.arg("priceUsdPerChipHour", "USD")} (or ${n.arg("priceUsdPerChip", "USD")} with a TDP)`,
  /** hardware — search (serve goal): neither a rental price nor an owned cost (skipped). */
  "no-price": (p: MessageParams, n: Namer) =>
    `${str(p, "hardware")}: no rental price and no owned cost (purchase price + TDP) in the catalog (give ${n.field("priceUsdPerChipHour")})`,
  /** owned, rented — compare/search (serving): chips priced on different bases; $/1M tokens across them differs in kind. */
  "mixed-cost-basis": (p: MessageParams, n: Namer) =>
    `cost bases differ: owned (capex + power over the life) for ${and(list(p, "owned"))}, rented for ${and(list(p, "rented"))}, so $/1M tokens across them is not like for like (${n.setting("priceBasis", "market")} rents every chip)`,
  /** hardware, precision — search: the chip has no native matmuls at the asked precision (skipped). */
  "no-native-precision": (p: MessageParams) => `${str(p, "hardware")} has no native ${str(p, "precision")}`,
  /** offeredReqPerS, servedReqPerS — serve: the arrival rate exceeds what the system serves (warning). */
  overloaded: (p: MessageParams, n: Namer) =>
    `overloaded: ${str(p, "offeredReqPerS")} req/s offered, ${str(p, "servedReqPerS")} req/s served; queues grow without bound, so latency percentiles depend on the run length (lower ${n.field("rate")} or add ${n.field("replicas")})`,
  /** ep, experts — serve: experts do not split evenly over the EP ranks (warning). */
  "ep-uneven-experts": (p: MessageParams) =>
    `ep ${str(p, "ep")} does not divide the ${str(p, "experts")} experts: modelled as an even spread (engines place redundant experts, e.g. SGLang EPLB, TensorRT-LLM expert slots)`,
  /** chips, scaleUpDomain — serve (disaggregated): KV moves over the scale-out network (warning). */
  "kv-over-scale-out": (p: MessageParams) =>
    `KV cache moves over the scale-out network (${str(p, "chips")} chips exceed the ${str(p, "scaleUpDomain")}-chip scale-up domain)`,
  /** profile, applied: [...] — efficiency fractions from the user's calibration profile (warning). */
  "calibration-profile": (p: MessageParams) =>
    `efficiency from calibration profile ${str(p, "profile")}${list(p, "applied").length ? `: ${list(p, "applied").join(", ")}` : ""}`,
  /** profile, hardware — infer: the profile has no fit for the chip's generation (warning). */
  "calibration-profile-no-fit": (p: MessageParams) =>
    `calibration profile ${str(p, "profile")} has no fit for ${str(p, "hardware")}'s generation: the catalog's inference calibration is used`,
  /** (none) — fleet: no layout meets the SLOs and no layout was ruled out with a reason (reason). */
  "no-layout-meets-slo": (_: MessageParams, n: Namer) =>
    `no layout meets the SLOs (loosen ${n.field("sloTtftMs")} or ${n.field("sloTpotMs")})`,
} as const satisfies Record<string, (p: MessageParams, n: Namer) => string>;

export type MessageCode = keyof typeof MESSAGES;

/** What to change, for coded problems whose advice names inputs (rendered per audience like the message). */
const HINTS: Partial<Record<MessageCode, (p: MessageParams, n: Namer) => string>> = {
  "system-holds-other-chip": (p, n) =>
    `use ${n.setting("hardware", str(p, "accelerator"))}, or a system built on ${str(p, "hardware")}`,
  "serve-tp-heads": (p, n) => `pick a divisor, or ${n.field(str(p, "dpAttentionField"))}`,
  "replica-does-not-fit": (p, n) =>
    `raise ${n.field(str(p, "tpField"))}, lower ${n.field("precision")}, or pick a chip with more memory`,
};

export const isMessageCode = (code: unknown): code is MessageCode => typeof code === "string" && code in MESSAGES;

/**
 * Codes whose text is written where they are raised, because it names no input: every audience reads the same
 * English (the generic fallback of `localizeMessages`). Code → what it says; the params are the numbers in it.
 */
export const FIXED_TEXT_CODES = {
  // reasons (core)
  "batch-too-small": "training: the global batch has fewer sequences than dp × micro-batch (sequences, dp, microBatch)",
  "exceeds-memory":
    "training: memory per chip exceeds the chip's (needBytes, haveBytes, weightsBytes, gradientsBytes, optimizerBytes, activationsBytes)",
  "too-many-stages": "training: more pipeline stages than layers (pp, layers)",
  "tp-heads": "training: tp does not divide the attention heads (tp, heads)",
  ep: "training: ep must divide the experts and dp, and needs a MoE model (ep, dp, experts)",
  cp: "training: cp does not divide the sequence length (cp, seqLen)",
  "interleave-microbatches": "training: interleaved schedule needs micro-batches divisible by pp (microBatches, pp)",
  "interleave-layers": "training: pp × v exceeds the layers + embedding and LM-head chunks (pp, ppInterleave, layers)",
  dualpipe: "training: DualPipe needs an even pp (pp)",
  layout: "training: the degrees given do not divide the chips (tp, pp, cp, dp, chips)",
  "weights-exceed-memory":
    "inference/fleet: the weights (+ workspace) exceed usable memory per chip (infer: needBytes, haveBytes, …; fleet: tp)",
  "kv-exceeds-memory":
    "inference: one sequence's KV cache exceeds the free memory (needBytes, haveBytes, tokensPerSequence)",
  "batch-exceeds-kv":
    "inference: the batch's KV cache exceeds the free memory (needBytes, haveBytes, batch, tokensPerSequence, maxBatch)",
  "slo-missed-at-batch-1": "fleet: one request alone already misses the SLO at this tp (tp, ttftMs, tpotMs)",
  // warnings (core)
  "unvalidated-efficiency": "no measurements for this chip: efficiency from its generation prior (hardware, basis)",
  "goodput-assumed": "training days divided by the goodput (goodput)",
  "beyond-scale-up-domain": "inference: tp × pp exceeds the scale-up domain (chipsPerReplica, scaleUpDomain)",
  "idle-chips": "inference: chips not a multiple of tp × pp (chips, chipsPerReplica, idleChips)",
  "weight-only-quantization":
    "no native matmuls at the weights' precision: computed at 16-bit speed (hardware, wanted, weights, fallback)",
  "unknown-engine": "serve: unknown engine name, generic profile used (engine, known)",
  "requests-never-admitted": "serve: requests never admitted to a replica (replica, requests)",
  "requests-incomplete": "serve: requests that did not complete (incomplete, requests)",
  // compare/search rows built from a problem
  "input-problem": "compare/search: a chip's plan stopped on bad input; the problem's text as written (path, problem)",
} as const satisfies Record<Exclude<CoreReasonCode | CoreWarningCode, MessageCode>, string> & Record<string, string>;

export type FixedTextCode = keyof typeof FIXED_TEXT_CODES;

/** Every code a warning or reason may carry (docs/messages.md lists them all). */
export const isKnownCode = (code: unknown): code is MessageCode | FixedTextCode =>
  typeof code === "string" && (code in MESSAGES || code in FIXED_TEXT_CODES);

/** The text of a coded message for an audience. */
export function messageText(code: MessageCode, params: MessageParams = {}, audience: Audience = "api"): string {
  return MESSAGES[code](params, NAMERS[audience]);
}

/** A zod custom issue carrying its code and params (rendered for the API by default; see `problemsFromZod`). */
export function codedIssue(path: readonly (string | number)[], code: MessageCode, params: MessageParams = {}) {
  return {
    code: "custom" as const,
    path: [...path],
    message: messageText(code, params, "api"),
    params: { messageCode: code, messageParams: params },
  };
}

/** A zod refinement's options that raise a coded issue (`z.custom(check, codedCheck(code))`, `.refine(…)`). */
export function codedCheck(code: MessageCode, params: MessageParams = {}) {
  return { error: messageText(code, params, "api"), params: { messageCode: code, messageParams: params } };
}

/** A problem raised outside a schema (a plan's own check), coded, with its hint when the code has one. */
export function codedProblem(path: string, code: MessageCode, params: MessageParams = {}): Problem {
  const hint = HINTS[code]?.(params, NAMERS.api);
  return { path, code, params, message: messageText(code, params, "api"), ...(hint ? { hint } : {}) };
}

/** Problems as an audience reads them: coded ones re-rendered (message, and hint where it names inputs), others unchanged. */
export function localizeProblems(problems: readonly Problem[], audience: Audience): Problem[] {
  return problems.map((p) => {
    const coded = p as Problem & { code?: string; params?: MessageParams };
    if (!isMessageCode(coded.code)) return p;
    const hint = HINTS[coded.code]?.(coded.params ?? {}, NAMERS[audience]);
    return { ...p, message: messageText(coded.code, coded.params, audience), ...(hint ? { hint } : {}) };
  });
}

/** A warning or reason made in the contract: its code, params, and its text for the API/web (the CLI re-renders). */
export function codedMessage(code: MessageCode, params: MessageParams = {}): CodedMessage {
  return { code, params, message: messageText(code, params, "api") };
}

/** A problem as a reason (compare/search rows): its own code when coded, else `input-problem` with its text. */
export function reasonFromProblem(p: Problem, extra: MessageParams = {}): CodedMessage {
  return isMessageCode(p.code)
    ? { code: p.code, params: { ...(p.params as MessageParams), ...extra }, message: p.message }
    : { code: "input-problem", params: { path: p.path, problem: p.message, ...extra }, message: p.message };
}

const isCoded = (x: object): x is CodedMessage =>
  typeof (x as CodedMessage).code === "string" &&
  typeof (x as CodedMessage).message === "string" &&
  typeof (x as CodedMessage).params === "object";

/**
 * A result with every coded message in it (warnings, reasons, skipped chips, at any depth) rendered for an
 * audience; codes without a `MESSAGES` entry keep their text. Returns a copy; the input is not changed.
 */
export function localizeMessages<T>(value: T, audience: Audience): T {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x === null || typeof x !== "object") return x;
    if (isCoded(x)) return isMessageCode(x.code) ? { ...x, message: messageText(x.code, x.params, audience) } : x;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = walk(v);
    return out;
  };
  return walk(value) as T;
}
