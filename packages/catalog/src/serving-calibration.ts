/** The committed serving-engine calibration (catalog/data/calibration/serving.json, `npm run calibrate:serving`). */
import { z } from "zod";
import servingCalibration from "../data/calibration/serving.json" with { type: "json" };

// Built on first use (a function, not a module constant): `train` and `infer` load this module with the catalog but
// never read the serving calibration, and building a zod schema costs milliseconds of their start-up.
const servingCalibrationSchema = () =>
  z.object({
    fittedAt: z.string(),
    script: z.string(),
    method: z.string(),
    /** Where the fitted rows are listed (kept out of this file, which the web bundle imports). */
    rowsListedIn: z.string().optional(),
    /** Per engine profile id: the fitted host overhead per iteration and how many rows it was fitted on. */
    engines: z.record(
      z.string(),
      z.object({
        iterationOverheadS: z.number().min(0),
        kind: z.literal("calibrated"),
        rows: z.number().int(),
        /** Request-path latency outside the GPU (part of TTFT), fitted on the engine's dev rows at concurrency ≤ 4. */
        requestLatencyS: z.number().min(0).optional(),
        requestLatencyRows: z.number().int().optional(),
      }),
    ),
    /** Per-draft acceptance α of MTP on the benchmark's random-token prompts (k = 3), fitted on the MTP rows. */
    mtpAcceptance: z
      .object({ value: z.number().gt(0).lt(1), kind: z.literal("calibrated"), rows: z.number().int() })
      .optional(),
    /** Per held-out catalog chip id: each engine's overhead (and the MTP α, key "mtpAcceptance"; the request latency, key "requestLatencyS:<engine>") fitted without that chip's rows. */
    leaveOneChipOut: z.record(z.string(), z.record(z.string(), z.number().min(0))),
  });
export type ServingCalibrationFile = z.infer<ReturnType<typeof servingCalibrationSchema>>;

let parsed: ServingCalibrationFile | undefined;
export function servingCalibrationData(): ServingCalibrationFile {
  parsed ??= servingCalibrationSchema().parse(servingCalibration);
  return parsed;
}

/** One configuration of the serving ledger: measured and simulated points in concurrency order. */
export interface ServingCurve {
  readonly config: string;
  readonly hardware: string;
  readonly model: string;
  readonly engine: string;
  /** "ISL/OSL" nominal tokens. */
  readonly workload: string;
  /** [concurrency, measured tok/s/GPU, measured tok/s/user, predicted tok/s/GPU, predicted tok/s/user]. */
  readonly points: readonly (readonly [number, number, number, number, number])[];
}

/**
 * The throughput-vs-interactivity curves of the serving ledger (catalog/data/validation/serving-curves.json,
 * written by `npm run calibrate:serving`), loaded on demand so that the web app's entry chunk stays small.
 */
export async function servingCurves(): Promise<readonly ServingCurve[]> {
  const file = (await import("../data/validation/serving-curves.json", { with: { type: "json" } }))
    .default as unknown as {
    series: ServingCurve[];
  };
  return file.series;
}
