/** Human formatting for the page (up to 4 significant digits). */
export function fmt(x: unknown): string {
  if (typeof x !== "number") return x === null || x === undefined ? "—" : String(x);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e15 || a < 1e-3)) return x.toExponential(3);
  return x.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}
