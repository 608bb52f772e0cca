export * from "./fleet.ts";
export * from "./inference.ts";
export * from "./search.ts";
export * from "./serving.ts";
export * from "./training.ts";
