/**
 * Deterministic discrete-event simulation of LLM serving (ARCHITECTURE §3, docs/model.md §4).
 *
 * Time advances by scheduler iterations: each replica runs one iteration at a time (a batch of decode tokens
 * and/or prefill chunks, planned by a `Scheduler` from scheduler.ts), priced by the replica's iteration-cost
 * model. Events are request arrivals (merged from the pre-sorted workload, or issued on completions in a
 * closed loop), KV transfers (disaggregated serving) and iteration ends (heaps keyed (time, priority, seq)).
 * Per-request work is O(log n): a request's completion is scheduled by the decode-iteration count at which it
 * will have produced all its tokens, so an iteration costs O(1) plus the requests that start or finish in it.
 */
import { assert } from "../errors.ts";
import type { CoreWarning } from "../perf/derivation.ts";
import type { IterationWork, ReplicaCostModel } from "../perf/inference.ts";
import { normal, type Rng } from "../random.ts";
import { EventQueue } from "./event-queue.ts";
import { BLOCK_SLACK_TOKENS, KvCache, LruSet } from "./kv-cache.ts";
import { ROUTERS, type RouterKind } from "./router.ts";
import { type ReplicaView, SCHEDULERS, type Scheduler, type SchedulerKind } from "./scheduler.ts";
import type { SimRequest } from "./workload.ts";

export interface SpeculativeSim {
  readonly k: number;
  /** Per-draft-token acceptance probability α (each of the k drafts is accepted while the previous ones were). */
  readonly acceptance: number;
  /** Draft step cost ÷ target step cost when no draft cost model is given (MTP heads ≈ 1/layers). */
  readonly draftCostRatio: number;
}

export interface ReplicaConfig {
  /** Iteration cost and KV capacity of the replica (the narrow interface to the inference step model). */
  readonly cost: ReplicaCostModel;
  /** Scheduler token budget per iteration (vLLM max_num_batched_tokens; the Sarathi chunk size for "chunked"). */
  readonly maxBatchedTokens: number;
  /** Concurrent sequences cap (vLLM max_num_seqs, SGLang max_running_requests). */
  readonly maxSeqs: number;
  /** Fraction of KV blocks kept free at admission (vLLM watermark 0.01). */
  readonly watermark: number;
  /** A registered scheduler (SCHEDULERS) or an instance (the conformance suite passes its own). */
  readonly scheduler: SchedulerKind | Scheduler;
  /** Tokens of KV memory reserved for the prefix cache (0 = no prefix caching). */
  readonly prefixCacheTokens: number;
  /** LoRA adapters resident at once, and the time to load one on a miss. */
  readonly loraSlots: number;
  readonly loraLoadS: number;
  readonly speculative?: SpeculativeSim | undefined;
  /** Engine CPU/scheduler time per iteration not hidden behind the GPU (engine profile). */
  readonly iterationOverheadS?: number | undefined;
  /** Captured CUDA-graph batch sizes, ascending: a decode-only iteration runs at the next one up (engine profile). */
  readonly graphBatchSizes?: readonly number[] | undefined;
}

export interface ClusterConfig {
  readonly replicas: number;
  readonly replica: ReplicaConfig;
  readonly router: RouterKind;
  /**
   * Request-path latency outside the GPU iterations (client → HTTP server → tokeniser → scheduler, and for
   * Dynamo the frontend/router hop), in seconds: a request reaches the engine this long after it is sent. It
   * is part of the benchmark's TTFT and end-to-end latency but occupies no batch slot. Default 0.
   */
  readonly requestLatencyS?: number | undefined;
  /**
   * Prefill/decode disaggregation: separate pools, each with its own replica configuration (layout, caps);
   * the KV cache of a prompt moves to a decode replica at `kvTransferBytesPerS` after `kvTransferLatencyS`.
   */
  readonly disaggregated?:
    | {
        readonly prefillReplicas: number;
        readonly decodeReplicas: number;
        readonly kvTransferBytesPerS: number;
        readonly kvTransferLatencyS: number;
        readonly prefill?: ReplicaConfig | undefined;
        readonly decode?: ReplicaConfig | undefined;
      }
    | undefined;
}

