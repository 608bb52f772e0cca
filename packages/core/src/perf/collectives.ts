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
