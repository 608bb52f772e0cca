/**
 * The validation cases written by `npm run calibrate` (schema-free data; contract types them). Kept out of
 * efficiency.ts, which every estimate loads: only the validation ledger reads them, so a bundler can leave them
 * (≈ 110 kB of JSON) out of a web page's first load and put them in the chunk of the page that shows the ledger.
 */
import { inferenceCases, trainingCases } from "./data-index.ts";
import { prevalidated } from "./prevalidated.ts";

/** The training validation cases (catalog/data/validation/training-cases.json). */
export function trainingValidationCases(): readonly unknown[] {
  return prevalidated("trainingCases") ?? (trainingCases as readonly unknown[]);
}

/** The inference validation cases (catalog/data/validation/inference-cases.json). */
export function inferenceValidationCases(): readonly unknown[] {
  return prevalidated("inferenceCases") ?? (inferenceCases as readonly unknown[]);
}