export interface SimulationOptions {
  readonly rng: Rng;
  /**
   * Closed-loop load (benchmark clients: `--max-concurrency C --request-rate inf`): the first C requests are
   * issued at t = 0 and each completion issues the next one at once; request arrival times are ignored.
   * With `warmupRequests` W > 0 the first W requests are a warm-up phase run the same way, which drains
   * completely before the measured phase starts with C requests at once (vLLM `benchmark_serving.py
   * --num-warmups`: the warm-up tasks are awaited before the benchmark's first request is sent).
   */
  readonly closedLoop?: { readonly concurrency: number; readonly warmupRequests?: number | undefined } | undefined;
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
  readonly warnings: readonly CoreWarning[];
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
  readonly cfg: ReplicaConfig;
  readonly scheduler: Scheduler;
  readonly waiting: Live[];
  waitingHead: number;
  /** Admitted, prefill in progress, in admission order. */
  readonly prefilling: Live[];
  /** Decoding, in admission order (preemption takes the newest). */
  readonly running: Live[];
  readonly finish: EventQueue<FinishEntry>;
  decodeIter: number;
  readonly kv: KvCache;
  /** Σ KV tokens held by running sequences (read every decode iteration) and Σ their growth per iteration. */
  kvRunning: number;
  growthPerIter: number;
  busy: boolean;
  outstanding: number;
  readonly prefixCache: LruSet;
  readonly lora: LruSet;
  /** Disaggregated decode replicas: requests whose KV cache has arrived, waiting for a sequence slot and KV room. */
  readonly handoff: Live[];
  handoffHead: number;
  /** The scheduler's view of this replica, built once (its counts are refreshed before each plan). */
  view: MutableView;
}

type MutableView = { -readonly [K in keyof ReplicaView<Live>]: ReplicaView<Live>[K] };

interface IterEvent {
  time: number;
  priority: number;
  seq: number;
  replica: number;
  startedAt: number;
  completedPrefills: Live[];
  decoded: boolean;
}

const ITERATION_END = 0;

/** Mean and variance of the tokens one verify step yields: 1 + leading accepted drafts, A ~ min(Geometric(α), k). */
export function speculativeStepMoments(k: number, acceptance: number): { mean: number; variance: number } {
  let mean = 0;
  let second = 0;
  for (let a = 0; a <= k; a++) {
    const p = a < k ? acceptance ** a * (1 - acceptance) : acceptance ** k;
    mean += (a + 1) * p;
    second += (a + 1) ** 2 * p;
  }
  return { mean, variance: second - mean * mean };
}

/** Below this many tokens the steps are sampled draft by draft; above, from the renewal-process normal limit. */
const EXACT_SPECULATIVE_TOKENS = 64;

/**
 * Decode iterations a request needs for `tokens` tokens when each verify step yields 1 + accepted drafts.
 * Long outputs use the renewal central limit theorem (steps ≈ N/μ + √(N·σ²/μ³)·Z, Cox 1962 "Renewal Theory"
 * §3.3) instead of one uniform draw per draft: O(1) per request instead of O(tokens).
 */
