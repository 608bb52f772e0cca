import type { TrainingCalibrationFile } from "@flopcast/catalog";
import { MAX_SCENARIO_FILE_BYTES, readTextLimited } from "./files.ts";
import { BadInput } from "./output.ts";

/**
 * A calibration profile written by `flopcast calibrate --runs` (`train` and `infer --calibration`), validated like
 * the catalog's own; unreadable or malformed files are problems on `calibration`, never exceptions. The catalog's
 * schemas load only for a call that gives a profile (building them costs ~30 ms of a CLI start-up).
 */
export async function readCalibrationProfile(path: string): Promise<{ file: TrainingCalibrationFile; name: string }> {
  const text = readTextLimited(path, "calibration", MAX_SCENARIO_FILE_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BadInput([
      { path: "calibration", message: `cannot read ${path}: ${(e as Error).message.split("\n")[0]}` },
    ]);
  }
  const { TrainingCalibrationFile } = await import("@flopcast/catalog/schema");
  const parsed = TrainingCalibrationFile.safeParse(data);
  if (!parsed.success)
    throw new BadInput([
      {
        path: "calibration",
        message: `${path} is not a calibration profile: ${parsed.error.issues[0]?.message}`,
        hint: "write one with: flopcast calibrate --runs my-runs.csv --out profile.json",
      },
    ]);
  return { file: parsed.data, name: path };
}
