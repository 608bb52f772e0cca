/**
 * The setting of the documented experiments (docs/experiments.md; the experiments themselves are core's,
 * core/plan/experiments.ts): a catalog model and chip resolved, with the chip's market rental price at a date.
 */
import {
  type AcceleratorFile,
  inferenceEfficiencyFor,
  rentalPrice,
  requireAccelerator,
  requireModel,
  toAccelerator,
} from "@flopcast/catalog";
import type { Architecture, ServingExperiment } from "@flopcast/core";

export interface ExperimentSetup extends ServingExperiment {
  readonly hardwareId: string;
  /** The date the rental price is the market median of the 12 months before. */
  readonly today: string;
}

/** A model on a catalog chip, priced at its market rental median before `today` (0 when there is none). */
export function experimentSetup(
  architecture: Architecture,
  hardware: AcceleratorFile,
  today: string,
  inputTokens = 512,
  outputTokens = 256,
): ExperimentSetup {
  return {
    architecture,
    chip: toAccelerator(hardware),
    efficiency: inferenceEfficiencyFor(hardware),
    usdPerChipHour: rentalPrice(hardware.id, today)?.median ?? 0,
    inputTokens,
    outputTokens,
    hardwareId: hardware.id,
    today,
  };
}

/** The setting of docs/experiments.md and its tests: Llama-3.1-8B on one H100, 512 prompt / 256 output tokens. */
export function defaultExperimentSetup(today = "2026-11-23"): ExperimentSetup {
  return experimentSetup(requireModel("llama-3.1-8b").architecture, requireAccelerator("h100-sxm"), today);
}
