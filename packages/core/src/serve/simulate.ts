/**
 * Deterministic discrete-event simulation of LLM serving (ARCHITECTURE §3, docs/model.md §4).
 *
 * Time advances by scheduler iterations: each replica runs one iteration at a time (a batch of decode tokens
 * and/or prefill chunks), priced by the inference step model. Events are request arrivals (merged from the
 * pre-sorted workload) and iteration ends (a heap keyed (time, priority, seq)). Per-request work is O(log n):
 * a request's completion is scheduled by the decode-iteration count at which it will have produced all its
 * tokens, so an iteration costs O(1) plus the requests that start or finish in it.
 */
import { assert, assertNever } from "../errors.ts";
import type { IterationWork, ReplicaCostModel } from "../perf/inference.ts";
import type { Rng } from "../random.ts";
import { EventQueue } from "./event-queue.ts";
import type { SimRequest } from "./workload.ts";

export type SchedulerKind = "fcfs" | "chunked";
export type RouterKind = "round-robin" | "least-outstanding" | "prefix-affinity";

export interface SpeculativeSim {
  readonly k: number;
  readonly acceptance: number;
  /** Draft step cost ÷ target step cost when no draft cost model is given (MTP heads ≈ 1/layers). */
  readonly draftCostRatio: number;
}

export interface ReplicaConfig {
  readonly cost: ReplicaCostModel;
  /** Scheduler token budget per iteration (vLLM max_num_batched_tokens; the Sarathi chunk size for "chunked"). */
  readonly maxBatchedTokens: number;
  /** Concurrent sequences cap (vLLM max_num_seqs). */
  readonly maxSeqs: number;
  /** Fraction of KV blocks kept free at admission (vLLM watermark 0.01). */
  readonly watermark: number;
  readonly scheduler: SchedulerKind;
  /** Tokens of KV memory reserved for the prefix cache (0 = no prefix caching). */
  readonly prefixCacheTokens: number;
  /** LoRA adapters resident at once, and the time to load one on a miss. */
  readonly loraSlots: number;
  readonly loraLoadS: number;
  readonly speculative?: SpeculativeSim | undefined;
}

export interface ClusterConfig {
  readonly replicas: number;
  readonly replica: ReplicaConfig;
  readonly router: RouterKind;
  /** Prefill/decode disaggregation: separate pools; the KV cache moves over the network at this rate. */
  readonly disaggregated?:
    | { readonly prefillReplicas: number; readonly decodeReplicas: number; readonly kvTransferBytesPerS: number }
    | undefined;
}

export interface SimulationOptions {
  readonly rng: Rng;
  /** Called every `progressEvery` events with the fraction of requests completed (no I/O in core: the caller prints). */
  readonly onProgress?: ((fractionDone: number) => void) | undefined;
  readonly progressEvery?: number | undefined;
  /** Keep an event trace (iteration spans) for Chrome-trace export; off by default. */
  readonly trace?: boolean | undefined;
}

/** Per-request outcome, as parallel arrays (compact for 10⁶ requests). Times in seconds. */
export interface RequestRecords {
  readonly arrivedAt: Float64Array;
  readonly firstTokenAt: Float64Array;
  readonly completedAt: Float64Array;
  readonly inputTokens: Int32Array;
  readonly outputTokens: Int32Array;
  readonly replica: Int32Array;
  readonly preemptions: Int32Array;
}

export interface TraceSpan {
  readonly replica: number;
  readonly startS: number;
  readonly durationS: number;
  readonly decodeTokens: number;
  readonly prefillTokens: number;
}

export interface SimulationResult {
  readonly records: RequestRecords;
  readonly simulatedEvents: number;
  readonly iterations: number;
  readonly makespanS: number;
  readonly kvUtilisationMean: number;
  readonly kvUtilisationMax: number;
  readonly preemptions: number;
  readonly prefixHits: number;
  readonly prefixLookups: number;
  readonly loraLoads: number;
  /** Most sequences (running + prefilling) any replica held at once. */
  readonly peakSequences: number;
  readonly trace: readonly TraceSpan[];
  readonly warnings: readonly string[];
}

