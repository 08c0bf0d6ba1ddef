/**
 * Group commit under a real burst (an urgent action mailed to thousands): every signature is answered only
 * once it is on disk, in far fewer transactions than requests; no count is lost or doubled; concurrent
 * duplicates of one address make one row; a failing item in a batch is rolled back alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SignInput } from '../../src/server/store/store.ts';
import { OPEN_PETITION, createPetition, harness, json, signature, countedRows, storedCount } from './helpers.ts';


test('300 concurrent signatures: all 202, each answer a distinct count, all on disk, in far fewer than 300 transactions', async (t) => {
  const h = await harness(t);
  await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` });
  const stats = h.app.petitions.writer.stats;
  const batchesBefore = stats.batches;
  const N = 300;
  const answers = await Promise.all(Array.from({ length: N }, (_, i) => h.sign(OPEN_PETITION, signature(), { 'idempotency-key': `burst-${i}` })));
  for (const r of answers) assert.equal(r.statusCode, 202, r.body);
  const bodies = answers.map((r) => json<{ status: string; count: number }>(r));
  assert.ok(bodies.every((b) => b.status === 'counted'));
  assert.deepEqual(
    bodies.map((b) => b.count).sort((a, b) => a - b),
    Array.from({ length: N }, (_, i) => i),
    'every supporter saw the count with their own signature in it, none twice',
  );
  assert.equal(countedRows(h, OPEN_PETITION), N);
  assert.equal(storedCount(h, OPEN_PETITION), N);
  assert.equal(json(await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` })).count, N);
  assert.equal(h.counts().idempotency_keys, N, 'each answer stored with its key, in the same transaction');
  const receiptJobs = h.rows<{ payload: string }>(`select payload from jobs where kind = 'petition.receipt'`);
  const receiptIds = receiptJobs.flatMap((j) => (JSON.parse(j.payload) as { signatureIds: number[] }).signatureIds);
  assert.equal(new Set(receiptIds).size, N, 'a receipt due for every signature, once');
  assert.ok(receiptJobs.length < N / 5, `receipts batched: ${receiptJobs.length} jobs`);
  assert.equal(await h.drain(), receiptJobs.length);
  assert.equal(h.mails.length, N, 'one receipt each');
  assert.equal(new Set(h.mails.map((m) => m.to)).size, N);
  const batches = stats.batches - batchesBefore;
  assert.ok(batches < N / 5, `${batches} transactions for ${N} signatures`);
  assert.ok(stats.largest > 1, 'signatures shared a transaction');
});

test('concurrent signatures on two petitions in the same batches keep each petition’s count right', async (t) => {
  const h = await harness(t);
  const other = await createPetition(h, { verification: 'email' });
  await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` });
  await h.inject({ url: `/api/v1/petitions/${other.slug}/count` });
  const answers = await Promise.all(
    Array.from({ length: 120 }, (_, i) => h.sign(i % 3 === 0 ? other.slug : OPEN_PETITION, signature())),
  );
  assert.ok(answers.every((r) => r.statusCode === 202));
  assert.equal(storedCount(h, OPEN_PETITION), 80);
  assert.equal(countedRows(h, OPEN_PETITION), 80);
  assert.equal(storedCount(h, other.slug), 0, 'pending signatures do not count');
  assert.equal(h.rows(`select * from signatures where status = 'pending'`).length, 40);
  assert.ok(
    answers.filter((_, i) => i % 3 === 0).every((r) => json(r).status === 'pending_verification'),
    'each answer follows its own petition’s mode',
  );
});

test('concurrent duplicates of one address (any case, different keys) make one row, counted once, one receipt', async (t) => {
  const h = await harness(t);
  await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` });
  const variants = ['dup@example.org', 'DUP@example.org', 'Dup@Example.Org', 'dup@EXAMPLE.ORG'];
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) => h.sign(OPEN_PETITION, signature({ email: variants[i % variants.length] }), { 'idempotency-key': `dup-${i}` })),
  );
  for (const r of answers) assert.equal(r.statusCode, 202, r.body);
  assert.ok(answers.every((r) => json(r).status === 'counted'));
  assert.ok(answers.every((r) => json(r).count <= 1), 'nobody saw a doubled count');
  assert.equal(h.rows(`select * from signatures where email = 'dup@example.org'`).length, 1);
  assert.equal(storedCount(h, OPEN_PETITION), 1);
  await h.drain();
  assert.equal(h.mails.filter((m) => m.to === 'dup@example.org').length, 1, 'one receipt');
});

test('concurrent retries of one request (same key, same body) write once and all get the first answer', async (t) => {
  const h = await harness(t);
  const body = signature();
  const answers = await Promise.all(Array.from({ length: 25 }, () => h.sign(OPEN_PETITION, body, { 'idempotency-key': 'flaky-network-1' })));
  for (const r of answers) assert.equal(r.statusCode, 202, r.body);
  const first = answers.find((r) => r.headers['idempotent-replayed'] === undefined)!;
  assert.ok(first, 'one request was the original');
  assert.equal(answers.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 24);
  for (const r of answers) assert.deepEqual(json(r), json(first));
  assert.equal(h.counts().signatures, 1);
  assert.equal(h.counts().idempotency_keys, 1);
  assert.equal(h.rows(`select * from jobs`).length, 1);
  assert.equal(storedCount(h, OPEN_PETITION), 1);
});

test('an item that fails inside a batch is rolled back alone; the others and the count commit', async (t) => {
  const h = await harness(t);
  const p = (await h.app.compa.store.getPetition(OPEN_PETITION))!;
  const item = (email: string, extra: Partial<SignInput> = {}): SignInput => ({
    petitionId: p.id,
    email,
    firstName: 'Ana',
    lastName: null,
    country: 'CO',
    comment: null,
    locale: 'en',
    verification: 'none',
    source: 'form',
    keepInformed: false,
    consentText: null,
    consentLocale: null,
    idempotency: { scope: `signatures:${p.id}`, key: `k-${email}`, requestHash: 'h' },
    ...extra,
  });
  const outcomes = await h.app.compa.store.signBatch(
    [
      item('one@example.org'),
      item('broken@example.org', { firstName: null as unknown as string }), // NOT NULL violation
      item('ghost@example.org', { petitionId: 999_999, idempotency: null }), // no such petition (foreign key)
      item('two@example.org'),
    ],
    h.clock.now(),
  );
  assert.deepEqual(
    outcomes.map((o) => o.kind),
    ['signed', 'error', 'error', 'signed'],
  );
  assert.deepEqual(
    h.rows<{ email: string }>('select email from signatures order by id').map((r) => r.email),
    ['one@example.org', 'two@example.org'],
  );
  assert.equal(storedCount(h, OPEN_PETITION), 2, 'the failed items did not move the count');
  assert.deepEqual(outcomes.filter((o) => o.kind === 'signed').map((o) => (o as { count: number }).count), [0, 1], 'each answer: the count before it');
  const jobs = h.rows<{ payload: string }>('select payload from jobs');
  // (after a failure the items are written one by one: one receipt job each)
  assert.equal(jobs.flatMap((j) => JSON.parse(j.payload).signatureIds as number[]).length, 2, 'no receipt for a failed item');
  assert.deepEqual(
    h.rows<{ key: string }>('select key from idempotency_keys order by key').map((r) => r.key),
    ['k-one@example.org', 'k-two@example.org'],
    'no stored answer for a failed item (its retry writes)',
  );
});

test('a batch’s receipt job that fails for one address is retried for it alone: nobody gets a receipt twice', async (t) => {
  const h = await harness(t);
  await Promise.all(['a@example.org', 'b@example.org', 'c@example.org'].map((email) => h.sign(OPEN_PETITION, signature({ email }))));
  const sent: string[] = [];
  const mailer = h.app.compa.mailer;
  const original = mailer.send.bind(mailer);
  let failB = true;
  mailer.send = async (mail) => {
    if (mail.to === 'b@example.org' && failB) {
      failB = false;
      throw new Error('smtp: temporary failure');
    }
    sent.push(mail.to);
    return original(mail);
  };
  await h.drain(); // a and c go out; b fails and the job is scheduled again
  assert.deepEqual([...sent].sort(), ['a@example.org', 'c@example.org']);
  h.clock.advance(60_000);
  await h.drain(); // the retry sends b only
  assert.deepEqual([...sent].sort(), ['a@example.org', 'b@example.org', 'c@example.org']);
  const rows = h.rows<{ mails_sent: number; receipts_sent: number }>('select mails_sent, receipts_sent from signatures');
  assert.ok(rows.every((r) => r.receipts_sent === 1 && r.mails_sent === 1), JSON.stringify(rows));
});
