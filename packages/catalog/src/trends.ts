/** Dated training runs for `flopcast trends` (data/trends/training-runs.json, imported by scripts/import-training-runs.ts). */
import { prevalidated } from "./prevalidated.ts";
import { rawTrainingRuns } from "./raw.ts";

export interface TrainingRun {
  readonly id: string;
  readonly model: string;
  /** Training compute, FLOP. */
  readonly flop: number;
  /** Public release, YYYY-MM. */
  readonly released: string;
  /** True for third-party estimates of undisclosed runs (Epoch AI). */
  readonly estimate: boolean;
  readonly source: string;
}

/** The runs, in release order. */
export function trainingRuns(): readonly TrainingRun[] {
  return prevalidated("trainingRuns") ?? rawTrainingRuns();
}

/** "2020-05" → 2020.375 (mid-month as a fractional year). */
export const fractionalYear = (yyyyMm: string): number => {
  const [y, m] = yyyyMm.split("-").map(Number);
  return (y ?? 0) + ((m ?? 6) - 0.5) / 12;
};
