export * from "./collectives.ts";
export * from "./derivation.ts";
export * from "./inference.ts";
export * from "./roofline.ts";
export * from "./training.ts";
export * from "./training-memory.ts";
