export * from "./compute-trend.ts";
