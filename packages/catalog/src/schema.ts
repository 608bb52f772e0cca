/**
 * Catalog file schemas. Every number in the catalog is a `Sourced` quantity: value + unit + source id
 * (+ where in the source) + kind; an unknown number is `{ value: null, reason }`, never a guess.
 * See docs/catalog.md for how to add a chip, a system, a model or a price.
 */
import { z } from "zod";

/** Closed list of unit strings the loader knows how to turn into base units. */
export const CatalogUnit = z.enum([
  "GB", // 1e9 bytes
  "GiB", // 2^30 bytes
  "MB", // 1e6 bytes (on-chip SRAM)
  "TB/s", // 1e12 bytes per second
  "GB/s", // 1e9 bytes per second (per direction unless the note says otherwise)
  "Gbit/s", // 1e9 bits per second
  "TFLOP/s", // 1e12 floating-point operations per second
  "TOP/s", // 1e12 integer operations per second
  "W",
  "chips",
  "USD",
  "USD/h",
  "USD/kWh",
  "USD/kW-month",
  "ratio",
  "years",
  "s",
]);
export type CatalogUnit = z.infer<typeof CatalogUnit>;

/** How a number is known: a vendor spec, a measurement, someone's estimate, our own calibration fit, or arithmetic. */
export const ValueKind = z.enum(["spec", "measured", "estimate", "calibrated", "derived"]);

const SourceId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "source ids are kebab-case");

export const KnownQuantity = z
  .object({
    value: z.number().finite().nonnegative(),
    unit: CatalogUnit,
    source: SourceId,
    where: z.string().min(1).optional(),
    kind: ValueKind,
    note: z.string().optional(),
  })
  .strict();

export const UnknownQuantity = z
  .object({
    value: z.null(),
    reason: z.string().min(3),
    source: SourceId.optional(),
    where: z.string().optional(),
  })
  .strict();

export const Sourced = z.union([KnownQuantity, UnknownQuantity]);
export type Sourced = z.infer<typeof Sourced>;

/** Precisions in which peak matrix throughput is stated (always dense, never 2:4 sparse). */
export const Precision = z.enum(["fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"]);
export type Precision = z.infer<typeof Precision>;

export const PeakThroughput = z
  .object({
    value: z.number().finite().positive(),
    unit: z.enum(["TFLOP/s", "TOP/s"]),
    sparsity: z.literal("dense"),
    source: SourceId,
    where: z.string().optional(),
    kind: ValueKind,
    note: z.string().optional(),
  })
  .strict();

export const AcceleratorFile = z
  .object({
    id: z.string(),
    aliases: z.array(z.string()).default([]),
    vendor: z.string(),
    name: z.string(),
    /** Calibration family: chips in one family share priors (e.g. "nvidia-hopper", "google-tpu"). */
    family: z.string(),
    year: z.number().int().min(2010).max(2030),
    formFactor: z.string().optional(),
    memory: Sourced,
    memoryType: z.string().optional(),
    memoryBandwidth: Sourced,
    /** Dense peak per precision; a precision the chip cannot run natively is `{ value: null, reason }`. */
    peak: z.record(Precision, z.union([PeakThroughput, UnknownQuantity])),
    /** Scale-up (NVLink / Infinity Fabric / ICI / …) bandwidth per chip, one direction. */
    scaleUpBandwidth: Sourced,
    scaleUpDomain: Sourced,
    /** Scale-out network bandwidth per chip (usually from the reference system, not the chip). */
    scaleOutBandwidth: Sourced,
    tdp: Sourced,
    notes: z.string().optional(),
    /** Further sources consulted (cross-checks, conflicting figures), by id. */
    seeAlso: z.array(SourceId).optional(),
  })
  .strict();
export type AcceleratorFile = z.infer<typeof AcceleratorFile>;

export const SystemFile = z
  .object({
    id: z.string(),
    name: z.string(),
    vendor: z.string(),
    accelerator: z.string(),
    chipsPerNode: Sourced,
    scaleUpDomain: Sourced,
    scaleUpBandwidth: Sourced,
    scaleOutBandwidth: Sourced,
    /** Chips sharing the scale-out fabric at full bisection bandwidth (a pod); absent: the whole cluster. */
    podChips: Sourced.optional(),
    /** Per-chip bandwidth between pods (aggregation layer / data-centre network), one direction. */
    dcnBandwidth: Sourced.optional(),
    notes: z.string().optional(),
  })
  .strict();
export type SystemFile = z.infer<typeof SystemFile>;

