/**
 * `train`: validated scenario + resolved catalog records → core estimate → the JSON result of CONTRACT.md.
 * Shared by the CLI, the API and the web app (apps never compute; this only wires inputs to core).
 */
import {
  type AcceleratorFile,
  findSystem,
  type TrainingCalibrationFile,
  toAccelerator,
  toSystemNetwork,
  trainingEfficiencyFor,
  trainingEfficiencyFrom,
} from "@flopcast/catalog";
import {
  type CodedMessage,
  type ComputePrecision,
  defaultPrecision,
  type Problem,
  planTrainingRun,
} from "@flopcast/core";
import { estimateSources, type ModelSubject, missingChipData, type SourceView } from "./catalog-views.ts";
import { pueFor, type RentalPriceView, rentalPriceView } from "./cost-inputs.ts";
import { codedMessage, codedProblem, localizeMessages } from "./messages.ts";
import { roundTo } from "./numbers.ts";
import type { TrainScenario } from "./scenario.ts";

const GB = 1e9;

export function planTraining(
  s: TrainScenario,
  model: ModelSubject,
  hardware?: AcceleratorFile,
  calibration?: { file: TrainingCalibrationFile; name: string },
): { ok: true; result: ReturnType<typeof trainResult> } | { ok: false; problems: Problem[] } {
  const a = model.architecture;
  const chip = hardware ? toAccelerator(hardware) : undefined;
  const precision: ComputePrecision = s.precision ?? (chip ? defaultPrecision(chip) : "bf16");
  const warnings: CodedMessage[] = [];
  // Rented cost: the given price, else the market (or --price-basis) median of the dated records.
  const price = hardware ? rentalPriceView(hardware.id, s.today, s.priceBasis, s.priceUsdPerChipHour) : undefined;
  if (price && price.median === null)
    warnings.push(
      codedMessage("no-rental-price", {
        hardware: hardware?.id ?? null,
        basis: price.basis,
        detail: price.reasonDetail ?? null,
      }),
    );
  if (chip && chip.peak[precision] === null) {
    return {
      ok: false,
      problems: [
        {
          path: "precision",
          message: `${chip.id} has no native ${precision} (catalog: ${hardware?.peak[precision]?.value === null ? (hardware.peak[precision] as { reason?: string }).reason : "not listed"})`,
          hint: `supported: ${Object.entries(chip.peak)
            .filter(([, v]) => v !== null)
            .map(([k]) => k)
            .join(", ")}`,
        },
      ],
    };
  }
  const missing = hardware ? missingChipData(hardware) : [];
  if (missing.length) return { ok: false, problems: missing };
  // A catalog system sets the network tiers (scale-up domain, scale-out, pod and DCN beyond it); it must hold
  // the chip the scenario trains on.
  let system: ReturnType<typeof toSystemNetwork> | undefined;
  if (s.system !== undefined) {
    const found = findSystem(s.system);
    if (!found.ok) return { ok: false, problems: [...found.problems] };
    if (hardware && found.value.accelerator !== hardware.id)
      return {
        ok: false,
        problems: [
          codedProblem("system", "system-holds-other-chip", {
            system: found.value.id,
            accelerator: found.value.accelerator,
            hardware: hardware.id,
          }),
        ],
      };
    system = toSystemNetwork(found.value);
    if (system === null)
      return {
        ok: false,
        problems: [{ path: "system", message: `system ${found.value.id} lacks a network bandwidth or domain size` }],
      };
  }
  const efficiency =
    hardware && (calibration ? trainingEfficiencyFrom(calibration.file, hardware) : trainingEfficiencyFor(hardware));
  const pue = pueFor(s.today, s.pue);
  const estimate = planTrainingRun(
    a,
    {
      ...s,
      pue: pue.value,
      precision,
      usdPerChipHour: price?.median ?? undefined,
      kgCo2PerKwh: s.gridKgCo2PerKwh,
      system: system ?? undefined,
    },
    chip && efficiency ? { chip, efficiency } : undefined,
  );
  if (calibration) warnings.push(codedMessage("calibration-profile", { profile: calibration.name, applied: [] }));
  return {
    ok: true,
    result: trainResult(s, model, estimate, {
      seqLen: estimate.seqLen,
      precision,
      hardware: hardware?.id,
      warnings: localizeMessages([...estimate.notes, ...warnings], "api"),
      sources: estimateSources(model, hardware, precision),
      calibration: calibration?.name,
      price,
      pueBasis: pue.basis,
    }),
  };
}