/** Live state of one request inside the simulation. */
interface Live {
  readonly req: SimRequest;
  replica: number;
  /** Prompt tokens still to prefill (after a prefix-cache hit; after preemption: prompt + generated). */
  toPrefill: number;
  prefilled: number;
  /** KV tokens allocated for the prompt part at admission. */
  promptAlloc: number;
  /** Output tokens still to generate after the first one. */
  remainingAfterFirst: number;
  /** Decode iteration count at which decoding started, and at which it will be done. */
  startIter: number;
  doneIter: number;
  /** Tokens generated per decode iteration (1, or the speculative average for this request). */
  rate: number;
  epoch: number;
  firstTokenAt: number;
  generatedBefore: number;
  preemptions: number;
}

interface FinishEntry {
  time: number;
  priority: number;
  seq: number;
  live: Live;
  epoch: number;
}

interface ReplicaState {
  readonly index: number;
  readonly role: "both" | "prefill" | "decode";
  readonly waiting: Live[];
  waitingHead: number;
  /** Admitted, prefill in progress (chunked) or pending (fcfs), in admission order. */
  readonly prefilling: Live[];
  /** Decoding, in admission order (preemption takes the newest). */
  readonly running: Live[];
  readonly finish: EventQueue<FinishEntry>;
  decodeIter: number;
  kvUsed: number;
  /** Σ KV tokens held by running sequences (read every decode iteration) and Σ their growth per iteration. */
  kvRunning: number;
  growthPerIter: number;
  busy: boolean;
  outstanding: number;
  readonly prefixCache: Map<number, true>;
  readonly lora: Map<number, true>;
  /** Disaggregated decode replicas: requests whose KV cache has arrived, waiting for a sequence slot and KV room. */
  readonly handoff: Live[];
}

interface IterEvent {
  time: number;
  priority: number;
  seq: number;
  replica: number;
  startedAt: number;
  admitted: Live[];
  completedPrefills: Live[];
  decoded: boolean;
}

const ITERATION_END = 0;
/** KV tokens added at admission for the partly filled last block of a sequence (16-token blocks). */
const BLOCK_SLACK_TOKENS = 15;

/** Decode iterations a request needs for `tokens` tokens when each verify step yields 1 + accepted drafts. */
function speculativeSteps(tokens: number, spec: SpeculativeSim, rng: Rng): number {
  let produced = 0;
  let steps = 0;
  while (produced < tokens) {
    let accepted = 0;
    while (accepted < spec.k && rng.next() < spec.acceptance) accepted++;
    produced += accepted + 1;
    steps++;
  }
  return steps;
}

