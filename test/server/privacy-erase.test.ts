/**
 * Erasure (`compa erase EMAIL`, `POST /api/v1/admin/erasures`): one supporter who subscribed, signed two petitions
 * and registered for a past and a future webinar is erased everywhere: the address, names, comment and answers are
 * in no table any more, counts and per-day figures stay, the future webinar's place goes to the waitlist, the
 * outbox loses the mail files addressed to them (only those), the audit log never holds the address, and mail still
 * waiting for them is never sent to anyone.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, json, linkIn, pathOf, signature, storedCount, subscription } from './helpers.ts';
import { adminHarness, auditRows, listBody, petitionBody, type AdminHarness } from './admin-helpers.ts';
import { createWebinar, registration } from './webinar-fixtures.ts';
import {
  compa,
  outboxMails,
  registerFor,
  registrationStatus,
  signAs,
  subscribeConfirmed,
  syncClock,
  whereFound,
} from './privacy-fixtures.ts';

const PERSON = {
  email: 'Zyx.Erasable@Example.ORG',
  firstName: 'Zyxwina',
  lastName: 'Qorvathez',
  comment: 'secret-comment-8861: "stop it", now\nfrom Cali',
  webinarName: 'Zyxwina Qorvathez',
  org: 'Orgzyx',
};
const ADDRESS = PERSON.email.toLowerCase();
/** What must be nowhere once the person is erased (compared case-insensitively). */
const TRACES = [ADDRESS, 'zyx.erasable', PERSON.firstName, PERSON.lastName, 'secret-comment-8861', PERSON.org];
const OTHER = 'otilia.other@example.org';
const FIRST_PLACE = 'fermina.first@example.org';
const WAITING = 'wenceslao.waiting@example.org';

/** The per-day figures an organiser reads, and the public counts. */
async function figures(h: AdminHarness) {
  const get = async (url: string) => {
    const res = await h.api('GET', url, undefined, { token: h.read });
    assert.equal(res.statusCode, 200, res.body);
    return json(res);
  };
  const list = await get('lists/bulletin/stats');
  return {
    petitions: {
      water: await get('petitions/water-defenders/stats'),
      journalists: await get('petitions/free-the-journalists/stats'),
    },
    publicCounts: [
      json(await h.inject({ url: '/api/v1/petitions/water-defenders/count' })).count,
      json(await h.inject({ url: '/api/v1/petitions/free-the-journalists/count' })).count,
    ],
    storedCounts: [storedCount(h, 'water-defenders'), storedCount(h, 'free-the-journalists')],
    pastWebinar: await get('webinars/past-webinar/stats'),
    list: { total: list.total, perDay: list.perDay.map((d: { date: string; count: number }) => [d.date, d.count]), byStatus: list.byStatus },
  };
}

/**
 * The person (and others) through the public API: a confirmed subscription, two signatures (one with a comment
 * and "keep me informed"), a registration for a webinar now over, and the last place of one still ahead, with
 * someone on its waitlist. The harness clock ends at the real time (the `compa` child process reads that one).
 */
