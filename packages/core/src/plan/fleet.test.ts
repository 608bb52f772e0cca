import { describe, expect, test } from "vitest";
import type { ReplicaCostModel } from "../perf/inference.ts";
import type { ClusterConfig } from "../serve/simulate.ts";
import { compositionCheck } from "./fleet.ts";

describe("compositionCheck: one representative replica vs the full fleet (small scale)", () => {
  const cost: ReplicaCostModel = {
    iterationS: (w) => 0.005 + 2e-5 * w.newTokens + 1e-9 * w.kvReadTokens,
    kvCapacityTokens: 200_000,
    kvBytesPerToken: 1e5,
    feasible: true,
  };
  const cluster: ClusterConfig = {
    replicas: 8,
    router: "least-outstanding",
    replica: {
      cost,
      maxBatchedTokens: 2048,
      maxSeqs: 64,
      watermark: 0.01,
      scheduler: "chunked",
      prefixCacheTokens: 0,
      loraSlots: 0,
      loraLoadS: 0,
    },
  };
  const c = compositionCheck(cluster, 8 * 15, 16_000, 400, 150, 3);
  test("least-outstanding router: throughput within 5%, p99 TTFT and TPOT within 10%", () => {
    expect(Math.abs(c.throughputRatio - 1)).toBeLessThan(0.05);
    expect(Math.abs(c.p99TtftRatio - 1)).toBeLessThan(0.1);
    expect(Math.abs(c.p99TpotRatio - 1)).toBeLessThan(0.1);
  });
  test("round-robin: one Poisson replica overstates p99 TTFT (conservative), never understates it", () => {
    const rr = compositionCheck({ ...cluster, router: "round-robin" }, 8 * 15, 16_000, 400, 150, 3);
    expect(rr.p99TtftRatio).toBeGreaterThanOrEqual(1);
  });
});
