/**
 * The catalog's raw files (data-index.ts) validated with zod, section by section: what the loaders read when no
 * bundle installed a pre-validated reader (tests, the API, the web app, the sources). The one module that builds
 * the catalog's zod schemas at run time: the CLI bundle replaces it with stubs that throw (apps/cli/scripts/build.ts),
 * so a CLI call never constructs ~30 file schemas it does not use (≈30 ms of a 250 ms start-up).
 */
import type { z } from "zod";
import * as index from "./data-index.ts";
import type { CatalogError, CatalogSnapshot, SourceRecord } from "./load.ts";
import {
  AcceleratorFile,
  ClaimFile,
  InferenceCalibrationFile,
  ModelFile,
  PriceFile,
  SourcesFile,
  SystemFile,
  TrainingCalibrationFile,
} from "./schema.ts";
import type { TrainingRun } from "./trends.ts";

function parseAll<T>(
  group: string,
  files: readonly unknown[],
  names: readonly string[],
  schema: z.ZodType<T>,
  errors: CatalogError[],
): T[] {
  const out: T[] = [];
  files.forEach((raw, i) => {
    const file = `${group}/${names[i]}`;
    const r = schema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ file, message: `${issue.path.join(".")}: ${issue.message}` });
      return;
    }
    out.push(r.data);
  });
  return out;
}

/** Every accelerator, system, model and source file, validated (errors collected, never thrown). */
export function validateCatalogFiles(): { snapshot: CatalogSnapshot; errors: CatalogError[] } {
  const errors: CatalogError[] = [];
  const accelerators = parseAll(
    "accelerators",
    index.acceleratorsFiles,
    index.acceleratorsFileNames,
    AcceleratorFile,
    errors,
  );
  const systems = parseAll("systems", index.systemsFiles, index.systemsFileNames, SystemFile, errors);
  const models = parseAll("models", index.modelsFiles, index.modelsFileNames, ModelFile, errors);
  const sources: Record<string, SourceRecord> = {};
  for (const group of parseAll("sources", index.sourcesFiles, index.sourcesFileNames, SourcesFile, errors)) {
    for (const [id, entry] of Object.entries(group)) {
      if (id in sources) errors.push({ file: "sources", message: `source id "${id}" defined twice` });
      sources[id] = entry;
    }
  }
  return { snapshot: { accelerators, systems, models, sources }, errors };
}

export const validatedPrices = (): PriceFile[] => index.pricesFiles.map((f) => PriceFile.parse(f));
export const validatedClaims = (): ClaimFile[] => index.claimsFiles.map((f) => ClaimFile.parse(f));
export const validatedTrainingCalibration = (): TrainingCalibrationFile =>
  TrainingCalibrationFile.parse(index.trainingCalibration);
export const validatedInferenceCalibration = (): InferenceCalibrationFile =>
  InferenceCalibrationFile.parse(index.inferenceCalibration);
/** Schema-free data (contract types the cases; trends.ts types the runs). */
export const rawTrainingCases = (): readonly unknown[] => index.trainingCases as readonly unknown[];
export const rawInferenceCases = (): readonly unknown[] => index.inferenceCases as readonly unknown[];
export const rawTrainingRuns = (): readonly TrainingRun[] => (index.trainingRuns as { runs: TrainingRun[] }).runs;
