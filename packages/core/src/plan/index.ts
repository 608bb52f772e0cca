export * from "./fleet.ts";
export * from "./inference.ts";
export * from "./search.ts";
export * from "./training.ts";
