/**
 * Per-client rate limits: a fixed window (`COMPA_RATE_LIMIT_WINDOW_SECONDS`) with a count per key (route and
 * client address; IPv6 by /64, see `clientKey`). A Map and a clock read per request: cheap enough for the hot
 * write paths. Its size is bounded: past `maxKeys` distinct clients in one window, every further one shares a
 * single allowance (under a flood from many addresses the newcomers are limited together; no one is let through
 * for being new).
 */
export class RateLimiter {
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #counts = new Map<string, number>();
  #windowEnd = 0;

  constructor(windowMs: number, maxKeys = 100_000) {
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
  }

  /** Counts one request for `key`; 0 when allowed, else the seconds until the window ends (for Retry-After). */
  hit(key: string, max: number, now = Date.now()): number {
    if (now >= this.#windowEnd) {
      this.#counts.clear();
      this.#windowEnd = now + this.#windowMs;
    }
    const k = this.#counts.has(key) || this.#counts.size < this.#maxKeys ? key : '\u0000overflow';
    const n = (this.#counts.get(k) ?? 0) + 1;
    this.#counts.set(k, n);
    return n <= max ? 0 : Math.max(1, Math.ceil((this.#windowEnd - now) / 1000));
  }
}
