/**
 * Fits the training step model's per-family matmul efficiency (16-bit and FP8) on the dev rows of
 * ../shared/reference (training-runs.csv + training-throughput.csv) and writes:
 *   packages/catalog/data/calibration/training.json   fitted values, kind "calibrated", with the row ids used
 *   packages/catalog/data/validation/training-cases.json   the cases `flopcast validate` re-runs
 * Method: for every case, bisect the efficiency that reproduces the measurement exactly (the model is
 * monotone in it); a family's value is the median of its cases' implied values; the band is the 10th–90th
 * percentile of the residual throughput ratios. Also prints leave-one-chip-out errors (each chip's rows
 * predicted from a fit without them). Run: `npm run calibrate`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findAccelerator, type TrainingCalibrationFile } from "@flopcast/catalog";
import { errorRatio, medianOf, predictTrainingCase, quantileOf, type TrainingCaseData } from "@flopcast/contract";
import type { TrainingEfficiency } from "@flopcast/core";
import { buildTrainingCases } from "./training-cases.ts";

const DATA = join(import.meta.dirname, "..", "packages", "catalog", "data");

const median = medianOf;
const quantile = quantileOf;

const is8 = (c: TrainingCaseData) => c.precision === "fp8";
const familyOf = (c: TrainingCaseData) => {
  const h = findAccelerator(c.hardware);
  if (!h.ok) throw new Error(`unknown hardware ${c.hardware}`);
  return h.value.family;
};
const efficiency = (value: number): TrainingEfficiency => ({
  matmul16: value,
  matmul8: value,
  basis: "fit",
  validated: true,
  band: { low: 1, high: 1 },
});

/** Efficiency that makes the prediction equal the measurement (bisection; the model is monotone in it). */
function impliedEfficiency(c: TrainingCaseData): number {
  let lo = 0.02;
  let hi = 1.5;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (predictTrainingCase(c, efficiency(mid)) < c.expected) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function calibrate(): { calibration: TrainingCalibrationFile; cases: TrainingCaseData[]; report: string[] } {
  const { cases, skipped } = buildTrainingCases();
  const all = cases.map((c) => ({
    c,
    family: familyOf(c),
    param: is8(c) ? ("matmul8" as const) : ("matmul16" as const),
    e: impliedEfficiency(c),
  }));
  // A row that needs an efficiency above 1 (or near 0) is one the step model cannot reproduce: it stays in the
  // validation ledger as a miss but is not fitted on.
  const unreproducible = all.filter((x) => x.e > 1 || x.e < 0.05);
  const implied = all.filter((x) => !unreproducible.includes(x));
  const groups = new Map<string, typeof implied>();
  for (const x of implied) {
    const key = `${x.family}|${x.param}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  const families: TrainingCalibrationFile["families"] = {};
  const fitParameter = (xs: typeof implied) => {
    const value = Math.min(1, median(xs.map((x) => x.e)));
    const ratios = xs.map((x) => x.e / value);
    return {
      value: Number(value.toFixed(4)),
      kind: "calibrated" as const,
      rows: xs.map((x) => x.c.id),
      chips: [...new Set(xs.map((x) => x.c.hardware))],
      band: {
        low: Number(Math.min(1, quantile(ratios, 0.1)).toFixed(3)),
        high: Number(Math.max(1, quantile(ratios, 0.9)).toFixed(3)),
      },
    };
  };
  for (const [key, xs] of groups) {
    const [family, param] = key.split("|") as [string, "matmul16" | "matmul8"];
    families[family] = { ...families[family], [param]: fitParameter(xs) };
  }
  const all16 = implied.filter((x) => x.param === "matmul16");
  const all8 = implied.filter((x) => x.param === "matmul8");
  const calibration: TrainingCalibrationFile = {
    fittedAt: "2026-11-23",
    script: "scripts/calibrate-training.ts",
    method:
      "per-family median of the efficiency each dev row implies (bisection on the step model); band = 10th–90th percentile of residual ratios",
    families,
    prior: {
      matmul16: {
        ...fitParameter(all16),
        note: "global prior: all 16-bit rows pooled, for families without rows (unvalidated)",
      },
      matmul8: {
        ...fitParameter(all8),
        note: "global prior: all FP8 rows pooled, for families without FP8 rows (unvalidated)",
      },
    },
  };
  const report = [
    `cases ${cases.length}, skipped ${skipped.length}: ${skipped.join(", ")}`,
    `not fitted (model cannot reproduce them with efficiency ≤ 1): ${unreproducible.map((x) => `${x.c.id} (${x.e.toFixed(2)})`).join(", ")}`,
  ];
  for (const [key, xs] of groups)
    report.push(`${key}: n=${xs.length} implied ${xs.map((x) => x.e.toFixed(3)).join(" ")}`);
  return { calibration, cases, report };
}

/** Leave-one-chip-out: refit each family without one chip's rows and predict those rows. */
function leaveOneChipOut(cases: readonly TrainingCaseData[]): NonNullable<TrainingCalibrationFile["leaveOneChipOut"]> {
  const implied = new Map(cases.map((c) => [c.id, impliedEfficiency(c)]));
  const usable = (c: TrainingCaseData) => {
    const e = implied.get(c.id) ?? 0;
    return e >= 0.05 && e <= 1;
  };
  const out: NonNullable<TrainingCalibrationFile["leaveOneChipOut"]>["cases"] = [];
  for (const c of cases) {
    const rest = cases.filter((r) => r.hardware !== c.hardware && usable(r) && is8(r) === is8(c));
    const same = rest.filter((r) => familyOf(r) === familyOf(c));
    const pool = same.length ? same : rest;
    const e = median(pool.map((r) => implied.get(r.id) ?? 0));
    const err = errorRatio(predictTrainingCase(c, efficiency(e)), c.expected);
    out.push({
      id: c.id,
      hardware: c.hardware,
      errorRatio: Number(err.toFixed(4)),
      prior: same.length ? "family" : "global",
    });
  }
  return { medianAbsError: Number(median(out.map((x) => Math.abs(x.errorRatio))).toFixed(4)), cases: out };
}

if (process.argv[1] === import.meta.filename) {
  const { calibration, cases, report } = calibrate();
  const loco = leaveOneChipOut(cases);
  writeFileSync(
    join(DATA, "calibration", "training.json"),
    `${JSON.stringify({ ...calibration, leaveOneChipOut: loco }, null, 2)}\n`,
  );
  writeFileSync(join(DATA, "validation", "training-cases.json"), `${JSON.stringify(cases, null, 2)}\n`);
  console.log(report.join("\n"));
  console.log(
    `leave-one-chip-out median |error| ${(loco.medianAbsError * 100).toFixed(1)}% over ${loco.cases.length} cases`,
  );
}
