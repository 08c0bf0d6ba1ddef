/**
 * The admin API's own queries (tokens, audit log, closing campaigns, per-day figures, feeds added through the
 * API), on the Kysely handle of the `Store`. The same queries serve SQLite and PostgreSQL (`substr` on the ISO
 * time strings groups by day on both).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { LocalizedTexts, Store } from './store.ts';
import type { KyselyStore } from './kysely-store.ts';

export type TokenScope = 'read' | 'write';

export interface TokenRecord {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  tokenId: number | null;
  tokenName: string;
  method: string;
  route: string;
  target: Record<string, string>;
  status: number;
}

export interface DayCount {
  date: string;
  count: number;
}

/** A campaign table with a `closed_at` column. */
export type ClosableTable = 'newsletter_lists' | 'petitions' | 'webinars';

export interface FeedSourceRecord {
  id: string;
  url: string;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

type Db = Kysely<Database> | Transaction<Database>;

export class AdminStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  // Tokens

  async insertToken(t: { name: string; scope: TokenScope; hash: string; now: Date }): Promise<number> {
    const row = await this.#db
      .insertInto('admin_tokens')
      .values({ name: t.name, scope: t.scope, token_hash: t.hash, created_at: t.now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async tokenNameTaken(name: string): Promise<boolean> {
    return !!(await this.#db.selectFrom('admin_tokens').select('id').where('name', '=', name).executeTakeFirst());
  }

  async tokenByHash(hash: string): Promise<TokenRecord | null> {
    const r = await this.#db.selectFrom('admin_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return r ? toToken(r) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.#db.selectFrom('admin_tokens').selectAll().orderBy('id').execute()).map(toToken);
  }

  /** Revokes the token with this id or name; returns it (null: no such token, or already revoked). */
  async revokeToken(idOrName: string, now: Date): Promise<TokenRecord | null> {
    const id = /^\d+$/.test(idOrName) ? Number(idOrName) : -1;
    const r = await this.#db
      .selectFrom('admin_tokens')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', id), eb('name', '=', idOrName)]))
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .executeTakeFirst();
    if (!r) return null;
    await this.#db.updateTable('admin_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', r.id).execute();
    return toToken({ ...r, revoked_at: now.toISOString() });
  }

  async touchToken(id: number, now: Date): Promise<void> {
    await this.#db.updateTable('admin_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute();
  }

  // Audit log

  async audit(e: Omit<AuditEntry, 'id' | 'at'> & { at: Date }): Promise<void> {
    await this.#db
      .insertInto('admin_audit')
      .values({
        at: e.at.toISOString(),
        token_id: e.tokenId,
        token_name: e.tokenName,
        method: e.method,
        route: e.route,
        target: JSON.stringify(e.target),
        status: e.status,
      })
      .execute();
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async listAudit(opts: { limit: number; before?: number }): Promise<AuditEntry[]> {
    let q = this.#db.selectFrom('admin_audit').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    return (await q.execute()).map((r) => ({
      id: r.id,
      at: r.at,
      tokenId: r.token_id,
      tokenName: r.token_name,
      method: r.method,
      route: r.route,
      target: JSON.parse(r.target) as Record<string, string>,
      status: r.status,
    }));
  }

  // Closing campaigns

  /** Sets (a date) or clears (null) when a campaign closed. Closing again keeps the first date. */
  async setClosed(table: ClosableTable, id: number, at: Date | null): Promise<void> {
    if (at) {
      await this.#db.updateTable(table).set({ closed_at: at.toISOString() }).where('id', '=', id).where('closed_at', 'is', null).execute();
    } else {
      await this.#db.updateTable(table).set({ closed_at: null }).where('id', '=', id).execute();
    }
  }

  /** `closed_at` of every closed row of the table, by id. */
  async closedAt(table: ClosableTable): Promise<Map<number, string>> {
    const rows = await this.#db.selectFrom(table).select(['id', 'closed_at']).where('closed_at', 'is not', null).execute();
    return new Map(rows.map((r) => [r.id, r.closed_at!]));
  }

  async closedAtOf(table: ClosableTable, id: number): Promise<string | null> {
    const r = await this.#db.selectFrom(table).select('closed_at').where('id', '=', id).executeTakeFirst();
    return r?.closed_at ?? null;
  }

  // Lists

  async updateList(id: number, changes: { texts: LocalizedTexts; isPublic: boolean }): Promise<void> {
    await this.#db
      .updateTable('newsletter_lists')
      .set({ texts: JSON.stringify(changes.texts), is_public: changes.isPublic ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  // Per-day figures (the day of `created_at`, UTC)

  async signaturesPerDay(petitionId: number): Promise<DayCount[]> {
    const rows = await this.#db
      .selectFrom('signatures')
      .select((eb) => [eb.fn<string>('substr', ['created_at', eb.val(1), eb.val(10)]).as('date'), eb.fn.countAll<number>().as('count')])
      .where('petition_id', '=', petitionId)
      .where('status', '=', 'counted')
      .groupBy('date')
      .orderBy('date')
      .execute();
    return rows.map((r) => ({ date: r.date, count: Number(r.count) }));
  }

  async subscriptionsPerDay(listId: number): Promise<{ date: string; status: string; count: number }[]> {
    const rows = await this.#db
      .selectFrom('subscriptions')
      .select((eb) => [eb.fn<string>('substr', ['created_at', eb.val(1), eb.val(10)]).as('date'), 'status', eb.fn.countAll<number>().as('count')])
      .where('list_id', '=', listId)
      .groupBy(['date', 'status'])
      .orderBy('date')
      .execute();
    return rows.map((r) => ({ date: r.date, status: r.status, count: Number(r.count) }));
  }

  async registrationsPerDay(webinarId: number): Promise<{ date: string; status: string; count: number }[]> {
    const rows = await this.#db
      .selectFrom('registrations')
      .select((eb) => [eb.fn<string>('substr', ['created_at', eb.val(1), eb.val(10)]).as('date'), 'status', eb.fn.countAll<number>().as('count')])
      .where('webinar_id', '=', webinarId)
      .groupBy(['date', 'status'])
      .orderBy('date')
      .execute();
    return rows.map((r) => ({ date: r.date, status: r.status, count: Number(r.count) }));
  }

  // Story feeds added through the API

  async listFeedSources(): Promise<FeedSourceRecord[]> {
    return (await this.#db.selectFrom('story_feed_sources').selectAll().orderBy('id').execute()).map(toFeedSource);
  }

  async getFeedSource(id: string): Promise<FeedSourceRecord | null> {
    const r = await this.#db.selectFrom('story_feed_sources').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toFeedSource(r) : null;
  }

  async feedSourceByUrl(url: string): Promise<FeedSourceRecord | null> {
    const r = await this.#db.selectFrom('story_feed_sources').selectAll().where('url', '=', url).executeTakeFirst();
    return r ? toFeedSource(r) : null;
  }

  /** Creates or replaces the feed with this id; returns whether it was created. */
  async putFeedSource(f: { id: string; url: string; settings: Record<string, unknown>; now: Date }): Promise<boolean> {
    const now = f.now.toISOString();
    const settings = JSON.stringify(f.settings);
    const existing = await this.getFeedSource(f.id);
    if (existing) {
      await this.#db.updateTable('story_feed_sources').set({ url: f.url, settings, updated_at: now }).where('id', '=', f.id).execute();
      return false;
    }
    await this.#db.insertInto('story_feed_sources').values({ id: f.id, url: f.url, settings, created_at: now, updated_at: now }).execute();
    return true;
  }

  async deleteFeedSource(id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('story_feed_sources').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

function toToken(r: { id: number; name: string; scope: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): TokenRecord {
  return { id: r.id, name: r.name, scope: r.scope === 'write' ? 'write' : 'read', createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

function toFeedSource(r: { id: string; url: string; settings: string; created_at: string; updated_at: string }): FeedSourceRecord {
  return { id: r.id, url: r.url, settings: JSON.parse(r.settings) as Record<string, unknown>, createdAt: r.created_at, updatedAt: r.updated_at };
}

const byStore = new WeakMap<Store, AdminStore>();

/**
 * The admin queries on a store (or on a transaction's store: they then run in that transaction). Needs the
 * Kysely store (`KyselyStore.db`).
 */
export function adminStore(store: Store): AdminStore {
  let a = byStore.get(store);
  if (!a) {
    const db = (store as KyselyStore).db;
    if (!db) throw new Error('the admin API needs the Kysely store');
    a = new AdminStore(db);
    byStore.set(store, a);
  }
  return a;
}
