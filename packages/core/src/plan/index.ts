export * from "./training.ts";
