import type { Problem, TraceRow } from "@flopcast/core";
import { parse as parseCsv } from "csv-parse/sync";
import { MAX_TRACE_FILE_BYTES, readTextLimited } from "./files.ts";
import { BadInput } from "./output.ts";

/**
 * Reads a request trace (docs/serve.md "Trace format"): CSV with a header, or JSONL (one object per line).
 * Columns/keys: arrival_s, input_tokens, output_tokens, and optionally adapter, prefix_group, prefix_tokens.
 */
export function readTrace(path: string): TraceRow[] {
  const text = readTextLimited(path, "trace", MAX_TRACE_FILE_BYTES);
  const jsonl = path.endsWith(".jsonl") || text.trimStart().startsWith("{");
  let rows: Record<string, unknown>[];
  try {
    rows = jsonl
      ? text
          .split("\n")
          .filter((l) => l.trim() !== "")
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : (parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, unknown>[]);
  } catch (e) {
    throw new BadInput([
      {
        path: "trace",
        message: `${path} is not valid ${jsonl ? "JSONL" : "CSV"}: ${(e as Error).message.split("\n")[0]}`,
      },
    ]);
  }
  const problems: Problem[] = [];
  const out: TraceRow[] = [];
  const num = (row: Record<string, unknown>, key: string, line: number, required: boolean): number | undefined => {
    const v = row[key];
    if (v === undefined || v === "") {
      if (required) problems.push({ path: `trace:${line}.${key}`, message: `missing ${key}` });
      return undefined;
    }
    const x = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(x) || x < 0) {
      problems.push({ path: `trace:${line}.${key}`, message: `${key} must be a number ≥ 0, got ${JSON.stringify(v)}` });
      return undefined;
    }
    return x;
  };
  rows.forEach((row, i) => {
    const line = i + (jsonl ? 1 : 2);
    const arrivedAt = num(row, "arrival_s", line, true);
    const inputTokens = num(row, "input_tokens", line, true);
    const outputTokens = num(row, "output_tokens", line, true);
    if (arrivedAt === undefined || inputTokens === undefined || outputTokens === undefined) return;
    out.push({
      arrivedAt,
      inputTokens: Math.max(1, Math.round(inputTokens)),
      outputTokens: Math.max(1, Math.round(outputTokens)),
      adapter: num(row, "adapter", line, false),
      prefixGroup: num(row, "prefix_group", line, false),
      prefixTokens: num(row, "prefix_tokens", line, false),
    });
  });
  if (problems.length) throw new BadInput(problems.slice(0, 20));
  if (out.length === 0) throw new BadInput([{ path: "trace", message: `${path} has no requests` }]);
  return out;
}
