import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Store, PetitionRecord } from '../store/store.ts';

export interface LiveCount {
  count: number;
  goal: number;
  status: 'open' | 'closed';
}

/** A petition is closed when closed by the organisation or past its deadline. */
export function effectiveStatus(p: Pick<PetitionRecord, 'status' | 'deadline'>, now: Date): 'open' | 'closed' | 'draft' {
  if (p.status === 'open' && p.deadline && p.deadline.getTime() <= now.getTime()) return 'closed';
  return p.status;
}

/** Pushes happen at most this often per petition, whatever the signing rate (coalesced). */
export const PUSH_INTERVAL_MS = 250;
const HEARTBEAT_MS = 20_000;
/** Counts written by another process (or the CLI) are picked up this often while someone listens. */
const REFRESH_MS = 2_000;

/**
 * The live count of every petition, and the Server-Sent Events streams that watch them. Counts change in this
 * process after each group commit (and are refreshed from the database while streams are open); every change is
 * pushed to each stream of the petition, coalesced to at most one push per `PUSH_INTERVAL_MS`.
 */
export class PetitionHub {
  readonly #store: Store;
  readonly #now: () => Date;
  readonly #log: FastifyBaseLogger;
  readonly #max: number;
  /** Streams one client address may hold (a whole office or classroom behind one address still fits). */
  readonly #maxPerClient: number;
  readonly #live = new Map<number, LiveCount>();
  /** Counts committed before anyone read the petition here (the petition record in a cache may be older). */
  readonly #committed = new Map<number, number>();
  readonly #deadline = new Map<number, Date | null>();
  readonly #streams = new Map<number, Set<ServerResponse>>();
  readonly #pending = new Map<number, NodeJS.Timeout>();
  readonly #lastPush = new Map<number, number>();
  readonly #perClient = new Map<string, number>();
  readonly #closeTimers = new Map<number, NodeJS.Timeout>();
  #total = 0;
  #timers: NodeJS.Timeout[] = [];

  constructor(store: Store, now: () => Date, log: FastifyBaseLogger, maxStreams: number, maxPerClient = maxStreams) {
    this.#store = store;
    this.#now = now;
    this.#log = log;
    this.#max = maxStreams;
    this.#maxPerClient = maxPerClient;
  }

  get streamCount(): number {
    return this.#total;
  }

  start(): void {
    const heartbeat = setInterval(() => this.#heartbeat(), HEARTBEAT_MS);
    const refresh = setInterval(() => void this.#refresh(), REFRESH_MS);
    heartbeat.unref();
    refresh.unref();
    this.#timers.push(heartbeat, refresh);
  }

  /** The live count of a petition (seeded from its record the first time). */
  get(p: PetitionRecord): LiveCount {
    let live = this.#live.get(p.id);
    const status = effectiveStatus(p, this.#now()) === 'open' ? 'open' : 'closed';
    if (!live) {
      live = { count: this.#committed.get(p.id) ?? p.count, goal: p.goal, status };
      this.#committed.delete(p.id);
      this.#live.set(p.id, live);
    } else if (live.goal !== p.goal || live.status !== status) {
      live = { ...live, goal: p.goal, status };
      this.#live.set(p.id, live);
      this.#schedule(p.id);
    }
    this.#deadline.set(p.id, p.deadline);
    if (status === 'open' && p.deadline) this.#closeAt(p.id, p.deadline);
    return live;
  }

  /** Pushes "closed" to the streams the moment the deadline passes (the count freezes there). */
  #closeAt(petitionId: number, deadline: Date): void {
    if (this.#closeTimers.has(petitionId)) return;
    const wait = deadline.getTime() - this.#now().getTime();
    if (wait > 86_400_000) return; // far off: a later read schedules it
    const timer = setTimeout(() => {
      this.#closeTimers.delete(petitionId);
      const live = this.#live.get(petitionId);
      if (!live || live.status === 'closed') return;
      if (this.#now().getTime() < deadline.getTime()) return; // the clock moved back (tests): a later read reschedules
      this.#live.set(petitionId, { ...live, status: 'closed' });
      this.#push(petitionId);
    }, Math.max(0, wait) + 10);
    timer.unref();
    this.#closeTimers.set(petitionId, timer);
  }

  /** A committed change of the count (this process wrote it). */
  setCount(petitionId: number, count: number): void {
    const live = this.#live.get(petitionId);
    if (!live) {
      this.#committed.set(petitionId, count);
      return;
    }
    if (live.count === count) return;
    this.#live.set(petitionId, { ...live, count });
    this.#schedule(petitionId);
  }

  /** Whether another stream may open for this client (beyond the limits, widgets poll the count instead). */
  hasRoom(client: string): boolean {
    return this.#total < this.#max && (this.#perClient.get(client) ?? 0) < this.#maxPerClient;
  }

  /** Adds an SSE stream for this petition and sends it the current count. */
  subscribe(p: PetitionRecord, res: ServerResponse, client: string): void {
    this.#perClient.set(client, (this.#perClient.get(client) ?? 0) + 1);
    let set = this.#streams.get(p.id);
    if (!set) this.#streams.set(p.id, (set = new Set()));
    set.add(res);
    this.#total++;
    res.write(`retry: 5000\nevent: count\ndata: ${JSON.stringify(this.get(p))}\n\n`);
    res.on('close', () => {
      const n = (this.#perClient.get(client) ?? 1) - 1;
      if (n > 0) this.#perClient.set(client, n);
      else this.#perClient.delete(client);
      if (set.delete(res)) this.#total--;
      if (set.size === 0) this.#streams.delete(p.id);
    });
  }

  #schedule(petitionId: number): void {
    if (this.#pending.has(petitionId) || !this.#streams.has(petitionId)) return;
    const wait = Math.max(0, (this.#lastPush.get(petitionId) ?? 0) + PUSH_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      this.#pending.delete(petitionId);
      this.#push(petitionId);
    }, wait);
    this.#pending.set(petitionId, timer);
  }

  #push(petitionId: number): void {
    const set = this.#streams.get(petitionId);
    const live = this.#live.get(petitionId);
    if (!set || !live) return;
    this.#lastPush.set(petitionId, Date.now());
    const frame = `event: count\ndata: ${JSON.stringify(live)}\n\n`;
    for (const res of set) res.write(frame);
  }

  #heartbeat(): void {
    // Keeps proxies from closing idle streams; also notices deadlines passing.
    const now = this.#now();
    for (const [id, set] of this.#streams) {
      const live = this.#live.get(id);
      const deadline = this.#deadline.get(id);
      if (live && live.status === 'open' && deadline && deadline.getTime() <= now.getTime()) {
        this.#live.set(id, { ...live, status: 'closed' });
        this.#push(id);
      }
      for (const res of set) res.write(': keep-alive\n\n');
    }
  }

  async #refresh(): Promise<void> {
    if (this.#streams.size === 0) return;
    try {
      const counts = await this.#store.petitionCounts();
      for (const id of this.#streams.keys()) {
        const c = counts.get(id);
        if (c !== undefined) this.setCount(id, c);
      }
    } catch (err) {
      this.#log.warn({ error: err instanceof Error ? err.message : String(err) }, 'count refresh failed');
    }
  }

  /** Ends every stream (shutdown: clients reconnect to the next process). */
  close(): void {
    for (const t of this.#timers) clearInterval(t);
    for (const t of this.#pending.values()) clearTimeout(t);
    for (const t of this.#closeTimers.values()) clearTimeout(t);
    for (const set of this.#streams.values()) for (const res of set) res.end();
    this.#streams.clear();
    this.#total = 0;
  }
}
