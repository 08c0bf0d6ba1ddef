import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { fieldOf, PERSONAL_COLUMNS, type KyselyStore, type PersonalTable } from './kysely-store.ts';
import type { Store } from './store.ts';
import { normaliseEmail, Vault } from '../crypto/vault.ts';
import { KEEP_INFORMED_JOB } from './sign-batch.ts';

/**
 * The organisation's privacy duties on the store: erasure, retention, sealing (sealed mode), key rotation and
 * streamed exports. Personal columns are PERSONAL_COLUMNS; an erased or stripped row keeps its counts-relevant
 * fields (status, campaign, dates) and loses everything personal: `email_hash` becomes `erased.<id>`.
 */
export type ExportKind = 'subscribers' | 'signatures' | 'registrations';

export interface EraseResult {
  subscribers: number;
  signatures: number;
  registrations: number;
  /** Registrations cancelled because their webinar is still ahead, with the waitlisted ones given their place. */
  promoted: { webinarId: number; ids: number[] }[];
}

export interface RetentionCampaign {
  kind: 'petition' | 'webinar' | 'list';
  slug: string;
  closedAt: string;
  rows: number;
}

const iso = (d: Date) => d.toISOString();
const ERASED = (table: string) => sql<string>`${sql.lit('erased.')} || cast(${sql.ref(`${table}.id`)} as text)`;
const live = (table: string) => sql<boolean>`${sql.ref(`${table}.email_hash`)} not like 'erased.%'`;

/** Every personal column of a table emptied (and the hash replaced): what erasure and retention write. */
const ANONYMISED = {
  subscribers: () => ({ email_hash: ERASED('subscribers'), email_enc: '', first_name: null }),
  // keep_informed off: a "keep me informed" job still waiting must not subscribe the emptied address afresh.
  signatures: () => ({ email_hash: ERASED('signatures'), email_enc: '', first_name: '', last_name: null, comment: null, keep_informed: 0 }),
  registrations: () => ({ email_hash: ERASED('registrations'), email_enc: '', name: '', answers: '' }),
};

/** Ends every subscription of these subscribers and empties their personal columns (rows kept for the figures). */
async function forgetSubscribers(db: Kysely<Database> | Transaction<Database>, ids: number[], now: Date): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', unsubscribed_at: iso(now) })
    .where('subscriber_id', 'in', ids)
    .where('status', '!=', 'unsubscribed')
    .execute();
  await db.updateTable('subscribers').set(ANONYMISED.subscribers()).where('id', 'in', ids).execute();
}

export class PrivacyStore {
  readonly #store: KyselyStore;
  constructor(store: Store) {
    this.#store = store as KyselyStore;
  }

