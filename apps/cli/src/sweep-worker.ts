/** worker_threads entry: evaluates sweep scenarios by index and posts each row back (docs/sweep.md). */
import { parentPort, workerData } from "node:worker_threads";
import { formatRow, type GridFile, runScenario, type SweepRow, scenarioAt } from "@flopcast/contract";
import { cliModelResolver } from "./model-resolver.ts";

const data = (workerData ?? {}) as { grid: GridFile; gridHash: string; gridSize: number };

/** One output row; its first keys (index, gridHash, gridSize) are what resume reads from each line. */
export function evaluateRow(g: GridFile, index: number, gridHash = data.gridHash, gridSize = data.gridSize): SweepRow {
  const scenario = scenarioAt(g, index);
  const outcome = runScenario(g.command, scenario, cliModelResolver);
  const row = { index, gridHash, gridSize, scenario };
  return outcome.ok ? { ...row, result: outcome.result } : { ...row, problems: outcome.problems };
}

// Rows are serialized here, in parallel, so the main thread only writes strings in order.
parentPort?.on("message", (indices: number[]) => {
  for (const i of indices) parentPort?.postMessage({ index: i, line: formatRow(evaluateRow(data.grid, i)) });
});
