/**
 * Binary min-heap of events keyed (time, priority, seq): equal times resolve by priority, then by insertion
 * order (simpy's rule), so a run is deterministic. `seq` comes from a counter owned by the queue (per run).
 */
export interface Keyed {
  readonly time: number;
  readonly priority: number;
  seq: number;
}

export class EventQueue<E extends Keyed> {
  private readonly heap: E[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.heap[0]?.time ?? Number.POSITIVE_INFINITY;
  }

  push(e: E): void {
    e.seq = this.counter++;
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as E, h[parent] as E)) break;
      [h[i], h[parent]] = [h[parent] as E, h[i] as E];
      i = parent;
    }
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as E, h[m] as E)) m = l;
        if (r < h.length && before(h[r] as E, h[m] as E)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as E, h[i] as E];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Keyed, b: Keyed): boolean =>
  a.time < b.time || (a.time === b.time && (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)));
