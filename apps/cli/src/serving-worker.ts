/** worker_threads entry for `validate --serving`: simulates CSV records by index and posts each outcome back. */
import { parentPort, workerData } from "node:worker_threads";
import { evaluateServingRecord } from "@flopcast/contract/serving-validation";

const { records } = workerData as { records: Record<string, string>[] };

parentPort?.on("message", (indices: number[]) => {
  for (const i of indices) parentPort?.postMessage({ index: i, outcome: evaluateServingRecord(records[i] ?? {}) });
});
