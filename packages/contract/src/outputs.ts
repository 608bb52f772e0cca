/**
 * Output schemas: the one shape of every command's result (issue #15 item 5, "one shape per result").
 *
 * The CLI's `--json`, the HTTP API (its OpenAPI 200 responses are generated from these), the web app (its result
 * types are `z.infer` of these) and `sweep` rows (`{scenario, result}`) all describe the same objects. Objects are
 * strict: a field a planner emits that is not listed here fails `commands.test.ts`, so adding a result field means
 * adding it here (with its unit in the name, CONTRACT.md conventions). `commands.ts` checks at compile time that
 * each planner's return type fits its schema.
 */
import { AttentionWindow, MoeArchitecture } from "@flopcast/catalog/schema";
import { z } from "zod";

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const num = z.number();
const numOrNull = z.number().nullable();
/** A derived quantity rounded for output (`roundTo`): null when it is not finite (e.g. an infeasible plan). */
const q = numOrNull;

// ── Shared pieces ───────────────────────────────────────────────────────────────────────────────────────────────

/** One catalog source behind a number: which field, which document, where in it. */
export const SourceOutput = z.strictObject({
  field: z.string(),
  id: z.string(),
  title: z.string(),
  url: z.string().optional(),
  where: z.string().optional(),
  kind: z.string().optional(),
});

/** One term of a derivation (core/perf/derivation.ts `Term`). */
export const TermOutput = z.strictObject({ name: z.string(), formula: z.string(), value: q, unit: z.string() });

/** A number that is ours (labelled as an assumption in every adapter). */
export const AssumptionOutput = z.strictObject({
  name: z.string(),
  value: z.union([num, z.string()]),
  unit: z.string().optional(),
  basis: z.string(),
});

/** The values a coded message was made from (messages.ts): numbers in base units, names, or lists of names. */
const MessageParamsOutput = z.record(z.string(), z.union([z.string(), num, z.boolean(), z.null(), list(z.string())]));

/**
 * A warning as data: `code` for programs (docs/messages.md lists every code), `params` (the values behind it),
 * `message` (English, rendered for the reader: flags on the CLI, JSON field names in the API and the web app).
 */
export const MessageOutput = z.strictObject({ code: z.string(), params: MessageParamsOutput, message: z.string() });

/** Why a plan is infeasible: a coded message; memory reasons also carry the bytes needed and available. */
export const ReasonOutput = MessageOutput.extend({
  requiredBytes: num.optional(),
  availableBytes: num.optional(),
});

