import * as index from "./data-index.ts";
import { ClaimFile } from "./schema.ts";

let parsed: ClaimFile[] | undefined;
/** The claim files (packages/catalog/data/claims/*.json), validated. */
export function claimFiles(): readonly ClaimFile[] {
  parsed ??= index.claimsFiles.map((f) => ClaimFile.parse(f));
  return parsed;
}