export function simulateCluster(
  requests: readonly SimRequest[],
  cluster: ClusterConfig,
  options: SimulationOptions,
): SimulationResult {
  const { rng } = options;
  const cfg = cluster.replica;
  const n = requests.length;
  const records: RequestRecords = {
    arrivedAt: new Float64Array(n),
    firstTokenAt: new Float64Array(n).fill(Number.NaN),
    completedAt: new Float64Array(n).fill(Number.NaN),
    inputTokens: new Int32Array(n),
    outputTokens: new Int32Array(n),
    replica: new Int32Array(n),
    preemptions: new Int32Array(n),
  };
  const warnings: string[] = [];
  const trace: TraceSpan[] = [];
  const capacity = cfg.cost.kvCapacityTokens - cfg.prefixCacheTokens;
  assert(capacity > 0, "replica has no KV capacity");
  const watermarkTokens = cfg.watermark * capacity;
  const disagg = cluster.disaggregated;
  const roles: ("both" | "prefill" | "decode")[] = disagg
    ? [...Array(disagg.prefillReplicas).fill("prefill"), ...Array(disagg.decodeReplicas).fill("decode")]
    : Array(cluster.replicas).fill("both");
  const replicas: ReplicaState[] = roles.map((role, index) => ({
    index,
    role,
    waiting: [],
    waitingHead: 0,
    prefilling: [],
    running: [],
    finish: new EventQueue<FinishEntry>(),
    decodeIter: 0,
    kvUsed: 0,
    kvRunning: 0,
    growthPerIter: 0,
    busy: false,
    outstanding: 0,
    prefixCache: new Map(),
    lora: new Map(),
    handoff: [],
  }));
  const entry = replicas.filter((r) => r.role !== "decode");
  const decodePool = replicas.filter((r) => r.role !== "prefill");
  const prefixCapacityGroups = (tokens: number) =>
    tokens > 0 ? Math.max(1, Math.floor(cfg.prefixCacheTokens / tokens)) : 0;
  const spec = cfg.speculative;
  const queue = new EventQueue<IterEvent>();
  let rr = 0;
  let events = 0;
  let iterations = 0;
  let completed = 0;
  let preemptions = 0;
  let prefixHits = 0;
  let prefixLookups = 0;
  let loraLoads = 0;
  let peakSequences = 0;
  let kvTimeWeighted = 0;
  let kvMax = 0;
  let lastTime = 0;
  const progressEvery = options.progressEvery ?? 50_000;
  /** Transfers in flight to decode replicas (disaggregated): arrival time at the decode pool. */
  const transfers = new EventQueue<{ time: number; priority: number; seq: number; live: Live; replica: number }>();

  const pickReplica = (pool: ReplicaState[], req: SimRequest): ReplicaState => {
    switch (cluster.router) {
      case "round-robin":
        return pool[rr++ % pool.length] as ReplicaState;
      case "least-outstanding": {
        let best = pool[0] as ReplicaState;
        for (const r of pool) if (r.outstanding < best.outstanding) best = r;
        return best;
      }
      case "prefix-affinity": {
        if (req.prefixGroup >= 0) return pool[req.prefixGroup % pool.length] as ReplicaState;
        let best = pool[0] as ReplicaState;
        for (const r of pool) if (r.outstanding < best.outstanding) best = r;
        return best;
      }
      default:
        return assertNever(cluster.router);
    }
  };

  const makeLive = (req: SimRequest): Live => ({
    req,
    replica: -1,
    toPrefill: req.inputTokens,
    prefilled: 0,
    promptAlloc: 0,
    remainingAfterFirst: req.outputTokens - 1,
    startIter: 0,
    doneIter: 0,
    rate: 1,
    epoch: 0,
    firstTokenAt: Number.NaN,
    generatedBefore: 0,
    preemptions: 0,
  });

  /** Admission: KV for the whole prompt (+ slack), prefix-cache lookup, LoRA load; false if it must wait. */
  const tryAdmit = (r: ReplicaState, l: Live, extraLoad: { s: number }): boolean => {
    if (r.running.length + r.prefilling.length >= cfg.maxSeqs) return false;
    let cachedPrefix = 0;
    if (l.req.prefixGroup >= 0 && l.generatedBefore === 0 && cfg.prefixCacheTokens > 0 && l.req.prefixTokens > 0) {
      prefixLookups++;
      if (r.prefixCache.has(l.req.prefixGroup)) {
        prefixHits++;
        cachedPrefix = l.req.prefixTokens;
        r.prefixCache.delete(l.req.prefixGroup);
        r.prefixCache.set(l.req.prefixGroup, true); // LRU touch
      }
    }
    const alloc = l.toPrefill - cachedPrefix + BLOCK_SLACK_TOKENS;
    if (r.kvUsed + alloc > capacity - watermarkTokens) return false;
    r.kvUsed += alloc;
    l.promptAlloc = alloc;
    l.toPrefill -= cachedPrefix;
    l.replica = r.index;
    if (l.req.adapter >= 0 && cfg.loraSlots > 0) {
      if (r.lora.has(l.req.adapter)) {
        r.lora.delete(l.req.adapter);
      } else {
        loraLoads++;
        extraLoad.s += cfg.loraLoadS;
        if (r.lora.size >= cfg.loraSlots) r.lora.delete(r.lora.keys().next().value as number);
      }
      r.lora.set(l.req.adapter, true);
    }
    return true;
  };

  /** Moves a request whose first token is out into the decode set, scheduling its completion. */
  const startDecoding = (r: ReplicaState, l: Live, now: number) => {
    if (l.remainingAfterFirst <= 0) {
      finishRequest(r, l, now);
      return;
    }
    const steps = spec ? speculativeSteps(l.remainingAfterFirst, spec, rng) : l.remainingAfterFirst;
    l.rate = l.remainingAfterFirst / steps;
    l.startIter = r.decodeIter;
    l.doneIter = r.decodeIter + steps;
    r.running.push(l);
    r.kvRunning += l.promptAlloc;
    r.growthPerIter += l.rate;
    r.finish.push({ time: l.doneIter, priority: 0, seq: 0, live: l, epoch: l.epoch });
  };

  const finishRequest = (r: ReplicaState, l: Live, now: number) => {
    const id = l.req.id;
    records.completedAt[id] = now;
    records.replica[id] = r.index;
    records.preemptions[id] = l.preemptions;
    r.kvUsed -= l.promptAlloc;
    r.outstanding -= l.req.inputTokens + l.req.outputTokens;
    completed++;
    if (
      l.req.prefixGroup >= 0 &&
      cfg.prefixCacheTokens > 0 &&
      l.req.prefixTokens > 0 &&
      !r.prefixCache.has(l.req.prefixGroup)
    ) {
      if (r.prefixCache.size >= prefixCapacityGroups(l.req.prefixTokens))
        r.prefixCache.delete(r.prefixCache.keys().next().value as number);
      r.prefixCache.set(l.req.prefixGroup, true);
    }
  };

  /** Tokens a running request holds beyond its prompt allocation. */
  const generatedTokens = (r: ReplicaState, l: Live) => (r.decodeIter - l.startIter) * l.rate;

  /** Recompute-mode preemption of the newest running request: its KV is freed and it re-queues at the front. */
  const preemptNewest = (r: ReplicaState) => {
    const l = r.running.pop();
    if (!l) return false;
    const generated = generatedTokens(r, l);
    r.kvUsed -= l.promptAlloc + generated;
    r.kvRunning -= l.promptAlloc + generated;
    r.growthPerIter -= l.rate;
    l.epoch++;
    l.preemptions++;
    preemptions++;
    const done = Math.round(generated);
    l.generatedBefore += done;
    l.toPrefill = l.req.inputTokens + l.generatedBefore;
    l.prefilled = 0;
    l.remainingAfterFirst = Math.max(0, l.remainingAfterFirst - done);
    r.waitingHead--;
    if (r.waitingHead < 0) {
      r.waiting.unshift(l);
      r.waitingHead = 0;
    } else r.waiting[r.waitingHead] = l;
    return true;
  };

  /** Plans and starts one iteration on replica r at time `now` (nothing to do → idle). */
  const startIteration = (r: ReplicaState, now: number) => {
    const budget = cfg.maxBatchedTokens;
    const load = { s: 0 };
    const admitted: Live[] = [];
    const completedPrefills: Live[] = [];
    let prefillTokens = 0;
    let attended = 0;
    let logitTokens = 0;
    // Disaggregated decode replicas take transferred requests when a slot and KV room are free.
    while (r.handoff.length > 0 && r.running.length + r.prefilling.length < cfg.maxSeqs) {
      const l = r.handoff[0] as Live;
      const alloc = l.req.inputTokens + BLOCK_SLACK_TOKENS;
      if (r.kvUsed + alloc > capacity - watermarkTokens && r.running.length > 0) break;
      r.handoff.shift();
      r.kvUsed += alloc;
      l.promptAlloc = alloc;
      l.replica = r.index;
      startDecoding(r, l, now);
    }
    const decodeSeqs = r.role === "prefill" ? 0 : r.running.length;
    const chunked = cfg.scheduler === "chunked" || r.role === "prefill";
    // Decode growth must fit: preempt the newest sequences until it does (vLLM recompute preemption).
    if (decodeSeqs > 0) while (r.running.length > 0 && r.kvUsed + r.growthPerIter > capacity) preemptNewest(r);
    const runDecode = r.role !== "prefill" && r.running.length > 0;
    let tokenBudget = chunked ? budget - (runDecode ? r.running.length : 0) : budget;
    // Decode-pool replicas only see prefills of requests they preempted (recompute).
    // Continue prefills in progress (chunked), then admit from the waiting queue in FCFS order.
    for (const l of r.prefilling) {
      if (tokenBudget <= 0) break;
      const chunk = Math.min(l.toPrefill - l.prefilled, tokenBudget);
      attended += chunk * l.prefilled + (chunk * (chunk + 1)) / 2;
      l.prefilled += chunk;
      prefillTokens += chunk;
      tokenBudget -= chunk;
      if (l.prefilled >= l.toPrefill) completedPrefills.push(l);
    }
    while (r.waitingHead < r.waiting.length && tokenBudget > 0) {
      const l = r.waiting[r.waitingHead] as Live;
      if (!chunked && prefillTokens > 0 && l.toPrefill > tokenBudget) break; // fcfs: whole prompts only
      if (!tryAdmit(r, l, load)) break;
      r.waitingHead++;
      admitted.push(l);
      const chunk = chunked ? Math.min(l.toPrefill, tokenBudget) : l.toPrefill;
      attended += (chunk * (chunk + 1)) / 2;
      l.prefilled = chunk;
      prefillTokens += chunk;
      tokenBudget -= chunk;
      r.prefilling.push(l);
      if (l.prefilled >= l.toPrefill) completedPrefills.push(l);
    }
    // vLLM v0 ("fcfs") runs prefill-only iterations when it admits, else decode-only ones.
    const decodeThisIter = runDecode && (chunked || prefillTokens === 0);
    if (!decodeThisIter && prefillTokens === 0) {
      r.busy = false;
      return;
    }
    logitTokens = completedPrefills.length;
    const tokensPerSeq = spec && decodeThisIter ? spec.k + 1 : 1;
    const decodeTokens = decodeThisIter ? r.running.length * tokensPerSeq : 0;
    const work: IterationWork = {
      newTokens: decodeTokens + prefillTokens,
      logitTokens: logitTokens + decodeTokens,
      attendedPositions: attended + (decodeThisIter ? r.kvRunning * tokensPerSeq : 0),
      kvReadTokens: decodeThisIter ? r.kvRunning : 0,
      kvWriteTokens: prefillTokens + decodeTokens,
      passes: 1,
    };
    let duration = cfg.cost.iterationS(work) + load.s;
    if (spec && decodeThisIter) {
      const plainWork: IterationWork = {
        ...work,
        newTokens: r.running.length + prefillTokens,
        logitTokens: r.running.length + logitTokens,
        attendedPositions: attended + r.kvRunning,
        kvWriteTokens: prefillTokens + r.running.length,
      };
      const draft = cfg.cost.draftIterationS
        ? cfg.cost.draftIterationS(plainWork)
        : spec.draftCostRatio * cfg.cost.iterationS(plainWork);
      duration += spec.k * draft;
    }
    r.busy = true;
    iterations++;
    const seqs = r.running.length + r.prefilling.length;
    if (seqs > peakSequences) peakSequences = seqs;
    if (options.trace) trace.push({ replica: r.index, startS: now, durationS: duration, decodeTokens, prefillTokens });
    queue.push({
      time: now + duration,
      priority: ITERATION_END,
      seq: 0,
      replica: r.index,
      startedAt: now,
      admitted,
      completedPrefills,
      decoded: decodeThisIter,
    });
  };

  const endIteration = (e: IterEvent) => {
    const r = replicas[e.replica] as ReplicaState;
    const now = e.time;
    if (e.decoded) {
      r.decodeIter++;
      r.kvUsed += r.growthPerIter;
      r.kvRunning += r.growthPerIter;
      for (;;) {
        const top = r.finish.pop();
        if (!top) break;
        if (top.epoch !== top.live.epoch) continue; // preempted since: stale entry
        if (top.time > r.decodeIter) {
          r.finish.push(top);
          break;
        }
        const l = top.live;
        const idx = r.running.indexOf(l);
        r.running.splice(idx, 1);
        const held = l.promptAlloc + generatedTokens(r, l);
        r.kvRunning -= held;
        r.growthPerIter -= l.rate;
        r.kvUsed -= held - l.promptAlloc; // finishRequest frees the prompt part
        finishRequest(r, l, now);
      }
    }
    for (const l of e.completedPrefills) {
      const i = r.prefilling.indexOf(l);
      if (i >= 0) r.prefilling.splice(i, 1);
      if (Number.isNaN(l.firstTokenAt)) {
        l.firstTokenAt = now;
        records.firstTokenAt[l.req.id] = now;
      }
      if (r.role === "prefill" && disagg && l.remainingAfterFirst > 0) {
        // Hand the KV cache to a decode replica: it arrives after the transfer.
        r.kvUsed -= l.promptAlloc;
        r.outstanding -= l.req.inputTokens + l.req.outputTokens;
        const target = pickReplica(decodePool, l.req);
        const transferS = (l.toPrefill * cfg.cost.kvBytesPerToken) / disagg.kvTransferBytesPerS;
        transfers.push({ time: now + transferS, priority: 1, seq: 0, live: l, replica: target.index });
      } else startDecoding(r, l, now);
    }
    const u = r.kvUsed / capacity;
    if (u > kvMax) kvMax = u;
    kvTimeWeighted += u * (now - e.startedAt);
    startIteration(r, now);
  };

  let next = 0;
  const enqueue = (r: ReplicaState, l: Live, now: number) => {
    r.waiting.push(l);
    if (!r.busy) startIteration(r, now);
  };
  for (;;) {
    const arrival = next < n ? (requests[next] as SimRequest).arrivedAt : Number.POSITIVE_INFINITY;
    const iterTop = queue.size > 0 ? queue.peekTime() : Number.POSITIVE_INFINITY;
    const transferTop = transfers.size > 0 ? transfers.peekTime() : Number.POSITIVE_INFINITY;
    const now = Math.min(arrival, iterTop, transferTop);
    if (now === Number.POSITIVE_INFINITY) break;
    assert(now >= lastTime, "simulation clock went backwards");
    lastTime = now;
    events++;
    if (iterTop <= arrival && iterTop <= transferTop) endIteration(queue.pop() as IterEvent);
    else if (transferTop <= arrival) {
      const t = transfers.pop() as { live: Live; replica: number; time: number };
      const r = replicas[t.replica] as ReplicaState;
      r.outstanding += t.live.req.inputTokens + t.live.req.outputTokens;
      // The transferred KV is allocated on arrival; a full decode replica queues the request.
      t.live.toPrefill = 0;
      t.live.prefilled = 0;
      pendingDecode(r, t.live, t.time);
    } else {
      const req = requests[next++] as SimRequest;
      records.arrivedAt[req.id] = req.arrivedAt;
      records.inputTokens[req.id] = req.inputTokens;
      records.outputTokens[req.id] = req.outputTokens;
      const r = pickReplica(entry, req);
      r.outstanding += req.inputTokens + req.outputTokens;
      enqueue(r, makeLive(req), now);
    }
    if (options.onProgress && events % progressEvery === 0) options.onProgress(completed / Math.max(1, n));
  }

  /** Disaggregated: a request arriving at a decode replica with its KV cache queues for a slot. */
  function pendingDecode(r: ReplicaState, l: Live, now: number) {
    r.handoff.push(l);
    if (!r.busy) startIteration(r, now);
  }

  for (const r of replicas) {
    assert(Math.abs(r.kvUsed) < 1e-6 * Math.max(1, capacity), `KV not returned on replica ${r.index}: ${r.kvUsed}`);
    if (r.waitingHead < r.waiting.length)
      warnings.push(
        `replica ${r.index}: ${r.waiting.length - r.waitingHead} requests never admitted (prompt larger than the KV cache?)`,
      );
  }
  if (completed < n) warnings.push(`${n - completed} of ${n} requests did not complete`);
  if (options.onProgress) options.onProgress(1);
  return {
    records,
    simulatedEvents: events,
    iterations,
    makespanS: lastTime,
    kvUtilisationMean: lastTime > 0 ? kvTimeWeighted / (lastTime * replicas.length) : 0,
    kvUtilisationMax: kvMax,
    preemptions,
    prefixHits,
    prefixLookups,
    loraLoads,
    peakSequences,
    trace,
    warnings: [...new Set(warnings)],
  };
}
