import { z } from "zod";

/** Suffixes accepted on the command line: 8k, 70b/70B, 300B (1e9), 1.5T, 2M (CONTRACT.md conventions). */
const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** Parses `300e9`, `300B`, `1.5T`, `70b`, `8k`, `1_000`, `1,000`; returns NaN when it is not a number. */
export function parseNumber(text: string): number {
  const s = text.trim().replace(/[_,]/g, "");
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([kmbgt])?$/i.exec(s);
  if (!m?.[1]) return Number.NaN;
  const scale = m[2] ? (SUFFIX[m[2].toLowerCase()] ?? Number.NaN) : 1;
  return Number(m[1]) * scale;
}

/** A number that may arrive as a string with a suffix (CLI, YAML) or as a JSON number. */
export const looseNumber = z.preprocess(
  // Text that is not a number stays text, so the error quotes what was given (`not a number: "abc"`).
  (v) => (typeof v === "string" && !Number.isNaN(parseNumber(v)) ? parseNumber(v) : v),
  z
    .number({ error: (i) => (i.input === undefined ? "required" : `not a number: ${JSON.stringify(i.input)}`) })
    .finite(),
);
export const positiveNumber = looseNumber.pipe(z.number().positive({ error: "must be greater than 0" }));
export const nonNegativeNumber = looseNumber.pipe(z.number().nonnegative({ error: "must be 0 or more" }));
export const positiveInt = looseNumber.pipe(
  z.number().int({ error: "must be a whole number" }).positive({ error: "must be greater than 0" }),
);
export const fraction = looseNumber.pipe(
  z.number().gt(0, { error: "must be greater than 0" }).lte(1, { error: "must be at most 1" }),
);
/** A probability in [0, 1] (acceptance rates may be exactly 0 or 1). */
export const looseFraction = looseNumber.pipe(
  z.number().min(0, { error: "must be at least 0" }).max(1, { error: "must be at most 1" }),
);

/** Significant-digit rounding of outputs lives in core (planners round what they rank); re-exported for adapters. */
export { roundTo } from "@flopcast/core";
