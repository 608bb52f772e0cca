/**
 * worker_threads entry of the estimator pool (pool.ts): runs one job per message and posts the outcome back,
 * with a result already serialized to JSON here, off the HTTP thread.
 */
import { parentPort } from "node:worker_threads";
import { type EstimateJob, estimate } from "./estimate.ts";

parentPort?.on("message", (msg: { id: number; job: EstimateJob }) => {
  let reply: { id: number; outcome?: unknown; error?: string };
  try {
    const outcome = estimate(msg.job);
    reply = { id: msg.id, outcome: outcome.ok ? { ok: true, json: JSON.stringify(outcome.result) } : outcome };
  } catch (e) {
    // The parent logs it; the client only ever sees "internal error".
    reply = { id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort?.postMessage(reply);
});
