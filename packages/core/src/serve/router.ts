/**
 * Routers: which replica of a pool takes a request (ARCHITECTURE §3). A registry, so the scenario enum and
 * the CLI help derive from one list.
 */
import type { SimRequest } from "./workload.ts";

/** What a router may read of a replica: tokens (input + output) of the requests it holds. */
export interface Routable {
  readonly outstanding: number;
}

export interface Router {
  pick<R extends Routable>(pool: readonly R[], req: SimRequest): R;
}

function leastOutstanding<R extends Routable>(pool: readonly R[]): R {
  let best = pool[0] as R;
  for (const r of pool) if (r.outstanding < best.outstanding) best = r;
  return best;
}

export const ROUTERS = {
  "round-robin": {
    description: "replicas in turn",
    make: (): Router => {
      let next = 0;
      return { pick: (pool) => pool[next++ % pool.length] as (typeof pool)[number] };
    },
  },
  "least-outstanding": {
    description: "fewest outstanding tokens (default)",
    make: (): Router => ({ pick: (pool) => leastOutstanding(pool) }),
  },
  "prefix-affinity": {
    description: "same shared prefix → same replica, else least-outstanding",
    make: (): Router => ({
      pick: (pool, req) =>
        req.prefixGroup >= 0 ? (pool[req.prefixGroup % pool.length] as (typeof pool)[number]) : leastOutstanding(pool),
    }),
  },
} as const satisfies Record<string, { description: string; make: () => Router }>;

export type RouterKind = keyof typeof ROUTERS;
export const ROUTER_NAMES = Object.keys(ROUTERS) as [RouterKind, ...RouterKind[]];
