/**
 * Tables for people (text) and for programs (CSV) from one column list: each column has a machine name (the CSV
 * header, the same camelCase + unit name as the JSON field), a human header with its unit for the text table,
 * and a formatter for its numbers (contract/format.ts). docs/cli.md lists the CSV columns of every command.
 */
import { formatNumber } from "@flopcast/contract";

export { formatNumber };

export type Cell = string | number | boolean | null | undefined;

export interface Column<R> {
  /** CSV header and JSON-style name, e.g. `costUsd`. */
  readonly key: string;
  /** Text-table header in words with its unit, e.g. `cost $`. */
  readonly header: string;
  readonly value: (row: R) => Cell;
  /** How a number shows in the text table (default: formatNumber). */
  readonly format?: (x: number) => string;
}

/** One column; `format` defaults to the plain number formatter. */
export const column = <R>(
  key: string,
  header: string,
  value: (row: R) => Cell,
  format?: (x: number) => string,
): Column<R> => ({ key, header, value, ...(format ? { format } : {}) });

const UNIT_WORDS: Record<string, string> = {
  usd: "$",
  ms: "ms",
  s: "s",
  gb: "GB",
  tb: "TB",
  mb: "MB",
  mw: "MW",
  mwh: "MWh",
  w: "W",
  tflops: "TFLOP/s",
  pf: "PF",
};

/** A machine name in words, for a text header: `memBandwidthTbPerS` → "mem bandwidth TB/s", `result.ttftMs` → "ttft ms". */
export function humanHeader(key: string): string {
  return key
    .replace(/^result\./, "")
    .split(".")
    .map((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(" ")
        .map((w) => UNIT_WORDS[w] ?? w)
        .join(" ")
        .replace(/ per (s|h)\b/g, "/$1")
        .replace(/ per ([A-Za-z$]+)$/g, "/$1"),
    )
    .join(" ");
}

const textCell = (c: Cell, format: (x: number) => string = formatNumber): string =>
  c === null || c === undefined
    ? "—"
    : typeof c === "number"
      ? format(c)
      : typeof c === "boolean"
        ? c
          ? "yes"
          : "no"
        : c;

/** Aligned plain text: left-aligned words, right-aligned numbers, a dashed rule under the header. */
function grid(headers: readonly string[], cells: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** A text table from columns: human headers, formatted numbers. */
export function table<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const raw = rows.map((r) => columns.map((c) => c.value(r)));
  const numeric = columns.map((_, i) =>
    raw.every((r) => typeof r[i] === "number" || r[i] === null || r[i] === undefined),
  );
  return grid(
    columns.map((c) => c.header),
    raw.map((r) => r.map((x, i) => textCell(x, columns[i]?.format))),
    numeric,
  );
}

/** CSV from columns: machine names in the header, raw numbers in the unit the name states. */
export function csv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  return renderCsv(
    columns.map((c) => c.key),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}

/**
 * A text table from headers and cells. Headers are for people; a machine-style header (camelCase) is turned into
 * words so no text table shows an internal name.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === "number" || r[i] === null));
  return grid(
    headers.map((h) => (/[a-z][A-Z]/.test(h) ? humanHeader(h) : h)),
    rows.map((r) => r.map((c) => textCell(c))),
    numeric,
  );
}

/** CSV with RFC 4180 quoting. */
export function renderCsv(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const quote = (c: Cell) => {
    const s = c === null || c === undefined ? "" : String(c);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[headers, ...rows].map((r) => r.map(quote).join(",")).join("\n")}\n`;
}