async function scenario(t: TestContext) {
  const h = await adminHarness(t, { mailer: 'outbox' });
  syncClock(h, 3 * DAY);
  assert.equal((await h.api('PUT', 'lists/bulletin', listBody())).statusCode, 201);
  assert.equal((await h.api('PUT', 'petitions/water-defenders', petitionBody({ status: 'open', keepInformedList: 'bulletin' }))).statusCode, 201);
  assert.equal((await h.api('PUT', 'petitions/free-the-journalists', petitionBody({ status: 'open' }))).statusCode, 201);
  await createWebinar(h, { slug: 'past-webinar' }, DAY);

  await subscribeConfirmed(h, subscription({ email: PERSON.email, firstName: PERSON.firstName, lists: ['bulletin'] }));
  await subscribeConfirmed(h, subscription({ email: OTHER, firstName: 'Otilia', lists: ['bulletin'] }));
  await signAs(
    h,
    'water-defenders',
    signature({
      email: PERSON.email,
      firstName: PERSON.firstName,
      lastName: PERSON.lastName,
      comment: PERSON.comment,
      keepInformed: true,
      consentText: 'Keep me informed about the defenders.',
    }),
  );
  await signAs(h, 'free-the-journalists', signature({ email: PERSON.email, firstName: PERSON.firstName }));
  await signAs(h, 'water-defenders', signature({ email: OTHER, firstName: 'Otilia', comment: 'Fuerza' }));
  await registerFor(h, 'past-webinar', registration({ email: PERSON.email, name: PERSON.webinarName, answers: { role: 'supporter', org: PERSON.org } }));
  await registerFor(h, 'past-webinar', registration({ email: OTHER, name: 'Otilia Other' }));
  await h.drain();

  h.clock.advance(2 * DAY); // the first webinar is over
  await createWebinar(h, { slug: 'future-webinar' }, 5 * DAY); // two places
  await registerFor(h, 'future-webinar', registration({ email: FIRST_PLACE, name: 'Fermina First' }));
  await registerFor(h, 'future-webinar', registration({ email: PERSON.email, name: PERSON.webinarName, answers: { role: 'press', org: PERSON.org } }));
  await registerFor(h, 'future-webinar', registration({ email: WAITING, name: 'Wenceslao Waiting', locale: 'en' }));
  await h.drain();
  syncClock(h);

  assert.equal(registrationStatus(h, 'future-webinar', PERSON.email), 'registered', 'the person took the last place');
  assert.equal(registrationStatus(h, 'future-webinar', WAITING), 'waitlisted');
  assert.equal(registrationStatus(h, 'past-webinar', PERSON.email), 'registered');
  // Without erasure, the person is visible in the database read in clear, and mail files are addressed to them.
  for (const trace of TRACES) assert.notDeepEqual(whereFound(h, trace), [], `before erasure, ${trace} is stored`);
  const mails = outboxMails(h);
  const theirs = mails.filter((m) => m.to.includes(ADDRESS)).map((m) => m.file);
  const others = mails.filter((m) => !m.to.includes(ADDRESS)).map((m) => m.file);
  assert.ok(theirs.length >= 5, `mail files to the person: ${theirs.length}`);
  assert.ok(others.length >= 4, `mail files to others: ${others.length}`);
  const subscription_ = h.rows<{ status: string }>(
    "select s.status from subscriptions s join subscribers b on b.id = s.subscriber_id join newsletter_lists l on l.id = s.list_id where b.email = ? and l.slug = 'bulletin'",
    ADDRESS,
  );
  assert.deepEqual(subscription_.map((r) => r.status), ['confirmed']);
  return { h, theirs, others, before: await figures(h) };
}

/** What every erasure must leave behind, whichever way it was asked for. */
async function assertErased(s: Awaited<ReturnType<typeof scenario>>) {
  const { h, theirs, others, before } = s;
  for (const trace of TRACES) assert.deepEqual(whereFound(h, trace), [], `${trace} is in no table any more`);

  // Counts and per-day figures stay; the subscription no longer counts as confirmed.
  const after = await figures(h);
  assert.deepEqual(after.petitions, before.petitions, 'petition figures unchanged');
  assert.deepEqual(after.publicCounts, before.publicCounts, 'public counts unchanged');
  assert.deepEqual(after.storedCounts, before.storedCounts);
  assert.deepEqual(after.pastWebinar, before.pastWebinar, 'the past webinar keeps its figures');
  assert.equal(after.list.total, before.list.total);
  assert.deepEqual(after.list.perDay, before.list.perDay, 'subscriptions per day unchanged');
  assert.equal(after.list.byStatus.confirmed, before.list.byStatus.confirmed - 1, 'one confirmed subscriber less');
  assert.deepEqual(
    h.rows<{ status: string }>("select s.status from subscriptions s join subscribers b on b.id = s.subscriber_id where b.email_hash like 'erased.%'").map((r) => r.status),
    ['unsubscribed'],
  );
  const erasedSignatures = h.rows<{ slug: string; status: string; email: string; first_name: string; last_name: string | null; comment: string | null }>(
    "select p.slug, s.status, s.email, s.first_name, s.last_name, s.comment from signatures s join petitions p on p.id = s.petition_id where s.email_hash like 'erased.%' order by p.slug",
  );
  assert.deepEqual(
    erasedSignatures.map((r) => ({ ...r })),
    ['free-the-journalists', 'water-defenders'].map((slug) => ({ slug, status: 'counted', email: '', first_name: '', last_name: null, comment: null })),
    'the signatures still count, with nothing personal',
  );
  const otherSignature = h.rows<{ first_name: string; comment: string }>('select first_name, comment from signatures where email = ?', OTHER)[0];
  assert.deepEqual({ ...otherSignature }, { first_name: 'Otilia', comment: 'Fuerza' }, 'others are untouched');

  // The place at the webinar still ahead went to the waitlist; the past one keeps the registration (anonymous).
  const erasedRegistrations = h.rows<{ slug: string; status: string }>(
    "select w.slug, r.status from registrations r join webinars w on w.id = r.webinar_id where r.email_hash like 'erased.%' order by w.slug",
  );
  assert.deepEqual(erasedRegistrations.map((r) => ({ ...r })), [
    { slug: 'future-webinar', status: 'cancelled' },
    { slug: 'past-webinar', status: 'registered' },
  ]);
  assert.equal(registrationStatus(h, 'future-webinar', WAITING), 'registered', 'the waitlisted supporter has the place');
  assert.equal(registrationStatus(h, 'future-webinar', FIRST_PLACE), 'registered');

  // Mail files to the person are gone; everyone else's stay.
  for (const file of theirs) assert.equal(existsSync(file), false, `${file} (to the person) is deleted`);
  for (const file of others) assert.equal(existsSync(file), true, `${file} (to someone else) stays`);

  // The freed place is announced to the one who got it, and nothing goes to the erased person (or to nobody).
  syncClock(h);
  await h.drain();
  const mails = outboxMails(h);
  const promoted = mails.filter((m) => m.to.includes(WAITING) && /A place is free for you/.test(m.subject));
  assert.equal(promoted.length, 1, `a "promoted" mail to the waitlisted supporter: ${mails.map((m) => `${m.to}: ${m.subject}`).join('; ')}`);
  assert.deepEqual(mails.filter((m) => m.to.includes(ADDRESS) || !m.to.includes('@')), [], 'no mail to the erased person, none without an address');
  for (const trace of TRACES) assert.deepEqual(whereFound(h, trace), [], `${trace} did not come back`);
}

