/**
 * The result shapes the pages read: the output schemas of the command registry (packages/contract/src/outputs.ts),
 * the same objects as the CLI's --json and the API's 200 responses. Views still read optional fields defensively
 * (`?.`, `??`): a missing field shows "—", never a crash.
 */
import type {
  CommandOutput,
  CompareOutput,
  LedgerCaseOutput,
  SearchOutput,
  TrainClusterOutput,
} from "@flopcast/contract";
import type { z } from "zod";

export type TrainResult = CommandOutput<"train">;
/** A training result with hardware (the cluster part present). */
export type TrainClusterResult = TrainClusterOutput;
export type InferResult = CommandOutput<"infer">;
export type ServeResult = CommandOutput<"serve">;
export type FleetResult = CommandOutput<"fleet">;
export type CompareResult = CompareOutput;
export type CompareRow = CompareResult["rows"][number];
export type SearchResult = SearchOutput;
export type ClaimResult = CommandOutput<"claims">[number];
export type LedgerCase = z.infer<typeof LedgerCaseOutput>;

/** Per-request latencies the Serve page plots, sampled from the simulator's records in the worker. */
export interface ServeSample {
  /** Sorted latencies (ms) at evenly spaced quantiles, for the CDFs. */
  readonly ttftMs: readonly number[];
  readonly tpotMs: readonly number[];
  readonly e2eMs: readonly number[];
  /** The first requests in arrival order: when each arrived, got its first token and completed (s). */
  readonly timeline: readonly { id: number; arrivedS: number; firstTokenS: number; completedS: number }[];
}
