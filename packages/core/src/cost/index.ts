export * from "./owned.ts";
