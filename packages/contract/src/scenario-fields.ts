/**
 * Scenario fields every command's schema shares: precision and price-basis names, the scenario date, an id.
 */
import { PRICE_BASES } from "@flopcast/catalog";
import { z } from "zod";
import { DEFAULT_SCENARIO_DATE } from "./context.ts";

export const PrecisionName = z.enum(["fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"], {
  error: (i) => `unknown precision ${JSON.stringify(i.input)} (one of fp32, tf32, bf16, fp16, fp8, int8, fp4)`,
});

/** Which rental records a price takes (docs/claims.md "Price method"); `market` = the median of every segment. */
export const PriceBasisName = z.enum(PRICE_BASES, {
  error: (i) => `unknown price basis ${JSON.stringify(i.input)} (one of ${PRICE_BASES.join(", ")})`,
});

/**
 * The scenario date prices are taken at (YYYY-MM-DD): adapters inject today's through the command context
 * (commands.ts, context.ts); without one, the catalog's default date.
 */
export const ScenarioDate = z
  .string()
  .regex(/^\d{4}-\d{2}(-\d{2})?$/, { error: "a date YYYY-MM-DD" })
  .default(DEFAULT_SCENARIO_DATE);

/** A catalog id (model, hardware, system): a non-empty string. */
export const idField = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be a string") })
  .min(1, { error: "required" });
