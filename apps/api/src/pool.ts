/**
 * A small worker_threads pool for the estimators, so that the HTTP thread only parses, routes and answers:
 * `/healthz` and cheap routes stay fast while a long simulation runs. Each job has a wall-clock limit counted
 * from when it was queued; past it the worker running it is terminated (and replaced) and the job answers
 * `timeout`. Workers start lazily and are unref'd while idle, so an idle pool never keeps the process alive.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Problem } from "@flopcast/core";
import type { EstimateJob } from "./estimate.ts";

/** A job's answer: the result as JSON text (serialized in the worker), or the problems. */
export type SerializedOutcome =
  | { readonly ok: true; readonly json: string }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export type PoolOutcome =
  | { readonly kind: "done"; readonly outcome: SerializedOutcome }
  | { readonly kind: "timeout" }
  | { readonly kind: "busy" }
  | { readonly kind: "error"; readonly error: string };

export interface PoolOptions {
  /** Worker threads (default: available cores − 1, at least 2 so one long simulation cannot hold every cheap call, at most 4). */
  readonly size?: number;
  /** Wall-clock limit per job, from queueing to answer (ms). */
  readonly timeLimitMs: number;
  /** Jobs waiting for a worker beyond this are refused at once (`busy`). */
  readonly maxQueue?: number;
}

interface Task {
  readonly id: number;
  readonly job: EstimateJob;
  readonly resolve: (o: PoolOutcome) => void;
  readonly timer: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  task?: Task;
}

const WORKER_URL = new URL("./estimator-worker.ts", import.meta.url);

export class EstimatorPool {
  private readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  readonly timeLimitMs: number;
  private readonly maxQueue: number;

  constructor(opts: PoolOptions) {
    this.size = Math.max(1, opts.size ?? Math.min(4, Math.max(2, availableParallelism() - 1)));
    this.timeLimitMs = opts.timeLimitMs;
    this.maxQueue = opts.maxQueue ?? 10_000;
  }

  run(job: EstimateJob): Promise<PoolOutcome> {
    if (this.closed) return Promise.resolve({ kind: "busy" });
    if (this.queue.length >= this.maxQueue) return Promise.resolve({ kind: "busy" });
    return new Promise((resolve) => {
      const id = this.nextId++;
      const task: Task = {
        id,
        job,
        resolve,
        timer: setTimeout(() => this.expire(task), this.timeLimitMs),
      };
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Starts every worker now (and waits until each has loaded the estimators), instead of on first use. */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.spawn();
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.worker.once("message", () => resolve());
            s.worker.once("error", () => resolve());
            s.worker.postMessage({ id: 0, job: { kind: "ping" } });
          }),
      ),
    );
  }

  /** Terminates every worker; queued jobs answer `busy`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) this.finish(t, { kind: "busy" });
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL) };
    slot.worker.unref();
    slot.worker.on("message", (msg: { id: number; outcome?: SerializedOutcome; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== msg.id) return;
      slot.task = undefined;
      slot.worker.unref();
      this.finish(
        task,
        msg.outcome ? { kind: "done", outcome: msg.outcome } : { kind: "error", error: msg.error ?? "worker error" },
      );
      this.dispatch();
    });
    const lost = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const task = slot.task;
      slot.task = undefined;
      if (task) this.finish(task, { kind: "error", error: why });
      this.dispatch();
    };
    slot.worker.on("error", (e) => lost(e instanceof Error ? (e.stack ?? e.message) : String(e)));
    slot.worker.on("exit", (code) => lost(`estimator worker exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private dispatch(): void {
    while (this.queue.length && !this.closed) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift() as Task;
      slot.task = task;
      task.slot = slot;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, job: task.job });
    }
  }

  private expire(task: Task): void {
    const q = this.queue.indexOf(task);
    if (q >= 0) this.queue.splice(q, 1);
    const slot = task.slot;
    if (slot && slot.task === task) {
      // The only way to stop a synchronous estimator: drop its thread and start a fresh one on demand.
      slot.task = undefined;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.worker.removeAllListeners("exit");
      slot.worker.on("error", () => {});
      void slot.worker.terminate();
    }
    this.finish(task, { kind: "timeout" });
    this.dispatch();
  }

  private finish(task: Task, outcome: PoolOutcome): void {
    clearTimeout(task.timer);
    task.resolve(outcome);
  }
}
