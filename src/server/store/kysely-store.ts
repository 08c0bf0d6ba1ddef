import { sql, type Kysely, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema.ts';
import { CompaMigrations } from './migrations/index.ts';
import type {
  IdempotentResponse,
  JobRecord,
  ListRecord,
  LocalizedTexts,
  Store,
  SubscribeInput,
  SubscribeResult,
  SubscriberRecord,
} from './store.ts';

const iso = (d: Date) => d.toISOString();

/** The `Store` on Kysely: the same queries serve SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database> | Transaction<Database>;
  readonly #onClose: () => Promise<void>;

  constructor(db: Kysely<Database> | Transaction<Database>, dialect: 'sqlite' | 'postgres', onClose = async () => {}) {
    this.#db = db;
    this.dialect = dialect;
    this.#onClose = onClose;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return fn(this);
    return (this.#db as Kysely<Database>)
      .transaction()
      .execute((trx) => fn(new KyselyStore(trx, this.dialect)));
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.#db as Kysely<Database>, provider: new CompaMigrations(this.dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    await (this.#db as Kysely<Database>).destroy();
    await this.#onClose();
  }

  async getMeta(key: string): Promise<string | null> {
    const row = await this.#db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async createList(input: { slug: string; texts: LocalizedTexts; isPublic: boolean; now: Date }): Promise<number> {
    const row = await this.#db
      .insertInto('newsletter_lists')
      .values({ slug: input.slug, texts: JSON.stringify(input.texts), is_public: input.isPublic ? 1 : 0, created_at: iso(input.now) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async listLists(opts: { publicOnly: boolean }): Promise<ListRecord[]> {
    let q = this.#db.selectFrom('newsletter_lists').selectAll().orderBy('id');
    if (opts.publicOnly) q = q.where('is_public', '=', 1);
    const rows = await q.execute();
    return rows.map((r) => ({ id: r.id, slug: r.slug, texts: JSON.parse(r.texts) as LocalizedTexts, isPublic: r.is_public === 1 }));
  }

  async subscribe(input: SubscribeInput): Promise<SubscribeResult> {
    return this.transaction(async (tx) => (tx as KyselyStore).#subscribeInTx(input));
  }

  async #subscribeInTx(input: SubscribeInput): Promise<SubscribeResult> {
    const now = iso(input.now);
    const db = this.#db;
    let subscriber = await db.selectFrom('subscribers').select(['id']).where('email', '=', input.email).executeTakeFirst();
    if (!subscriber) {
      subscriber = await db
        .insertInto('subscribers')
        .values({
          email: input.email,
          first_name: input.firstName,
          locale: input.locale,
          created_at: now,
          updated_at: now,
          confirm_mails_sent: 0,
          confirm_window_start: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }
    const subscriberId = subscriber.id;
    const existing = await db
      .selectFrom('subscriptions')
      .select(['list_id', 'status'])
      .where('subscriber_id', '=', subscriberId)
      .execute();
    const byList = new Map(existing.map((r) => [r.list_id, r.status]));
    const pending: number[] = [];
    for (const listId of input.listIds) {
      const status = byList.get(listId);
      if (status === 'confirmed') continue;
      pending.push(listId);
      const consent = { consent_text: input.consentText, consent_locale: input.consentLocale, consent_at: now };
      if (status === undefined) {
        await db
          .insertInto('subscriptions')
          .values({ subscriber_id: subscriberId, list_id: listId, status: 'pending', ...consent, confirmed_at: null, unsubscribed_at: null, created_at: now })
          .execute();
      } else {
        await db
          .updateTable('subscriptions')
          .set({ status: 'pending', ...consent, unsubscribed_at: null })
          .where('subscriber_id', '=', subscriberId)
          .where('list_id', '=', listId)
          .execute();
      }
    }
    const confirmedSomewhere = [...byList.values()].some((s) => s !== 'pending');
    if (pending.length > 0 && !confirmedSomewhere) {
      // Until the address is confirmed, the latest request's name and language are the ones that count; once
      // confirmed (or unsubscribed), an anonymous request never changes them.
      await db
        .updateTable('subscribers')
        .set({ locale: input.locale, updated_at: now, ...(input.firstName ? { first_name: input.firstName } : {}) })
        .where('id', '=', subscriberId)
        .execute();
    }
    return { subscriberId, pendingListIds: pending };
  }

  async getSubscriber(id: number): Promise<SubscriberRecord | null> {
    const r = await this.#db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, email: r.email, firstName: r.first_name, locale: r.locale } : null;
  }

  async takeConfirmMailAllowance(subscriberId: number, now: Date, maxPerDay: number): Promise<boolean> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const r = await db
        .selectFrom('subscribers')
        .select(['confirm_mails_sent', 'confirm_window_start'])
        .where('id', '=', subscriberId)
        .executeTakeFirst();
      if (!r) return false;
      const windowOpen = r.confirm_window_start && now.getTime() - Date.parse(r.confirm_window_start) < 86_400_000;
      const sent = windowOpen ? r.confirm_mails_sent : 0;
      if (sent >= maxPerDay) return false;
      await db
        .updateTable('subscribers')
        .set({ confirm_mails_sent: sent + 1, confirm_window_start: windowOpen ? r.confirm_window_start : iso(now) })
        .where('id', '=', subscriberId)
        .execute();
      return true;
    });
  }

  async confirm(subscriberId: number, listIds: number[], now: Date): Promise<string[]> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      if (listIds.length) {
        await db
          .updateTable('subscriptions')
          .set({ status: 'confirmed', confirmed_at: iso(now) })
          .where('subscriber_id', '=', subscriberId)
          .where('list_id', 'in', listIds)
          .where('status', '=', 'pending')
          .execute();
      }
      const rows = await db
        .selectFrom('subscriptions')
        .innerJoin('newsletter_lists', 'newsletter_lists.id', 'subscriptions.list_id')
        .select('newsletter_lists.slug')
        .where('subscriber_id', '=', subscriberId)
        .where('status', '=', 'confirmed')
        .orderBy('newsletter_lists.id')
        .execute();
      return rows.map((r) => r.slug);
    });
  }

  async purgeUnconfirmed(before: Date): Promise<number> {
    const r = await this.#db
      .deleteFrom('subscribers')
      .where('updated_at', '<', iso(before))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('subscriptions')
              .select('subscriptions.list_id')
              .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
              .where('subscriptions.status', '!=', 'pending'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async purgeJobs(before: Date): Promise<number> {
    const r = await this.#db.deleteFrom('jobs').where('status', '!=', 'pending').where('done_at', '<', iso(before)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async unsubscribe(subscriberId: number, now: Date): Promise<number> {
    const r = await this.#db
      .updateTable('subscriptions')
      .set({ status: 'unsubscribed', unsubscribed_at: iso(now) })
      .where('subscriber_id', '=', subscriberId)
      .where('status', '!=', 'unsubscribed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async subscriptionStatuses(subscriberId: number): Promise<{ slug: string; status: string }[]> {
    return this.#db
      .selectFrom('subscriptions')
      .innerJoin('newsletter_lists', 'newsletter_lists.id', 'subscriptions.list_id')
      .select(['newsletter_lists.slug as slug', 'subscriptions.status as status'])
      .where('subscriber_id', '=', subscriberId)
      .orderBy('newsletter_lists.id')
      .execute();
  }

  async enqueueJob(kind: string, payload: unknown, runAt: Date, now: Date): Promise<number> {
    const r = await this.#db
      .insertInto('jobs')
      .values({ kind, payload: JSON.stringify(payload), run_at: iso(runAt), attempts: 0, status: 'pending', last_error: null, created_at: iso(now), done_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async dueJobs(now: Date, limit: number): Promise<JobRecord[]> {
    const rows = await this.#db
      .selectFrom('jobs')
      .select(['id', 'kind', 'payload', 'attempts'])
      .where('status', '=', 'pending')
      .where('run_at', '<=', iso(now))
      .orderBy('run_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, kind: r.kind, payload: JSON.parse(r.payload), attempts: r.attempts }));
  }

  async completeJob(id: number, now: Date): Promise<void> {
    await this.#db.updateTable('jobs').set({ status: 'done', done_at: iso(now) }).where('id', '=', id).execute();
  }

  async retryJob(id: number, error: string, runAt: Date | null, now: Date): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error.slice(0, 500),
        ...(runAt ? { run_at: iso(runAt) } : { status: 'failed' as const, done_at: iso(now) }),
      }))
      .where('id', '=', id)
      .execute();
  }

  async getIdempotent(scope: string, key: string): Promise<IdempotentResponse | null> {
    const r = await this.#db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'body'])
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    return r ? { requestHash: r.request_hash, statusCode: r.status_code, body: JSON.parse(r.body) } : null;
  }

  async saveIdempotent(scope: string, key: string, response: IdempotentResponse, now: Date): Promise<void> {
    await this.#db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: response.requestHash, status_code: response.statusCode, body: JSON.stringify(response.body), created_at: iso(now) })
      .execute();
  }

  async purgeIdempotent(before: Date): Promise<number> {
    const r = await this.#db.deleteFrom('idempotency_keys').where('created_at', '<', iso(before)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/** Opens the store named by `COMPA_DATABASE_URL`. */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) {
    const { openSqlite } = await import('./sqlite.ts');
    const handle = openSqlite(databaseUrl);
    return new KyselyStore(handle.kysely, 'sqlite');
  }
  throw new Error('COMPA_DATABASE_URL: PostgreSQL support arrives with the scale-out adapter; use sqlite:PATH for now');
}

export { sql };
