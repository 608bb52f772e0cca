/**
 * The validation cases written by `npm run calibrate` (schema-free data; contract types them). Apart from
 * efficiency.ts, which every estimate loads, because only the validation ledger reads them (raw-ledger.ts).
 */
import { prevalidated } from "./prevalidated.ts";
import { rawInferenceCases, rawTrainingCases } from "./raw-ledger.ts";

/** The training validation cases (catalog/data/validation/training-cases.json). */
export function trainingValidationCases(): readonly unknown[] {
  return prevalidated("trainingCases") ?? rawTrainingCases();
}

/** The inference validation cases (catalog/data/validation/inference-cases.json). */
export function inferenceValidationCases(): readonly unknown[] {
  return prevalidated("inferenceCases") ?? rawInferenceCases();
}
