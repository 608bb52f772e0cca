/** @flopcast/core: pure estimators (no I/O, no dependencies). The explicit public API. */

export * from "./cost/index.ts";
export * from "./errors.ts";
export * from "./hardware/index.ts";
export * from "./model/index.ts";
export * from "./perf/index.ts";
export * from "./plan/index.ts";
export * from "./random.ts";
export * from "./serve/index.ts";
export * from "./trends/index.ts";
export * from "./units/index.ts";
