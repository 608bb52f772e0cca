/**
 * File I/O for the CLI with user mistakes as problems (exit 2), never stack traces: every read has a size limit
 * (a scenario pointed at /dev/zero stops at the limit instead of filling memory), every write names the path
 * and the reason (no such directory, a directory, permission denied).
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from "node:fs";
import { formatInteger } from "@flopcast/contract";
import { BadInput } from "./output.ts";

/** Input size limits (bytes), documented in the README "Security and limits" section. */
export const MAX_SCENARIO_FILE_BYTES = 1 << 20;
export const MAX_GRID_FILE_BYTES = 1 << 20;
export const MAX_TRACE_FILE_BYTES = 256 << 20;

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EEXIST: "it already exists",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
};

/** A readable reason for a file-system error (its code), without the stack. */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code ? (REASONS[code] ?? code) : e instanceof Error ? e.message.split("\n")[0] || "I/O error" : "I/O error";
}

/** Reads a UTF-8 text file of at most `maxBytes`; a missing file, a directory or a larger input is a problem. */
export function readTextLimited(path: string, field: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new BadInput([{ path: field, message: `cannot read ${path}: ${fileErrorReason(e)}` }]);
  }
  try {
    if (fstatSync(fd).isDirectory())
      throw new BadInput([{ path: field, message: `cannot read ${path}: it is a directory` }]);
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw new BadInput([{ path: field, message: `cannot read ${path}: ${fileErrorReason(e)}` }]);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes)
        throw new BadInput([
          {
            path: field,
            message: `${path} is larger than the ${formatInteger(maxBytes)}-byte limit for ${field} files`,
          },
        ]);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole file; an unwritable path is a problem naming the flag. */
export function writeFileChecked(path: string, data: string, field: string): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new BadInput([{ path: field, message: `cannot write ${path}: ${fileErrorReason(e)}` }]);
  }
}

/** Opens a file for writing/appending; an unwritable path is a problem naming the flag. */
export function openChecked(path: string, flags: "a" | "w" | "wx", field: string): number {
  try {
    const fd = openSync(path, flags);
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
    }
    return fd;
  } catch (e) {
    throw new BadInput([{ path: field, message: `cannot write ${path}: ${fileErrorReason(e)}` }]);
  }
}

/**
 * Calls `onLine(line, endByte)` for each complete (newline-terminated) line, streaming in 1 MiB chunks, so
 * files larger than a JS string and resumes of long sweeps stay linear. A trailing partial line is not passed;
 * returning false stops early. Returns the byte offset after the last line passed.
 */
export function forEachLine(path: string, onLine: (line: string, endByte: number) => boolean | undefined): number {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let offset = 0; // bytes of the file before `carry`
    let consumed = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return consumed;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        const end = offset + nl + 1;
        if (onLine(data.toString("utf8", start, nl), end) === false) return consumed;
        consumed = end;
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      offset += start;
    }
  } finally {
    closeSync(fd);
  }
}
