import type { Store, SignInput, SignOutcome } from '../store/store.ts';

/** At most this many signatures per transaction (bounds the time a batch holds the database). */
const MAX_BATCH = 512;

/**
 * Group commit: concurrent signature requests wait together for ONE durable transaction (one fsync) instead of
 * one each. A request joins the queue; whenever no batch is being written, everything queued is written in a
 * single transaction, and every request is answered only after that COMMIT returned (a 2xx still means "on
 * disk"). Under load, batches grow by themselves; with a single request the latency is one commit.
 */
export class SignatureWriter {
  readonly #store: Store;
  readonly #now: () => Date;
  readonly #afterCommit: (outcomes: SignOutcome[], items: SignInput[]) => void;
  #queue: { item: SignInput; resolve: (o: SignOutcome) => void; reject: (e: unknown) => void }[] = [];
  #writing: Promise<void> | null = null;
  #scheduled = false;
  /** Batches written and their sizes, for the benchmark and tests. */
  readonly stats = { batches: 0, signatures: 0, largest: 0 };

  constructor(store: Store, now: () => Date, afterCommit: (outcomes: SignOutcome[], items: SignInput[]) => void) {
    this.#store = store;
    this.#now = now;
    this.#afterCommit = afterCommit;
  }

  sign(item: SignInput): Promise<SignOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#writing || this.#scheduled) return;
    this.#scheduled = true;
    // Let the requests that arrived in the same turn of the event loop join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#writing = this.#flush().finally(() => {
        this.#writing = null;
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    const items = batch.map((b) => b.item);
    let outcomes: SignOutcome[];
    try {
      outcomes = await this.#store.signBatch(items, this.#now());
    } catch (error) {
      // Nothing of this batch was committed: every request in it fails (the client retries with its key).
      for (const b of batch) b.reject(error);
      return;
    }
    this.stats.batches++;
    this.stats.signatures += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    try {
      this.#afterCommit(outcomes, items);
    } finally {
      batch.forEach((b, i) => b.resolve(outcomes[i]!));
    }
  }

  /** Resolves when everything queued so far is written (shutdown). */
  async drain(): Promise<void> {
    while (this.#writing || this.#scheduled || this.#queue.length > 0) {
      if (this.#writing) await this.#writing;
      else await new Promise((r) => setImmediate(r));
    }
  }
}
