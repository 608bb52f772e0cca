export * from "./serving.ts";
export * from "./training.ts";
