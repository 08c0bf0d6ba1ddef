import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SignInput, SignOutcome } from './store.ts';

/**
 * A signature as written: its personal fields already encrypted (`firstName`, `lastName`, `comment` hold
 * ciphertext), the address as its keyed hash and its ciphertext.
 */
export type StoredSignInput = SignInput & { emailHash: string; emailEnc: string };

export const RECEIPT_JOB = 'petition.receipt';
export const KEEP_INFORMED_JOB = 'petition.keep-informed';
/** Mails per signature (first receipt plus resends when the same address signs again while unverified). */
export const MAILS_PER_SIGNATURE = 3;

/**
 * Group commit for signatures on SQLite: one `BEGIN IMMEDIATE … COMMIT` (one fsync with `synchronous=FULL`)
 * for a whole batch of concurrent requests, on prepared statements. If any item fails, the batch is rolled
 * back and each item is written in its own transaction, so a failing item fails alone. The caller must hold the connection (no other statement may run
 * in between): `KyselyStore.signBatch` runs this inside Kysely's connection lock.
 */
export class SqliteSignBatch {
  readonly #db: DatabaseSync;
  readonly #s: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.#db = db;
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      getIdem: p('select request_hash, status_code, body from idempotency_keys where scope = ? and key = ?'),
      putIdem: p('insert into idempotency_keys (scope, key, request_hash, status_code, body, created_at) values (?, ?, ?, ?, ?, ?)'),
      insert: p(
        `insert into signatures (petition_id, email_hash, email_enc, first_name, last_name, country, comment, locale, status, source,
           keep_informed, consent_text, consent_locale, created_at, confirmed_at, mails_sent)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
         on conflict (petition_id, email_hash) do nothing`,
      ),
      existing: p('select id, status, mails_sent from signatures where petition_id = ? and email_hash = ?'),
      // A mail is due again: the address is readable again until it is sent (sealed mode had sealed it).
      resent: p('update signatures set mails_sent = mails_sent + 1, email_enc = ?, first_name = ? where id = ?'),
      confirm: p(`update signatures set status = 'counted', confirmed_at = ? where id = ?`),
      // The address comes with the request again: readable until the newsletter's confirmation is asked for.
      keepInformed: p('update signatures set keep_informed = 1, consent_text = ?, consent_locale = ?, email_enc = ? where id = ?'),
      job: p(`insert into jobs (kind, payload, run_at, attempts, status, last_error, created_at, done_at) values (?, ?, ?, 0, 'pending', null, ?, null)`),
      count: p('select signature_count from petitions where id = ?'),
      setCount: p('update petitions set signature_count = ?, updated_at = ? where id = ?'),
    };
  }

  run(items: StoredSignInput[], now: Date): SignOutcome[] {
    try {
      // The common case: every item goes through, one transaction for all.
      return this.#transaction(items, now);
    } catch {
      // Something failed (and nothing of the batch was written): write each item on its own, so one bad
      // item costs only its own request.
      return items.flatMap((item) => {
        try {
          return this.#transaction([item], now);
        } catch (error) {
          return [{ kind: 'error' as const, error: error instanceof Error ? error : new Error(String(error)) }];
        }
      });
    }
  }

  #transaction(items: StoredSignInput[], now: Date): SignOutcome[] {
    const at = now.toISOString();
    const s = this.#s;
    const counts = new Map<number, number>();
    const countOf = (petitionId: number) => {
      let c = counts.get(petitionId);
      if (c === undefined) {
        c = Number((s.count!.get(petitionId) as { signature_count: number } | undefined)?.signature_count ?? 0);
        counts.set(petitionId, c);
      }
      return c;
    };
    // Receipts of the whole batch go in one job (one row instead of one per signature); each signature records
    // how many of its mails are due (`mails_sent`) and sent (`receipts_sent`), so a retried job sends no mail twice.
    const receipts: number[] = [];
    const job = (kind: string, signatureId: number) => {
      if (kind === RECEIPT_JOB) receipts.push(signatureId);
      else s.job!.run(kind, JSON.stringify({ signatureId }), at, at);
    };
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = items.map((item) => this.#one(item, at, countOf, counts, job));
      for (const [petitionId, count] of counts) s.setCount!.run(count, at, petitionId);
      if (receipts.length) s.job!.run(RECEIPT_JOB, JSON.stringify({ signatureIds: receipts }), at, at);
      this.#db.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #one(
    item: StoredSignInput,
    at: string,
    countOf: (petitionId: number) => number,
    counts: Map<number, number>,
    job: (kind: string, signatureId: number) => unknown,
  ): SignOutcome {
    const s = this.#s;
    const idem = item.idempotency;
    if (idem) {
      const saved = s.getIdem!.get(idem.scope, idem.key) as { request_hash: string; status_code: number; body: string } | undefined;
      if (saved) {
        if (saved.request_hash !== idem.requestHash) return { kind: 'conflict' };
        return { kind: 'replay', statusCode: saved.status_code, body: JSON.parse(saved.body) };
      }
    }
    const verify = item.verification === 'email';
    const { changes, lastInsertRowid } = s.insert!.run(
      item.petitionId,
      item.emailHash,
      item.emailEnc,
      item.firstName,
      item.lastName,
      item.country,
      item.comment,
      item.locale,
      verify ? 'pending' : 'counted',
      item.source,
      item.keepInformed ? 1 : 0,
      item.keepInformed ? item.consentText : null,
      item.keepInformed ? item.consentLocale : null,
      at,
      verify ? null : at,
    );
    const inserted = Number(changes) > 0;
    let signatureId: number;
    let jobs = 0;
    // The answer carries the count as it was BEFORE this request: the same for a new and a known address.
    const countBefore = countOf(item.petitionId);
    let count = countBefore;
    if (inserted) {
      signatureId = Number(lastInsertRowid);
      if (!verify) counts.set(item.petitionId, ++count);
      job(RECEIPT_JOB, signatureId);
      jobs++;
      if (item.keepInformed) {
        job(KEEP_INFORMED_JOB, signatureId);
        jobs++;
      }
    } else {
      // Signed before: same answer as a first signature, nothing counted twice. Still unverified: send the
      // confirm link again (a few times at most). Newly ticked "keep me informed": honour it.
      const row = s.existing!.get(item.petitionId, item.emailHash) as { id: number | bigint; status: string; mails_sent: number };
      signatureId = Number(row.id);
      if (row.status === 'pending' && !verify) {
        // Verified now (an action link mailed to this address): the pending signature counts.
        s.confirm!.run(at, signatureId);
        counts.set(item.petitionId, ++count);
      } else if (row.status === 'pending' && row.mails_sent < MAILS_PER_SIGNATURE) {
        s.resent!.run(item.emailEnc, item.firstName, signatureId);
        job(RECEIPT_JOB, signatureId);
        jobs++;
      }
      if (item.keepInformed) {
        s.keepInformed!.run(item.consentText, item.consentLocale, item.emailEnc, signatureId);
        job(KEEP_INFORMED_JOB, signatureId);
        jobs++;
      }
    }
    // The answer depends on the petition's mode only, never on what was stored before (no enumeration).
    const status = verify ? ('pending_verification' as const) : ('counted' as const);
    if (idem) s.putIdem!.run(idem.scope, idem.key, idem.requestHash, 202, JSON.stringify({ status, count: countBefore }), at);
    return { kind: 'signed', status, count: countBefore, committedCount: count, signatureId, newSignature: inserted, jobs };
  }
}
