import type { FastifyBaseLogger } from 'fastify';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from './store/store.ts';
import { redact } from './redact.ts';

export type JobHandler = (payload: unknown) => Promise<void>;

const MAX_ATTEMPTS = 8;
/** Jobs taken per round; their completion is written at once. */
const BATCH = 50;

/**
 * Persisted jobs (mail to send, later reminders): written in the same transaction as the action that
 * needs them, so a crash or restart never loses them. A job is marked done only after its handler succeeded
 * (a crash in between runs it again: at least once); failures are retried with exponential backoff, then kept as `failed`.
 */
export class JobRunner {
  readonly #store: Store;
  readonly #log: FastifyBaseLogger;
  readonly #now: () => Date;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #periodic: { name: string; everyMs: number; last: number; run: () => Promise<void> }[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #again = false;
  #stopped = false;
  #started = false;

  constructor(store: Store, log: FastifyBaseLogger, now: () => Date) {
    this.#store = store;
    this.#log = log;
    this.#now = now;
  }

  register(kind: string, handler: JobHandler): void {
    this.#handlers.set(kind, handler);
  }

  /** Runs `run` on the job loop at most every `everyMs` (housekeeping: purges, later retention). */
  every(name: string, everyMs: number, run: () => Promise<void>): void {
    this.#periodic.push({ name, everyMs, last: -Infinity, run });
  }

  /** Checks for due jobs every `intervalMs` (for retries and scheduled jobs). */
  start(intervalMs = 1000): void {
    this.#started = true;
    this.#timer = setInterval(() => this.poke(), intervalMs);
    this.#timer.unref();
    this.poke();
  }

  /** Runs due jobs soon (called after a transaction that enqueued one has committed). */
  poke(): void {
    if (this.#stopped || !this.#started) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#runDue(true).finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.poke();
      }
    });
  }

  /** Runs every job that is due now, until none is left; returns how many ran. For tests and shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    while (this.#running) await this.#running;
    for (;;) {
      const n = await this.#runDue();
      total += n;
      if (n === 0) return total;
    }
  }

  #elu = performance.eventLoopUtilization();

  /**
   * In the background, mail waits while the server is busy answering (a burst of signatures): requests first,
   * receipts a moment later. At most a second per job, so mail never stalls.
   */
  async #breathe(): Promise<void> {
    for (let i = 0; i < 20 && !this.#stopped; i++) {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, this.#elu).utilization;
      this.#elu = now;
      if (busy < 0.8) return;
      await sleep(50);
    }
  }

  async #runDue(background = false): Promise<number> {
    let ran = 0;
    for (const p of this.#periodic) {
      const t = this.#now().getTime();
      if (t - p.last < p.everyMs) continue;
      p.last = t;
      try {
        await p.run();
      } catch (err) {
        this.#log.error({ task: p.name, error: redact(err instanceof Error ? err.message : String(err)) }, 'periodic task failed');
      }
    }
    const done: number[] = [];
    try {
      const jobs = await this.#store.dueJobs(this.#now(), BATCH);
      for (const job of jobs) {
        if (background) await this.#breathe();
        if (this.#stopped) break;
        ran++;
        const handler = this.#handlers.get(job.kind);
        try {
          if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
          await handler(job.payload);
          done.push(job.id);
        } catch (err) {
          const attempts = job.attempts + 1;
          const message = redact(err instanceof Error ? err.message : String(err));
          const retryAt = attempts < MAX_ATTEMPTS ? new Date(this.#now().getTime() + 2 ** attempts * 1000) : null;
          this.#log.warn({ job: job.id, kind: job.kind, attempts, error: message }, retryAt ? 'job failed; will retry' : 'job failed for good');
          await this.#store.retryJob(job.id, message, retryAt, this.#now());
        }
      }
    } catch (err) {
      this.#log.error({ error: err instanceof Error ? err.message : String(err) }, 'job runner error');
    } finally {
      // One write (one fsync) for the whole batch: under a burst of signatures, mail must not take the disk
      // from the requests. A crash before this line sends the batch's mail again (at least once, never lost).
      try {
        await this.#store.completeJobs(done, this.#now());
      } catch (err) {
        this.#log.error({ error: err instanceof Error ? err.message : String(err) }, 'could not mark jobs done');
      }
    }
    return ran;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#stopped = true;
    while (this.#running) await this.#running;
  }
}
