import { type Bytes, type BytesPerSecond, type Seconds, seconds } from "../units/index.ts";

/**
 * Ring all-reduce time for `n` participants: 2(n−1)/n · bytes / bandwidth + per-hop latency
 * (Patarasuk & Yuan 2009; docs/model.md §2.3). Zero for a single participant.
 */
export function allReduceTime(
  payload: Bytes,
  participants: number,
  bandwidth: BytesPerSecond,
  latency: Seconds,
): Seconds {
  if (participants <= 1) return seconds(0);
  return seconds((2 * (participants - 1) * payload) / participants / bandwidth + 2 * (participants - 1) * latency);
}

/** Ring all-gather (or reduce-scatter) time: (n−1)/n · bytes / bandwidth + latency per hop. */
export function allGatherTime(
  payload: Bytes,
  participants: number,
  bandwidth: BytesPerSecond,
  latency: Seconds,
): Seconds {
  if (participants <= 1) return seconds(0);
  return seconds(((participants - 1) * payload) / participants / bandwidth + (participants - 1) * latency);
}

/** All-to-all: each participant sends (n−1)/n of its `payload` over its own link (docs/model.md §2.5). */
export function allToAllTime(
  payload: Bytes,
  participants: number,
  bandwidth: BytesPerSecond,
  latency: Seconds,
): Seconds {
  if (participants <= 1) return seconds(0);
  return seconds(((participants - 1) * payload) / participants / bandwidth + latency);
}

/**
 * One tier of the network a parallel group can sit on (ARCHITECTURE §2 "Communication on a mapped network"):
 * the scale-up domain (NVLink 8 / NVL72 / TPU ICI slice) and the scale-out network (IB/RoCE, or DCN between
 * TPU slices). Bandwidth per chip, one direction, already × the bus-bandwidth fraction; latency per hop.
 */
export interface NetworkTier {
  readonly name: "scale-up" | "scale-out" | "dcn";
  readonly bandwidth: BytesPerSecond;
  readonly latency: Seconds;
}

export interface Network {
  /** Chips in one scale-up domain (consecutive ranks). */
  readonly domain: number;
  readonly scaleUp: NetworkTier;
  readonly scaleOut: NetworkTier;
  /** In-network reduction on the scale-out tier (SHARP): an all-reduce moves (n−1)/n of the bytes, not 2(n−1)/n. */
  readonly sharp?: boolean | undefined;
  /**
   * Chips that share the scale-out fabric at full bisection bandwidth (a pod: Meta's 3,072-GPU RoCE pod, Llama 3
   * Herd §3.3.1); ranks further apart cross the `dcn` tier (aggregation layer or data-centre network). Absent:
   * the scale-out tier spans the whole cluster.
   */
  readonly pod?: number | undefined;
  readonly dcn?: NetworkTier | undefined;
}

/**
 * Where a parallel group of `size` ranks, `stride` apart in the rank order, sits: `local` of its members
 * share one scale-up domain (all of them when size·stride ≤ domain). Rank order TP innermost, then CP, EP, PP,
 * DP (Megatron-LM `RankGenerator`; docs/model.md §2.3).
 */
export function membersPerDomain(size: number, stride: number, domain: number): number {
  if (size <= 1) return 1;
  if (stride >= domain) return 1;
  return Math.max(1, Math.min(size, Math.floor(domain / stride)));
}

export type CollectiveKind = "all-reduce" | "all-gather" | "reduce-scatter" | "all-to-all";

/**
 * A collective over a mapped group of `size` ranks, `localMembers` of them per scale-up domain (docs/model.md §2.3). Inside one domain: the ring formulas above on the
 * scale-up tier. Across domains, hierarchical (NCCL tree/ring over rails): reduce-scatter inside the domain,
 * the cross-domain collective on 1/local of the bytes with every chip's own NIC in parallel, all-gather back.
 * All-to-all: the share of the payload that leaves the domain, (n − local)/n, crosses scale-out; the rest
 * stays on scale-up; the two run concurrently. `payload` = bytes per chip (all-gather: the gathered size).
 */
export function groupCollectiveTime(
  kind: CollectiveKind,
  payload: Bytes,
  size: number,
  /** Members of the group inside one scale-up domain (`membersPerDomain`). */
  localMembers: number,
  net: Network,
  /** Members of the group inside one pod (`membersPerDomain(size, stride, net.pod)`); default: all of them. */
  podMembers: number = size,
): Seconds {
  if (size <= 1 || payload <= 0) return seconds(0);
  const local = Math.max(1, Math.min(size, localMembers));
  // Members per pod: at least the domain's, at most the group (no DCN tier: the whole group is one pod).
  const inPod = net.dcn ? Math.max(local, Math.min(size, podMembers)) : size;
  const up = net.scaleUp;
  const out = net.scaleOut;
  const dcn = net.dcn ?? out;
  if (kind === "all-to-all") {
    const inside = (payload * (local - 1)) / size / up.bandwidth;
    const outside = (payload * (inPod - local)) / size / out.bandwidth;
    const farther = (payload * (size - inPod)) / size / dcn.bandwidth;
    const latency = inPod < size ? dcn.latency : local < size ? out.latency : up.latency;
    return seconds(Math.max(inside, outside, farther) + latency);
  }
  const half = (bytes_: number, n: number, tier: NetworkTier) =>
    n <= 1 ? 0 : ((n - 1) * bytes_) / n / tier.bandwidth + (n - 1) * tier.latency;
  // Hierarchical: reduce-scatter inside the domain, then across domains inside the pod on 1/local of the bytes,
  // then across pods on 1/inPod of them (each chip's own NIC in parallel); all-gather back in reverse.
  const inner = half(payload, local, up);
  const cross = half(payload / local, inPod / local, out);
  const far = half(payload / inPod, size / inPod, dcn);
  if (kind === "all-reduce") return seconds(2 * inner + (net.sharp ? cross : 2 * cross) + 2 * far);
  return seconds(inner + cross + far);
}
