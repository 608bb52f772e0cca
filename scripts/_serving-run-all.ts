import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { expressServingRow, predictServingRow, ServingRow, servingCases, summarizeServing, type ServingRowOutcome } from "@flopcast/contract";
const text = readFileSync(process.argv[2] ?? "../shared/reference/serving-measured.csv", "utf8");
const recs = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const filter = process.argv[3];
const outcomes: ServingRowOutcome[] = [];
const t0 = performance.now();
for (const rec of recs) {
  if (filter && !(rec.id ?? "").includes(filter)) continue;
  const row = ServingRow.parse(rec);
  const e = expressServingRow(row);
  if (!e.ok) { outcomes.push({ id: row.id, skipped: e.reason }); continue; }
  const t = performance.now();
  const p = predictServingRow(e.value);
  const dt = performance.now() - t;
  if (!p.ok) { outcomes.push({ id: row.id, skipped: p.reason }); continue; }
  outcomes.push({ id: row.id, expressed: e.value, prediction: p.prediction });
  if (process.env.V) console.log(row.id.slice(0, 75).padEnd(76), dt.toFixed(0).padStart(6), "ms", ["throughputPerChip","outputTokensPerSPerUser","ttftMsP50","tpotMsP50"].map((m) => `${(p.prediction as any)[m]?.toFixed(1)}`).join(" "), "|", row.throughput_per_gpu_tok_s, row.output_tok_s_per_user, row.ttft_ms_p50, row.tpot_ms_p50);
}
const cases = servingCases(outcomes);
const s = summarizeServing(outcomes, cases);
console.log(JSON.stringify({ ...s, byHardware: s.byHardware.map((g) => `${g.key} ${g.metric} n=${g.cases} med=${g.medianAbsError.toFixed(3)} bias=${g.medianErrorRatio.toFixed(3)}`), byEngine: s.byEngine.map((g) => `${g.key} ${g.metric} n=${g.cases} med=${g.medianAbsError.toFixed(3)} bias=${g.medianErrorRatio.toFixed(3)}`), byMode: s.byMode.map((g) => `${g.key} ${g.metric} n=${g.cases} med=${g.medianAbsError.toFixed(3)} bias=${g.medianErrorRatio.toFixed(3)}`), skipped: s.skipped.length, notFitted: s.notFitted.length }, null, 1));
console.log("wall", ((performance.now() - t0) / 1000).toFixed(1), "s");
