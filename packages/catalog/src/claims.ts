import { prevalidated } from "./prevalidated.ts";
import { validatedClaims } from "./raw.ts";
import type { ClaimFile } from "./schema.ts";

let parsed: ClaimFile[] | undefined;
/** The claim files (packages/catalog/data/claims/*.json), validated. */
export function claimFiles(): readonly ClaimFile[] {
  parsed ??= prevalidated("claims") ?? validatedClaims();
  return parsed;
}
