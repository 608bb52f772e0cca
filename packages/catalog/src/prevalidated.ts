/**
 * The catalog validated once at build time, for a bundle that ships it as JSON (one file per section) instead of validating ~280 JSON
 * files with zod on every start (the CLI: apps/cli/scripts/build.ts writes dist/catalog/ from
 * `prevalidatedCatalog()`, and its bundle entry installs a reader that parses only the sections a call uses).
 * Without a reader (tests, the API, the web app, the sources) every loader validates the raw files as before.
 */

import type { CatalogSnapshot } from "./load.ts";
import type { ClaimFile, InferenceCalibrationFile, PriceFile, TrainingCalibrationFile } from "./schema.ts";
import type { TrainingRun } from "./trends.ts";

export interface PrevalidatedCatalog extends CatalogSnapshot {
  readonly prices: PriceFile[];
  readonly claims: ClaimFile[];
  readonly trainingCalibration: TrainingCalibrationFile;
  readonly inferenceCalibration: InferenceCalibrationFile;
  readonly trainingCases: readonly unknown[];
  readonly inferenceCases: readonly unknown[];
  readonly trainingRuns: readonly TrainingRun[];
}

export type PrevalidatedSection = keyof PrevalidatedCatalog;
export type SectionReader = <K extends PrevalidatedSection>(section: K) => PrevalidatedCatalog[K];

let reader: SectionReader | undefined;

/** Installs the reader of a pre-validated catalog (the CLI bundle's entry, before anything reads the catalog). */
export function usePrevalidatedCatalog(read: SectionReader): void {
  reader = read;
}

/** A pre-validated section when a bundle installed a reader (which throws for a section it lacks); else undefined. */
export function prevalidated<K extends PrevalidatedSection>(section: K): PrevalidatedCatalog[K] | undefined {
  return reader?.(section);
}
