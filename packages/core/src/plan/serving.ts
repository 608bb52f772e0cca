/**
 * Serving planning (ARCHITECTURE §3): choices a serving engine's operator makes that a measurement may leave
 * unstated. Pure: the caller supplies the memory check (the replica cost model of a layout).
 */

/** Single-node tensor-parallel sizes the planner considers for a row without a layout (one 8-GPU node). */
export const PLANNED_TP_CANDIDATES = [1, 2, 4, 8] as const;

/**
 * The layout flopcast plans for a row that publishes none (InferenceX SEO rows: the highest-throughput config per
 * GPU): the smallest single-node TP, experts TP-sharded (ep 1, the engines' default without an expert-parallel
 * flag), whose replica holds the weights and the KV cache of all `concurrency` requests at full length
 * (ISL + OSL), so no request waits for memory; if none holds the KV, the smallest that holds the weights.
 */
export function plannedServingTp(
  fits: (tp: number) => { weights: boolean; kvCapacityTokens: number },
  kvTokensNeeded: number,
): { ok: true; tp: number; basis: string } | { ok: false; reason: string } {
  let weightsOnly: number | undefined;
  for (const tp of PLANNED_TP_CANDIDATES) {
    const f = fits(tp);
    if (!f.weights) continue;
    weightsOnly ??= tp;
    if (f.kvCapacityTokens >= kvTokensNeeded)
      return {
        ok: true,
        tp,
        basis: `TP${tp}, the smallest single-node TP (ep 1) whose replica holds the weights and the KV cache of all requests at full length (${Math.round(kvTokensNeeded).toLocaleString("en-US")} tokens)`,
      };
  }
  if (weightsOnly !== undefined)
    return {
      ok: true,
      tp: weightsOnly,
      basis: `TP${weightsOnly}, the smallest single-node TP (ep 1) that holds the weights; no TP ≤ 8 holds the KV cache of all requests at full length (${Math.round(kvTokensNeeded).toLocaleString("en-US")} tokens), so requests wait for memory`,
    };
  return { ok: false, reason: `the weights do not fit ${PLANNED_TP_CANDIDATES.at(-1)} chips` };
}