/** Bad input (exit 2 / HTTP 4xx): where, what, and what to do. `code`/`params` when the message is coded. */
export const ProblemOutput = z.strictObject({
  path: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  /** messages.ts code (programs switch on it) and the values the message was made from. */
  code: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const ProblemsOutput = z.strictObject({ problems: list(ProblemOutput) });

const RentalRecordOutput = z.strictObject({
  id: z.string(),
  date: z.string(),
  kind: z.string(),
  usdPerChipHour: num,
  ageYears: num,
});

/** The rental price behind a cost: median of the dated records on a basis, with its range and records. */
export const RentalPriceOutput = z.strictObject({
  median: numOrNull,
  low: numOrNull,
  high: numOrNull,
  asOf: z.string().nullable(),
  ageYears: numOrNull,
  basis: z.string(),
  scenarioDate: z.string(),
  stale: z.boolean(),
  records: list(RentalRecordOutput),
  reason: z.string().optional(),
  given: z.boolean().optional(),
});

/** The purchase price behind owned costs (chip, and chip with its server and network share). */
const PurchasePriceFound = z.strictObject({
  purchaseUsdPerChip: num,
  purchaseLowUsdPerChip: num,
  purchaseHighUsdPerChip: num,
  capexUsdPerChip: num,
  capexLowUsdPerChip: num,
  capexHighUsdPerChip: num,
  asOf: z.string(),
  ageYears: num,
  chipDerivedFromServer: z.boolean(),
  serverOverheadFraction: num,
  networkShareFraction: num,
  serverCheckUsdPerChip: numOrNull,
  method: z.string(),
  records: list(z.strictObject({ id: z.string(), date: z.string(), kind: z.string(), usdPerChip: num, ageYears: num })),
});
/** No public purchase price: a coded reason. */
const PurchasePriceMissing = z.strictObject({
  purchaseUsdPerChip: z.null(),
  capexUsdPerChip: z.null(),
  reason: z.string(),
  reasonDetail: z.string().optional(),
});
export const PurchasePriceOutput = z.union([PurchasePriceFound, PurchasePriceMissing]);
/** A value the user gave (`basis: "given"`) instead of a catalog lookup. */
const Given = z.strictObject({ value: num, basis: z.string() });

/** A dated cost input (energy price, PUE, hosting, depreciation) with the catalog point it came from. */
const CostPointOutput = z.strictObject({
  value: num,
  unit: z.string(),
  pointId: z.string(),
  kind: z.string(),
  asOf: z.string(),
  ageYears: numOrNull,
  basis: z.string(),
});

const LatencyOutput = z.strictObject({ p50: q, p90: q, p99: q, mean: q });
const PrecisionTripleOutput = z.strictObject({ weights: z.string(), kvCache: z.string(), compute: z.string() });

// ── train ───────────────────────────────────────────────────────────────────────────────────────────────────────

const TrainSettingsOutput = z.strictObject({
  microBatch: num,
  recompute: z.string(),
  sequenceParallel: z.boolean(),
  ppInterleave: num,
  schedule: z.string(),
  zero: num,
  flashAttention: z.boolean(),
  tpOverlap: z.boolean(),
  dpOverlap: z.boolean(),
  epOverlap: z.string(),
});
const TrainParallelismOutput = z.strictObject({ tp: num, pp: num, dp: num, ep: num, cp: num });

/** `train` without hardware: the model's FLOPs only. */
export const TrainFlopsOutput = z.strictObject({
  model: z.string(),
  tokens: num,
  seqLenTokens: num,
  flops: num,
  flops6nd: num,
  pfDays: q,
  sources: list(SourceOutput),
});

/** `train` with hardware and chips: the cluster plan (CONTRACT.md `train`). */
export const TrainClusterOutput = TrainFlopsOutput.extend({
  hardware: z.string().optional(),
  chips: num.optional(),
  precision: z.string(),
  feasible: z.boolean(),
  reasons: list(ReasonOutput),
  parallelism: TrainParallelismOutput,
  recompute: z.string(),
  globalBatchTokens: num,
  settings: TrainSettingsOutput,
  calibration: z.string(),
  mfu: q,
  mfuSource: z.string(),
  hfu: q,
  stepTimeS: q,
  days: q,
  daysLow: q,
  daysHigh: q,
  chipHours: q,
  costUsd: numOrNull,
  price: RentalPriceOutput.nullable(),
  costLowUsd: numOrNull,
  costHighUsd: numOrNull,
  energyMwh: numOrNull,
  co2Tonnes: numOrNull,
  memoryPerChipGb: q,
  memoryBreakdownGb: z.strictObject({ weights: q, gradients: q, optimizer: q, activations: q }),
  microBatchesPerStep: q,
  bottleneck: z.string(),
  /** Seconds per optimizer step by term (compute, tensorParallel, …, step). */
  stepBreakdownS: z.record(z.string(), q),
  terms: list(TermOutput),
  assumptions: list(AssumptionOutput),
  warnings: list(MessageOutput),
  alternatives: list(
    z.strictObject({
      parallelism: TrainParallelismOutput,
      recompute: z.string(),
      settings: TrainSettingsOutput,
      lostBecause: z.string(),
      stepTimeS: q,
      mfu: q,
      memoryPerChipGb: q,
    }),
  ),
  evaluatedLayouts: num,
});
export const TrainOutput = z.union([TrainClusterOutput, TrainFlopsOutput]);
export type TrainOutput = z.infer<typeof TrainOutput>;
export type TrainClusterOutput = z.infer<typeof TrainClusterOutput>;

// ── infer ───────────────────────────────────────────────────────────────────────────────────────────────────────

const StepOutput = z.strictObject({
  computeMs: q,
  memoryMs: q,
  opsMs: q,
  communicationMs: q,
  overheadMs: q,
  totalMs: q,
  flops: num,
  bytes: num,
  bottleneck: z.string(),
  ops: list(
    z.strictObject({
      name: z.string(),
      computeMs: q,
      memoryMs: q,
      timeMs: q,
      bound: z.string(),
      efficiency: q,
    }),
  ),
});

export const InferOutput = z.strictObject({
  model: z.string(),
  hardware: z.string(),
  chips: num,
  parallelism: z.strictObject({ tp: num, pp: num, ep: num, replicas: num }),
  precision: PrecisionTripleOutput,
  inputTokens: num,
  extraPrefillTokens: num,
  outputTokens: num,
  batch: num,
  feasible: z.boolean(),
  reasons: list(ReasonOutput),
  ttftMs: q,
  tpotMs: q,
  isolated: z.strictObject({ ttftMs: q, tpotMs: q }),
  atLoad: z.strictObject({
    batch: num,
    activeSequences: num,
    queueWaitMs: q,
    ttftMs: q,
    tpotMs: q,
    outputTokensPerSPerUser: q,
    prefillTokensPerStep: q,
    outputTokensPerS: q,
  }),
  outputTokensPerS: q,
  outputTokensPerSLow: q,
  outputTokensPerSHigh: q,
  outputTokensPerSPerChip: q,
  maxBatch: num,
  memoryPerChipGb: q,
  memoryBreakdownGb: z.strictObject({ weights: q, kvCache: q, workspace: q, usableCapacity: q }),
  kvBytesPerTokenPerChip: num,
  bottleneck: z.strictObject({ prefill: z.string(), decode: z.string() }),
  prefill: StepOutput,
  decodeStepAtMeanContext: StepOutput,
  steadyStep: StepOutput,
  speculative: z
    .strictObject({ expectedTokensPerStep: q, draftCostRatio: q, analyticSpeedup: q, modelledSpeedup: q })
    .optional(),
  /** Which efficiency profile the estimate used (the catalog's, or a `--calibration` file). */
  calibration: z.string().optional(),
  terms: list(TermOutput),
  assumptions: list(AssumptionOutput),
  warnings: list(MessageOutput),
  sources: list(SourceOutput),
});
export type InferOutput = z.infer<typeof InferOutput>;

// ── serve ───────────────────────────────────────────────────────────────────────────────────────────────────────

const PoolOutput = z.strictObject({
  workers: num,
  tp: num,
  pp: num,
  ep: num,
  dpAttention: z.boolean(),
  chips: num,
});

export const ServeOutput = z.strictObject({
  model: z.string(),
  hardware: z.string(),
  chips: num,
  replicas: num,
  chipsPerReplica: num,
  layout: z.strictObject({
    mode: z.string(),
    aggregated: PoolOutput.optional(),
    prefill: PoolOutput.optional(),
    decode: PoolOutput.optional(),
  }),
  engine: z.strictObject({ id: z.string(), generic: z.boolean(), basis: z.string() }),
  scheduler: z.string(),
  router: z.string(),
  precision: PrecisionTripleOutput,
  requests: num,
  completed: num,
  durationS: q,
  throughputReqPerS: q,
  offeredRateReqPerS: numOrNull,
  servedRateReqPerS: q,
  overloaded: z.boolean(),
  outputTokensPerS: q,
  throughputTokensPerSPerChip: q,
  outputTokensPerSPerChip: q,
  outputTokensPerSPerUser: numOrNull,
  concurrency: num.optional(),
  warmupRequests: num.optional(),
  ttftMs: LatencyOutput,
  tpotMs: LatencyOutput,
  e2eMs: LatencyOutput,
  sloAttainment: q.optional(),
  goodputReqPerS: q.optional(),
  simulatedEvents: num,
  iterations: num,
  kvUtilisation: z.strictObject({ mean: q, max: q }),
  preemptions: num,
  prefixCacheHitRate: numOrNull,
  loraLoads: num,
  seed: num,
  /** Speculative decoding as simulated (k draft tokens, acceptance α, and where they come from). */
  speculative: z.strictObject({ k: num, acceptance: num, basis: z.string() }).optional(),
  warnings: list(MessageOutput),
});
export type ServeOutput = z.infer<typeof ServeOutput>;

// ── fleet ───────────────────────────────────────────────────────────────────────────────────────────────────────

const FleetBase = {
  model: z.string(),
  hardware: z.string(),
  requestsPerDay: num,
  avgRateReqPerS: q,
  peakRateReqPerS: q,
  feasible: z.boolean(),
  reasons: list(ReasonOutput),
  replicas: num,
  chips: num,
  capexUsd: numOrNull,
  usdPerDay: numOrNull,
  usdPerMillionOutputTokens: numOrNull,
  usdPerQuery: numOrNull,
  powerMw: numOrNull,
  warnings: list(MessageOutput),
};

/** `fleet` when no layout meets the SLOs (or fits): the reasons, no costs. */
export const FleetInfeasibleOutput = z.strictObject(FleetBase);

/** `fleet` with a plan: replicas, chips, owned and rented cost, power, and the prices behind them. */
export const FleetPlanOutput = z.strictObject({
  ...FleetBase,
  chipsPerReplica: num,
  parallelism: z.strictObject({ tp: num, pp: num }),
  maxSeqsPerReplica: num,
  perReplicaRateReqPerS: q,
  p99TtftMsAtThatRate: q,
  p99TpotMsAtThatRate: q,
  headroomReplicas: num,
  utilisation: q,
  costBasis: z.string(),
  owned: z
    .strictObject({
      usdPerChipHour: q,
      breakdownUsdPerChipHour: z.strictObject({ capex: q, energy: q, hosting: q, maintenance: q }),
    })
    .nullable(),
  rented: z.strictObject({ usdPerChipHour: q, usdPerDay: q, usdPerMillionOutputTokens: q }).nullable(),
  prices: z.strictObject({
    purchase: z.union([
      PurchasePriceFound,
      PurchasePriceMissing,
      z.strictObject({ capexUsdPerChip: num, basis: z.string() }),
    ]),
    rental: RentalPriceOutput,
    usdPerKwh: z.union([CostPointOutput, Given]),
    pue: z.union([CostPointOutput, Given]),
    hostingUsdPerKwMonth: CostPointOutput,
    depreciationYears: CostPointOutput,
  }),
  assumptions: list(AssumptionOutput),
  candidatesEvaluated: num,
  desRuns: num,
});
export const FleetOutput = z.union([FleetPlanOutput, FleetInfeasibleOutput]);
export type FleetOutput = z.infer<typeof FleetOutput>;

// ── compare ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** One chip in a comparison. Training rows carry days and $; serving rows carry the fleet's $/1M and MW. */
export const CompareRowOutput = z.strictObject({
  hardware: z.string(),
  feasible: z.boolean(),
  chips: num,
  reasons: list(ReasonOutput),
  // training rows
  days: numOrNull.optional(),
  mfu: numOrNull.optional(),
  costUsd: numOrNull.optional(),
  costLowUsd: numOrNull.optional(),
  costHighUsd: numOrNull.optional(),
  costOwnedUsd: numOrNull.optional(),
  usdPerChipHour: numOrNull.optional(),
  energyMwh: numOrNull.optional(),
  bottleneck: z.string().nullable().optional(),
  // serving rows
  replicas: num.optional(),
  tp: numOrNull.optional(),
  usdPerMillionOutputTokens: numOrNull.optional(),
  usdPerDay: numOrNull.optional(),
  costBasis: z.string().nullable().optional(),
  capexUsd: numOrNull.optional(),
  powerMw: numOrNull.optional(),
  rentedUsdPerMillionOutputTokens: numOrNull.optional(),
  price: RentalPriceOutput.nullable().optional(),
  /** The purchase price the owned cost used, with its records and dates. */
  purchase: PurchasePriceOutput.nullable().optional(),
});
export const CompareOutput = z.strictObject({
  model: z.string(),
  goal: z.string(),
  rows: list(CompareRowOutput),
  /** `mixed-cost-basis` when serving rows were priced owned and rented. */
  warnings: list(MessageOutput),
});
export type CompareOutput = z.infer<typeof CompareOutput>;

// ── search ──────────────────────────────────────────────────────────────────────────────────────────────────────

export const SearchPointOutput = z.strictObject({
  hardware: z.string(),
  chips: num,
  parallelism: z.strictObject({ tp: num, pp: num, dp: num.optional(), ep: num.optional() }),
  costBasis: z.string(),
  // train goal
  days: num.optional(),
  costUsd: num.optional(),
  mfu: num.optional(),
  // serve goal
  precision: z.string().optional(),
  batch: num.optional(),
  ttftMs: num.optional(),
  tpotMs: num.optional(),
  outputTokensPerSPerChip: num.optional(),
  usdPerMillionOutputTokens: num.optional(),
});
export const SearchOutput = z.strictObject({
  goal: z.string(),
  front: list(SearchPointOutput),
  evaluated: num,
  pruned: num,
  /** Chips left out, each with why (a coded message; `params.hardware` names the chip). */
  skipped: list(MessageOutput),
  /** `mixed-cost-basis` when the serving front prices some chips owned and others rented. */
  warnings: list(MessageOutput),
  sloTtftMs: num.optional(),
  /** The chip-hour price of each chip in the cost objective, by the goal command's own method, with its records. */
  prices: list(
    z.strictObject({
      hardware: z.string(),
      method: z.enum(["rented", "owned"]),
      usdPerChipHour: num,
      rental: RentalPriceOutput,
      owned: z
        .strictObject({
          capexUsdPerChip: num,
          asOf: z.string().nullable(),
          records: list(
            z.strictObject({ id: z.string(), date: z.string(), kind: z.string(), usdPerChip: num, ageYears: num }),
          ),
        })
        .optional(),
    }),
  ),
});
export type SearchOutput = z.infer<typeof SearchOutput>;

// ── claims ──────────────────────────────────────────────────────────────────────────────────────────────────────

export const ClaimOutput = z.strictObject({
  id: z.string(),
  source: z.string(),
  /** The claim's date (prices are taken at it) and the sentence quoted from the source. */
  date: z.string(),
  quote: z.string(),
  claim: z.string(),
  published: numOrNull,
  publishedLow: numOrNull,
  publishedHigh: numOrNull,
  reproduced: numOrNull,
  reproducedLow: numOrNull,
  reproducedHigh: numOrNull,
  unit: z.string(),
  verdict: z.enum(["holds", "off", "unverifiable", "premise-false"]),
  verdictRule: z.string(),
  explanation: z.string(),
  inputs: list(
    z.strictObject({
      name: z.string(),
      value: z.union([z.string(), num]),
      source: z.string(),
      kind: z.string(),
      unit: z.string().optional(),
    }),
  ),
  /** Every quantity the reproduction computes, with its expression (`claims --explain`). */
  quantities: list(
    z.strictObject({ name: z.string(), label: z.string(), value: q, unit: z.string(), expression: z.string() }),
  ),
});
export const ClaimsOutput = list(ClaimOutput);
export type ClaimsOutput = z.infer<typeof ClaimsOutput>;

// ── validate ────────────────────────────────────────────────────────────────────────────────────────────────────

export const LedgerCaseOutput = z.strictObject({
  id: z.string(),
  estimator: z.enum(["training", "inference"]),
  metric: z.string(),
  hardware: z.string(),
  model: z.string(),
  expected: num,
  predicted: num,
  errorRatio: num,
  tolerance: num,
  withinTolerance: z.boolean(),
  fitted: z.boolean(),
  source: z.string(),
});
const ChipMetricOutput = z.strictObject({
  hardware: z.string(),
  metric: z.string(),
  cases: num,
  medianAbsError: num,
  worstErrorRatio: num,
});
const LedgerSummaryBase = {
  cases: num,
  medianAbsError: num,
  withinTolerance: num,
  byChipMetric: list(ChipMetricOutput),
};
/** `validate`: the ledger, its summary, per-estimator summaries and the training and inference fits' out-of-sample medians. */
export const ValidateOutput = z.strictObject({
  cases: list(LedgerCaseOutput),
  summary: z.strictObject({
    ...LedgerSummaryBase,
    byEstimator: z.record(z.string(), z.strictObject(LedgerSummaryBase)),
    trainingOutOfSample: z
      .strictObject({ leaveOneChipOut: numOrNull, leaveOneModelFamilyOut: numOrNull, leaveOneFrameworkOut: numOrNull })
      .optional(),
    inferenceOutOfSample: z
      .strictObject({
        leaveOneChipOut: numOrNull,
        leaveOneModelFamilyOut: numOrNull,
        vendorHeldOut: z.record(z.string(), num),
      })
      .optional(),
  }),
});
export type ValidateOutput = z.infer<typeof ValidateOutput>;

// ── hardware, model ─────────────────────────────────────────────────────────────────────────────────────────────

const PeakTflopsOutput = z.strictObject({
  fp32: numOrNull,
  tf32: numOrNull,
  bf16: numOrNull,
  fp16: numOrNull,
  fp8: numOrNull,
  int8: numOrNull,
  fp4: numOrNull,
});

export const HardwareSummaryOutput = z.strictObject({
  id: z.string(),
  vendor: z.string(),
  name: z.string(),
  family: z.string(),
  year: num,
  memoryGb: numOrNull,
  sramMb: numOrNull,
  memBandwidthTbPerS: numOrNull,
  peakTflops: PeakTflopsOutput,
  peakBf16Tflops: numOrNull,
  tdpW: numOrNull,
  rentalUsdPerChipHour: numOrNull,
  ownedUsdPerDay: numOrNull,
});
export const HardwareListOutput = list(HardwareSummaryOutput);

export const HardwareShowOutput = z.strictObject({
  id: z.string(),
  aliases: list(z.string()),
  vendor: z.string(),
  name: z.string(),
  family: z.string(),
  year: num,
  memoryGb: numOrNull,
  sramMb: numOrNull,
  memoryType: z.string().nullable(),
  memBandwidthTbPerS: numOrNull,
  peakTflops: PeakTflopsOutput,
  peakUnit: z.string(),
  scaleUpGbPerS: numOrNull,
  scaleUpDomainChips: numOrNull,
  scaleOutGbitPerS: numOrNull,
  tdpW: numOrNull,
  price: z.strictObject({
    purchaseUsdPerChip: numOrNull,
    capexUsdPerChip: numOrNull,
    purchase: PurchasePriceOutput,
    rentalUsdPerChipHour: RentalPriceOutput,
    ownedUsdPerDay: numOrNull,
    ownedReason: z.string().optional(),
  }),
  /** Fields with no value, each with its reason (`code: why`). */
  unknown: z.record(z.string(), z.string()),
  notes: z.string().nullable(),
  sources: list(SourceOutput),
});
export type HardwareShowOutput = z.infer<typeof HardwareShowOutput>;

export const ModelShowOutput = z.strictObject({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  paramsTotal: num,
  paramsActive: num,
  paramsPublishedTotal: numOrNull,
  paramsPublishedActive: numOrNull,
  layers: num,
  hidden: num,
  heads: num,
  kvHeads: num,
  headDim: num,
  ffn: num,
  vocab: num,
  maxContextTokens: num,
  attention: z.string(),
  moe: MoeArchitecture.extend({ moeLayers: num, denseLayers: num, activeFfnWidth: num }).nullable(),
  localAttention: AttentionWindow.nullable(),
  attentionSinks: z.boolean(),
  contextTokens: num,
  flopsPerTokenForward: num,
  kvBytesPerTokenBf16: num,
  kvBytesPerTokenBf16AllLayers: num,
  weightGbBf16: num,
  /** Parameters by part (core/model/params.ts). */
  breakdown: z.strictObject({
    embedding: num,
    positions: num,
    lmHead: num,
    attentionPerLayer: num,
    normsPerLayer: num,
    denseMlpPerLayer: num,
    moeMlpPerLayerTotal: num,
    moeMlpPerLayerActive: num,
    finalNorm: num,
    total: num,
    active: num,
  }),
  sources: list(SourceOutput),
});
export type ModelShowOutput = z.infer<typeof ModelShowOutput>;

/** `GET /v1/models`: the model catalog, one line per model. */
export const ModelListOutput = list(
  z.strictObject({ id: z.string(), name: z.string(), family: z.string(), year: num }),
);

// ── sweep ───────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One line of a sweep's JSONL (`flopcast sweep`, docs/sweep.md): the scenario index, the grid it belongs to, the
 * scenario, and the result of the grid's command (the same output schema as the command run alone) or problems.
 */
export const SweepRowOutput = z.strictObject({
  index: num,
  gridHash: z.string().optional(),
  gridSize: num.optional(),
  scenario: z.record(z.string(), z.unknown()),
  result: z.union([TrainOutput, InferOutput, ServeOutput, FleetOutput]).optional(),
  problems: list(ProblemOutput).optional(),
});
export type SweepRowOutput = z.infer<typeof SweepRowOutput>;
