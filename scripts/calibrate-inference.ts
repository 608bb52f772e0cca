/**
 * Fits the inference step model's per-family compute fraction and HBM bandwidth fraction on the dev rows of
 * ../shared/reference/inference-results.csv (max-throughput rows: MLPerf Offline, trtllm-bench) and writes
 * packages/catalog/data/calibration/inference.json and data/validation/inference-cases.json.
 * Method: grid search per family minimising the median |log(predicted/measured)|; families with fewer than 4
 * rows fit the compute fraction only (bandwidth from the pooled fit). Leave-one-chip-out errors are stored.
 * Run: `npm run calibrate` (both estimators).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FittedParameter, findAccelerator, type InferenceCalibrationFile } from "@flopcast/catalog";
import { errorRatio, type InferenceCaseData, medianOf, predictInferenceCase, quantileOf } from "@flopcast/contract";
import type { InferenceEfficiency } from "@flopcast/core";
import { buildInferenceCases } from "./inference-cases.ts";

const DATA = join(import.meta.dirname, "..", "packages", "catalog", "data");
const COMPUTE_GRID = Array.from({ length: 37 }, (_, i) => 0.1 + i * 0.025); // 0.10 … 1.00
const BANDWIDTH_GRID = Array.from({ length: 11 }, (_, i) => 0.5 + i * 0.05); // 0.50 … 1.00

const familyOf = (c: InferenceCaseData) => {
  const h = findAccelerator(c.hardware);
  if (!h.ok) throw new Error(`unknown hardware ${c.hardware}`);
  return h.value.family;
};
const eff = (computeFraction: number, bandwidthFraction: number): InferenceEfficiency => ({
  computeFraction,
  bandwidthFraction,
  basis: "fit",
  validated: true,
  band: { low: 1, high: 1 },
});
const score = (cases: readonly InferenceCaseData[], c: number, b: number) =>
  medianOf(cases.map((x) => Math.abs(Math.log(Math.max(predictInferenceCase(x, eff(c, b)), 1e-9) / x.expected))));

function gridFit(cases: readonly InferenceCaseData[], fixedBandwidth?: number): { c: number; b: number } {
  let best = { c: 0.5, b: fixedBandwidth ?? 0.8, s: Number.POSITIVE_INFINITY };
  for (const b of fixedBandwidth === undefined ? BANDWIDTH_GRID : [fixedBandwidth])
    for (const c of COMPUTE_GRID) {
      const s = score(cases, c, b);
      if (s < best.s) best = { c, b, s };
    }
  return best;
}

function parameter(
  value: number,
  cases: readonly InferenceCaseData[],
  ratios: readonly number[],
  kind: "calibrated" | "assumption",
  note?: string,
): FittedParameter {
  return {
    value: Number(value.toFixed(3)),
    kind,
    rows: kind === "calibrated" ? cases.map((c) => c.id) : [],
    chips: kind === "calibrated" ? [...new Set(cases.map((c) => c.hardware))] : [],
    band: {
      low: Number(Math.min(1, quantileOf(ratios, 0.1)).toFixed(3)),
      high: Number(Math.max(1, quantileOf(ratios, 0.9)).toFixed(3)),
    },
    ...(note ? { note } : {}),
  };
}

function calibrateFamilies(cases: readonly InferenceCaseData[]) {
  const pooled = gridFit(cases);
  const families: InferenceCalibrationFile["families"] = {};
  for (const family of [...new Set(cases.map(familyOf))]) {
    const mine = cases.filter((c) => familyOf(c) === family);
    const f = mine.length >= 4 ? gridFit(mine) : gridFit(mine, pooled.b);
    const ratios = mine.map((c) => c.expected / predictInferenceCase(c, eff(f.c, f.b))).filter(Number.isFinite);
    families[family] = {
      computeFraction: parameter(f.c, mine, ratios, "calibrated"),
      bandwidthFraction: parameter(
        f.b,
        mine,
        ratios,
        mine.length >= 4 ? "calibrated" : "assumption",
        mine.length >= 4 ? undefined : "pooled fit over all families (too few rows of its own)",
      ),
    };
  }
  return { pooled, families };
}

function leaveOneChipOut(
  cases: readonly InferenceCaseData[],
): NonNullable<InferenceCalibrationFile["leaveOneChipOut"]> {
  const out: NonNullable<InferenceCalibrationFile["leaveOneChipOut"]>["cases"] = [];
  for (const chip of [...new Set(cases.map((c) => c.hardware))]) {
    const mine = cases.filter((c) => c.hardware === chip);
    const rest = cases.filter((c) => c.hardware !== chip);
    const same = rest.filter((c) => familyOf(c) === familyOf(mine[0] as InferenceCaseData));
    const f = same.length >= 4 ? gridFit(same) : gridFit(rest);
    for (const c of mine)
      out.push({
        id: c.id,
        hardware: chip,
        errorRatio: Number(errorRatio(predictInferenceCase(c, eff(f.c, f.b)), c.expected).toFixed(4)),
        prior: same.length >= 4 ? "family" : "global",
      });
  }
  return { medianAbsError: Number(medianOf(out.map((x) => Math.abs(x.errorRatio))).toFixed(4)), cases: out };
}

if (process.argv[1] === import.meta.filename) {
  const { cases, skipped } = buildInferenceCases();
  const { pooled, families } = calibrateFamilies(cases);
  const pooledRatios = cases
    .map((c) => c.expected / predictInferenceCase(c, eff(pooled.c, pooled.b)))
    .filter(Number.isFinite);
  const loco = leaveOneChipOut(cases);
  const calibration: InferenceCalibrationFile = {
    fittedAt: "2026-11-23",
    script: "scripts/calibrate-inference.ts",
    method:
      "per-family grid search (compute fraction 0.10–1.00, bandwidth fraction 0.50–1.00) minimising median |log(predicted/measured)| over max-throughput dev rows",
    families,
    prior: {
      computeFraction: parameter(
        pooled.c,
        cases,
        pooledRatios,
        "calibrated",
        "global prior: all rows pooled, for families without rows (unvalidated)",
      ),
      bandwidthFraction: parameter(pooled.b, cases, pooledRatios, "calibrated", "global prior: all rows pooled"),
    },
    leaveOneChipOut: loco,
  };
  writeFileSync(join(DATA, "calibration", "inference.json"), `${JSON.stringify(calibration, null, 2)}\n`);
  writeFileSync(join(DATA, "validation", "inference-cases.json"), `${JSON.stringify(cases, null, 2)}\n`);
  console.log(
    `inference: ${cases.length} cases (${skipped.length} rows skipped: not max-throughput, model or chip not in the catalog)`,
  );
  for (const [f, v] of Object.entries(families))
    console.log(
      `  ${f}: compute ${v.computeFraction.value}, bandwidth ${v.bandwidthFraction.value} (${v.computeFraction.rows.length} rows)`,
    );
  console.log(`  pooled: compute ${pooled.c.toFixed(3)}, bandwidth ${pooled.b.toFixed(3)}`);
  console.log(
    `  leave-one-chip-out median |error| ${(loco.medianAbsError * 100).toFixed(1)}% over ${loco.cases.length} cases`,
  );
}