function trainResult(
  s: TrainScenario,
  model: ModelSubject,
  e: ReturnType<typeof planTrainingRun>,
  ctx: {
    seqLen: number;
    precision: ComputePrecision;
    hardware: string | undefined;
    warnings: CodedMessage[];
    sources: SourceView[];
    calibration?: string | undefined;
    price: RentalPriceView | undefined;
    pueBasis: string;
  },
) {
  const base = {
    model: model.id,
    tokens: s.tokens,
    seqLenTokens: ctx.seqLen,
    flops: e.flops,
    flops6nd: e.flops6nd,
    pfDays: roundTo(e.pfDays),
    sources: ctx.sources,
  };
  const c = e.cluster;
  if (!c) return base;
  const p = c.parallelism;
  return {
    ...base,
    hardware: ctx.hardware,
    chips: s.chips,
    precision: ctx.precision,
    feasible: c.feasible,
    reasons: c.reasons,
    parallelism: { tp: p.tp, pp: p.pp, dp: p.dp, ep: p.ep, cp: p.cp },
    recompute: c.recompute,
    globalBatchTokens: c.globalBatchTokens,
    settings: c.settings,
    calibration: ctx.calibration ?? "catalog (packages/catalog/data/calibration/training.json)",
    mfu: roundTo(c.mfu, 4),
    mfuSource: c.mfuOverridden ? "given" : "predicted",
    hfu: roundTo(c.hfu, 4),
    stepTimeS: roundTo(c.step.stepS),
    days: roundTo(c.days),
    daysLow: roundTo(c.daysLow),
    daysHigh: roundTo(c.daysHigh),
    chipHours: roundTo(c.chipHours),
    costUsd: c.costUsd === null ? null : roundTo(c.costUsd),
    /**
     * The rental price behind costUsd, its range and records. costLowUsd/costHighUsd combine both uncertainties:
     * the low (high) price × the chip-hours of the fast (slow) end of the estimator's time band (daysLow/daysHigh,
     * the calibration residuals). A given price has low = high, so its band is the time band alone; with a given
     * MFU too, low = high = costUsd (README "Cost band").
     */
    price: ctx.price ?? null,
    costLowUsd: ctx.price?.low != null ? roundTo(ctx.price.low * c.chipHours * (c.daysLow / c.days)) : null,
    costHighUsd: ctx.price?.high != null ? roundTo(ctx.price.high * c.chipHours * (c.daysHigh / c.days)) : null,
    energyMwh: c.energyMwh === null ? null : roundTo(c.energyMwh),
    co2Tonnes: c.co2Tonnes === null ? null : roundTo(c.co2Tonnes),
    memoryPerChipGb: roundTo(c.memory.total / GB, 4),
    memoryBreakdownGb: {
      weights: roundTo(c.memory.weights / GB, 4),
      gradients: roundTo(c.memory.gradients / GB, 4),
      optimizer: roundTo(c.memory.optimizer / GB, 4),
      activations: roundTo(c.memory.activations / GB, 4),
    },
    microBatchesPerStep: roundTo(c.microBatchesPerStep, 4),
    bottleneck: c.bottleneck,
    stepBreakdownS: Object.fromEntries(Object.entries(c.step).map(([k, v]) => [k.replace(/S$/, ""), roundTo(v)])),
    terms: c.terms.map((t) => ({ ...t, value: roundTo(t.value) })),
    assumptions: c.assumptions.map((x) => (x.name === "PUE" ? { ...x, basis: ctx.pueBasis } : x)),
    // Core's warnings that name an input are re-rendered for the API/web here (the CLI re-renders for flags).
    warnings: localizeMessages([...ctx.warnings, ...c.warnings], "api"),
    alternatives: c.alternatives.map((x) => ({
      parallelism: x.parallelism,
      recompute: x.recompute,
      settings: x.settings,
      lostBecause: x.lostBecause,
      stepTimeS: roundTo(x.step.stepS),
      mfu: roundTo(x.mfu, 4),
      memoryPerChipGb: roundTo(x.memory.total / GB, 4),
    })),
    evaluatedLayouts: c.evaluatedLayouts,
  };
}
