/**
 * Errors from the environment (a file, the results database) that escaped a command, as problems. Its own module:
 * the store (node:sqlite) loads only when a call failed, not on every call (main.ts imports it lazily).
 */
import type { Problem } from "@flopcast/core";
import { StoreOpenError } from "@flopcast/store";
import { fileErrorReason } from "./files.ts";

/**
 * A file, database or system error that escaped a command (ENOENT, EACCES, EISDIR, ENOSPC, a non-SQLite
 * --db, …) as problems: it is the environment, not a bug, so exit 2 without a stack. Null for anything else.
 */
export function environmentProblems(e: unknown): Problem[] | null {
  if (e instanceof StoreOpenError) return [{ path: "db", message: e.message }];
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err.code === "string" && /^E[A-Z0-9]+$/.test(err.code) && (err.syscall || err.path))
    return [{ path: "file", message: `${err.path ?? err.syscall}: ${fileErrorReason(err)}` }];
  return null;
}
