/**
 * Generators of hostile input for the fuzz suites (API and CLI): numbers that parse to huge values ("50M", "1T",
 * 1e308), non-numbers ("NaN", "Infinity", ""), wrong types, deep nesting, and plain small valid values.
 * `FLOPCAST_FUZZ_RUNS` sets the number of generated inputs (npm run fuzz: 10,000 in all).
 */
import fc from "fast-check";

export const FUZZ_SEED = 17;
/** Inputs per suite: a small fixed-seed sample under `npm test`, the full run under `npm run fuzz`. */
export const fuzzRuns = (sample: number, shareOfFull: number): number => {
  const full = Number(process.env.FLOPCAST_FUZZ_RUNS ?? 0);
  return full > 0 ? Math.round(full * shareOfFull) : sample;
};

export const HOSTILE_STRINGS = [
  "50M",
  "1T",
  "5B",
  "1e308",
  "-1e308",
  "NaN",
  "nan",
  "Infinity",
  "-Infinity",
  "",
  " ",
  "0",
  "-0",
  "-1",
  "0.5",
  "1e-300",
  "0x10",
  "1_000_000_000",
  "9".repeat(400),
  "abc",
  "max",
  "null",
  "__proto__",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "'; DROP TABLE scenarios; --",
  "h100-sxm",
  "llama-3.1-8b",
  "fixed:0",
  "uniform:5:1",
  "lognormal:1e308:50",
  "empirical:/dev/zero",
];

export const HOSTILE_NUMBERS = [0, -0, -1, 0.5, 1, 2, 7, 64, 65, 1e6, 1e9, 2 ** 53, 1e308, -1e308, Number.MIN_VALUE];

/** A value for one field: hostile strings and numbers, small valid numbers, or a wrong type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [1, 2], { a: 1 }) },
);

/** JSON text nested `depth` levels deep (objects or arrays). */
export const deepJson = (depth: number, kind: "object" | "array" = "object"): string =>
  kind === "object" ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` : `${"[".repeat(depth)}1${"]".repeat(depth)}`;
