/**
 * The raw files only the ledger pages read: the validation cases (`validate`, the web's Validation view) and the
 * dated training runs (`trends`). Schema-free data (contract types the cases; trends.ts types the runs). Apart from
 * raw.ts, which every estimate loads, so that a web page's first load leaves them out (≈ 130 kB of JSON, they load
 * with the page that shows them); the CLI bundle stubs this module like raw.ts (apps/cli/scripts/build.ts).
 */
import * as index from "./data-index.ts";
import type { TrainingRun } from "./trends.ts";

export const rawTrainingCases = (): readonly unknown[] => index.trainingCases as readonly unknown[];
export const rawInferenceCases = (): readonly unknown[] => index.inferenceCases as readonly unknown[];
export const rawTrainingRuns = (): readonly TrainingRun[] => (index.trainingRuns as { runs: TrainingRun[] }).runs;