  get #db(): Kysely<Database> {
    return this.#store.db as Kysely<Database>;
  }

  get vault(): Vault {
    return this.#store.vault;
  }

  /**
   * Removes every personal datum of this address (subscriber, signatures, registrations), keeping counts and
   * per-day figures. Idempotent: a second call finds nothing.
   */
  async erase(
    email: string,
    now: Date,
    /** Called in the same transaction when waitlisted registrations got the place given up (to mail them). */
    onPromoted: (tx: Store, webinarId: number, ids: number[]) => Promise<void> = async () => {},
    /** Sealed rows whose hash was dropped (see `unlinkSealed`), found by opening them with the private key. */
    unlinked: { signatures: number[]; registrations: number[] } = { signatures: [], registrations: [] },
  ): Promise<EraseResult> {
    const hash = this.vault.lookup(email);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const mine = (table: 'signatures' | 'registrations') => (eb: any) =>
      unlinked[table].length ? eb.or([eb(`${table}.email_hash`, '=', hash), eb(`${table}.id`, 'in', unlinked[table])]) : eb(`${table}.email_hash`, '=', hash);
    return this.#store.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      const result: EraseResult = { subscribers: 0, signatures: 0, registrations: 0, promoted: [] };
      // A place at a webinar still ahead is given up (the waitlist moves up); past ones keep their status.
      const regs = await db
        .selectFrom('registrations')
        .innerJoin('webinars', 'webinars.id', 'registrations.webinar_id')
        .select(['registrations.id', 'registrations.webinar_id', 'registrations.status', 'webinars.ends_at'])
        .where(mine('registrations'))
        .execute();
      for (const r of regs) {
        if (r.ends_at > iso(now) && ['registered', 'waitlisted', 'pending'].includes(r.status)) {
          const { promoted } = await tx.cancelRegistration(r.id, now);
          if (promoted.length) {
            result.promoted.push({ webinarId: r.webinar_id, ids: promoted });
            await onPromoted(tx, r.webinar_id, promoted);
          }
        }
      }
      result.registrations = Number(
        (await db.updateTable('registrations').set(ANONYMISED.registrations()).where(mine('registrations')).executeTakeFirst()).numUpdatedRows,
      );
      // A signature never confirmed counts nowhere: it goes whole (its confirm link can't count a nobody later).
      const unconfirmed = await db.deleteFrom('signatures').where(mine('signatures')).where('status', '=', 'pending').executeTakeFirst();
      result.signatures =
        Number(unconfirmed.numDeletedRows) +
        Number((await db.updateTable('signatures').set(ANONYMISED.signatures()).where(mine('signatures')).executeTakeFirst()).numUpdatedRows);
      const subs = await db.selectFrom('subscribers').select('id').where('email_hash', '=', hash).execute();
      await forgetSubscribers(db, subs.map((s) => s.id), now);
      result.subscribers = subs.length;
      return result;
    });
  }

  /** Campaigns whose actions' personal data is past retention (closed before `cutoff`), with the rows still holding some. */
  async retentionDue(cutoff: Date): Promise<RetentionCampaign[]> {
    const c = iso(cutoff);
    const out: RetentionCampaign[] = [];
    const petitions = await this.#db
      .selectFrom('petitions')
      .select(['id', 'slug', 'status', 'closed_at', 'updated_at', 'deadline'])
      .execute();
    for (const p of petitions) {
      const closedAt = [p.closed_at ?? (p.status === 'closed' ? p.updated_at : null), p.deadline].filter((d): d is string => !!d).sort()[0];
      if (!closedAt || closedAt >= c) continue;
      const n = await this.#count('signatures', (q) => q.where('petition_id', '=', p.id));
      out.push({ kind: 'petition', slug: p.slug, closedAt, rows: n });
    }
    const webinars = await this.#db.selectFrom('webinars').select(['id', 'slug', 'ends_at']).where('ends_at', '<', c).execute();
    for (const w of webinars) {
      out.push({ kind: 'webinar', slug: w.slug, closedAt: w.ends_at, rows: await this.#count('registrations', (q) => q.where('webinar_id', '=', w.id)) });
    }
    const lists = await this.#db.selectFrom('newsletter_lists').select(['id', 'slug', 'closed_at']).where('closed_at', '<', c).execute();
    for (const l of lists) {
      const ids = await this.#strippableSubscribers(cutoff, l.id);
      out.push({ kind: 'list', slug: l.slug, closedAt: l.closed_at!, rows: ids.length });
    }
    return out.filter((x) => x.rows > 0);
  }

  async #count(table: 'signatures' | 'registrations', where: (q: any) => any): Promise<number> {
    const r = await where(this.#db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(live(table))).executeTakeFirstOrThrow();
    return Number((r as { n: number }).n);
  }

  /**
   * Subscribers of list `listId` (or of any list) with nothing left to keep them: no pending or confirmed
   * subscription to a list that is open (or closed after the cutoff).
   */
  async #strippableSubscribers(cutoff: Date, listId?: number): Promise<number[]> {
    const c = iso(cutoff);
    let q = this.#db
      .selectFrom('subscribers')
      .select('subscribers.id')
      .where(live('subscribers'))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('subscriptions')
              .innerJoin('newsletter_lists', 'newsletter_lists.id', 'subscriptions.list_id')
              .select('subscriptions.list_id')
              .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
              .where('subscriptions.status', 'in', ['pending', 'confirmed'])
              .where((e) => e.or([e('newsletter_lists.closed_at', 'is', null), e('newsletter_lists.closed_at', '>=', c)])),
          ),
        ),
      );
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriptions')
          .innerJoin('newsletter_lists', 'newsletter_lists.id', 'subscriptions.list_id')
          .select('subscriptions.list_id')
          .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
          .where('newsletter_lists.closed_at', '<', c)
          .$if(listId !== undefined, (s) => s.where('subscriptions.list_id', '=', listId!)),
      ),
    );
    return (await q.execute()).map((r) => r.id);
  }

  /** Strips the personal data of actions on campaigns closed before `cutoff` (counts kept); returns what went. */
  async applyRetention(cutoff: Date, now: Date): Promise<RetentionCampaign[]> {
    const due = await this.retentionDue(cutoff);
    await this.#store.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      for (const d of due) {
        if (d.kind === 'petition') {
          const p = await db.selectFrom('petitions').select('id').where('slug', '=', d.slug).executeTakeFirstOrThrow();
          await db.updateTable('signatures').set(ANONYMISED.signatures()).where('petition_id', '=', p.id).where(live('signatures')).execute();
        } else if (d.kind === 'webinar') {
          const w = await db.selectFrom('webinars').select('id').where('slug', '=', d.slug).executeTakeFirstOrThrow();
          await db.updateTable('registrations').set(ANONYMISED.registrations()).where('webinar_id', '=', w.id).where(live('registrations')).execute();
        } else {
          const l = await db.selectFrom('newsletter_lists').select('id').where('slug', '=', d.slug).executeTakeFirstOrThrow();
          await forgetSubscribers(db, await new PrivacyStore(tx).#strippableSubscribers(cutoff, l.id), now);
        }
      }
    });
    return due;
  }

  /**
   * Sealed mode: seals the contact data of rows with no mail pending (up to `limit` per table). Subscribers: no
   * subscription awaiting confirmation. Signatures: every receipt sent and no "keep me informed" job waiting.
   * Registrations: every status mail sent, and the webinar over (or the registration cancelled or declined).
   */
  async sealDue(now: Date, limit = 500): Promise<number> {
    const v = this.vault;
    if (!v.sealedMode) return 0;
    const db = this.#db;
    const open = (table: PersonalTable) => sql<boolean>`${sql.ref(`${table}.email_enc`)} like 'c1.%'`;
    const candidates: Record<PersonalTable, number[]> = {
      subscribers: (
        await db
          .selectFrom('subscribers')
          .select('id')
          .where(open('subscribers'))
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('subscriptions').select('list_id').whereRef('subscriptions.subscriber_id', '=', 'subscribers.id').where('subscriptions.status', '=', 'pending'),
              ),
            ),
          )
          .limit(limit)
          .execute()
      ).map((r) => r.id),
      signatures: (
        await db
          .selectFrom('signatures')
          .select('id')
          .where(open('signatures'))
          .whereRef('receipts_sent', '>=', 'mails_sent')
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('jobs')
                  .select('jobs.id')
                  .where('jobs.status', '=', 'pending')
                  .where('jobs.kind', '=', KEEP_INFORMED_JOB)
                  .where(sql<boolean>`jobs.payload = '{"signatureId":' || cast(signatures.id as text) || '}'`),
              ),
            ),
          )
          .limit(limit)
          .execute()
      ).map((r) => r.id),
      registrations: (
        await db
          .selectFrom('registrations')
          .innerJoin('webinars', 'webinars.id', 'registrations.webinar_id')
          .select('registrations.id')
          .where(open('registrations'))
          .whereRef('registrations.mails_sent', '>=', 'registrations.mails_due')
          .where((eb) => eb.or([eb('webinars.ends_at', '<', iso(now)), eb('registrations.status', 'in', ['cancelled', 'declined'])]))
          .limit(limit)
          .execute()
      ).map((r) => r.id),
    };
    let sealed = 0;
    for (const [table, ids] of Object.entries(candidates) as [PersonalTable, number[]][]) {
      sealed += await this.#rewrite(table, ids, (value, column) => v.seal(value, fieldOf(column)));
    }
    return sealed;
  }

  /**
   * Sealed mode: once a campaign is over, its sealed signatures and registrations lose their keyed hash (it becomes
   * `sealed.<id>`), so that a copy of the server with its lookup key can't even test a guessed address against
   * them; only the organisation's private key finds them (`compa erase --private-key`). While a campaign is open
   * the hash stays (one signature per address). Returns the rows unlinked.
   */
  async unlinkSealed(now: Date): Promise<number> {
    if (!this.vault.sealedMode) return 0;
    const db = this.#db;
    const at = iso(now);
    const s = await db
      .updateTable('signatures')
      .set({ email_hash: sql<string>`'sealed.' || cast(id as text)` })
      .where('email_enc', 'like', 's1.%')
      .where('email_hash', 'like', 'h1.%')
      .where('petition_id', 'in', (eb) =>
        eb
          .selectFrom('petitions')
          .select('id')
          .where((e) => e.or([e('status', '=', 'closed'), e.and([e('deadline', 'is not', null), e('deadline', '<', at)])])),
      )
      .executeTakeFirst();
    const r = await db
      .updateTable('registrations')
      .set({ email_hash: sql<string>`'sealed.' || cast(id as text)` })
      .where('email_enc', 'like', 's1.%')
      .where('email_hash', 'like', 'h1.%')
      .where('webinar_id', 'in', (eb) => eb.selectFrom('webinars').select('id').where('ends_at', '<', at))
      .executeTakeFirst();
    return Number(s.numUpdatedRows) + Number(r.numUpdatedRows);
  }

  /** Sealed rows without a hash whose address (opened by `open`) is this one: what `erase` can't find alone. */
  async findUnlinked(email: string, open: (sealed: string) => string): Promise<{ signatures: number[]; registrations: number[] }> {
    const want = normaliseEmail(email);
    const out = { signatures: [] as number[], registrations: [] as number[] };
    for (const table of ['signatures', 'registrations'] as const) {
      let last = 0;
      for (;;) {
        const rows = await this.#db
          .selectFrom(table)
          .select(['id', 'email_enc'])
          .where('email_hash', 'like', 'sealed.%')
          .where('id', '>', last)
          .orderBy('id')
          .limit(1000)
          .execute();
        if (!rows.length) break;
        last = rows[rows.length - 1]!.id;
        for (const r of rows) if (r.email_enc && normaliseEmail(open(r.email_enc)) === want) out[table].push(r.id);
      }
    }
    return out;
  }

  /** How many sealed rows have no hash any more (erasure by address needs the private key for them). */
  async unlinkedCount(): Promise<number> {
    let n = 0;
    for (const table of ['signatures', 'registrations'] as const) {
      const r = await this.#db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('email_hash', 'like', 'sealed.%').executeTakeFirstOrThrow();
      n += Number(r.n);
    }
    return n;
  }

  /** Seals everything due, batch after batch, then unlinks the sealed rows of campaigns over; returns the rows changed. */
  async sealAll(now: Date): Promise<number> {
    let n = 0;
    for (let batch = await this.sealDue(now); batch > 0; batch = await this.sealDue(now)) n += batch;
    return n + (await this.unlinkSealed(now));
  }

  /** Re-encrypts every value still under an older data key; returns the rows re-encrypted. */
  async rotateAll(): Promise<number> {
    let n = 0;
    for (let batch = await this.rotate(); batch > 0; batch = await this.rotate()) n += batch;
    return n;
  }

  /** Re-encrypts values still under an older data key with the current one (up to `limit` rows per table). */
  async rotate(limit = 500): Promise<number> {
    const v = this.vault;
    const current = `c1.${v.currentKeyId}.%`;
    let done = 0;
    for (const [table, columns] of Object.entries(PERSONAL_COLUMNS) as [PersonalTable, readonly string[]][]) {
      const rows = await this.#db
        .selectFrom(table)
        .select('id')
        .where((eb) => eb.or(columns.map((c) => eb.and([eb(sql.ref(c), 'like', 'c1.%'), eb(sql.ref(c), 'not like', current)]))))
        .limit(limit)
        .execute();
      done += await this.#rewrite(
        table,
        rows.map((r) => r.id),
        (value, column) => v.reencrypt(value, fieldOf(column)),
      );
    }
    return done;
  }

  /** Values per data key id (and sealed, and erased), for `compa keys status`. */
  async keyUsage(): Promise<{ byKey: Record<string, number>; sealed: number }> {
    const byKey: Record<string, number> = {};
    let sealed = 0;
    for (const [table, columns] of Object.entries(PERSONAL_COLUMNS) as [PersonalTable, readonly string[]][]) {
      for (const c of columns) {
        let lastId = 0;
        for (;;) {
          const rows = (await this.#db
            .selectFrom(table)
            .select(['id', sql.ref(c).as('v')] as any)
            .where('id', '>', lastId)
            .orderBy('id')
            .limit(2000)
            .execute()) as unknown as { id: number; v: string | null }[];
          if (!rows.length) break;
          lastId = rows[rows.length - 1]!.id;
          for (const r of rows) {
            const id = Vault.keyIdOf(r.v);
            if (id) byKey[id] = (byKey[id] ?? 0) + 1;
            else if (Vault.isSealed(r.v)) sealed++;
          }
        }
      }
    }
    return { byKey, sealed };
  }

  /** Rewrites the personal columns of these rows, each only if unchanged since read (a concurrent write wins). */
  async #rewrite(table: PersonalTable, ids: number[], fn: (value: string | null, column: string) => string | null): Promise<number> {
    if (!ids.length) return 0;
    const columns = PERSONAL_COLUMNS[table] as readonly string[];
    const db = this.#db as unknown as Kysely<Record<string, Record<string, string | number | null>>>;
    const rows = await db.selectFrom(table).select(['id', ...columns]).where('id', 'in', ids).execute();
    let n = 0;
    await this.#store.transaction(async (tx) => {
      const tdb = (tx as KyselyStore).db as unknown as Kysely<Record<string, Record<string, string | number | null>>>;
      for (const row of rows) {
        const set: Record<string, string | null> = {};
        let q = tdb.updateTable(table).where('id', '=', row.id);
        for (const c of columns) {
          const value = row[c] as string | null;
          set[c] = fn(value, c);
          q = value === null ? q.where(c, 'is', null) : q.where(c, '=', value);
        }
        n += Number((await q.set(set).executeTakeFirst()).numUpdatedRows);
      }
    });
    return n;
  }

  /**
   * The rows of an export, in id order, read in pages of `page` rows (constant memory however many there are).
   * Personal values come as stored (encrypted or sealed): the caller opens them. Erased rows are left out.
   */
  async *exportRows(kind: ExportKind, opts: { campaign?: string; since?: Date; page?: number }): AsyncGenerator<Record<string, unknown>> {
    const page = opts.page ?? 1000;
    const since = opts.since ? iso(opts.since) : null;
    const db = this.#db;
    if (kind === 'subscribers') {
      let after: [number, number] = [0, 0];
      for (;;) {
        const rows = await db
          .selectFrom('subscriptions')
          .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
          .innerJoin('newsletter_lists', 'newsletter_lists.id', 'subscriptions.list_id')
          .select([
            'subscribers.id as id',
            'subscriptions.list_id as list_id',
            'newsletter_lists.slug as campaign',
            'subscribers.email_enc as email',
            'subscribers.first_name as first_name',
            'subscriptions.status as status',
            'subscribers.locale as language',
            'subscriptions.consent_text as consent_text',
            'subscriptions.consent_locale as consent_language',
            'subscriptions.consent_at as consent_at',
            'subscriptions.confirmed_at as confirmed_at',
            'subscriptions.unsubscribed_at as unsubscribed_at',
          ])
          .where(live('subscribers'))
          .where((eb) => eb.or([eb('subscribers.id', '>', after[0]), eb.and([eb('subscribers.id', '=', after[0]), eb('subscriptions.list_id', '>', after[1])])]))
          .$if(!!opts.campaign, (q) => q.where('newsletter_lists.slug', '=', opts.campaign!))
          .$if(since !== null, (q) => q.where('subscriptions.consent_at', '>=', since!))
          .orderBy('subscribers.id')
          .orderBy('subscriptions.list_id')
          .limit(page)
          .execute();
        if (!rows.length) return;
        const last = rows[rows.length - 1]!;
        after = [last.id, last.list_id];
        for (const { list_id: _l, ...r } of rows) yield r;
      }
    }
    let lastId = 0;
    for (;;) {
      const rows =
        kind === 'signatures'
          ? await db
              .selectFrom('signatures')
              .innerJoin('petitions', 'petitions.id', 'signatures.petition_id')
              .select([
                'signatures.id as id',
                'petitions.slug as campaign',
                'signatures.email_enc as email',
                'signatures.first_name as first_name',
                'signatures.last_name as last_name',
                'signatures.country as country',
                'signatures.comment as comment',
                'signatures.status as status',
                'signatures.source as source',
                'signatures.keep_informed as keep_informed',
                'signatures.locale as language',
                'signatures.consent_text as consent_text',
                'signatures.consent_locale as consent_language',
                'signatures.created_at as signed_at',
                'signatures.confirmed_at as confirmed_at',
              ])
              .where(live('signatures'))
              .where('signatures.id', '>', lastId)
              // `+`: not through the (petition, address) index, which would sort the whole petition for every
              // page; the id order of the table is read once from start to end instead (no index to maintain on
              // the hot path of signing).
              .$if(!!opts.campaign, (q) =>
                q.where(sql<number>`+${sql.ref('signatures.petition_id')}`, '=', (eb) => eb.selectFrom('petitions').select('id').where('slug', '=', opts.campaign!)),
              )
              .$if(since !== null, (q) => q.where('signatures.created_at', '>=', since!))
              .orderBy('signatures.id')
              .limit(page)
              .execute()
          : await db
              .selectFrom('registrations')
              .innerJoin('webinars', 'webinars.id', 'registrations.webinar_id')
              .select([
                'registrations.id as id',
                'webinars.slug as campaign',
                'registrations.email_enc as email',
                'registrations.name as name',
                'registrations.status as status',
                'registrations.locale as language',
                'registrations.answers as answers',
                'registrations.consent_text as consent_text',
                'registrations.consent_locale as consent_language',
                'registrations.created_at as registered_at',
              ])
              .where(live('registrations'))
              .where('registrations.id', '>', lastId)
              .$if(!!opts.campaign, (q) => q.where('webinars.slug', '=', opts.campaign!))
              .$if(since !== null, (q) => q.where('registrations.created_at', '>=', since!))
              .orderBy('registrations.id')
              .limit(page)
              .execute();
      if (!rows.length) return;
      lastId = rows[rows.length - 1]!.id;
      yield* rows as Record<string, unknown>[];
    }
  }
}
