/**
 * Scenario inputs shared by the CLI (flags and --scenario files), the HTTP API and URL state: one zod schema
 * per command, keys = the long flag names in camelCase (CONTRACT.md conventions).
 */
import { z } from "zod";
import { codedIssue } from "./messages.ts";
import { fraction, nonNegativeNumber, positiveInt, positiveNumber } from "./numbers.ts";
import { idField as id, PrecisionName, PriceBasisName, ScenarioDate } from "./scenario-fields.ts";

// Inference and serving schemas live in serving-scenario.ts: a `train` call (the CLI) then never builds them.
export * from "./scenario-fields.ts";
export * from "./serving-scenario.ts";

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
    /** Knobs left out are searched by the planner (docs/model.md §2.6). */
    microBatch: positiveInt.optional(),
    recompute: z.enum(["none", "selective", "full"]).optional(),
    /** Default: on whenever tp > 1. */
    sequenceParallel: z.boolean().optional(),
    ppInterleave: positiveInt.optional(),
    zero: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** Default: on for runs from 2023 on (`year`), else off. */
    flashAttention: z.boolean().optional(),
    year: positiveInt.optional(),
    schedule: z.enum(["1f1b", "interleaved", "zero-bubble", "dualpipe"]).optional(),
    tpOverlap: z.boolean().optional(),
    dpOverlap: z.boolean().optional(),
    epOverlap: z.enum(["none", "1f1b", "dualpipe"]).optional(),
    fp8Dispatch: z.boolean().optional(),
    nodeLimitedRouting: positiveInt.optional(),
    sharp: z.boolean().optional(),
    scaleUpDomain: positiveInt.optional(),
    /** A catalog system (systems/): its scale-up domain, scale-out and pod/DCN tiers time the collectives. */
    system: z.string().min(1).optional(),
    mfu: fraction.optional(),
    goodput: fraction.default(1),
    priceUsdPerChipHour: nonNegativeNumber.optional(),
    priceBasis: PriceBasisName.default("market"),
    today: ScenarioDate,
    /** Power usage effectiveness; default the catalog's AI-data-centre PUE (cost-inputs.ts `pueFor`: 1.2). */
    pue: positiveNumber.optional(),
    powerFraction: fraction.default(1),
    gridKgCo2PerKwh: nonNegativeNumber.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.hardware === undefined) !== (s.chips === undefined)) {
      ctx.addIssue(
        codedIssue([s.hardware === undefined ? "hardware" : "chips"], "fields-go-together", {
          fields: ["hardware", "chips"],
        }),
      );
    }
    const hasLayout = s.tp !== undefined || s.pp !== undefined || s.dp !== undefined;
    if (hasLayout && s.chips !== undefined && s.tp !== undefined && s.pp !== undefined && s.dp !== undefined) {
      const product = s.tp * s.pp * s.dp * (s.cp ?? 1);
      if (product !== s.chips) ctx.addIssue(codedIssue(["dp"], "layout-product-mismatch", { product, chips: s.chips }));
    }
  });
export type TrainScenario = z.infer<typeof TrainScenario>;