function speculativeSteps(tokens: number, spec: SpeculativeSim, rng: Rng): number {
  if (tokens > EXACT_SPECULATIVE_TOKENS) {
    const { mean, variance } = speculativeStepMoments(spec.k, spec.acceptance);
    const z = normal(rng);
    const steps = Math.round(tokens / mean + Math.sqrt((tokens * variance) / mean ** 3) * z);
    return Math.min(tokens, Math.max(Math.ceil(tokens / (spec.k + 1)), steps));
  }
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

/** Smallest captured CUDA-graph batch ≥ `batch` (the engine pads a decode batch up to it), or `batch` beyond the largest. */
export function graphPaddedBatch(batch: number, buckets: readonly number[] | undefined): number {
  if (!buckets) return batch;
  for (const b of buckets) if (b >= batch) return b;
  return batch;
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
    arrivedAt: new Float64Array(n).fill(Number.NaN),
    firstTokenAt: new Float64Array(n).fill(Number.NaN),
    completedAt: new Float64Array(n).fill(Number.NaN),
    inputTokens: new Int32Array(n),
    outputTokens: new Int32Array(n),
    replica: new Int32Array(n),
    preemptions: new Int32Array(n),
  };
  const warnings: CoreWarning[] = [];
  const trace: TraceSpan[] = [];
  const capacity = cfg.cost.kvCapacityTokens - cfg.prefixCacheTokens;
  assert(capacity > 0, "replica has no KV capacity");
  const disagg = cluster.disaggregated;
  const prefillScheduler = SCHEDULERS.chunked.make();
  const router = ROUTERS[cluster.router].make();
  const decodeRouter = ROUTERS[cluster.router].make();
  const roles: ("both" | "prefill" | "decode")[] = disagg
    ? [...Array(disagg.prefillReplicas).fill("prefill"), ...Array(disagg.decodeReplicas).fill("decode")]
    : Array(cluster.replicas).fill("both");
  const roleConfig = (role: "both" | "prefill" | "decode"): ReplicaConfig =>
    role === "prefill" ? (disagg?.prefill ?? cfg) : role === "decode" ? (disagg?.decode ?? cfg) : cfg;
  const replicas: ReplicaState[] = roles.map((role, index) => {
    const c = roleConfig(role);
    const scheduler = typeof c.scheduler === "string" ? SCHEDULERS[c.scheduler].make() : c.scheduler;
    const cap = c.cost.kvCapacityTokens - c.prefixCacheTokens;
    assert(cap > 0, `${role} replica has no KV capacity`);
    return {
      index,
      role,
      cfg: c,
      scheduler,
      waiting: [],
      waitingHead: 0,
      prefilling: [],
      running: [],
      finish: new EventQueue<FinishEntry>(),
      decodeIter: 0,
      kv: new KvCache(cap, c.watermark),
      kvRunning: 0,
      growthPerIter: 0,
      busy: false,
      outstanding: 0,
      prefixCache: new LruSet(),
      lora: new LruSet(),
      handoff: [],
      handoffHead: 0,
      view: undefined as unknown as MutableView,
    };
  });
  /** Extra load time (LoRA adapter loads) of the iteration being planned. */
  let pendingLoad = { s: 0 };
  for (const r of replicas)
    r.view = {
      role: r.role,
      decoding: 0,
      tokensPerDecode: 1,
      prefilling: r.prefilling,
      peekWaiting: () => (r.waitingHead < r.waiting.length ? r.waiting[r.waitingHead] : undefined),
      admitHead: () => {
        const l = r.waiting[r.waitingHead];
        if (!l || !tryAdmit(r, l, pendingLoad)) return undefined;
        r.waitingHead++;
        r.prefilling.push(l);
        return l;
      },
    };
  const entry = replicas.filter((r) => r.role !== "decode");
  const decodePool = replicas.filter((r) => r.role !== "prefill");
  const prefixCapacityGroups = (c: ReplicaConfig, tokens: number) =>
    tokens > 0 ? Math.max(1, Math.floor(c.prefixCacheTokens / tokens)) : 0;
  const queue = new EventQueue<IterEvent>();
  let events = 0;
  let iterations = 0;
  let completed = 0;
  let preemptions = 0;
  let prefixHits = 0;
  let prefixLookups = 0;
  let loraLoads = 0;
  let peakSequences = 0;
  let kvTimeWeighted = 0;
  let lastTime = 0;
  const progressEvery = options.progressEvery ?? 50_000;
  /** Transfers in flight to decode replicas (disaggregated): arrival time at the decode pool. */
  const transfers = new EventQueue<{ time: number; priority: number; seq: number; live: Live; replica: number }>();
  /** Closed loop: issue times of the next requests (FIFO: completions come in time order). */
  const closed = options.closedLoop;
  const requestLatencyS = cluster.requestLatencyS ?? 0;
  const warmupCount = closed ? Math.min(n, Math.max(0, closed.warmupRequests ?? 0)) : 0;
  const issueAt: number[] = closed
    ? Array(Math.min(n, warmupCount > 0 ? Math.min(warmupCount, closed.concurrency) : closed.concurrency)).fill(
        requestLatencyS,
      )
    : [];
  /** Closed loop: the next request's issue time on a completion (warm-up phase, drain, then the measured phase). */
  const issueOnCompletion = (now: number) => {
    if (!closed) return;
    const at = now + requestLatencyS;
    if (issueAt.length < warmupCount) issueAt.push(at);
    else if (issueAt.length === warmupCount) {
      // Drain: the measured phase starts with C requests once every warm-up request is done.
      if (completed === warmupCount)
        for (let i = 0; i < closed.concurrency && issueAt.length < n; i++) issueAt.push(at);
    } else if (issueAt.length < n) issueAt.push(at);
  };
  let issueHead = 0;

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
    const c = r.cfg;
    if (r.running.length + r.prefilling.length >= c.maxSeqs) return false;
    let cachedPrefix = 0;
    const cacheable = l.req.prefixGroup >= 0 && c.prefixCacheTokens > 0 && l.req.prefixTokens > 0;
    if (cacheable && l.generatedBefore === 0) {
      prefixLookups++;
      if (r.prefixCache.touch(l.req.prefixGroup)) {
        prefixHits++;
        cachedPrefix = l.req.prefixTokens;
      }
    }
    const alloc = l.toPrefill - cachedPrefix + BLOCK_SLACK_TOKENS;
    if (!r.kv.admits(alloc)) return false;
    r.kv.allocate(alloc);
    l.promptAlloc = alloc;
    l.toPrefill -= cachedPrefix;
    l.replica = r.index;
    if (l.req.adapter >= 0 && c.loraSlots > 0 && !r.lora.touch(l.req.adapter)) {
      loraLoads++;
      extraLoad.s += c.loraLoadS;
      r.lora.insert(l.req.adapter, c.loraSlots);
    }
    return true;
  };

  /** Moves a request whose first token is out into the decode set, scheduling its completion. */
  const startDecoding = (r: ReplicaState, l: Live, now: number) => {
    if (l.remainingAfterFirst <= 0) {
      finishRequest(r, l, now);
      return;
    }
    const spec = r.cfg.speculative;
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
    r.kv.free(l.promptAlloc);
    r.outstanding -= l.req.inputTokens + l.req.outputTokens;
    completed++;
    const c = r.cfg;
    if (
      l.req.prefixGroup >= 0 &&
      c.prefixCacheTokens > 0 &&
      l.req.prefixTokens > 0 &&
      !r.prefixCache.has(l.req.prefixGroup)
    )
      r.prefixCache.insert(l.req.prefixGroup, prefixCapacityGroups(c, l.req.prefixTokens));
    issueOnCompletion(now);
  };

  /** Tokens a running request holds beyond its prompt allocation. */
  const generatedTokens = (r: ReplicaState, l: Live) => (r.decodeIter - l.startIter) * l.rate;

  /** Recompute-mode preemption of the newest running request: its KV is freed and it re-queues at the front. */
  const preemptNewest = (r: ReplicaState) => {
    const l = r.running.pop();
    if (!l) return false;
    const generated = generatedTokens(r, l);
    r.kv.free(l.promptAlloc + generated);
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

  /** Plans (through the scheduler) and starts one iteration on replica r at time `now` (nothing to do → idle). */
  const startIteration = (r: ReplicaState, now: number) => {
    const c = r.cfg;
    const spec = c.speculative;
    const load = { s: 0 };
    // Disaggregated decode replicas take transferred requests when a slot and KV room are free.
    while (r.handoffHead < r.handoff.length && r.running.length + r.prefilling.length < c.maxSeqs) {
      const l = r.handoff[r.handoffHead] as Live;
      const alloc = l.req.inputTokens + BLOCK_SLACK_TOKENS;
      if (!r.kv.admits(alloc) && r.running.length > 0) break;
      r.handoffHead++;
      r.kv.allocate(alloc);
      l.promptAlloc = alloc;
      l.replica = r.index;
      startDecoding(r, l, now);
    }
    if (r.handoffHead > 1024 && r.handoffHead * 2 > r.handoff.length) {
      r.handoff.splice(0, r.handoffHead);
      r.handoffHead = 0;
    }
    // Decode growth must fit: preempt the newest sequences until it does (vLLM recompute preemption).
    if (r.role !== "prefill") while (r.running.length > 0 && !r.kv.holds(r.growthPerIter)) preemptNewest(r);
    const view = r.view;
    view.decoding = r.role === "prefill" ? 0 : r.running.length;
    view.tokensPerDecode = spec ? spec.k + 1 : 1;
    pendingLoad = load;
    const plan = (r.role === "prefill" ? prefillScheduler : r.scheduler).plan(view, c.maxBatchedTokens);
    if (r.waitingHead > 1024 && r.waitingHead * 2 > r.waiting.length) {
      r.waiting.splice(0, r.waitingHead);
      r.waitingHead = 0;
    }
    const completedPrefills: Live[] = [];
    let prefillTokens = 0;
    let attended = 0;
    for (const { seq: l, tokens } of plan.chunks) {
      attended += tokens * l.prefilled + (tokens * (tokens + 1)) / 2;
      l.prefilled += tokens;
      prefillTokens += tokens;
      if (l.prefilled >= l.toPrefill) completedPrefills.push(l);
    }
    const decodeThisIter = plan.decode && r.running.length > 0;
    if (!decodeThisIter && prefillTokens === 0) {
      r.busy = false;
      return;
    }
    const tokensPerSeq = spec && decodeThisIter ? spec.k + 1 : 1;
    // A decode-only iteration replays a captured CUDA graph padded to the next captured batch size.
    const decodeSeqs = decodeThisIter
      ? prefillTokens === 0
        ? graphPaddedBatch(r.running.length, c.graphBatchSizes)
        : r.running.length
      : 0;
    const decodeTokens = decodeSeqs * tokensPerSeq;
    const work: IterationWork = {
      newTokens: decodeTokens + prefillTokens,
      logitTokens: completedPrefills.length + decodeTokens,
      attendedPositions: attended + (decodeThisIter ? r.kvRunning * tokensPerSeq : 0),
      kvReadTokens: decodeThisIter ? r.kvRunning : 0,
      kvWriteTokens: prefillTokens + decodeTokens,
      passes: 1,
    };
    let duration = c.cost.iterationS(work) + load.s + (c.iterationOverheadS ?? 0);
    if (spec && decodeThisIter) {
      const plainWork: IterationWork = {
        ...work,
        newTokens: decodeSeqs + prefillTokens,
        logitTokens: decodeSeqs + completedPrefills.length,
        attendedPositions: attended + r.kvRunning,
        kvWriteTokens: prefillTokens + decodeSeqs,
      };
      const draft = c.cost.draftIterationS
        ? c.cost.draftIterationS(plainWork)
        : spec.draftCostRatio * c.cost.iterationS(plainWork);
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
      completedPrefills,
      decoded: decodeThisIter,
    });
  };

  const endIteration = (e: IterEvent) => {
    const r = replicas[e.replica] as ReplicaState;
    const now = e.time;
    if (e.decoded) {
      r.decodeIter++;
      r.kv.allocate(r.growthPerIter);
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
        r.kv.free(held - l.promptAlloc); // finishRequest frees the prompt part
        finishRequest(r, l, now);
      }
    }
    if (e.completedPrefills.length > 0) {
      // Completed prefills are exactly the admitted sequences whose whole prompt is in.
      let w = 0;
      for (const l of r.prefilling) if (l.prefilled < l.toPrefill) r.prefilling[w++] = l;
      r.prefilling.length = w;
    }
    for (const l of e.completedPrefills) {
      if (Number.isNaN(l.firstTokenAt)) {
        l.firstTokenAt = now;
        records.firstTokenAt[l.req.id] = now;
      }
      if (r.role === "prefill" && disagg && l.remainingAfterFirst > 0) {
        // Hand the KV cache to a decode replica: it arrives after the transfer.
        r.kv.free(l.promptAlloc);
        r.outstanding -= l.req.inputTokens + l.req.outputTokens;
        const target = decodeRouter.pick(decodePool, l.req);
        const transferS =
          disagg.kvTransferLatencyS + (l.toPrefill * r.cfg.cost.kvBytesPerToken) / disagg.kvTransferBytesPerS;
        transfers.push({ time: now + transferS, priority: 1, seq: 0, live: l, replica: target.index });
      } else startDecoding(r, l, now);
    }
    kvTimeWeighted += r.kv.utilisation * (now - e.startedAt);
    startIteration(r, now);
  };

  let next = 0;
  for (;;) {
    const arrival = closed
      ? issueHead < issueAt.length
        ? (issueAt[issueHead] as number)
        : Number.POSITIVE_INFINITY
      : next < n
        ? (requests[next] as SimRequest).arrivedAt + requestLatencyS
        : Number.POSITIVE_INFINITY;
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
      // The transferred KV is allocated when a decode slot takes it; a full decode replica queues the request.
      t.live.toPrefill = 0;
      t.live.prefilled = 0;
      r.handoff.push(t.live);
      if (!r.busy) startIteration(r, t.time);
    } else {
      if (closed) issueHead++;
      const req = requests[next++] as SimRequest;
      records.arrivedAt[req.id] = now - requestLatencyS; // sent by the client, reaches the engine now
      records.inputTokens[req.id] = req.inputTokens;
      records.outputTokens[req.id] = req.outputTokens;
      const r = router.pick(entry, req);
      r.outstanding += req.inputTokens + req.outputTokens;
      r.waiting.push(makeLive(req));
      if (!r.busy) startIteration(r, now);
    }
    if (options.onProgress && events % progressEvery === 0) options.onProgress(completed / Math.max(1, n));
  }

  let kvMax = 0;
  for (const r of replicas) {
    assert(
      Math.abs(r.kv.used) < 1e-6 * Math.max(1, r.kv.capacity),
      `KV not returned on replica ${r.index}: ${r.kv.used}`,
    );
    if (r.kv.peakUtilisation > kvMax) kvMax = r.kv.peakUtilisation;
    if (r.waitingHead < r.waiting.length)
      warnings.push({
        code: "requests-never-admitted",
        params: { replica: r.index, requests: r.waiting.length - r.waitingHead },
        message: `replica ${r.index}: ${r.waiting.length - r.waitingHead} requests never admitted (prompt larger than the KV cache?)`,
      });
  }
  if (completed < n)
    warnings.push({
      code: "requests-incomplete",
      params: { incomplete: n - completed, requests: n },
      message: `${n - completed} of ${n} requests did not complete`,
    });
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
    warnings,
  };
}
