/**
 * "Never lose a supporter's action to a flaky network."
 *
 * Every write goes through `PendingController.send()`, which records it as
 * `{idempotencyKey, api, path, body, createdAt}` in the host page's `localStorage` under
 * `compa:pending:<idempotencyKey>` BEFORE sending (so a tab closed mid-request loses nothing either), and
 * removes it as soon as the server answers anything at all (2xx, 4xx, 5xx: the element then tells the
 * supporter). What is left after a network failure (offline, timeout, DNS, CORS) is re-sent with the same
 * idempotency key when `online` fires, when the element asks (`flush()`), or when an element using the same
 * API connects (the next page load). Entries older than 7 days are dropped. When storage is unavailable
 * (blocked site data, sandboxed frame) the queue lives in memory for the page's lifetime.
 *
 * Any element flushes every write to its API, whichever element queued it. The outcome goes to the element
 * that queued the write on this page (`mine`), wherever it was sent from; a write left by an earlier visit has
 * no such element and goes to the element that sent it (`orphan`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError, NetworkError, request } from './api.ts';

export interface PendingAction {
  idempotencyKey: string;
  /** The API root the write goes to (`https://act.example.org/api/v1`). */
  api: string;
  /** The route below it (`/subscriptions`). */
  path: string;
  body: unknown;
  createdAt: number;
}

export const PENDING_PREFIX = 'compa:pending:';
export const PENDING_MAX_AGE = 7 * 24 * 60 * 60 * 1000;

/** Every pending write this page knows of; `localStorage` is its persistent copy (when available). */
const memory = new Map<string, PendingAction>();
/** Keys being sent right now by any element on the page (two widgets flushing at once send each once). */
const inFlight = new Set<string>();
/** The connected controllers, to tell the one that queued a write about its outcome. */
const controllers = new Set<PendingController>();

function save(a: PendingAction): void {
  memory.set(a.idempotencyKey, a);
  try {
    localStorage.setItem(PENDING_PREFIX + a.idempotencyKey, JSON.stringify(a));
  } catch {
    // Storage disabled or full: the in-memory copy still retries while the page is open.
  }
}

function drop(key: string): void {
  memory.delete(key);
  try {
    localStorage.removeItem(PENDING_PREFIX + key);
  } catch {
    /* storage unavailable */
  }
}

/** Pending writes to API root `api` (independent writes: any order); expired and unreadable entries are removed. */
export function listPending(api: string): PendingAction[] {
  try {
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith(PENDING_PREFIX)) continue;
      try {
        const a = JSON.parse(localStorage.getItem(k)!) as PendingAction;
        if (PENDING_PREFIX + a.idempotencyKey !== k) throw k;
        memory.set(a.idempotencyKey, a);
      } catch {
        localStorage.removeItem(k);
      }
    }
  } catch {
    /* storage unavailable */
  }
  return [...memory.values()].filter((a) => {
    const valid = Date.now() - a.createdAt < PENDING_MAX_AGE;
    if (!valid) drop(a.idempotencyKey);
    return valid && a.api === api;
  });
}

/** `mine`: this host queued the write on this page; `orphan`: queued by an earlier visit (no owner here). */
export type FlushRole = 'mine' | 'orphan';

export interface PendingHost extends ReactiveControllerHost {
  /** Aborted when the host is disconnected. */
  readonly signal: AbortSignal;
}

/**
 * Told the outcome of a queued write that got an answer: accepted (`result`: the server's JSON) or `error`.
 * Returns `false` when the write is not this host's business (another widget's route): the next host is told.
 */
export type FlushedCallback = (action: PendingAction, role: FlushRole, error?: ApiError, result?: unknown) => boolean | void;

/**
 * Sends writes through the pending queue and flushes what is left on connect and on `online`.
 * `api()` returns the host's API root; `onFlushed` is told the outcome of every queued write that got an
 * answer (no error: accepted, with the server's answer as `result`; else the `ApiError`).
 */
export class PendingController implements ReactiveController {
  readonly #host: PendingHost;
  readonly #api: () => string;
  readonly #onFlushed: FlushedCallback;
  /** Keys of the writes this host queued (network failure) and still waits for. */
  readonly #waiting = new Set<string>();

  constructor(host: PendingHost, api: () => string, onFlushed: FlushedCallback) {
    this.#host = host;
    this.#api = api;
    this.#onFlushed = onFlushed;
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    addEventListener('online', this.#soon);
    void this.flush();
  }

  hostDisconnected(): void {
    controllers.delete(this);
    removeEventListener('online', this.#soon);
  }

  /** `online` often fires before the network is usable (Wi-Fi joined, address not yet there): wait a little. */
  readonly #soon = () => setTimeout(this.flush, 2000);

  /**
   * POST `body` to `path` with idempotency `key`, keeping it queued until the server answers. With
   * `queue: false` nothing is kept: for writes that are only worth sending now (e.g. "resend the email").
   */
  async send<T>(path: string, body: unknown, key: string, { queue = true } = {}): Promise<T> {
    try {
      const result = await this.#send<T>({ idempotencyKey: key, api: this.#api(), path, body, createdAt: Date.now() }, queue);
      this.#waiting.delete(key); // a retry of a queued write went through directly
      return result;
    } catch (e) {
      if (queue && e instanceof NetworkError && e.reason !== 'aborted') this.#waiting.add(key);
      throw e;
    }
  }

  async #send<T>(a: PendingAction, queue = true): Promise<T> {
    const key = a.idempotencyKey;
    if (queue) save(a);
    inFlight.add(key);
    try {
      const result = await request<T>(a.api + a.path, { body: a.body, key, signal: this.#host.signal });
      drop(key);
      return result;
    } catch (e) {
      if (e instanceof ApiError) drop(key); // any answer, even a 5xx: the supporter is told and may retry
      throw e;
    } finally {
      inFlight.delete(key);
    }
  }

  /** Re-send every queued write for this host's API; stops at the first network failure. */
  readonly flush = async (): Promise<void> => {
    for (const a of listPending(this.#api())) {
      if (inFlight.has(a.idempotencyKey)) continue;
      try {
        this.#tell(a, undefined, await this.#send(a));
      } catch (e) {
        if (e instanceof NetworkError) break;
        if (e instanceof ApiError) this.#tell(a, e);
      }
    }
    // Connectivity may have changed either way: let the host re-render what it says about it.
    this.#host.requestUpdate();
  };

  /**
   * Tells the outcome of a flushed write to the controller that queued it; a write left by an earlier visit
   * goes to this controller, else to the first connected one whose host takes it (a newsletter flushing a
   * petition's saved signature: the petition's element thanks the supporter).
   */
  #tell(a: PendingAction, error?: ApiError, result?: unknown): void {
    const owner = [...controllers].find((c) => c.#waiting.delete(a.idempotencyKey));
    if (owner) return void owner.#onFlushed(a, 'mine', error, result);
    for (const c of [this, ...controllers]) if (c.#onFlushed(a, 'orphan', error, result) !== false) return;
  }
}
