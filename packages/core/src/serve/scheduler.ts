/**
 * Iteration schedulers (ARCHITECTURE §3): given what a replica holds, decide what its next iteration runs —
 * decode the running sequences or not, and which prompt chunks to prefill. One interface, one registry (the
 * scenario enum and the CLI help derive from `SCHEDULERS`), one conformance suite (scheduler-suite.test.ts).
 */

/** A sequence as a scheduler sees it: prompt tokens to prefill and how many are done. */
export interface PrefillSeq {
  readonly toPrefill: number;
  readonly prefilled: number;
}

/** Read-only view of one replica, plus admission of the head of its waiting queue. */
export interface ReplicaView<S extends PrefillSeq = PrefillSeq> {
  /** "prefill" replicas of a disaggregated cluster never decode. */
  readonly role: "both" | "prefill" | "decode";
  /** Sequences in the decode phase. */
  readonly decoding: number;
  /** Tokens each decoding sequence runs per iteration (1, or k + 1 when verifying k speculative drafts). */
  readonly tokensPerDecode: number;
  /** Admitted sequences whose prompt is not fully prefilled, in admission order. */
  readonly prefilling: readonly S[];
  /** Head of the waiting queue (undefined when empty). */
  peekWaiting(): S | undefined;
  /** Admits the head (sequence cap, KV room, prefix cache, LoRA slot); undefined when it must wait. */
  admitHead(): S | undefined;
}

export interface PrefillChunk<S> {
  readonly seq: S;
  readonly tokens: number;
}

export interface IterationPlan<S> {
  readonly decode: boolean;
  readonly chunks: readonly PrefillChunk<S>[];
}

export interface Scheduler {
  /** Plans one iteration within `budget` tokens (max_num_batched_tokens); an empty plan idles the replica. */
  plan<S extends PrefillSeq>(view: ReplicaView<S>, budget: number): IterationPlan<S>;
}

/** Sarathi-Serve / vLLM v1 chunked prefill: decode every running sequence, fill the rest of the budget with prompt chunks. */
function planChunked<S extends PrefillSeq>(view: ReplicaView<S>, budget: number): IterationPlan<S> {
  const decode = view.role !== "prefill" && view.decoding > 0;
  let left = budget - (decode ? view.decoding * view.tokensPerDecode : 0);
  const chunks: PrefillChunk<S>[] = [];
  for (const seq of view.prefilling) {
    if (left <= 0) break;
    const tokens = Math.min(seq.toPrefill - seq.prefilled, left);
    chunks.push({ seq, tokens });
    left -= tokens;
  }
  while (left > 0 && view.peekWaiting() !== undefined) {
    const seq = view.admitHead();
    if (!seq) break;
    const tokens = Math.min(seq.toPrefill - seq.prefilled, left);
    chunks.push({ seq, tokens });
    left -= tokens;
  }
  return { decode, chunks };
}

/** vLLM v0: whole prompts in prefill-only iterations whenever one can be admitted, else a decode-only iteration. */
function planFcfs<S extends PrefillSeq>(view: ReplicaView<S>, budget: number): IterationPlan<S> {
  if (view.role === "prefill") return planChunked(view, budget);
  const chunks: PrefillChunk<S>[] = [];
  let left = budget;
  for (const seq of view.prefilling) {
    const tokens = seq.toPrefill - seq.prefilled;
    chunks.push({ seq, tokens });
    left -= tokens;
  }
  for (;;) {
    const head = view.peekWaiting();
    if (!head) break;
    const tokens = head.toPrefill - head.prefilled;
    if (chunks.length > 0 && tokens > left) break; // whole prompts only; the first may exceed the budget
    const seq = view.admitHead();
    if (!seq) break;
    chunks.push({ seq, tokens: seq.toPrefill - seq.prefilled });
    left -= seq.toPrefill - seq.prefilled;
  }
  return { decode: chunks.length === 0 && view.decoding > 0, chunks };
}

export const SCHEDULERS = {
  chunked: {
    description: "Sarathi-Serve chunked prefill piggybacked on decode (vLLM v1, SGLang, TensorRT-LLM; default)",
    make: (): Scheduler => ({ plan: planChunked }),
  },
  fcfs: {
    description: "vLLM v0: prefill-first, whole prompts in prefill-only iterations",
    make: (): Scheduler => ({ plan: planFcfs }),
  },
} as const satisfies Record<string, { description: string; make: () => Scheduler }>;

export type SchedulerKind = keyof typeof SCHEDULERS;
export const SCHEDULER_NAMES = Object.keys(SCHEDULERS) as [SchedulerKind, ...SchedulerKind[]];
