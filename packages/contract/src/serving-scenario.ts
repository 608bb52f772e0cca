/** The `infer` and `serve` scenario schemas (scenario.ts re-exports them; kept apart so `train` never builds them). */
import { ROUTER_NAMES, SCHEDULER_NAMES } from "@flopcast/core";
import { z } from "zod";
import { codedCheck, codedIssue } from "./messages.ts";
import { fraction, looseFraction, looseNumber, nonNegativeNumber, positiveInt, positiveNumber } from "./numbers.ts";
import { idField as id, PrecisionName } from "./scenario-fields.ts";

interface SpeculativeFields {
  readonly specDraft?: string | undefined;
  readonly specMtp: boolean;
  readonly specK?: number | undefined;
  readonly specAcceptance?: number | undefined;
}

/** Any speculative-decoding flag asks for it, and then k and α are both needed; returns whether it was asked. */
function checkSpeculativeRates(s: SpeculativeFields, ctx: z.RefinementCtx): boolean {
  const speculative = s.specDraft !== undefined || s.specMtp || s.specK !== undefined || s.specAcceptance !== undefined;
  if (speculative && (s.specK === undefined || s.specAcceptance === undefined))
    ctx.addIssue(codedIssue([s.specK === undefined ? "specK" : "specAcceptance"], "speculative-needs-rates"));
  return speculative;
}

export const StoragePrecisionName = z.enum(["fp32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"], {
  error: (i) => `unknown precision ${JSON.stringify(i.input)} (one of fp32, bf16, fp16, fp8, int8, int4, fp4)`,
});

export const InferScenario = z
  .object({
    model: id,
    hardware: id,
    chips: positiveInt.default(1),
    tp: positiveInt.optional(),
    pp: positiveInt.default(1),
    ep: positiveInt.optional(),
    /** Weight precision (and KV/activations unless given separately). */
    precision: StoragePrecisionName.optional(),
    kvPrecision: StoragePrecisionName.optional(),
    activationPrecision: PrecisionName.optional(),
    inputTokens: positiveInt.default(1024),
    outputTokens: positiveInt.default(256),
    batch: z.union([z.literal("max"), positiveInt]).default(1),
    maxBatchLimit: positiveInt.optional(),
    usableMemoryFraction: fraction.default(0.9),
    moeImbalance: looseNumber
      .pipe(z.number().min(1, { error: "must be at least 1 (busiest expert ÷ mean)" }))
      .optional(),
    specDraft: id.optional(),
    specK: positiveInt.optional(),
    specAcceptance: looseFraction.optional(),
    specDraftCost: positiveNumber.optional(),
    specMtp: z.boolean().default(false),
    images: nonNegativeNumber.default(0),
    imageTokens: nonNegativeNumber.optional(),
    audioSeconds: nonNegativeNumber.default(0),
    audioTokensPerSecond: nonNegativeNumber.optional(),
    videoSeconds: nonNegativeNumber.default(0),
    videoTokensPerSecond: nonNegativeNumber.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const speculative = checkSpeculativeRates(s, ctx);
    if (speculative && s.specDraft === undefined && !s.specMtp && s.specDraftCost === undefined)
      ctx.addIssue(codedIssue(["specDraft"], "speculative-needs-draft"));
    if (s.images > 0 && s.imageTokens === undefined)
      ctx.addIssue(
        codedIssue(["imageTokens"], "field-needs-field", {
          field: "images",
          needs: "imageTokens",
          note: "tokens per image from the model card",
        }),
      );
    if (s.audioSeconds > 0 && s.audioTokensPerSecond === undefined)
      ctx.addIssue(
        codedIssue(["audioTokensPerSecond"], "field-needs-field", {
          field: "audioSeconds",
          needs: "audioTokensPerSecond",
        }),
      );
    if (s.videoSeconds > 0 && s.videoTokensPerSecond === undefined)
      ctx.addIssue(
        codedIssue(["videoTokensPerSecond"], "field-needs-field", {
          field: "videoSeconds",
          needs: "videoTokensPerSecond",
        }),
      );
  });
export type InferScenario = z.infer<typeof InferScenario>;

/** `fixed:512`, `uniform:100:900`, `lognormal:512:0.8` (median, log-space sigma). */
export const LengthDistText = z.string().transform((text, ctx) => {
  const [kind, ...rest] = text.split(":");
  const nums = rest.map(Number);
  const bad = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (nums.some((x) => !Number.isFinite(x) || x < 0)) return bad(`numbers in ${JSON.stringify(text)} must be ≥ 0`);
  if (kind === "fixed" && nums.length === 1)
    return { kind: "fixed" as const, tokens: Math.max(1, Math.round(nums[0] as number)) };
  if (kind === "uniform" && nums.length === 2 && (nums[0] as number) <= (nums[1] as number))
    return { kind: "uniform" as const, min: Math.max(1, nums[0] as number), max: Math.max(1, nums[1] as number) };
  if (kind === "lognormal" && nums.length === 2)
    return { kind: "lognormal" as const, median: Math.max(1, nums[0] as number), sigma: nums[1] as number };
  return bad(
    `unknown length distribution ${JSON.stringify(text)} (fixed:N, uniform:MIN:MAX or lognormal:MEDIAN:SIGMA)`,
  );
});

