import {
  BITS_PER_BYTE,
  FLOP_PER_PF_DAY,
  GIBI,
  GIGA,
  MILLI,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  TERA,
} from "./constants.ts";
import {
  type Bytes,
  type BytesPerSecond,
  bytes,
  bytesPerSecond,
  type Flop,
  type FlopPerSecond,
  flopPerSecond,
  type Seconds,
  seconds,
} from "./quantity.ts";

export const gigabytes = (gb: number): Bytes => bytes(gb * GIGA);
export const gibibytes = (gib: number): Bytes => bytes(gib * GIBI);
export const toGigabytes = (b: Bytes): number => b / GIGA;
export const toGibibytes = (b: Bytes): number => b / GIBI;
export const teraflopsPerSecond = (tflops: number): FlopPerSecond => flopPerSecond(tflops * TERA);
export const toTeraflopsPerSecond = (f: FlopPerSecond): number => f / TERA;
export const terabytesPerSecond = (tbps: number): BytesPerSecond => bytesPerSecond(tbps * TERA);
export const gigabytesPerSecond = (gbps: number): BytesPerSecond => bytesPerSecond(gbps * GIGA);
export const gigabitsPerSecond = (gbit: number): BytesPerSecond => bytesPerSecond((gbit * GIGA) / BITS_PER_BYTE);
export const toTerabytesPerSecond = (b: BytesPerSecond): number => b / TERA;
export const toGigabytesPerSecond = (b: BytesPerSecond): number => b / GIGA;
export const milliseconds = (ms: number): Seconds => seconds(ms * MILLI);
export const toMilliseconds = (s: Seconds): number => s / MILLI;
export const hours = (h: number): Seconds => seconds(h * SECONDS_PER_HOUR);
export const toHours = (s: Seconds): number => s / SECONDS_PER_HOUR;
export const days = (d: number): Seconds => seconds(d * SECONDS_PER_DAY);
export const toDays = (s: Seconds): number => s / SECONDS_PER_DAY;
export const toPfDays = (f: Flop): number => f / FLOP_PER_PF_DAY;

/** Rounds to `digits` significant digits for output; non-finite and missing values become null (JSON has no Infinity). */
export const roundTo = (x: number | null | undefined, digits = 6): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(digits));