export const SourceEntry = z
  .object({
    title: z.string().min(3),
    url: z.string().optional(),
    publisher: z.string().optional(),
    published: z.string().optional(),
    accessed: z.string().optional(),
  })
  .strict();
export const SourcesFile = z.record(SourceId, SourceEntry);

const Count = z.number().int().nonnegative();
const PositiveCount = z.number().int().positive();

/** Mixture-of-experts FFN: `layers - firstDenseLayers` layers route each token to `active` of `experts` experts (+ `shared` always-on experts). */
export const MoeArchitecture = z
  .object({
    experts: PositiveCount,
    active: PositiveCount,
    shared: Count,
    expertFfn: PositiveCount,
    firstDenseLayers: Count,
    /** All dense-FFN layers when they are interleaved (Llama 4 Maverick, Qwen `mlp_only_layers`); default firstDenseLayers. */
    denseLayers: Count.optional(),
    routerBias: z.boolean().default(false),
    expertBias: z.boolean().default(false),
    /** Intermediate size of each shared expert when it differs from expertFfn (Qwen2-MoE). */
    sharedExpertFfn: PositiveCount.optional(),
    /** hidden→1 sigmoid gate on the shared expert (Qwen2-MoE). */
    sharedExpertGate: z.boolean().optional(),
    normTopkProb: z.boolean().optional(),
  })
  .strict();

/** Local attention on `layers` of the layers: a sliding window or fixed chunks of `tokens` (docs/model.md §1.5). */
export const AttentionWindow = z
  .object({ kind: z.enum(["sliding", "chunked"]), tokens: PositiveCount, layers: PositiveCount })
  .strict();

/** Multi-head latent attention (DeepSeek-V2/V3): low-rank Q and a compressed KV latent that is what gets cached. */
export const MlaArchitecture = z
  .object({
    qLoraRank: Count,
    kvLoraRank: PositiveCount,
    qkRopeHeadDim: PositiveCount,
    qkNopeHeadDim: PositiveCount,
    vHeadDim: PositiveCount,
  })
  .strict();

export const Architecture = z
  .object({
    layers: PositiveCount,
    hidden: PositiveCount,
    heads: PositiveCount,
    kvHeads: PositiveCount,
    headDim: PositiveCount,
    /** Dense FFN intermediate size (for MoE models: the dense layers' size, or 0 if none). */
    ffn: Count,
    ffnGated: z.boolean(),
    vocab: PositiveCount,
    tiedEmbeddings: z.boolean(),
    maxContext: PositiveCount,
    positionEmbedding: z.enum(["learned", "rope", "alibi", "relative"]),
    /** Learned position table rows (maxContext unless the model adds an offset, e.g. OPT's +2). */
    positionTableRows: Count.optional(),
    norm: z.enum(["layernorm", "rmsnorm"]),
    /** Hidden-sized norms per layer (2 for pre-norm attention + MLP; 1 for GPT-J's parallel block; 4 for Gemma 2). */
    normsPerLayer: Count,
    /** Extra norm on the embeddings (BLOOM). */
    embeddingNorm: z.boolean().default(false),
    qkNorm: z.boolean().default(false),
    /** q/k norm over one head (default) or the whole projection (OLMo 2). */
    qkNormWidth: z.enum(["head", "projection"]).optional(),
    window: AttentionWindow.optional(),
    /** One learned sink logit per head per layer (gpt-oss). */
    attentionSinks: z.boolean().optional(),
    qkvBias: z.boolean(),
    outBias: z.boolean(),
    mlpBias: z.boolean(),
    lmHeadBias: z.boolean().default(false),
    moe: MoeArchitecture.optional(),
    mla: MlaArchitecture.optional(),
  })
  .strict();
export type Architecture = z.infer<typeof Architecture>;

export const PublishedCount = z
  .object({ value: z.number().positive(), source: SourceId, where: z.string().optional(), note: z.string().optional() })
  .strict();

export const ModelFile = z
  .object({
    id: z.string(),
    name: z.string(),
    family: z.string(),
    year: z.number().int().min(2017).max(2030),
    source: SourceId,
    where: z.string().min(3),
    architecture: Architecture,
    published: z.object({ paramsTotal: PublishedCount, paramsActive: PublishedCount }).strict(),
    /** Training tokens stated by the model's authors (used by the claims checker and examples). */
    trainingTokens: PublishedCount.optional(),
    notes: z.string().optional(),
    /** Further sources consulted (cross-checks, exact counts), by id. */
    seeAlso: z.array(SourceId).optional(),
  })
  .strict();
export type ModelFile = z.infer<typeof ModelFile>;

