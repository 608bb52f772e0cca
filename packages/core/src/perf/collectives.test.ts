import { describe, expect, it } from "vitest";
import type { Bytes, BytesPerSecond } from "../units/index.ts";
import { groupCollectiveTime, type Network } from "./collectives.ts";

// Hierarchical collectives on mapped tiers (docs/model.md §2.3), latencies zero so the bandwidth terms are exact.
const GB = 1e9;
const tier = (name: "scale-up" | "scale-out" | "dcn", gbPerS: number) => ({
  name,
  bandwidth: (gbPerS * GB) as BytesPerSecond,
  latency: 0 as never,
});
const twoTier: Network = { domain: 8, scaleUp: tier("scale-up", 400), scaleOut: tier("scale-out", 50) };
const threeTier: Network = { ...twoTier, pod: 16, dcn: tier("dcn", 5) };
const P = (8 * GB) as Bytes;

describe("groupCollectiveTime on scale-up, scale-out and DCN tiers", () => {
  it("two tiers: all-reduce of 32 ranks, 8 per domain = 2·(7/8·P/400 + 3/4·(P/8)/50)", () => {
    // inner: 7/8 · 8 GB / 400 GB/s = 0.0175 s; cross: 3/4 · 1 GB / 50 GB/s = 0.015 s; all-reduce doubles both.
    expect(groupCollectiveTime("all-reduce", P, 32, 8, twoTier)).toBeCloseTo(2 * (0.0175 + 0.015), 12);
  });
  it("a group inside one pod never touches the DCN tier", () => {
    expect(groupCollectiveTime("reduce-scatter", P, 16, 8, threeTier, 16)).toBeCloseTo(
      groupCollectiveTime("reduce-scatter", P, 16, 8, twoTier),
      12,
    );
  });
  it("three tiers: reduce-scatter of 32 ranks, 8 per domain, 16 per pod = 7/8·P/400 + 1/2·(P/8)/50 + 1/2·(P/16)/5", () => {
    // 0.0175 s + 1/2 · 1 GB / 50 GB/s = 0.01 s + 1/2 · 0.5 GB / 5 GB/s = 0.05 s.
    expect(groupCollectiveTime("reduce-scatter", P, 32, 8, threeTier, 16)).toBeCloseTo(0.0175 + 0.01 + 0.05, 12);
  });
  it("all-to-all: each tier carries the share of the payload addressed beyond the one inside it", () => {
    // 32 ranks, 8 per domain, 16 per pod: 7/32 on scale-up, 8/32 on scale-out, 16/32 on DCN; the slowest sets it.
    const t = groupCollectiveTime("all-to-all", P, 32, 8, threeTier, 16);
    expect(t).toBeCloseTo(Math.max(((7 / 32) * 8) / 400, ((8 / 32) * 8) / 50, ((16 / 32) * 8) / 5), 12);
  });
});
