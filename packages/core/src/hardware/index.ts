export * from "./accelerator.ts";
