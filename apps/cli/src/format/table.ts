/** Plain-text table: left-aligned text, right-aligned numbers, columns sized to content. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? "—" : typeof c === "number" ? formatNumber(c) : c)));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === "number" || r[i] === null));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Human formatting: up to 4 significant digits, thousands separators, scientific for huge/tiny values. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e15 || abs < 1e-3) return x.toExponential(3);
  if (Number.isInteger(x)) return x.toLocaleString("en-US");
  return x.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}

/** CSV with RFC 4180 quoting. */
export function renderCsv(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const quote = (c: string | number | null) => {
    const s = c === null ? "" : String(c);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[headers, ...rows].map((r) => r.map(quote).join(",")).join("\n")}\n`;
}
