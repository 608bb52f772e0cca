/**
 * The result shapes the pages read, taken from the contract's planners (one shape per result: the CLI's --json,
 * the API and this app read the same objects). Views read fields defensively (`?.`, `??`) because estimators gain
 * fields over time; a missing field shows "—", never a crash.
 */
import type {
  ClaimResult,
  compareHardware,
  LedgerCase,
  planFleet,
  planInference,
  planTraining,
  runServe,
  search,
} from "@flopcast/contract";

type Ok<T> = T extends { ok: true; result: infer R } ? R : never;

export type TrainResult = Ok<ReturnType<typeof planTraining>>;
/** A training result with hardware (the cluster part present). */
export type TrainClusterResult = Extract<TrainResult, { feasible: boolean }>;
export type InferResult = Ok<ReturnType<typeof planInference>>;
export type ServeResult = ReturnType<typeof runServe>["result"];
export type FleetResult = Ok<ReturnType<typeof planFleet>>;
export type CompareResult = ReturnType<typeof compareHardware>;
export type CompareRow = CompareResult["rows"][number];
export type SearchResult = Ok<ReturnType<typeof search>>;
export type { ClaimResult, LedgerCase };

/** Per-request latencies the Serve page plots, sampled from the simulator's records in the worker. */
export interface ServeSample {
  /** Sorted latencies (ms) at evenly spaced quantiles, for the CDFs. */
  readonly ttftMs: readonly number[];
  readonly tpotMs: readonly number[];
  readonly e2eMs: readonly number[];
  /** The first requests in arrival order: when each arrived, got its first token and completed (s). */
  readonly timeline: readonly { id: number; arrivedS: number; firstTokenS: number; completedS: number }[];
}
