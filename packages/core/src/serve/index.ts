export * from "./event-queue.ts";
export * from "./metrics.ts";
export * from "./simulate.ts";
export * from "./workload.ts";
