/**
 * Fits the training step model's physical fractions per chip generation on the dev rows of ../shared/reference
 * (training-runs.csv + training-throughput.csv) and writes:
 *   packages/catalog/data/calibration/training.json   fitted fractions (kind "calibrated", row ids), misses, and
 *                                                       leave-one-chip/model-family/framework-out errors
 *   packages/catalog/data/validation/training-cases.json   the cases `flopcast validate` re-runs
 * Method: packages/contract/src/training-fit.ts (docs/model.md §2.7). Run: `npm run calibrate`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  fitFractions,
  groupByChip,
  groupByFramework,
  groupByModelFamily,
  leaveOneGroupOut,
  pinCase,
} from "@flopcast/contract";
import { buildTrainingCases } from "./training-cases.ts";

const DATA = join(import.meta.dirname, "..", "packages", "catalog", "data");

if (process.argv[1] === import.meta.filename) {
  const { cases, skipped } = buildTrainingCases();
  const pinned = cases.map(pinCase);
  const cache = new Map<string, number>();
  const { calibration, implied } = fitFractions(pinned, cache, {
    fittedAt: "2026-11-29",
    script: "scripts/calibrate-training.ts",
  });
  const loco = leaveOneGroupOut(pinned, groupByChip, cache);
  const lomfo = leaveOneGroupOut(pinned, groupByModelFamily, cache);
  const lofo = leaveOneGroupOut(pinned, groupByFramework, cache);
  writeFileSync(
    join(DATA, "calibration", "training.json"),
    `${JSON.stringify(
      {
        ...calibration,
        leaveOneChipOut: {
          medianAbsError: loco.medianAbsError,
          cases: loco.cases.map((c) => ({
            id: c.id,
            hardware: c.group,
            errorRatio: c.errorRatio,
            prior: c.prior === "generation" ? "family" : "global",
          })),
        },
        leaveOneModelFamilyOut: lomfo,
        leaveOneFrameworkOut: lofo,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(DATA, "validation", "training-cases.json"), `${JSON.stringify(cases, null, 2)}\n`);
  console.log(`cases ${cases.length}, skipped ${skipped.length}: ${skipped.join(", ")}`);
  for (const [fam, f] of Object.entries(calibration.families))
    console.log(
      `${fam}: matmul ${f.matmulPeakFraction?.value ?? "—"} (${f.matmulPeakFraction?.rows.length ?? 0} rows), fp8 ${f.lowPrecisionMatmulPeakFraction?.value ?? "—"} (${f.lowPrecisionMatmulPeakFraction?.rows.length ?? 0} rows)`,
    );
  console.log(
    `prior: matmul ${calibration.prior.matmulPeakFraction.value}, fp8 ${calibration.prior.lowPrecisionMatmulPeakFraction.value}`,
  );
  console.log(
    `misses (fraction > 1 or < 0.05): ${calibration.misses.map((m) => `${m.id} (${m.impliedFraction})`).join(", ") || "none"}`,
  );
  for (const c of pinned) console.log(`  ${c.id.padEnd(60)} implied ${implied.get(c.id)?.toFixed(3)}`);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`leave-one-chip-out median |error| ${pct(loco.medianAbsError)} over ${loco.cases.length} cases`);
  console.log(`leave-one-model-family-out median |error| ${pct(lomfo.medianAbsError)}`);
  console.log(`leave-one-framework-out median |error| ${pct(lofo.medianAbsError)}`);
}
