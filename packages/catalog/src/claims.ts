import * as index from "./data-index.ts";
import { prevalidated } from "./prevalidated.ts";
import { ClaimFile } from "./schema.ts";

let parsed: ClaimFile[] | undefined;
/** The claim files (packages/catalog/data/claims/*.json), validated. */
export function claimFiles(): readonly ClaimFile[] {
  parsed ??= prevalidated("claims") ?? index.claimsFiles.map((f) => ClaimFile.parse(f));
  return parsed;
}
