/**
 * `infer`: validated scenario + resolved catalog records → core estimate → the JSON result of CONTRACT.md.
 * Precision resolution and the replica input are core's (core/plan/inference.ts): storage precisions as asked,
 * matmuls at the requested precision only when the chip runs it natively, else the 16-bit fallback with a warning.
 */
import {
  type AcceleratorFile,
  inferenceEfficiencyFor,
  inferenceEfficiencyFromProfile,
  type TrainingCalibrationFile,
  toAccelerator,
} from "@flopcast/catalog";
import {
  type CodedMessage,
  type ComputePrecision,
  defaultKvPrecision,
  defaultPrecision,
  estimateInference,
  type Problem,
  type ReplicaLayout,
  replicaInput,
  replicaLayout,
  resolveComputePrecision,
  type SpeculativeInput,
  type StoragePrecision,
} from "@flopcast/core";
import { estimateSources, type ModelSubject, missingChipData } from "./catalog-views.ts";
import { codedMessage } from "./messages.ts";
import { roundTo } from "./numbers.ts";
import type { InferScenario } from "./scenario.ts";

/** Re-exported for serve-plan.ts (helper "serving" moves it to core/plan); new code imports them from core. */
export { defaultKvPrecision, resolveComputePrecision } from "@flopcast/core";

const GB = 1e9;
const MS = 1e3;

/** The estimator's speculative-decoding input from the scenario's spec flags; undefined when not asked for. */
export function speculativeOf(
  s: Pick<InferScenario, "specK" | "specAcceptance" | "specDraftCost">,
  draft: ModelSubject | undefined,
): SpeculativeInput | undefined {
  return s.specK !== undefined && s.specAcceptance !== undefined
    ? { k: s.specK, acceptance: s.specAcceptance, draft: draft?.architecture, draftCostRatio: s.specDraftCost }
    : undefined;
}

export function planInference(
  s: InferScenario,
  model: ModelSubject,
  hardware: AcceleratorFile,
  draft?: ModelSubject,
  calibration?: { file: TrainingCalibrationFile; name: string },
): { ok: true; result: ReturnType<typeof inferResult> } | { ok: false; problems: Problem[] } {
  const chip = toAccelerator(hardware);
  const a = model.architecture;
  const weights: StoragePrecision = s.precision ?? defaultPrecision(chip);
  const kv: StoragePrecision = s.kvPrecision ?? defaultKvPrecision(chip, weights);
  const { precision: compute, warning } = resolveComputePrecision(chip, weights, s.activationPrecision);
  const missing = missingChipData(hardware, compute);
  if (missing.length) return { ok: false, problems: missing };
  const l = replicaLayout(a, model.id, s.chips, s, chip.scaleUpDomain ?? 1);
  if (!l.ok) return l;
  const { tp, pp, ep } = l.layout;
  const extraPrefillTokens =
    s.images * (s.imageTokens ?? 0) +
    s.audioSeconds * (s.audioTokensPerSecond ?? 0) +
    s.videoSeconds * (s.videoTokensPerSecond ?? 0);
  const speculative = speculativeOf(s, draft);
  // A user's profile (`flopcast calibrate --runs`) replaces the matmul fractions it fitted for this generation.
  const profiled = calibration
    ? inferenceEfficiencyFromProfile(calibration.file, calibration.name, hardware)
    : undefined;
  const efficiency = profiled?.efficiency ?? inferenceEfficiencyFor(hardware);
  const warnings: CodedMessage[] = warning ? [warning] : [];
  if (calibration)
    warnings.push(
      profiled?.applied.length
        ? codedMessage("calibration-profile", { profile: calibration.name, applied: profiled.applied })
        : codedMessage("calibration-profile-no-fit", { profile: calibration.name, hardware: hardware.id }),
    );
  const e = estimateInference({
    ...replicaInput({
      architecture: a,
      chip,
      efficiency,
      chips: s.chips,
      tp,
      pp,
      ep,
      weightPrecision: weights,
      kvPrecision: kv,
      computePrecision: compute,
      usableMemoryFraction: s.usableMemoryFraction,
    }),
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    batch: s.batch,
    maxBatchLimit: s.maxBatchLimit,
    extraPrefillTokens,
    speculative,
    moeImbalance: s.moeImbalance,
  });
  return {
    ok: true,
    result: inferResult(s, model, hardware, e, {
      weights,
      kv,
      compute,
      layout: l.layout,
      warnings,
      extraPrefillTokens,
      calibration: profiled?.applied.length
        ? calibration?.name
        : "catalog (packages/catalog/data/calibration/inference.json)",
    }),
  };
}