/** One fitted efficiency parameter: its value, the reference rows it was fitted on, and the residual spread. */
export const FittedParameter = z
  .object({
    value: z.number().positive().max(1),
    kind: z.enum(["calibrated", "assumption"]),
    /** Row ids of ../shared/reference/*.csv used in the fit (empty for an assumption). */
    rows: z.array(z.string()),
    /** Chips that had rows of their own (others in the family use this value unvalidated). */
    chips: z.array(z.string()),
    /** Throughput multipliers spanning the fit residuals (10th and 90th percentile), low ≤ 1 ≤ high. */
    band: z.object({ low: z.number().positive(), high: z.number().positive() }).strict(),
    note: z.string().optional(),
  })
  .strict();
export type FittedParameter = z.infer<typeof FittedParameter>;

/** Each chip's rows predicted from a fit that excludes that chip (out-of-sample error). */
export const LeaveOneChipOut = z
  .object({
    medianAbsError: z.number(),
    cases: z.array(
      z
        .object({ id: z.string(), hardware: z.string(), errorRatio: z.number(), prior: z.enum(["family", "global"]) })
        .strict(),
    ),
  })
  .strict();

/** What every fitted calibration file says about how it was made (scripts/calibrate-*.ts). */
const calibrationProvenance = { fittedAt: z.string(), script: z.string(), method: z.string() };

/** Out-of-sample errors of one leave-one-group-out scheme (chip, model family or framework held out and refitted). */
export const LeaveOneGroupOut = z
  .object({
    medianAbsError: z.number(),
    cases: z.array(z.object({ id: z.string(), group: z.string(), errorRatio: z.number(), prior: z.string() }).strict()),
  })
  .strict();

/** PhysicalFractions-shaped fit of one chip generation (core/perf/roofline.ts); absent fields use the prior. */
const FractionsFit = z
  .object({
    matmulPeakFraction: FittedParameter.optional(),
    lowPrecisionMatmulPeakFraction: FittedParameter.optional(),
  })
  .strict();

export const TrainingCalibrationFile = z
  .object({
    ...calibrationProvenance,
    /** Fitted per chip generation (accelerator `family`). */
    families: z.record(z.string(), FractionsFit),
    /** Pooled fit + sourced constants, for generations without rows (unvalidated). */
    prior: z
      .object({
        matmulPeakFraction: FittedParameter,
        lowPrecisionMatmulPeakFraction: FittedParameter,
        /** Attention fraction = matmul fraction × this ratio (prior 0.6/0.75, docs/model.md §2.7). */
        attentionToMatmulRatio: z.number().positive(),
        hbmFraction: z.number().positive().max(1),
        busBandwidthFraction: z.number().positive().max(1),
        gemmHalfDim: z
          .object({ m: z.number().positive(), n: z.number().positive(), k: z.number().positive() })
          .strict(),
        basis: z.string(),
      })
      .strict(),
    /** Rows the model cannot reproduce with a fraction ≤ 1 (kept in the ledger; they name a missing mechanism). */
    misses: z.array(z.object({ id: z.string(), impliedFraction: z.number() }).strict()).default([]),
    leaveOneChipOut: LeaveOneChipOut.optional(),
    leaveOneModelFamilyOut: LeaveOneGroupOut.optional(),
    leaveOneFrameworkOut: LeaveOneGroupOut.optional(),
  })
  .strict();
export type TrainingCalibrationFile = z.infer<typeof TrainingCalibrationFile>;

/** The physical fractions of the per-op roofline (core/perf/roofline.ts `PhysicalFractions`, without the basis). */
export const InferenceFractions = z
  .object({
    matmulPeakFraction: z.number().positive().max(1),
    attentionPeakFraction: z.number().positive().max(1),
    hbmFraction: z.number().positive().max(1),
    busBandwidthFraction: z.number().positive().max(1),
    gemmHalfDim: z.object({ m: z.number().positive(), n: z.number().positive(), k: z.number().positive() }).strict(),
  })
  .strict();
export type InferenceFractions = z.infer<typeof InferenceFractions>;

/** One fit of the fractions: which were fitted (the rest are the prior's), on which rows, and the residual band. */
export const InferenceFit = z
  .object({
    fractions: InferenceFractions,
    fitted: z.array(z.enum(["matmulPeakFraction", "hbmFraction"])),
    rows: z.array(z.string()),
    chips: z.array(z.string()),
    band: z.object({ low: z.number().positive(), high: z.number().positive() }).strict(),
    note: z.string().optional(),
  })
  .strict();
