export { claimFiles } from "./claims.ts";
export { closest, editDistance } from "./closest.ts";
export * from "./efficiency.ts";
export * from "./load.ts";
export * from "./prices.ts";
export * from "./schema.ts";
export * from "./serving-calibration.ts";
export * from "./trends.ts";