function phaseView(p: ReturnType<typeof estimateInference>["prefill"]) {
  return {
    computeMs: roundTo(p.computeS * MS),
    memoryMs: roundTo(p.memoryS * MS),
    opsMs: roundTo(p.opsS * MS),
    communicationMs: roundTo(p.communicationS * MS),
    overheadMs: roundTo(p.overheadS * MS),
    totalMs: roundTo(p.totalS * MS),
    flops: p.flops,
    bytes: p.bytes,
    bottleneck: p.bottleneck,
    /** Per-op terms per chip: max(compute, memory) each, summed (docs/model.md §3.2). */
    ops: p.ops.map((o) => ({
      name: o.name,
      computeMs: roundTo(o.computeS * MS),
      memoryMs: roundTo(o.memoryS * MS),
      timeMs: roundTo(o.timeS * MS),
      bound: o.bound,
      efficiency: roundTo(o.efficiency, 4),
    })),
  };
}

function inferResult(
  s: InferScenario,
  model: ModelSubject,
  hardware: AcceleratorFile,
  e: ReturnType<typeof estimateInference>,
  ctx: {
    weights: StoragePrecision;
    kv: StoragePrecision;
    compute: ComputePrecision;
    layout: ReplicaLayout;
    warnings: CodedMessage[];
    extraPrefillTokens: number;
    /** Where the physical fractions came from: a profile path, or the catalog's inference calibration. */
    calibration: string | undefined;
  },
) {
  return {
    model: model.id,
    hardware: hardware.id,
    chips: s.chips,
    parallelism: { tp: ctx.layout.tp, pp: ctx.layout.pp, ep: ctx.layout.ep, replicas: e.replicas },
    precision: { weights: ctx.weights, kvCache: ctx.kv, compute: ctx.compute },
    inputTokens: s.inputTokens,
    extraPrefillTokens: ctx.extraPrefillTokens,
    outputTokens: s.outputTokens,
    batch: e.batch,
    feasible: e.feasible,
    reasons: e.reasons,
    /** At this batch (concurrency): what one request sees under that load (docs/model.md §3.5). */
    ttftMs: roundTo(e.ttftS * MS),
    tpotMs: roundTo(e.tpotS * MS),
    /** One request with the replica to itself. */
    isolated: { ttftMs: roundTo(e.isolated.ttftS * MS), tpotMs: roundTo(e.isolated.tpotS * MS) },
    /** Steady state of a continuous-batching engine at this batch (chunked prefill piggybacked on decode steps). */
    atLoad: {
      batch: e.steady.batch,
      activeSequences: e.steady.activeSequences,
      queueWaitMs: roundTo(e.steady.queueWaitS * MS),
      ttftMs: roundTo(e.steady.ttftS * MS),
      tpotMs: roundTo(e.steady.tpotS * MS),
      outputTokensPerSPerUser: roundTo(e.steady.outputTokensPerSPerUser),
      prefillTokensPerStep: roundTo(e.steady.prefillTokensPerStep),
      outputTokensPerS: roundTo(e.outputTokensPerS),
    },
    outputTokensPerS: roundTo(e.outputTokensPerS),
    outputTokensPerSLow: roundTo(e.outputTokensPerS * e.band.low),
    outputTokensPerSHigh: roundTo(e.outputTokensPerS * e.band.high),
    outputTokensPerSPerChip: roundTo(e.outputTokensPerSPerChip),
    maxBatch: e.maxBatch,
    memoryPerChipGb: roundTo(e.memoryPerChip.total / GB, 4),
    memoryBreakdownGb: {
      weights: roundTo(e.memoryPerChip.weights / GB, 4),
      kvCache: roundTo(e.memoryPerChip.kvCache / GB, 4),
      workspace: roundTo(e.memoryPerChip.workspace / GB, 4),
      usableCapacity: roundTo(e.memoryPerChip.capacity / GB, 4),
    },
    kvBytesPerTokenPerChip: e.kvBytesPerTokenPerChip,
    bottleneck: { prefill: e.prefill.bottleneck, decode: e.decode.bottleneck },
    prefill: phaseView(e.prefill),
    decodeStepAtMeanContext: phaseView(e.decode),
    steadyStep: phaseView(e.steady.step),
    ...(e.speculative
      ? {
          speculative: {
            expectedTokensPerStep: roundTo(e.speculative.expectedTokensPerStep, 5),
            draftCostRatio: roundTo(e.speculative.draftCostRatio, 5),
            analyticSpeedup: roundTo(e.speculative.analyticSpeedup, 5),
            modelledSpeedup: roundTo(e.speculative.modelledSpeedup, 5),
          },
        }
      : {}),
    terms: e.terms.map((t) => ({ ...t, value: roundTo(t.value) })),
    assumptions: e.assumptions,
    calibration: ctx.calibration,
    warnings: [...ctx.warnings, ...e.warnings],
    sources: estimateSources(model, hardware, ctx.compute),
  };
}