/** The personal tables as they are (to show a second erasure changes nothing). */
const personalTables = (h: AdminHarness) =>
  JSON.stringify(['subscribers', 'subscriptions', 'signatures', 'registrations', 'jobs'].map((table) => h.rows(`select * from ${table} order by 1, 2`)));

test('compa erase EMAIL erases the person from every table and the outbox; counts stay; the waitlist gets the place; again: nothing to do', async (t) => {
  const s = await scenario(t);
  const { h } = s;
  // The address in another case finds everything.
  const r = await compa(h, ['erase', PERSON.email.toUpperCase()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /erased: 1 subscriber, 2 signature\(s\), 2 registration\(s\), (\d+) mail file\(s\) in the outbox; 1 waitlisted registration\(s\) got the freed place/);
  assert.equal(Number(/(\d+) mail file/.exec(r.stdout)![1]), s.theirs.length);
  assert.doesNotMatch(r.stdout + r.stderr, /zyx/i, 'the command does not echo the address');
  await assertErased(s);

  const snapshot = personalTables(h);
  const again = await compa(h, ['erase', PERSON.email]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing to erase/);
  assert.equal(personalTables(h), snapshot, 'the second erasure changes nothing');
});

test('POST /api/v1/admin/erasures erases the person everywhere; the audit log never holds the address; again: all zero', async (t) => {
  const s = await scenario(t);
  const { h } = s;
  // What the file holds of the person: their keyed address hash and the ciphertexts of their personal values.
  const stored = new Set<string>();
  for (const [table, columns] of [
    ['subscribers', 'email_hash, email_enc, first_name'],
    ['signatures', 'email_hash, email_enc, first_name, last_name, comment'],
    ['registrations', 'email_hash, email_enc, name, answers'],
  ]) {
    const hash = h.rows<{ email_hash: string }>(`select email_hash from ${table} where email = ?`, ADDRESS).map((r) => r.email_hash);
    for (const row of h.rawRows<Record<string, string | null>>(`select ${columns} from ${table} where email_hash in (${hash.map(() => '?').join(',')})`, ...hash)) {
      for (const v of Object.values(row)) if (v) stored.add(v);
    }
  }
  assert.ok(stored.size >= 10, `stored values of the person: ${stored.size}`);
  const fileBytes = () => ['compa.db', 'compa.db-wal'].map((f) => (existsSync(join(h.dir, f)) ? readFileSync(join(h.dir, f)).toString('latin1') : '')).join('');
  assert.ok([...stored].some((v) => fileBytes().includes(v)), 'the file holds them before');

  const res = await h.api('POST', 'erasures', { email: PERSON.email });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(json(res), { subscribers: 1, signatures: 2, registrations: 2, outboxFiles: s.theirs.length, promoted: 1, unchecked: 0 });
  // Not even an old copy lingers in the database file or its write-ahead log.
  const bytes = fileBytes();
  assert.deepEqual([...stored].filter((v) => bytes.includes(v)), [], 'no stored value of the person is left in the file or its WAL');
  await assertErased(s);

  const audit = auditRows(h).filter((a) => a.route === '/api/v1/admin/erasures');
  assert.equal(audit.length, 1, 'the erasure is in the audit log');
  assert.equal(audit[0]!.status, 200);
  assert.equal(audit[0]!.token_name, 'test writer');
  assert.doesNotMatch(JSON.stringify(h.rows('select * from admin_audit')), /zyx|@example/i, 'and the audit log holds no address');

  const snapshot = personalTables(h);
  const again = await h.api('POST', 'erasures', { email: PERSON.email });
  assert.equal(again.statusCode, 200, again.body);
  assert.deepEqual(json(again), { subscribers: 0, signatures: 0, registrations: 0, outboxFiles: 0, promoted: 0, unchecked: 0 });
  assert.equal(personalTables(h), snapshot, 'the second erasure changes nothing');
  assert.doesNotMatch(JSON.stringify(h.rows('select * from admin_audit')), /zyx|@example/i);
});

test('erasure refuses what is not an address (400 naming email, CLI exit 64) and a read token (403); nothing changes', async (t) => {
  const h = await adminHarness(t);
  assert.equal((await h.api('PUT', 'petitions/water-defenders', petitionBody({ status: 'open' }))).statusCode, 201);
  await signAs(h, 'water-defenders', signature({ email: PERSON.email, firstName: PERSON.firstName, comment: PERSON.comment }));
  const snapshot = personalTables(h);

  for (const body of [{ email: 'not-an-address' }, {}, { email: '' }, { email: `${'a'.repeat(250)}@example.org` }]) {
    const res = await h.api('POST', 'erasures', body);
    assert.equal(res.statusCode, 400, res.body);
    assert.ok(json(res).error.fields?.email, `error.fields names email: ${res.body}`);
  }
  const extra = await h.api('POST', 'erasures', { email: PERSON.email, everything: true });
  assert.equal(extra.statusCode, 400, 'an unknown field is refused, not ignored');
  const read = await h.api('POST', 'erasures', { email: PERSON.email }, { token: h.read });
  assert.equal(read.statusCode, 403, read.body);
  const none = await h.api('POST', 'erasures', { email: PERSON.email }, { token: null });
  assert.equal(none.statusCode, 401);

  const cli = await compa(h, ['erase', 'not-an-address']);
  assert.equal(cli.code, 64, cli.stderr);
  assert.match(cli.stderr, /EMAIL/);
  assert.equal((await compa(h, ['erase'])).code, 64, 'no address at all');

  assert.equal(personalTables(h), snapshot, 'nothing was erased');
  assert.notDeepEqual(whereFound(h, PERSON.firstName), []);
  assert.doesNotMatch(JSON.stringify(h.rows('select * from admin_audit')), /zyx|@example|not-an-address/i, 'refused requests leave no address in the audit log');
});

test('mail still waiting for an erased person, and the links of their receipts, send nothing to anyone', async (t) => {
  const h = await adminHarness(t);
  assert.equal((await h.api('PUT', 'lists/bulletin', listBody())).statusCode, 201);
  // Verify-before-count, with "keep me informed": the receipt carries a confirm link and an "It wasn't me" link.
  assert.equal((await h.api('PUT', 'petitions/verify-first', petitionBody({ status: 'open', verification: 'email', keepInformedList: 'bulletin' }))).statusCode, 201);
  assert.equal((await h.api('PUT', 'petitions/counted-at-once', petitionBody({ status: 'open', keepInformedList: 'bulletin' }))).statusCode, 201);
  await createWebinar(h, { slug: 'ahead' }, 3 * DAY);

  await signAs(h, 'verify-first', signature({ email: PERSON.email, firstName: PERSON.firstName }));
  assert.equal((await h.subscribe(subscription({ email: PERSON.email, firstName: PERSON.firstName, lists: ['bulletin'] }))).statusCode, 202);
  await h.drain();
  const receipt = h.mails.find((m) => m.to === ADDRESS && m.text.includes('/petitions/confirm?t='));
  assert.ok(receipt, 'the receipt with its links');
  const confirm = linkIn(receipt.text, h.config.publicUrl, '/petitions/confirm');
  const notMe = linkIn(receipt.text, h.config.publicUrl, '/petitions/not-me');
  const newsletter = h.mails.find((m) => m.to === ADDRESS && m.text.includes('/newsletter/confirm?t='));
  assert.ok(newsletter, 'the newsletter confirmation');
  const subscribe = linkIn(newsletter.text, h.config.publicUrl, '/newsletter/confirm');

  // Then, with the mail not yet sent: a signature with "keep me informed" (a receipt and a newsletter confirmation
  // to come), a newsletter signup, a webinar registration (its mail and reminders to come).
  await signAs(
    h,
    'counted-at-once',
    signature({ email: PERSON.email, firstName: PERSON.firstName, comment: PERSON.comment, keepInformed: true, consentText: 'Keep me informed.' }),
  );
  await registerFor(h, 'ahead', registration({ email: PERSON.email, name: PERSON.webinarName, answers: { role: 'press', org: PERSON.org } }));
  const pending = h.rows<{ n: number }>("select count(*) as n from jobs where status = 'pending'")[0]!.n;
  assert.ok(pending >= 3, `mail jobs waiting: ${pending}`);
  const liveSubscribers = () => h.rows<{ n: number }>("select count(*) as n from subscribers where email_hash not like 'erased.%'")[0]!.n;
  const count = storedCount(h, 'counted-at-once');

  const res = await h.api('POST', 'erasures', { email: PERSON.email });
  assert.equal(res.statusCode, 200, res.body);
  const sent = h.mails.length;
  await h.drain();
  h.clock.advance(3 * DAY - 60_000); // the reminders' times come
  await h.drain();
  assert.deepEqual(
    h.mails.slice(sent).map((m) => `${m.to}: ${m.subject}`),
    [],
    'no mail goes out: not to the erased address, not to an empty one',
  );
  assert.equal(liveSubscribers(), 0, '"keep me informed" did not subscribe anyone afresh');

  // The links of the receipt sent before: they act on an anonymous row at most, and send nothing.
  const confirmed = await h.inject({ method: 'POST', url: pathOf(confirm) });
  assert.ok([200, 400].includes(confirmed.statusCode), confirmed.body);
  const removed = await h.inject({ method: 'POST', url: pathOf(notMe) });
  assert.ok([200, 400].includes(removed.statusCode), removed.body);
  const subscribed = await h.inject({ url: pathOf(subscribe) });
  assert.ok([200, 400].includes(subscribed.statusCode), subscribed.body);
  await h.drain();
  assert.equal(json(await h.api('GET', 'lists/bulletin/stats', undefined, { token: h.read })).byStatus.confirmed, 0, 'the old confirm link subscribes nobody');
  assert.deepEqual(h.mails.slice(sent).map((m) => `${m.to}: ${m.subject}`), [], 'the links send no mail');
  assert.equal(storedCount(h, 'counted-at-once'), count, 'the counted signature still counts');
  for (const trace of TRACES) assert.deepEqual(whereFound(h, trace), [], `${trace} is in no table`);
});

test('the outbox loses only the mail files of that exact address, not of an address that contains it', async (t) => {
  const h = await adminHarness(t, { mailer: 'outbox' });
  assert.equal((await h.api('PUT', 'petitions/water-defenders', petitionBody({ status: 'open' }))).statusCode, 201);
  for (const email of ['ana@example.org', 'mariana@example.org', 'ana@example.org.co', 'x.ana@example.org']) {
    await signAs(h, 'water-defenders', signature({ email, firstName: 'Someone' }));
  }
  await h.drain();
  const files = (email: string) => outboxMails(h).filter((m) => m.to === email || m.to === `<${email}>`).map((m) => m.file);
  assert.equal(files('ana@example.org').length, 1);
  const others = ['mariana@example.org', 'ana@example.org.co', 'x.ana@example.org'].flatMap(files);
  assert.equal(others.length, 3);

  const res = await h.api('POST', 'erasures', { email: 'ANA@example.org' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(json(res).outboxFiles, 1, 'one file: the one to that address');
  assert.deepEqual(files('ana@example.org'), []);
  for (const file of others) assert.equal(existsSync(file), true, `${file} (another address) stays`);
  assert.equal(h.rows("select * from signatures where email_hash like 'erased.%'").length, 1, 'one signature erased');
});
