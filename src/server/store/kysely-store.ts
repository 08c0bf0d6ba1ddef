import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema.ts';
import { CompaMigrations } from './migrations/index.ts';
import { SqliteSignBatch, type StoredSignInput } from './sign-batch.ts';
import type { DatabaseSync } from 'node:sqlite';
import { Vault, type PersonalField } from '../crypto/vault.ts';
import { ConfigError } from '../config.ts';
import type {
  CreatePetitionInput,
  CreateWebinarInput,
  RegisterInput,
  RegisterResult,
  RegistrationRecord,
  RegistrationStatus,
  WebinarQuestionDef,
  WebinarRecord,
  WebinarText,
  PetitionRecord,
  PetitionText,
  PutStoryInput,
  PutStoryOutcome,
  StoryFeedState,
  StoryListFilter,
  StoryMedia,
  StoryRecord,
  StoryTagRecord,
  SignatureRecord,
  SignInput,
  SignOutcome,
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

/** The columns holding supporters' personal data, encrypted or sealed (src/server/crypto/vault.ts), per table. */
export const PERSONAL_COLUMNS = {
  subscribers: ['email_enc', 'first_name'],
  signatures: ['email_enc', 'first_name', 'last_name', 'comment'],
  registrations: ['email_enc', 'name', 'answers'],
} as const;
export type PersonalTable = keyof typeof PERSONAL_COLUMNS;

/** The vault's field name (associated data) of a personal column. */
export function fieldOf(column: string): PersonalField {
  return (column === 'email_enc' ? 'email' : column) as PersonalField;
}

/** The `Store` on Kysely: the same queries serve SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database> | Transaction<Database>;
  readonly #onClose: () => Promise<void>;
  /** SQLite only: the raw connection, for the group-commit path of signatures (prepared on first use). */
  readonly #raw: DatabaseSync | null;
  #signBatch: SqliteSignBatch | null = null;

  /** Encrypts and decrypts supporters' personal fields: the store never writes them in clear. */
  readonly vault: Vault;

  constructor(
    db: Kysely<Database> | Transaction<Database>,
    dialect: 'sqlite' | 'postgres',
    vault: Vault,
    onClose = async () => {},
    raw: DatabaseSync | null = null,
  ) {
    this.vault = vault;
    this.#raw = raw;
    this.#db = db;
    this.dialect = dialect;
    this.#onClose = onClose;
  }

  /** The Kysely handle, for sibling query modules of this directory (e.g. `admin-store.ts`); routes never use it. */
  get db(): Kysely<Database> | Transaction<Database> {
    return this.#db;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return fn(this);
    return (this.#db as Kysely<Database>)
      .transaction()
      .execute((trx) => fn(new KyselyStore(trx, this.dialect, this.vault)));
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.#db as Kysely<Database>, provider: new CompaMigrations(this.dialect, this.vault) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (applied.includes('0006-personal-data-encrypted') && this.#raw) {
      // Rows written in clear before: rewrite the file without the pages that held them, and empty the WAL.
      this.#raw.exec('VACUUM');
      this.#raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    }
    await this.#checkKeys();
    return applied;
  }

  /**
   * Refuses a lookup key other than the one the database was written with (addresses would no longer match), and
   * data keys missing from the configuration while values still use them.
   */
  async #checkKeys(): Promise<void> {
    const check = this.vault.lookupKeyCheck();
    const stored = await this.getMeta('lookup_key_check');
    if (stored === null) await this.setMeta('lookup_key_check', check);
    else if (stored !== check) {
      throw new ConfigError('COMPA_LOOKUP_KEY', 'is not the key this database was written with (its addresses would not be found)');
    }
    for (const id of this.vault.keyIds) {
      const fingerprint = this.vault.dataKeyCheck(id)!;
      const known = await this.getMeta(`data_key_check.${id}`);
      if (known === null) await this.setMeta(`data_key_check.${id}`, fingerprint);
      else if (known !== fingerprint) {
        throw new ConfigError('COMPA_DATA_KEYS', `key "${id}" is not the key this database knows under that id (give each new key a new id)`);
      }
    }
    const used = new Set(JSON.parse((await this.getMeta('data_key_ids')) ?? '[]') as string[]);
    for (const id of used) {
      if (this.vault.keyIds.includes(id)) continue;
      if (await this.keyInUse(id)) {
        throw new ConfigError('COMPA_DATA_KEYS', `lacks key "${id}", which values in the database are still encrypted with (keep it until \`compa keys rotate\` has run)`);
      }
      used.delete(id);
    }
    if (!used.has(this.vault.currentKeyId)) {
      used.add(this.vault.currentKeyId);
    }
    await this.setMeta('data_key_ids', JSON.stringify([...used]));
  }

  /**
   * SQLite: moves the write-ahead log into the database file and empties it, so that no older copy of a page (a
   * row before its erasure) stays in the WAL file. Another process reading at that moment (the server, when a
   * command runs) can hold it up: it is tried again for a few seconds. Returns false if the WAL could not be
   * emptied (it will be at a later checkpoint). PostgreSQL: nothing to do here.
   */
  async checkpoint(): Promise<boolean> {
    if (!this.#raw || this.#db.isTransaction) return true;
    for (let attempt = 0; attempt < 30; attempt++) {
      const r = await (this.#db as Kysely<Database>).connection().execute(async () => this.#raw!.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number });
      if (!r.busy) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  /** Whether any personal value is still encrypted with the data key `id`. */
  async keyInUse(id: string): Promise<boolean> {
    const like = `c1.${id}.%`;
    for (const [table, columns] of Object.entries(PERSONAL_COLUMNS)) {
      for (const c of columns) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(c)} like ${like}`.execute(this.#db);
        if (Number(r.rows[0]?.n ?? 0) > 0) return true;
      }
    }
    return false;
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
    const v = this.vault;
    let subscriber = await db.selectFrom('subscribers').select(['id']).where('email_hash', '=', v.lookup(input.email)).executeTakeFirst();
    if (subscriber) {
      // The request brings the address again: readable again while its confirmation mail is due (in sealed mode
      // it was sealed once no mail was pending).
      await db.updateTable('subscribers').set({ email_enc: v.encrypt(input.email, 'email') }).where('id', '=', subscriber.id).execute();
    } else {
      subscriber = await db
        .insertInto('subscribers')
        .values({
          email_hash: v.lookup(input.email),
          email_enc: v.encrypt(input.email, 'email'),
          first_name: v.encrypt(input.firstName, 'first_name'),
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
        .set({ locale: input.locale, updated_at: now, ...(input.firstName ? { first_name: v.encrypt(input.firstName, 'first_name') } : {}) })
        .where('id', '=', subscriberId)
        .execute();
    }
    return { subscriberId, pendingListIds: pending };
  }

  #subscriber(r: { id: number; email_hash: string; email_enc: string | null; first_name: string | null; locale: string }): SubscriberRecord {
    const v = this.vault;
    return {
      id: r.id,
      email: v.decrypt(r.email_enc, 'email') ?? '',
      firstName: v.decrypt(r.first_name, 'first_name'),
      locale: r.locale,
      emailHash: r.email_hash,
      sealed: Vault.isSealed(r.email_enc) ? { email: r.email_enc!, firstName: Vault.isSealed(r.first_name) ? r.first_name : null } : null,
    };
  }

  async getSubscriber(id: number): Promise<SubscriberRecord | null> {
    const r = await this.#db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.#subscriber(r) : null;
  }

  async getSubscriberByEmail(email: string): Promise<SubscriberRecord | null> {
    const r = await this.#db.selectFrom('subscribers').selectAll().where('email_hash', '=', this.vault.lookup(email)).executeTakeFirst();
    return r ? this.#subscriber(r) : null;
  }

  async confirmedSubscribers(listId: number): Promise<SubscriberRecord[]> {
    const rows = await this.#db
      .selectFrom('subscribers')
      .innerJoin('subscriptions', 'subscriptions.subscriber_id', 'subscribers.id')
      .select(['subscribers.id', 'subscribers.email_hash', 'subscribers.email_enc', 'subscribers.first_name', 'subscribers.locale'])
      .where('subscriptions.list_id', '=', listId)
      .where('subscriptions.status', '=', 'confirmed')
      .orderBy('subscribers.id')
      .execute();
    return rows.map((r) => this.#subscriber(r));
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
    // A request to join a list that was never confirmed expires with its link, also for an address confirmed on
    // another list: a list left before goes back to unsubscribed, a new one goes. (Nothing is then due to the
    // address, so sealed mode seals it.)
    await this.#db
      .updateTable('subscriptions')
      .set({ status: 'unsubscribed' })
      .where('status', '=', 'pending')
      .where('consent_at', '<', iso(before))
      .where('unsubscribed_at', 'is not', null)
      .execute();
    await this.#db.deleteFrom('subscriptions').where('status', '=', 'pending').where('consent_at', '<', iso(before)).execute();
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

  async completeJobs(ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.updateTable('jobs').set({ status: 'done', done_at: iso(now) }).where('id', 'in', ids).execute();
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

  async createPetition(input: CreatePetitionInput): Promise<number> {
    const row = await this.#db
      .insertInto('petitions')
      .values({
        slug: input.slug,
        status: input.status,
        texts: JSON.stringify(input.texts),
        goal: input.goal,
        deadline: input.deadline ? iso(input.deadline) : null,
        verification: input.verification,
        last_name: input.lastName,
        count_threshold: input.countThreshold,
        newsletter_list_id: input.newsletterListId,
        share_url: input.shareUrl,
        signature_count: 0,
        created_at: iso(input.now),
        updated_at: iso(input.now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updatePetition(id: number, changes: Partial<Omit<CreatePetitionInput, 'now'>> & { now: Date }): Promise<void> {
    const set: Record<string, unknown> = { updated_at: iso(changes.now) };
    if (changes.slug !== undefined) set.slug = changes.slug;
    if (changes.status !== undefined) set.status = changes.status;
    if (changes.texts !== undefined) set.texts = JSON.stringify(changes.texts);
    if (changes.goal !== undefined) set.goal = changes.goal;
    if (changes.deadline !== undefined) set.deadline = changes.deadline ? iso(changes.deadline) : null;
    if (changes.verification !== undefined) set.verification = changes.verification;
    if (changes.lastName !== undefined) set.last_name = changes.lastName;
    if (changes.countThreshold !== undefined) set.count_threshold = changes.countThreshold;
    if (changes.newsletterListId !== undefined) set.newsletter_list_id = changes.newsletterListId;
    if (changes.shareUrl !== undefined) set.share_url = changes.shareUrl;
    await this.#db.updateTable('petitions').set(set).where('id', '=', id).execute();
  }

  #petition(r: Selectable<Database['petitions']>): PetitionRecord {
    return {
      id: r.id,
      slug: r.slug,
      status: r.status,
      texts: JSON.parse(r.texts) as Record<string, PetitionText>,
      goal: r.goal,
      deadline: r.deadline ? new Date(r.deadline) : null,
      verification: r.verification,
      lastName: r.last_name,
      countThreshold: r.count_threshold,
      newsletterListId: r.newsletter_list_id,
      shareUrl: r.share_url,
      count: Number(r.signature_count),
    };
  }

  async getPetition(slug: string): Promise<PetitionRecord | null> {
    const r = await this.#db.selectFrom('petitions').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? this.#petition(r) : null;
  }

  async getPetitionById(id: number): Promise<PetitionRecord | null> {
    const r = await this.#db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.#petition(r) : null;
  }

  async listPetitions(): Promise<PetitionRecord[]> {
    const rows = await this.#db.selectFrom('petitions').selectAll().orderBy('id').execute();
    return rows.map((r) => this.#petition(r));
  }

  async petitionCounts(): Promise<Map<number, number>> {
    const rows = await this.#db.selectFrom('petitions').select(['id', 'signature_count']).execute();
    return new Map(rows.map((r) => [r.id, Number(r.signature_count)]));
  }

  async signBatch(items: SignInput[], now: Date): Promise<SignOutcome[]> {
    if (!this.#raw || this.#db.isTransaction) {
      throw new Error('signBatch needs the SQLite store outside a transaction (the PostgreSQL adapter brings its own)');
    }
    const batch = (this.#signBatch ??= new SqliteSignBatch(this.#raw));
    const v = this.vault;
    const stored: StoredSignInput[] = items.map((i) =>
      i.sealed
        ? // One click by a subscriber whose contact data is sealed: their sealed values are copied as they are.
          { ...i, emailHash: i.sealed.emailHash, emailEnc: i.sealed.email, firstName: i.sealed.firstName ?? '', lastName: null, comment: null }
        : {
            ...i,
            emailHash: v.lookup(i.email),
            emailEnc: v.encrypt(i.email, 'email'),
            firstName: v.encrypt(i.firstName, 'first_name'),
            lastName: v.encrypt(i.lastName, 'last_name'),
            comment: v.encrypt(i.comment, 'comment'),
          },
    );
    // Hold Kysely's connection while the batch runs on the raw connection: nothing else can interleave.
    return (this.#db as Kysely<Database>).connection().execute(async () => batch.run(stored, now));
  }

  async getSignature(id: number): Promise<SignatureRecord | null> {
    const r = await this.#db.selectFrom('signatures').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    const v = this.vault;
    return {
      id: r.id,
      petitionId: r.petition_id,
      email: v.decrypt(r.email_enc, 'email') ?? '',
      firstName: v.decrypt(r.first_name, 'first_name') ?? '',
      lastName: v.decrypt(r.last_name, 'last_name'),
      sealed: Vault.isSealed(r.email_enc),
      country: r.country,
      locale: r.locale,
      status: r.status,
      source: r.source,
      keepInformed: r.keep_informed === 1,
      consentText: r.consent_text,
      consentLocale: r.consent_locale,
      mailsDue: r.mails_sent,
      mailsSent: r.receipts_sent,
    };
  }

  async markReceiptSent(id: number): Promise<void> {
    await this.#db
      .updateTable('signatures')
      .set((eb) => ({ receipts_sent: eb('receipts_sent', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async confirmSignature(id: number, now: Date): Promise<{ changed: boolean; count: number } | null> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const sig = await db.selectFrom('signatures').select(['petition_id', 'status']).where('id', '=', id).executeTakeFirst();
      if (!sig) return null;
      let changed = false;
      if (sig.status === 'pending') {
        await db.updateTable('signatures').set({ status: 'counted', confirmed_at: iso(now) }).where('id', '=', id).execute();
        await db
          .updateTable('petitions')
          .set((eb) => ({ signature_count: eb('signature_count', '+', 1), updated_at: iso(now) }))
          .where('id', '=', sig.petition_id)
          .execute();
        changed = true;
      }
      const p = await db.selectFrom('petitions').select('signature_count').where('id', '=', sig.petition_id).executeTakeFirstOrThrow();
      return { changed, count: Number(p.signature_count) };
    });
  }

  async removeSignature(id: number): Promise<{ removed: boolean; petitionId: number | null; count: number }> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const sig = await db.selectFrom('signatures').select(['petition_id', 'status']).where('id', '=', id).executeTakeFirst();
      if (!sig) return { removed: false, petitionId: null, count: 0 };
      await db.deleteFrom('signatures').where('id', '=', id).execute();
      if (sig.status === 'counted') {
        await db
          .updateTable('petitions')
          .set((eb) => ({ signature_count: eb('signature_count', '-', 1) }))
          .where('id', '=', sig.petition_id)
          .execute();
      }
      const p = await db.selectFrom('petitions').select('signature_count').where('id', '=', sig.petition_id).executeTakeFirstOrThrow();
      return { removed: true, petitionId: sig.petition_id, count: Number(p.signature_count) };
    });
  }

  async purgePendingSignatures(before: Date): Promise<number> {
    const r = await this.#db.deleteFrom('signatures').where('status', '=', 'pending').where('created_at', '<', iso(before)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async createWebinar(input: CreateWebinarInput): Promise<number> {
    const row = await this.#db
      .insertInto('webinars')
      .values({
        slug: input.slug,
        series: input.series,
        status: input.status,
        texts: JSON.stringify(input.texts),
        held_in: input.heldIn,
        interpretation: JSON.stringify(input.interpretation),
        starts_at: iso(input.start),
        ends_at: iso(input.end),
        time_zone: input.timeZone,
        capacity: input.capacity,
        mode: input.mode,
        questions: JSON.stringify(input.questions),
        join_url: input.joinUrl,
        recording_url: input.recordingUrl,
        sequence: 0,
        created_at: iso(input.now),
        updated_at: iso(input.now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateWebinar(id: number, changes: Partial<Omit<CreateWebinarInput, 'now'>> & { now: Date }): Promise<void> {
    await this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const before = await db.selectFrom('webinars').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) return;
      const set: Record<string, unknown> = { updated_at: iso(changes.now) };
      const c = changes;
      if (c.slug !== undefined) set.slug = c.slug;
      if (c.series !== undefined) set.series = c.series;
      if (c.status !== undefined) set.status = c.status;
      if (c.texts !== undefined) set.texts = JSON.stringify(c.texts);
      if (c.heldIn !== undefined) set.held_in = c.heldIn;
      if (c.interpretation !== undefined) set.interpretation = JSON.stringify(c.interpretation);
      if (c.start !== undefined) set.starts_at = iso(c.start);
      if (c.end !== undefined) set.ends_at = iso(c.end);
      if (c.timeZone !== undefined) set.time_zone = c.timeZone;
      if (c.capacity !== undefined) set.capacity = c.capacity;
      if (c.mode !== undefined) set.mode = c.mode;
      if (c.questions !== undefined) set.questions = JSON.stringify(c.questions);
      if (c.joinUrl !== undefined) set.join_url = c.joinUrl;
      if (c.recordingUrl !== undefined) set.recording_url = c.recordingUrl;
      const moved =
        (set.starts_at !== undefined && set.starts_at !== before.starts_at) ||
        (set.ends_at !== undefined && set.ends_at !== before.ends_at) ||
        (set.join_url !== undefined && set.join_url !== before.join_url);
      if (moved) set.sequence = before.sequence + 1;
      await db.updateTable('webinars').set(set).where('id', '=', id).execute();
      // A new start time: the reminders sent were for the old one; those for the new one are still to come.
      if (set.starts_at !== undefined && set.starts_at !== before.starts_at) {
        await db.updateTable('registrations').set({ reminders_sent: '' }).where('webinar_id', '=', id).execute();
      }
    });
  }

  #webinar(r: Selectable<Database['webinars']>): WebinarRecord {
    return {
      id: r.id,
      slug: r.slug,
      series: r.series,
      status: r.status,
      texts: JSON.parse(r.texts) as Record<string, WebinarText>,
      heldIn: r.held_in,
      interpretation: JSON.parse(r.interpretation) as string[],
      start: new Date(r.starts_at),
      end: new Date(r.ends_at),
      timeZone: r.time_zone,
      capacity: Number(r.capacity),
      mode: r.mode,
      questions: JSON.parse(r.questions) as WebinarQuestionDef[],
      joinUrl: r.join_url,
      recordingUrl: r.recording_url,
      sequence: Number(r.sequence),
    };
  }

  async getWebinar(slug: string): Promise<WebinarRecord | null> {
    const r = await this.#db.selectFrom('webinars').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? this.#webinar(r) : null;
  }

  async getWebinarById(id: number): Promise<WebinarRecord | null> {
    const r = await this.#db.selectFrom('webinars').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.#webinar(r) : null;
  }

  async listWebinars(opts: { series?: string } = {}): Promise<WebinarRecord[]> {
    let q = this.#db.selectFrom('webinars').selectAll().orderBy('starts_at').orderBy('id');
    if (opts.series !== undefined) q = q.where('series', '=', opts.series);
    return (await q.execute()).map((r) => this.#webinar(r));
  }

  async placesTaken(webinarIds: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>(webinarIds.map((id) => [id, 0]));
    if (webinarIds.length === 0) return out;
    const rows = await this.#db
      .selectFrom('registrations')
      .select(['webinar_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('webinar_id', 'in', webinarIds)
      .where('status', '=', 'registered')
      .groupBy('webinar_id')
      .execute();
    for (const r of rows) out.set(r.webinar_id, Number(r.n));
    return out;
  }

  /** Locks the webinar row for the rest of the transaction (PostgreSQL; SQLite transactions are serialised). */
  async #lockWebinar(webinarId: number): Promise<Selectable<Database['webinars']> | undefined> {
    let q = this.#db.selectFrom('webinars').selectAll().where('id', '=', webinarId);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async #taken(webinarId: number): Promise<number> {
    const r = await this.#db
      .selectFrom('registrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('webinar_id', '=', webinarId)
      .where('status', '=', 'registered')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async register(input: RegisterInput): Promise<RegisterResult> {
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      const db = self.#db;
      const now = iso(input.now);
      const webinar = await self.#lockWebinar(input.webinarId);
      if (!webinar) throw new Error(`no webinar ${input.webinarId}`);
      const existing = await db
        .selectFrom('registrations')
        .select(['id', 'status', 'mails_count', 'mails_window_start'])
        .where('webinar_id', '=', input.webinarId)
        .where('email_hash', '=', self.vault.lookup(input.email))
        .executeTakeFirst();
      if (existing && existing.status !== 'cancelled') {
        // A repeat changes nothing; it may send the status mail again, within a small daily allowance.
        const open = existing.mails_window_start && input.now.getTime() - Date.parse(existing.mails_window_start) < 86_400_000;
        const sent = open ? existing.mails_count : 0;
        const mailAgain = existing.status !== 'declined' && sent < input.maxRepeatMailsPerDay;
        if (mailAgain) {
          // The mail goes to the address of this request (readable again until sent, in sealed mode).
          await db
            .updateTable('registrations')
            .set({ mails_count: sent + 1, mails_window_start: open ? existing.mails_window_start : now, email_enc: self.vault.encrypt(input.email, 'email') })
            .where('id', '=', existing.id)
            .execute();
        }
        return { registrationId: existing.id, status: existing.status, kind: 'repeat', mailAgain };
      }
      let status: RegistrationStatus = 'pending';
      if (webinar.mode === 'open') status = (await self.#taken(input.webinarId)) < Number(webinar.capacity) ? 'registered' : 'waitlisted';
      const values = {
        email_enc: self.vault.encrypt(input.email, 'email'),
        name: self.vault.encrypt(input.name, 'name'),
        locale: input.locale,
        status,
        answers: self.vault.encrypt(JSON.stringify(input.answers), 'answers'),
        consent_text: input.consentText,
        consent_locale: input.consentLocale,
        queued_at: now,
        reminders_sent: '',
        mails_count: 0,
        mails_window_start: null,
        updated_at: now,
      };
      if (existing) {
        await db
          .updateTable('registrations')
          .set((eb) => ({ ...values, revision: eb('revision', '+', 1) }))
          .where('id', '=', existing.id)
          .execute();
        return { registrationId: existing.id, status, kind: 'new', mailAgain: false };
      }
      const row = await db
        .insertInto('registrations')
        .values({ webinar_id: input.webinarId, email_hash: self.vault.lookup(input.email), created_at: now, revision: 0, mails_due: 0, mails_sent: 0, ...values })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { registrationId: row.id, status, kind: 'new', mailAgain: false };
    });
  }

  #registration(r: Selectable<Database['registrations']>): RegistrationRecord {
    const v = this.vault;
    const answers = v.decrypt(r.answers, 'answers');
    return {
      id: r.id,
      webinarId: r.webinar_id,
      email: v.decrypt(r.email_enc, 'email') ?? '',
      name: v.decrypt(r.name, 'name') ?? '',
      sealed: Vault.isSealed(r.email_enc),
      locale: r.locale,
      status: r.status,
      answers: answers ? (JSON.parse(answers) as Record<string, string | boolean>) : {},
      consentText: r.consent_text,
      consentLocale: r.consent_locale,
      createdAt: new Date(r.created_at),
      remindersSent: r.reminders_sent ? r.reminders_sent.split(',') : [],
      revision: Number(r.revision),
      mailsSent: Number(r.mails_sent),
    };
  }

  async getRegistration(id: number): Promise<RegistrationRecord | null> {
    const r = await this.#db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.#registration(r) : null;
  }

  async getRegistrationByEmail(webinarId: number, email: string): Promise<RegistrationRecord | null> {
    const r = await this.#db
      .selectFrom('registrations')
      .selectAll()
      .where('webinar_id', '=', webinarId)
      .where('email_hash', '=', this.vault.lookup(email))
      .executeTakeFirst();
    return r ? this.#registration(r) : null;
  }

  async listRegistrations(webinarId: number): Promise<RegistrationRecord[]> {
    const rows = await this.#db
      .selectFrom('registrations')
      .selectAll()
      .where('webinar_id', '=', webinarId)
      .orderBy('queued_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => this.#registration(r));
  }

  async cancelRegistration(id: number, now: Date): Promise<{ changed: boolean; promoted: number[] }> {
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      const ref = await self.#db.selectFrom('registrations').select('webinar_id').where('id', '=', id).executeTakeFirst();
      if (!ref) return { changed: false, promoted: [] };
      await self.#lockWebinar(ref.webinar_id); // then read the status: two cancels at once change it once
      const r = await self.#db.selectFrom('registrations').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      if (r.status === 'cancelled' || r.status === 'declined') return { changed: false, promoted: [] };
      // Keep only what the cancellation mail and a later registration need: the name and answers go.
      await self.#db
        .updateTable('registrations')
        .set({ status: 'cancelled', name: '', answers: '', updated_at: iso(now) })
        .where('id', '=', id)
        .execute();
      const promoted = r.status === 'registered' ? await self.promoteWaitlisted(ref.webinar_id, now) : [];
      return { changed: true, promoted };
    });
  }

  async decideRegistration(id: number, decision: 'approve' | 'decline', now: Date): Promise<RegistrationStatus | null> {
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      const ref = await self.#db.selectFrom('registrations').select('webinar_id').where('id', '=', id).executeTakeFirst();
      if (!ref) return null;
      const webinar = await self.#lockWebinar(ref.webinar_id);
      const r = await self.#db.selectFrom('registrations').select(['webinar_id', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
      if (r.status !== 'pending') return null;
      let status: RegistrationStatus = 'declined';
      if (decision === 'approve') status = (await self.#taken(r.webinar_id)) < Number(webinar!.capacity) ? 'registered' : 'waitlisted';
      await self.#db
        .updateTable('registrations')
        .set({ status, updated_at: iso(now), ...(status === 'waitlisted' ? { queued_at: iso(now) } : {}) })
        .where('id', '=', id)
        .execute();
      return status;
    });
  }

  async promoteWaitlisted(webinarId: number, now: Date): Promise<number[]> {
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      const webinar = await self.#lockWebinar(webinarId);
      if (!webinar || Date.parse(webinar.starts_at) <= now.getTime()) return [];
      const free = Number(webinar.capacity) - (await self.#taken(webinarId));
      if (free <= 0) return [];
      const next = await self.#db
        .selectFrom('registrations')
        .select('id')
        .where('webinar_id', '=', webinarId)
        .where('status', '=', 'waitlisted')
        .orderBy('queued_at')
        .orderBy('id')
        .limit(free)
        .execute();
      const ids = next.map((r) => r.id);
      if (ids.length) {
        await self.#db.updateTable('registrations').set({ status: 'registered', updated_at: iso(now) }).where('id', 'in', ids).execute();
      }
      return ids;
    });
  }

  async nextMailNumber(id: number): Promise<number> {
    const r = await this.#db
      .updateTable('registrations')
      .set((eb) => ({ mails_due: eb('mails_due', '+', 1) }))
      .where('id', '=', id)
      .returning('mails_due')
      .executeTakeFirstOrThrow();
    return Number(r.mails_due);
  }

  async markMailSent(id: number, n: number): Promise<void> {
    await this.#db.updateTable('registrations').set({ mails_sent: n }).where('id', '=', id).where('mails_sent', '<', n).execute();
  }

  async purgeRegistrations(before: Date): Promise<number> {
    // The rows stay (the webinar's figures are kept), without anything personal.
    const r = await this.#db
      .updateTable('registrations')
      .set({ email_hash: sql<string>`'erased.' || cast(id as text)`, email_enc: '', name: '', answers: '' })
      .where('webinar_id', 'in', (eb) => eb.selectFrom('webinars').select('id').where('ends_at', '<', iso(before)))
      .where('email_hash', 'not like', 'erased.%')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async markReminderSent(id: number, which: string): Promise<void> {
    await this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const r = await db.selectFrom('registrations').select('reminders_sent').where('id', '=', id).executeTakeFirst();
      if (!r) return;
      const sent = new Set(r.reminders_sent ? r.reminders_sent.split(',') : []);
      sent.add(which);
      await db.updateTable('registrations').set({ reminders_sent: [...sent].join(',') }).where('id', '=', id).execute();
    });
  }

  // ---- Stories -------------------------------------------------------------------------------------------

  /** Stories shown now: inside their consent window, not hidden (gone from their feed), not erased. */
  #visible(now: Date) {
    const t = iso(now);
    return this.#db
      .selectFrom('stories')
      .where('erased', '=', 0)
      .where('hidden', '=', 0)
      .where((eb) => eb.or([eb('publish_from', 'is', null), eb('publish_from', '<=', t)]))
      .where((eb) => eb.or([eb('withdraw_after', 'is', null), eb('withdraw_after', '>', t)]));
  }

  #filtered(f: StoryListFilter, withTag = true) {
    let q = this.#visible(f.now);
    if (f.partner) q = q.where('partner_slug', '=', f.partner);
    if (f.region) {
      const region = f.region;
      q = q.where((eb) => eb.or([eb('region_slug', '=', region), eb('country', '=', region.toUpperCase())]));
    }
    if (withTag && f.tag) {
      const tag = f.tag;
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('story_tags').select('story_tags.story_id').whereRef('story_tags.story_id', '=', 'stories.id').where('story_tags.slug', '=', tag)),
      );
    }
    return q;
  }

  async #toStories(rows: Selectable<Database['stories']>[]): Promise<StoryRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const tags = await this.#db.selectFrom('story_tags').selectAll().where('story_id', 'in', ids).orderBy('slug').execute();
    const imageIds = [...new Set(rows.map((r) => r.image_id).filter((i): i is string => !!i))];
    const media = imageIds.length
      ? await this.#db.selectFrom('story_media').select(['id', 'content_type', 'width', 'height']).where('id', 'in', imageIds).execute()
      : [];
    const byId = new Map(media.map((m) => [m.id, m]));
    return rows.map((r) => {
      const m = r.image_id ? byId.get(r.image_id) : undefined;
      return {
        id: r.id,
        slug: r.slug,
        source: r.source,
        guid: r.guid,
        texts: JSON.parse(r.texts),
        partner: r.partner_slug ? { slug: r.partner_slug, name: r.partner_name ?? r.partner_slug } : null,
        country: r.country,
        region: r.region_slug ? { slug: r.region_slug, name: r.region_name ?? r.region_slug } : null,
        tags: tags.filter((t) => t.story_id === r.id).map((t) => ({ slug: t.slug, labels: JSON.parse(t.labels) })),
        publishedAt: new Date(r.published_at),
        image: m ? { id: m.id, contentType: m.content_type, width: m.width, height: m.height, alt: JSON.parse(r.image_alt) } : null,
        publishFrom: r.publish_from ? new Date(r.publish_from) : null,
        withdrawAfter: r.withdraw_after ? new Date(r.withdraw_after) : null,
        hidden: r.hidden === 1,
        erased: r.erased === 1,
        contentHash: r.content_hash,
        createdAt: new Date(r.created_at),
        updatedAt: new Date(r.updated_at),
      };
    });
  }

  async putStory(input: PutStoryInput): Promise<{ id: number; slug: string; outcome: PutStoryOutcome }> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const before = await db
        .selectFrom('stories')
        .select(['id', 'slug', 'content_hash', 'withdraw_after', 'erased', 'hidden'])
        .where('source', '=', input.source)
        .where('guid', '=', input.guid)
        .executeTakeFirst();
      const now = iso(input.now);
      const withdrawn = !!before && (before.erased === 1 || (before.withdraw_after !== null && before.withdraw_after <= now));
      if (before && withdrawn && !input.restoreWithdrawn) return { id: before.id, slug: before.slug, outcome: 'withdrawn' as const };
      if (before && !withdrawn && before.content_hash === input.contentHash) {
        if (before.hidden) await db.updateTable('stories').set({ hidden: 0, updated_at: now }).where('id', '=', before.id).execute();
        return { id: before.id, slug: before.slug, outcome: 'unchanged' as const };
      }
      const values = {
        texts: JSON.stringify(input.texts),
        partner_slug: input.partner?.slug ?? null,
        partner_name: input.partner?.name ?? null,
        country: input.country,
        region_slug: input.region?.slug ?? null,
        region_name: input.region?.name ?? null,
        published_at: iso(input.publishedAt),
        image_id: input.imageId,
        image_alt: JSON.stringify(input.imageAlt),
        publish_from: input.publishFrom ? iso(input.publishFrom) : null,
        withdraw_after: input.withdrawAfter ? iso(input.withdrawAfter) : null,
        hidden: 0,
        erased: 0,
        content_hash: input.contentHash,
        updated_at: now,
      };
      let id: number;
      let slug: string;
      if (before) {
        await db.updateTable('stories').set(values).where('id', '=', before.id).execute();
        await db.deleteFrom('story_tags').where('story_id', '=', before.id).execute();
        await db.deleteFrom('story_images').where('story_id', '=', before.id).execute();
        id = before.id;
        slug = before.slug;
      } else {
        const row = await db
          .insertInto('stories')
          .values({ ...values, slug: input.slug, source: input.source, guid: input.guid, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
        slug = input.slug;
      }
      if (input.tags.length) {
        await db
          .insertInto('story_tags')
          .values(input.tags.map((t) => ({ story_id: id, slug: t.slug, labels: JSON.stringify(t.labels) })))
          .execute();
      }
      const media = [...new Set(input.mediaIds)];
      if (media.length) await db.insertInto('story_images').values(media.map((m) => ({ story_id: id, media_id: m }))).execute();
      if (before) await (tx as KyselyStore).#deleteOrphanMedia();
      return { id, slug, outcome: before ? ('updated' as const) : ('created' as const) };
    });
  }

  async #deleteOrphanMedia(): Promise<void> {
    await this.#db
      .deleteFrom('story_media')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('story_images').select('story_images.media_id').whereRef('story_images.media_id', '=', 'story_media.id'))))
      .execute();
  }

  async findStory(source: string, guid: string): Promise<StoryRecord | null> {
    const row = await this.#db.selectFrom('stories').selectAll().where('source', '=', source).where('guid', '=', guid).executeTakeFirst();
    return row ? (await this.#toStories([row]))[0]! : null;
  }

  async getStory(slug: string): Promise<StoryRecord | null> {
    const row = await this.#db.selectFrom('stories').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ? (await this.#toStories([row]))[0]! : null;
  }

  async listStories(f: StoryListFilter & { limit: number; after?: { publishedAt: Date; id: number } }): Promise<StoryRecord[]> {
    let q = this.#filtered(f).selectAll('stories');
    if (f.after) {
      const t = iso(f.after.publishedAt);
      const id = f.after.id;
      q = q.where((eb) => eb.or([eb('published_at', '<', t), eb.and([eb('published_at', '=', t), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    return this.#toStories(rows);
  }

  async storyTagFacets(f: StoryListFilter, limit: number): Promise<(StoryTagRecord & { count: number })[]> {
    const ids = this.#filtered(f, false).select('stories.id');
    const rows = await this.#db
      .selectFrom('story_tags')
      .select(['slug', 'labels'])
      .where('story_id', 'in', ids)
      .execute();
    const bySlug = new Map<string, StoryTagRecord & { count: number }>();
    for (const r of rows) {
      const labels = JSON.parse(r.labels) as Record<string, string>;
      const t = bySlug.get(r.slug);
      if (t) {
        t.count++;
        for (const [l, v] of Object.entries(labels)) t.labels[l] ??= v;
      } else bySlug.set(r.slug, { slug: r.slug, labels, count: 1 });
    }
    return [...bySlug.values()].sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug)).slice(0, limit);
  }

  async listAllStories(): Promise<StoryRecord[]> {
    const rows = await this.#db.selectFrom('stories').selectAll().orderBy('published_at', 'desc').orderBy('id', 'desc').execute();
    return this.#toStories(rows);
  }

  async withdrawStory(slug: string, at: Date, now: Date): Promise<boolean> {
    const r = await this.#db
      .updateTable('stories')
      .set({ withdraw_after: iso(at), updated_at: iso(now) })
      .where('slug', '=', slug)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async setFeedPresence(source: string, presentGuids: string[], hide: boolean, now: Date): Promise<number> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const rows = await db.selectFrom('stories').select(['id', 'guid', 'hidden']).where('source', '=', source).execute();
      const present = new Set(presentGuids);
      let hidden = 0;
      for (const r of rows) {
        const want = hide && !present.has(r.guid ?? '') ? 1 : 0;
        if (want) hidden++;
        if (want !== r.hidden) await db.updateTable('stories').set({ hidden: want, updated_at: iso(now) }).where('id', '=', r.id).execute();
      }
      return hidden;
    });
  }

  async eraseWithdrawnStories(now: Date): Promise<number> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).#db;
      const rows = await db
        .selectFrom('stories')
        .select('id')
        .where('erased', '=', 0)
        .where('withdraw_after', 'is not', null)
        .where('withdraw_after', '<=', iso(now))
        .execute();
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      await db
        .updateTable('stories')
        .set({
          texts: '{}',
          partner_slug: null,
          partner_name: null,
          region_slug: null,
          region_name: null,
          country: null,
          image_id: null,
          image_alt: '{}',
          content_hash: '',
          erased: 1,
          updated_at: iso(now),
        })
        .where('id', 'in', ids)
        .execute();
      await db.deleteFrom('story_tags').where('story_id', 'in', ids).execute();
      await db.deleteFrom('story_images').where('story_id', 'in', ids).execute();
      await (tx as KyselyStore).#deleteOrphanMedia();
      return ids.length;
    });
  }

  async putStoryMedia(media: StoryMedia, now: Date): Promise<void> {
    await this.#db
      .insertInto('story_media')
      .values({ id: media.id, content_type: media.contentType, width: media.width, height: media.height, bytes: media.bytes, created_at: iso(now) })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async getStoryMedia(id: string): Promise<StoryMedia | null> {
    const r = await this.#db.selectFrom('story_media').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, contentType: r.content_type, width: r.width, height: r.height, bytes: r.bytes } : null;
  }

  async storyMediaVisible(id: string, now: Date): Promise<boolean> {
    const r = await this.#visible(now)
      .select('stories.id')
      .where((eb) =>
        eb.exists(eb.selectFrom('story_images').select('story_images.story_id').whereRef('story_images.story_id', '=', 'stories.id').where('story_images.media_id', '=', id)),
      )
      .limit(1)
      .executeTakeFirst();
    return !!r;
  }

  #toFeed(r: Selectable<Database['story_feeds']>): StoryFeedState {
    return {
      url: r.url,
      etag: r.etag,
      lastModified: r.last_modified,
      checkedAt: r.checked_at ? new Date(r.checked_at) : null,
      okAt: r.ok_at ? new Date(r.ok_at) : null,
      lastError: r.last_error,
      items: r.items,
    };
  }

  async getStoryFeed(url: string): Promise<StoryFeedState | null> {
    const r = await this.#db.selectFrom('story_feeds').selectAll().where('url', '=', url).executeTakeFirst();
    return r ? this.#toFeed(r) : null;
  }

  async saveStoryFeed(f: StoryFeedState): Promise<void> {
    const values = {
      etag: f.etag,
      last_modified: f.lastModified,
      checked_at: f.checkedAt ? iso(f.checkedAt) : null,
      ok_at: f.okAt ? iso(f.okAt) : null,
      last_error: f.lastError,
      items: f.items,
    };
    await this.#db
      .insertInto('story_feeds')
      .values({ url: f.url, ...values })
      .onConflict((oc) => oc.column('url').doUpdateSet(values))
      .execute();
  }

  async listStoryFeeds(): Promise<StoryFeedState[]> {
    return (await this.#db.selectFrom('story_feeds').selectAll().orderBy('url').execute()).map((r) => this.#toFeed(r));
  }
}

/** Opens the store named by `COMPA_DATABASE_URL`. */
export async function openStore(databaseUrl: string, vault: Vault): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) {
    const { openSqlite } = await import('./sqlite.ts');
    const handle = openSqlite(databaseUrl);
    return new KyselyStore(handle.kysely, 'sqlite', vault, async () => {}, handle.raw);
  }
  throw new Error('COMPA_DATABASE_URL: PostgreSQL support arrives with the scale-out adapter; use sqlite:PATH for now');
}

export { sql };
