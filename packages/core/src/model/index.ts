export * from "./architecture.ts";
export * from "./derived.ts";
export * from "./flops.ts";
export * from "./hf-config.ts";
export * from "./memory.ts";
export * from "./params.ts";
export * from "./precision.ts";