export type InferenceFit = z.infer<typeof InferenceFit>;

/** Rows predicted by a fit that excluded their group (chip, model family or vendor): out-of-sample errors. */
export const HeldOutErrors = z
  .object({
    medianAbsError: z.number(),
    /** Each held-out group's fit: the fractions it predicted with and the rows it was fitted on (never its own). */
    folds: z.array(
      z
        .object({
          group: z.string(),
          fits: z.record(z.string(), InferenceFit),
          /** The prior weight this fold chose on its own training rows (inner leave-one-chip-out, nested CV). */
          priorWeight: z
            .object({ value: z.number().nonnegative(), innerMedianAbsError: z.record(z.string(), z.number()) })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    cases: z.array(
      z
        .object({
          id: z.string(),
          hardware: z.string(),
          group: z.string(),
          errorRatio: z.number(),
          /** The fit that predicted the row: its generation's (from other chips' rows) or the pooled prior. */
          prior: z.string(),
        })
        .strict(),
    ),
  })
  .strict();
export type HeldOutErrors = z.infer<typeof HeldOutErrors>;

/** A measured ceiling: the fraction of the datasheet peak a microbenchmark reaches on this chip (GEMM, HBM stream). */
export const MeasuredCeiling = z
  .object({
    matmul: z.number().positive().max(1),
    hbm: z.number().positive().max(1),
    source: z.string(),
    where: z.string(),
  })
  .strict();
export type MeasuredCeiling = z.infer<typeof MeasuredCeiling>;

export const InferenceCalibrationFile = z
  .object({
    ...calibrationProvenance,
    /**
     * Chips whose microbenchmarks reach a different share of their datasheet peak than the chips the prior was
     * fitted on: a chip without rows of its generation gets the prior × (its ceiling ÷ the reference ceiling).
     */
    measuredCeilings: z.object({ reference: MeasuredCeiling, chips: z.record(z.string(), MeasuredCeiling) }).strict(),
    /** Engine's fixed cost per scheduler iteration (an assumption shared by every chip). */
    stepOverheadS: z.object({ value: z.number().nonnegative(), basis: z.string() }).strict(),
    /** Weight λ of the pull toward the roofline prior in the fit's loss, chosen by nested cross-validation. */
    priorWeight: z
      .object({
        value: z.number().nonnegative(),
        candidates: z.array(z.number().nonnegative()),
        method: z.string(),
        /** Leave-one-chip-out median |error| over all dev rows for each candidate (the choice). */
        innerMedianAbsError: z.record(z.string(), z.number()),
        /** Held-out medians at each fixed λ: shown for disclosure, never used to choose. */
        heldOutAtFixedWeight: z.record(
          z.string(),
          z.object({ leaveOneChipOut: z.number(), leaveOneModelFamilyOut: z.number(), AMD: z.number() }).strict(),
        ),
      })
      .strict()
      .optional(),
    /** Vendor-neutral prior: all rows pooled; used by chips whose generation has no rows (unvalidated). */
    prior: InferenceFit,
    /** Fits per chip generation (the accelerator's `family`), keyed by generation. */
    generations: z.record(z.string(), InferenceFit),
    leaveOneChipOut: HeldOutErrors,
    leaveOneModelFamilyOut: HeldOutErrors,
    /** Every row of a vendor predicted from a fit with none of that vendor's rows (AMD: the NVIDIA/Intel/Google prior). */
    vendorHeldOut: z.record(z.string(), HeldOutErrors),
  })
  .strict();
export type InferenceCalibrationFile = z.infer<typeof InferenceCalibrationFile>;

/**
 * Market segment of a rental price (docs/claims.md "Price method"): hyperscaler list on-demand, reserved or committed
 * use, short-term capacity blocks, neo-cloud on-demand (Lambda, CoreWeave, RunPod…), marketplaces (Vast.ai…), spot.
 */
export const RentalKind = z.enum([
  "hyperscaler-on-demand",
  "reserved",
  "capacity-block",
  "neocloud-on-demand",
  "marketplace",
  "spot",
]);
export type RentalKind = z.infer<typeof RentalKind>;

/** A dated price or cost input (docs/catalog.md "Prices"). Ranges keep their ends; `value` is the midpoint. */
export const PriceFile = z
  .object({
    id: z.string(),
    item: z.string(),
    kind: z.enum([
      "list",
      "street",
      "analyst-estimate",
      "cloud-on-demand",
      "cloud-reserved",
      "cloud-spot",
      "server",
      "electricity",
      "pue",
      "hosting",
      "other",
    ]),
    /** Rental prices only: which market segment the price is from. */
    rentalKind: RentalKind.optional(),
    value: z.number().nonnegative().nullable(),
    low: z.number().nonnegative().optional(),
    high: z.number().nonnegative().optional(),
    unit: z.enum([
      "USD/chip",
      "USD/chip-hour",
      "USD/server",
      "USD/kWh",
      "USD/kW-month",
      "ratio",
      "years",
      "USD/day",
      "USD/query",
      "USD",
      "chips",
      "queries/year",
      "percent",
    ]),
    /** Chips one priced unit holds (a server, an instance, a rack): per-chip value = value ÷ chipsPerUnit. */
    chipsPerUnit: z.number().int().positive().default(1),
    /** Catalog accelerator ids this price is for (empty for site-level inputs such as electricity). */
    appliesTo: z.array(z.string()),
    asOf: z.string().regex(/^~?\d{4}/, "asOf starts with a year"),
    region: z.string().optional(),
    commitment: z.string().optional(),
    source: SourceId,
    notes: z.string().optional(),
    /** Why the value is null (unconfirmed), or why a row must not be used. */
    reason: z.string().optional(),
    doNotUse: z.boolean().default(false),
  })
  .strict();
export type PriceFile = z.infer<typeof PriceFile>;

/** The seed articles a claim can be quoted from (../shared/reference/seeds/NNN_<16 hex>.txt). */
export const SeedFile = z
  .string()
  .regex(/^\d{3}_[0-9a-f]{16}\.txt$/, "a seed article file name, e.g. 002_0b8073eb0ffeaba9.txt");

/** Where a claim's input comes from; `article` = a premise stated in the seed article (never the tested figure). */
export const ClaimInputKind = z.enum(["reference", "estimate", "article", "assumption"]);

/**
 * A published claim to reproduce (docs/claims.md): data only; packages/contract/src/claims.ts evaluates it. The
 * published figure is never an input: the claim's inputs come from other sources, each named, and `published` and
 * the `reproduced` quantity are the same quantity in the same unit.
 */
export const ClaimFile = z
  .object({
    id: z.string(),
    /** The seed article the claim is quoted from. */
    source: SeedFile,
    /** The article's date (YYYY-MM): dated inputs such as prices are taken as of it. */
    date: z.string().regex(/^\d{4}-\d{2}$/),
    /** The article's words (original language), for the reader to check the attribution. */
    quote: z.string().min(3),
    claim: z.string().min(3),
    /** The published figure; a hedged claim ("more than", "several", "3-4") carries its range in low/high. */
    published: z
      .object({
        value: z.number().nullable(),
        low: z.number().optional(),
        high: z.number().optional(),
        unit: z.string(),
      })
      .strict(),
    /** Inputs: each with its value, unit, source and what kind of source it is. */
    assumptions: z.array(
      z
        .object({
          name: z.string().regex(/^[A-Za-z_]\w*$/),
          value: z.union([z.number(), z.string()]),
          unit: z.string().optional(),
          source: z.string().min(3),
          kind: ClaimInputKind,
        })
        .strict(),
    ),
    /** Computed in order; an expression may use assumptions, earlier quantities and the functions in docs/claims.md. */
    quantities: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z_]\w*$/),
            label: z.string(),
            expression: z.string(),
            unit: z.string(),
          })
          .strict(),
      )
      .min(1),
    /** The quantity compared with `published` (same unit), or null when it cannot be reproduced. */
    reproduced: z.string().nullable(),
    /** Quantities bounding the reproduction (from dated price ranges or stated assumption ranges). */
    reproducedLow: z.string().optional(),
    reproducedHigh: z.string().optional(),
    verdict: z.discriminatedUnion("kind", [
      /** Point claim: |reproduced ÷ published − 1| ≤ tolerance; hedged claim: reproduced within [low, high]. */
      z
        .object({ kind: z.literal("compare"), tolerance: z.number().nonnegative(), toleranceBasis: z.string() })
        .strict(),
      /** An estimate checked against our own uncertain reproduction: published within [reproducedLow, reproducedHigh]. */
      z.object({ kind: z.literal("within-reproduced-range") }).strict(),
      z
        .object({ kind: z.literal("fixed"), verdict: z.enum(["holds", "off", "unverifiable", "premise-false"]) })
        .strict(),
    ]),
    /** Text with {quantity} placeholders, {published} and {ratio} (reproduced ÷ published). */
    explanation: z.string().min(10),
  })
  .strict();
export type ClaimFile = z.infer<typeof ClaimFile>;
