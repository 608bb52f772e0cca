export * from "./constants.ts";
export * from "./convert.ts";
export * from "./quantity.ts";
