/**
 * The admin API on campaigns: newsletter lists, petitions and webinars created, updated, opened and closed (what
 * supporters then see), registrations approved and declined (the supporter is emailed), per-day figures on a moved
 * clock, and the audit log those requests leave (free of personal data).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY, HOUR, json, signature, subscription } from './helpers.ts';
import { adminHarness, auditRows, listBody, petitionBody, registrationBody, webinarBody, type AdminHarness } from './admin-helpers.ts';

const register = (h: AdminHarness, slug: string, body: unknown) =>
  h.inject({ method: 'POST', url: `/api/v1/webinars/${slug}/registrations`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

test('lists: create, update, list; a bad body is a 400 naming the field and writes nothing', async (t) => {
  const h = await adminHarness(t);
  let res = await h.api('PUT', 'lists/urgent-actions', listBody());
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(json(res).outcome, 'created');
  // It is offered to supporters at once, in their language.
  const offered = json(await h.inject({ url: '/api/v1/lists?locale=es' })).lists;
  assert.deepEqual(offered.map((l: { slug: string; name: string }) => [l.slug, l.name]), [['urgent-actions', 'Acciones urgentes']]);

  res = await h.api('PUT', 'lists/urgent-actions', listBody({ texts: { en: { name: 'Urgent action network' } }, isPublic: false }));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(json(res).list, { slug: 'urgent-actions', texts: { en: { name: 'Urgent action network', description: '' } }, isPublic: false, closedAt: null });
  const all = json(await h.api('GET', 'lists', undefined, { token: h.read })).lists;
  assert.deepEqual(all.map((l: { slug: string; isPublic: boolean }) => [l.slug, l.isPublic]), [['urgent-actions', false]]);

  for (const [body, field] of [
    [listBody({ texts: { en: { name: '' } } }), 'texts.en.name'],
    [listBody({ texts: {} }), 'texts'],
    [listBody({ isPublic: 'yes' }), 'isPublic'],
    [listBody({ colour: 'red' }), 'colour'],
  ] as const) {
    const bad = await h.api('PUT', 'lists/another-list', body);
    assert.equal(bad.statusCode, 400);
    assert.ok(json(bad).error.fields[field], `${field}: ${bad.body}`);
  }
  assert.equal((await h.api('PUT', 'lists/Not_A_Slug', listBody())).statusCode, 400);
  assert.deepEqual(h.rows<{ slug: string }>('select slug from newsletter_lists').map((r) => r.slug), ['urgent-actions']);
});

test('lists: a closed list is not offered and refuses signups with a clear 409; reopened, it takes them again', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'lists/bulletin', listBody());
  await h.api('PUT', 'lists/urgent', listBody());
  assert.equal((await h.subscribe(subscription({ lists: ['bulletin'] }))).statusCode, 202);

  h.clock.advance(HOUR);
  const closed = await h.api('POST', 'lists/bulletin/close');
  assert.equal(closed.statusCode, 200);
  assert.equal(json(closed).closedAt, h.clock.now().toISOString());
  assert.equal(h.rows<{ closed_at: string }>("select closed_at from newsletter_lists where slug = 'bulletin'")[0]!.closed_at, h.clock.now().toISOString());

  const subscribers = h.rows('select * from subscriptions').length;
  const refused = await h.subscribe(subscription({ lists: ['urgent', 'bulletin'] }));
  assert.equal(refused.statusCode, 409);
  assert.equal(json(refused).error.code, 'list_closed');
  assert.match(json(refused).error.message, /closed.*bulletin/);
  assert.equal(h.rows('select * from subscriptions').length, subscribers, 'nothing written');
  assert.deepEqual(json(await h.inject({ url: '/api/v1/lists' })).lists.map((l: { slug: string }) => l.slug), ['urgent']);
  // Closing again keeps the first date.
  h.clock.advance(HOUR);
  assert.equal(json(await h.api('POST', 'lists/bulletin/close')).closedAt, new Date(h.clock.now().getTime() - HOUR).toISOString());

  const reopened = await h.api('POST', 'lists/bulletin/open');
  assert.deepEqual(json(reopened), { closedAt: null });
  assert.equal(h.rows<{ closed_at: string | null }>("select closed_at from newsletter_lists where slug = 'bulletin'")[0]!.closed_at, null);
  assert.equal((await h.subscribe(subscription({ lists: ['bulletin'] }))).statusCode, 202);
  assert.equal((await h.api('POST', 'lists/no-such-list/close')).statusCode, 404);
});

test('lists: subscriptions per status and per day, with the clock moved', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'lists/bulletin', listBody());
  const day1 = h.clock.now().toISOString().slice(0, 10);
  for (let i = 0; i < 3; i++) assert.equal((await h.subscribe(subscription({ lists: ['bulletin'] }))).statusCode, 202);
  h.clock.advance(DAY);
  const day2 = h.clock.now().toISOString().slice(0, 10);
  await h.subscribe(subscription({ lists: ['bulletin'] }));
  // One confirms: its status changes, its day stays the day it signed up.
  const sub = h.rows<{ subscriber_id: number }>('select subscriber_id from subscriptions order by subscriber_id limit 1')[0]!;
  await h.app.compa.store.confirm(sub.subscriber_id, h.rows<{ id: number }>("select id from newsletter_lists where slug = 'bulletin'").map((r) => r.id), h.clock.now());

  const stats = json(await h.api('GET', 'lists/bulletin/stats', undefined, { token: h.read }));
  assert.equal(stats.total, 4);
  assert.deepEqual(stats.byStatus, { confirmed: 1, pending: 3, unsubscribed: 0 });
  assert.deepEqual(stats.perDay, [
    { date: day1, count: 3, byStatus: { confirmed: 1, pending: 2 } },
    { date: day2, count: 1, byStatus: { pending: 1 } },
  ]);
});

test('petitions: every language in one request, bodies sanitised; update keeps the count; a mistake names the field, writes nothing', async (t) => {
  const h = await adminHarness(t);
  let res = await h.api('PUT', 'petitions/protect-defenders', petitionBody());
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(json(res).petition.languages, ['en', 'es', 'fr']);
  const pub = json(await h.inject({ url: '/api/v1/petitions/protect-defenders?locale=fr' }));
  assert.equal(pub.title, 'Protégez les défenseuses de l’eau');
  assert.equal((await h.sign('protect-defenders', signature())).statusCode, 202);

  res = await h.api('PUT', 'petitions/protect-defenders', petitionBody({ goal: 900 }));
  assert.equal(res.statusCode, 200);
  const got = json(await h.api('GET', 'petitions/protect-defenders', undefined, { token: h.read }));
  assert.equal(got.goal, 900);
  assert.equal(got.count, 1, 'the count is never touched');
  assert.doesNotMatch(got.texts.en.body, /script/);
  assert.equal(json(await h.inject({ url: '/api/v1/petitions/protect-defenders' })).goal, 900, 'the public sees the change at once');

  const before = h.rows('select * from petitions');
  for (const [body, field] of [
    [petitionBody({ texts: { ...petitionBody().texts, es: { title: '', summary: 'x', body: '', target: 'y' } } }), 'texts.es.title'],
    [petitionBody({ goal: -1 }), 'goal'],
    [petitionBody({ status: 'published' }), 'status'],
    [petitionBody({ keepInformedList: 'no-such-list' }), 'keepInformedList'],
    [petitionBody({ deadline: 'next week' }), 'deadline'],
  ] as const) {
    const bad = await h.api('PUT', 'petitions/protect-defenders', body);
    assert.equal(bad.statusCode, 400, field);
    assert.ok(json(bad).error.fields[field], `${field}: ${bad.body}`);
  }
  assert.equal((await h.api('PUT', 'petitions/new-one', petitionBody({ goal: 'many' }))).statusCode, 400);
  assert.deepEqual(h.rows('select * from petitions'), before, 'nothing written');

  const list = json(await h.api('GET', 'petitions')).petitions;
  assert.deepEqual(list.map((p: { slug: string; status: string; count: number }) => [p.slug, p.status, p.count]), [['protect-defenders', 'open', 1]]);
});

test('petitions: closing records when and stops signatures at once; reopening clears it', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'petitions/stop-eviction', petitionBody());
  assert.equal((await h.sign('stop-eviction', signature())).statusCode, 202);
  h.clock.advance(2 * HOUR);
  const closed = await h.api('POST', 'petitions/stop-eviction/close');
  assert.deepEqual(json(closed), { status: 'closed', closedAt: h.clock.now().toISOString() });
  const refused = await h.sign('stop-eviction', signature());
  assert.equal(refused.statusCode, 409);
  assert.equal(json(refused).error.code, 'petition_closed');
  assert.equal(json(await h.inject({ url: '/api/v1/petitions/stop-eviction/count' })).status, 'closed');
  assert.equal(h.rows<{ closed_at: string }>("select closed_at from petitions where slug = 'stop-eviction'")[0]!.closed_at, h.clock.now().toISOString());

  const reopened = await h.api('POST', 'petitions/stop-eviction/open');
  assert.deepEqual(json(reopened), { status: 'open', closedAt: null });
  assert.equal((await h.sign('stop-eviction', signature())).statusCode, 202);

  // A petition put with status closed records it too (the same rule as the command).
  h.clock.advance(HOUR);
  await h.api('PUT', 'petitions/stop-eviction', petitionBody({ status: 'closed' }));
  assert.equal(h.rows<{ closed_at: string }>("select closed_at from petitions where slug = 'stop-eviction'")[0]!.closed_at, h.clock.now().toISOString());
  await h.api('PUT', 'petitions/stop-eviction', petitionBody({ status: 'draft' }));
  assert.equal(h.rows<{ closed_at: string | null }>("select closed_at from petitions where slug = 'stop-eviction'")[0]!.closed_at, null);
  assert.equal((await h.api('POST', 'petitions/nothing-here/close')).statusCode, 404);
});

test('petitions: counted signatures per day, with the clock moved (pending ones are not counted)', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'petitions/per-day', petitionBody());
  const days: string[] = [];
  for (const n of [2, 0, 3]) {
    days.push(h.clock.now().toISOString().slice(0, 10));
    for (let i = 0; i < n; i++) assert.equal((await h.sign('per-day', signature())).statusCode, 202);
    h.clock.advance(DAY);
  }
  await h.api('PUT', 'petitions/per-day', petitionBody({ verification: 'email' }));
  assert.equal((await h.sign('per-day', signature())).statusCode, 202); // pending until confirmed
  const stats = json(await h.api('GET', 'petitions/per-day/stats', undefined, { token: h.read }));
  assert.deepEqual(stats, { total: 5, perDay: [{ date: days[0], count: 2 }, { date: days[2], count: 3 }] });
  assert.equal((await h.api('GET', 'petitions/unknown/stats')).statusCode, 404);
});

test('webinars: create and update; a mistake names the field and writes nothing; a raised capacity gives the waitlist its places', async (t) => {
  const h = await adminHarness(t);
  let res = await h.api('PUT', 'webinars/defenders-live', webinarBody(h.clock.now(), { capacity: 1 }));
  assert.equal(res.statusCode, 201, res.body);
  const pub = json(await h.inject({ url: '/api/v1/webinars/defenders-live?locale=en' }));
  assert.equal(pub.title, 'Defenders live');
  assert.equal((await register(h, 'defenders-live', registrationBody())).statusCode, 202);
  const second = registrationBody();
  assert.equal((await register(h, 'defenders-live', second)).statusCode, 202);
  assert.equal(json(await h.api('GET', 'webinars')).webinars[0].registrations.waitlisted, 1);

  res = await h.api('PUT', 'webinars/defenders-live', webinarBody(h.clock.now(), { capacity: 5 }));
  assert.equal(res.statusCode, 200);
  assert.equal(json(res).promoted, 1);
  assert.deepEqual(json(res).webinar.registrations, { registered: 2, waitlisted: 0, pending: 0, declined: 0, cancelled: 0 });
  await h.drain();
  assert.ok(h.mails.some((m) => m.to === second.email), 'the promoted supporter is told');

  const before = h.rows('select * from webinars');
  for (const [body, field] of [
    [webinarBody(h.clock.now(), { timeZone: 'Mars/Olympus' }), 'timeZone'],
    [webinarBody(h.clock.now(), { end: webinarBody(h.clock.now()).start }), 'end'],
    [webinarBody(h.clock.now(), { texts: { es: { title: 'x', description: 'y', speakers: [{ name: 'Ana', photoUrl: 'https://tracker.example/ana.jpg' }] } } }), 'texts.es.speakers.0.photoUrl'],
    [webinarBody(h.clock.now(), { joinUrl: 'ftp://x' }), 'joinUrl'],
  ] as const) {
    const bad = await h.api('PUT', 'webinars/defenders-live', body);
    assert.equal(bad.statusCode, 400, field);
    assert.ok(json(bad).error.fields[field], `${field}: ${bad.body}`);
  }
  assert.deepEqual(h.rows('select * from webinars'), before, 'nothing written');
});

test('webinars: closing registration refuses new ones (409) and records when; reopening takes them again', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'webinars/school', webinarBody(h.clock.now(), { capacity: 10 }));
  assert.equal((await register(h, 'school', registrationBody())).statusCode, 202);
  h.clock.advance(HOUR);
  const closed = await h.api('POST', 'webinars/school/close');
  assert.deepEqual(json(closed), { closedAt: h.clock.now().toISOString() });
  const refused = await register(h, 'school', registrationBody());
  assert.equal(refused.statusCode, 409);
  assert.equal(json(refused).error.code, 'registration_closed');
  assert.equal(h.rows('select id from registrations').length, 1, 'nothing written');
  assert.equal(h.rows<{ closed_at: string }>("select closed_at from webinars where slug = 'school'")[0]!.closed_at, h.clock.now().toISOString());
  assert.equal(json(await h.api('GET', 'webinars', undefined, { token: h.read })).webinars[0].closedAt, h.clock.now().toISOString());

  assert.deepEqual(json(await h.api('POST', 'webinars/school/open')), { closedAt: null });
  assert.equal((await register(h, 'school', registrationBody())).statusCode, 202);
  // Put with "closed": true closes it too; leaving "closed" out changes nothing.
  await h.api('PUT', 'webinars/school', webinarBody(h.clock.now(), { capacity: 10, closed: true }));
  await h.api('PUT', 'webinars/school', webinarBody(h.clock.now(), { capacity: 12 }));
  assert.equal((await register(h, 'school', registrationBody())).statusCode, 409);
});

test('webinars: approval mode through the API (mails as the command sends them); the audit log names no one', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'webinars/vetted', webinarBody(h.clock.now(), { mode: 'approval', capacity: 1 }));
  const people = [registrationBody({ name: 'Marisol Quintero' }), registrationBody({ name: 'Jorge Arboleda' }), registrationBody({ name: 'Rosa Elvira Cely' })];
  for (const p of people) assert.equal((await register(h, 'vetted', p)).statusCode, 202);
  await h.drain();
  const mailsBefore = h.mails.length;

  const pending = json(await h.api('GET', 'webinars/vetted/registrations?status=pending', undefined, { token: h.read })).registrations;
  assert.deepEqual(pending.map((r: { name: string }) => r.name), people.map((p) => p.name));
  const idOf = (email: string) => pending.find((r: { email: string }) => r.email === email).id as number;

  let res = await h.api('POST', `webinars/vetted/registrations/${idOf(people[0]!.email)}/approve`);
  assert.deepEqual(json(res), { id: idOf(people[0]!.email), status: 'registered' });
  res = await h.api('POST', `webinars/vetted/registrations/${idOf(people[1]!.email)}/approve`);
  assert.equal(json(res).status, 'waitlisted', 'full: the waitlist');
  res = await h.api('POST', `webinars/vetted/registrations/${idOf(people[2]!.email)}/decline`);
  assert.equal(json(res).status, 'declined');
  res = await h.api('POST', `webinars/vetted/registrations/${idOf(people[2]!.email)}/approve`);
  assert.equal(res.statusCode, 409, 'not awaiting approval any more');
  assert.equal((await h.api('POST', 'webinars/vetted/registrations/999999/approve')).statusCode, 404);
  assert.equal((await h.api('POST', 'webinars/vetted/registrations/abc/approve')).statusCode, 400);

  await h.drain();
  const sent = h.mails.slice(mailsBefore);
  assert.deepEqual(
    people.map((p) => sent.filter((m) => m.to === p.email).length),
    [1, 1, 1],
    'each supporter gets one mail about the decision',
  );
  assert.match(sent.find((m) => m.to === people[0]!.email)!.subject, /accepted|aceptad/i);

  const entries = auditRows(h).filter((r) => r.route.includes('/registrations/'));
  assert.equal(entries.length, 6);
  assert.deepEqual(entries[0], {
    ...entries[0],
    token_name: 'test writer',
    method: 'POST',
    route: '/api/v1/admin/webinars/:slug/registrations/:id/approve',
    target: JSON.stringify({ slug: 'vetted', id: String(idOf(people[0]!.email)) }),
    status: 200,
  });
  const log = JSON.stringify(h.rows('select * from admin_audit'));
  for (const p of people) {
    assert.ok(!log.includes(p.email), 'no address in the audit log');
    assert.ok(!log.includes(p.name), 'no name in the audit log');
  }
  // Reading is not audited unless it hands out personal data (the registrations list); the audit route lists the
  // entries, newest first.
  const page = json(await h.api('GET', 'audit?limit=2', undefined, { token: h.read }));
  assert.equal(page.entries.length, 2);
  assert.ok(page.entries[0].id > page.entries[1].id);
  const rest = json(await h.api('GET', `audit?before=${page.nextBefore}&limit=500`)).entries;
  assert.equal(page.entries.length + rest.length, h.rows('select id from admin_audit').length);
  assert.ok(rest.every((e: { method: string; route: string }) => e.method !== 'GET' || e.route === '/api/v1/admin/webinars/:slug/registrations'));
});

test('webinars: registrations per status and per day, with the clock moved', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'webinars/counted', webinarBody(h.clock.now(), { capacity: 2 }, 10));
  const day1 = h.clock.now().toISOString().slice(0, 10);
  for (let i = 0; i < 3; i++) await register(h, 'counted', registrationBody());
  h.clock.advance(DAY);
  const day2 = h.clock.now().toISOString().slice(0, 10);
  await register(h, 'counted', registrationBody());
  const stats = json(await h.api('GET', 'webinars/counted/stats', undefined, { token: h.read }));
  assert.equal(stats.total, 4);
  assert.deepEqual(stats.byStatus, { registered: 2, waitlisted: 2, pending: 0, declined: 0, cancelled: 0 });
  assert.deepEqual(stats.perDay, [
    { date: day1, count: 3, byStatus: { registered: 2, waitlisted: 1 } },
    { date: day2, count: 1, byStatus: { waitlisted: 1 } },
  ]);
});
