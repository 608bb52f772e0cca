/**
 * Scenario inputs shared by the CLI (flags and --scenario files), the HTTP API and URL state: one zod schema
 * per command, keys = the long flag names in camelCase (CONTRACT.md conventions).
 */
import { z } from "zod";
import { fraction, looseFraction, looseNumber, nonNegativeNumber, positiveInt, positiveNumber } from "./numbers.ts";

export const PrecisionName = z.enum(["fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"], {
  error: (i) => `unknown precision ${JSON.stringify(i.input)} (one of fp32, tf32, bf16, fp16, fp8, int8, fp4)`,
});

const id = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be a string") })
  .min(1, { error: "required" });

export const TrainScenario = z
  .object({
    model: id,
    tokens: positiveNumber,
    hardware: id.optional(),
    chips: positiveInt.optional(),
    precision: PrecisionName.optional(),
    tp: positiveInt.optional(),
    pp: positiveInt.optional(),
    dp: positiveInt.optional(),
    ep: positiveInt.optional(),
    cp: positiveInt.optional(),
    seqLen: positiveInt.optional(),
    globalBatchTokens: positiveNumber.optional(),
    microBatch: positiveInt.default(1),
    recompute: z.enum(["none", "selective", "full"]).optional(),
    sequenceParallel: z.boolean().default(false),
    ppInterleave: positiveInt.default(1),
    zero: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(1),
    mfu: fraction.optional(),
    goodput: fraction.default(1),
    priceUsdPerChipHour: nonNegativeNumber.optional(),
    pue: positiveNumber.default(1.1),
    powerFraction: fraction.default(1),
    gridKgCo2PerKwh: nonNegativeNumber.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.hardware === undefined) !== (s.chips === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [s.hardware === undefined ? "hardware" : "chips"],
        message: "--hardware and --chips go together",
      });
    }
    const hasLayout = s.tp !== undefined || s.pp !== undefined || s.dp !== undefined;
    if (hasLayout && s.chips !== undefined && s.tp !== undefined && s.pp !== undefined && s.dp !== undefined) {
      const product = s.tp * s.pp * s.dp * (s.cp ?? 1);
      if (product !== s.chips)
        ctx.addIssue({
          code: "custom",
          path: ["dp"],
          message: `tp × pp × dp × cp = ${product} but chips = ${s.chips}`,
        });
    }
  });
export type TrainScenario = z.infer<typeof TrainScenario>;

/** Defaults not expressible in the schema because they depend on the model (documented in docs/model.md §2.1). */
export const DEFAULT_TRAIN_SEQ_LEN_CAP = 8192;
export const DEFAULT_GLOBAL_BATCH_TOKENS = 4_194_304;

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
    const speculative =
      s.specDraft !== undefined || s.specMtp || s.specK !== undefined || s.specAcceptance !== undefined;
    if (speculative && (s.specK === undefined || s.specAcceptance === undefined))
      ctx.addIssue({
        code: "custom",
        path: [s.specK === undefined ? "specK" : "specAcceptance"],
        message: "speculative decoding needs --spec-k and --spec-acceptance",
      });
    if (speculative && s.specDraft === undefined && !s.specMtp && s.specDraftCost === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["specDraft"],
        message: "give a draft model (--spec-draft), --spec-mtp, or the draft cost ratio (--spec-draft-cost)",
      });
    if (s.images > 0 && s.imageTokens === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["imageTokens"],
        message: "--images needs --image-tokens (tokens per image from the model card)",
      });
    if (s.audioSeconds > 0 && s.audioTokensPerSecond === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["audioTokensPerSecond"],
        message: "--audio-seconds needs --audio-tokens-per-second",
      });
    if (s.videoSeconds > 0 && s.videoTokensPerSecond === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["videoTokensPerSecond"],
        message: "--video-seconds needs --video-tokens-per-second",
      });
  });
export type InferScenario = z.infer<typeof InferScenario>;