/** An empirical length distribution: sampled uniformly from these values (the CLI reads them from a file). */
export const EmpiricalLengths = z
  .object({ kind: z.literal("empirical"), values: z.array(looseNumber.pipe(z.number().int().positive())).min(1) })
  .strict();

const nonNegativeInt = looseNumber.pipe(
  z.number().int({ error: "must be a whole number" }).min(0, { error: "must be ≥ 0" }),
);

export const ServeScenario = z
  .object({
    ...InferScenario.shape,
    batch: z.custom<never>(() => false, codedCheck("serve-no-batch")).optional(),
    replicas: positiveInt.optional(),
    rate: positiveNumber.optional(),
    /** Closed loop: keep this many requests in flight (benchmark clients' --max-concurrency). */
    concurrency: positiveInt.optional(),
    /** Requests issued before the measured ones and left out of the metrics (default 2 × concurrency in a closed loop). */
    warmupRequests: nonNegativeInt.optional(),
    requests: positiveInt.optional(),
    duration: positiveNumber.optional(),
    trace: z.string().optional(),
    inputDist: z.union([LengthDistText, EmpiricalLengths]).optional(),
    outputDist: z.union([LengthDistText, EmpiricalLengths]).optional(),
    arrival: z.enum(["poisson", "gamma"]).default("poisson"),
    burstiness: positiveNumber.default(1),
    diurnalPeakToAverage: looseNumber.pipe(z.number().min(1, { error: "must be ≥ 1" })).optional(),
    seed: looseNumber.pipe(z.number().int({ error: "must be a whole number" })).default(1),
    scheduler: z.enum(SCHEDULER_NAMES).default("chunked"),
    router: z.enum(ROUTER_NAMES).default("least-outstanding"),
    /** Serving engine (vllm, sglang, trt-llm, dynamo-…): per-engine overhead, graph buckets and default caps. */
    engine: z.string().min(1).optional(),
    /** DeepSeek-style data-parallel attention over the tp ranks, experts over --ep. */
    dpAttention: z.boolean().default(false),
    maxBatchedTokens: positiveInt.optional(),
    maxSeqs: positiveInt.optional(),
    prefixGroups: positiveInt.optional(),
    prefixTokens: positiveInt.optional(),
    prefixFraction: looseFraction.default(1),
    prefixCacheFraction: looseFraction.default(0.1),
    loraAdapters: positiveInt.optional(),
    loraZipf: nonNegativeNumber.default(1),
    loraFraction: looseFraction.default(1),
    loraSlots: positiveInt.default(8),
    loraRank: positiveInt.default(16),
    prefillReplicas: positiveInt.optional(),
    decodeReplicas: positiveInt.optional(),
    prefillWorkers: positiveInt.optional(),
    prefillTp: positiveInt.optional(),
    prefillEp: positiveInt.optional(),
    prefillDpAttention: z.boolean().optional(),
    decodeWorkers: positiveInt.optional(),
    decodeTp: positiveInt.optional(),
    decodeEp: positiveInt.optional(),
    decodeDpAttention: z.boolean().optional(),
    sloTtftMs: positiveNumber.optional(),
    sloTpotMs: positiveNumber.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const closed = s.concurrency !== undefined;
    if (!closed && s.trace === undefined && s.requests === undefined && s.duration === undefined)
      ctx.addIssue(codedIssue(["requests"], "serve-needs-length"));
    if (!closed && s.trace === undefined && s.rate === undefined)
      ctx.addIssue(codedIssue(["rate"], "serve-needs-load"));
    if (closed && (s.rate !== undefined || s.trace !== undefined || s.duration !== undefined))
      ctx.addIssue(codedIssue(["concurrency"], "closed-loop-conflict"));
    const prefill = s.prefillWorkers ?? s.prefillReplicas;
    const decode = s.decodeWorkers ?? s.decodeReplicas;
    if ((prefill === undefined) !== (decode === undefined))
      ctx.addIssue(
        codedIssue(["decodeWorkers"], "needs-both", {
          subject: "disaggregation",
          fields: ["prefillWorkers", "decodeWorkers"],
        }),
      );
    if ((s.prefixGroups === undefined) !== (s.prefixTokens === undefined))
      ctx.addIssue(
        codedIssue(["prefixTokens"], "needs-both", {
          subject: "shared prefixes",
          fields: ["prefixGroups", "prefixTokens"],
        }),
      );
    // --spec-mtp alone takes the stated MTP acceptance model (serve-plan MTP_ASSUMPTION).
    if (!(s.specMtp && s.specDraft === undefined && s.specK === undefined && s.specAcceptance === undefined))
      checkSpeculativeRates(s, ctx);
  });
export type ServeScenario = z.infer<typeof ServeScenario>;
