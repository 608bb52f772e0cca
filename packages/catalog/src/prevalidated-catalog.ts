import { claimFiles } from "./claims.ts";
import {
  inferenceCalibrationData,
  inferenceValidationCases,
  trainingCalibrationData,
  trainingValidationCases,
} from "./efficiency.ts";
import { catalogSnapshot } from "./load.ts";
import type { PrevalidatedCatalog } from "./prevalidated.ts";
import { pricePoints } from "./prices.ts";
import { trainingRuns } from "./trends.ts";

/**
 * Every catalog file the engine reads, validated, as JSON-ready data (what a bundle ships instead of the raw files:
 * prevalidated.ts). Throws when the catalog has errors: a bundle must not ship them.
 */
export function prevalidatedCatalog(): PrevalidatedCatalog {
  return {
    ...catalogSnapshot(),
    prices: [...pricePoints()],
    claims: [...claimFiles()],
    trainingCalibration: trainingCalibrationData(),
    inferenceCalibration: inferenceCalibrationData(),
    trainingCases: trainingValidationCases(),
    inferenceCases: inferenceValidationCases(),
    trainingRuns: trainingRuns(),
  };
}
