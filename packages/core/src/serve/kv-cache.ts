/**
 * KV-cache accounting of one replica (vLLM-style paged blocks, counted in tokens) and the LRU sets the
 * prefix cache and the LoRA adapter slots use (ARCHITECTURE §3).
 */

/** KV tokens added at admission for the partly filled last block of a sequence (16-token blocks). */
export const BLOCK_SLACK_TOKENS = 15;

export class KvCache {
  /** Tokens allocated now. */
  used = 0;
  /** Most tokens ever allocated ÷ capacity, and the time integral of utilisation. */
  peakUtilisation = 0;
  readonly capacity: number;
  readonly watermarkTokens: number;

  /**
   * @param capacity tokens of KV the replica can hold
   * @param watermark fraction kept free when admitting new prompts (vLLM watermark 0.01)
   */
  constructor(capacity: number, watermark: number) {
    this.capacity = capacity;
    this.watermarkTokens = watermark * capacity;
  }

  /** Room for a new prompt of `tokens`, keeping the watermark free. */
  admits(tokens: number): boolean {
    return this.used + tokens <= this.capacity - this.watermarkTokens;
  }

  /** Room for `tokens` more without the watermark (decode growth of sequences already running). */
  holds(tokens: number): boolean {
    return this.used + tokens <= this.capacity;
  }

  allocate(tokens: number): void {
    this.used += tokens;
    const u = this.used / this.capacity;
    if (u > this.peakUtilisation) this.peakUtilisation = u;
  }

  free(tokens: number): void {
    this.used -= tokens;
  }

  get utilisation(): number {
    return this.used / this.capacity;
  }
}

/** A set with least-recently-used eviction (Map keeps insertion order; a touch re-inserts). */
export class LruSet {
  private readonly items = new Map<number, true>();

  get size(): number {
    return this.items.size;
  }

  /** True on a hit (and marks the key most recently used). */
  touch(key: number): boolean {
    if (!this.items.has(key)) return false;
    this.items.delete(key);
    this.items.set(key, true);
    return true;
  }

  has(key: number): boolean {
    return this.items.has(key);
  }

  /** Inserts `key`, evicting the least recently used keys beyond `capacity`. */
  insert(key: number, capacity: number): void {
    if (capacity <= 0) return;
    this.items.delete(key);
    while (this.items.size >= capacity) this.items.delete(this.items.keys().next().value as number);
    this.items.set(key, true);
  }
}
