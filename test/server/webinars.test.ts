/**
 * Webinars on the real server (real SQLite file, capturing mailer, a clock the test moves): the public API,
 * registration with places, waitlist and approval, status mails with their calendar file, cancel and promotion,
 * reminders 24 h and 1 h before (once each), and what a registration close to the start still gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { DatabaseSync } from 'node:sqlite';
import { DAY, HOUR, harness, json, linkIn, pathOf, type Harness } from './helpers.ts';
import { createWebinar, icsOf, mailsTo as mailsIn, register, registration } from './webinar-fixtures.ts';
import { WebinarListSchema, WebinarSchema } from '../../src/schemas/webinar.ts';
import type { OutgoingMail } from '../../src/server/mail/mailer.ts';

const statusOf = (h: Harness, email: string) =>
  h.rows<{ status: string }>('select status from registrations where email = ?', email)[0]?.status;

const mailsTo = (h: Harness, email: string): OutgoingMail[] => mailsIn(h.mails, email);

test('GET a webinar: texts in the asked language, both zones, places left only when few, never the join link', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 20, recordingUrl: 'https://video.example.org/w/recording' });
  let res = await h.inject({ url: `/api/v1/webinars/${w.slug}?locale=es-CO` });
  assert.equal(res.statusCode, 200);
  const body = WebinarSchema.parse(json(res));
  assert.equal(body.title, 'Hablan las defensoras del agua');
  assert.equal(body.locale, 'es');
  assert.equal(body.fallback, false);
  assert.equal(body.timeZone, 'America/Bogota');
  assert.equal(body.start, w.start.toISOString());
  assert.deepEqual(body.interpretation, ['en']);
  assert.equal(body.status, 'upcoming');
  assert.equal(body.placesLeft, null, '20 of 20 places left is not "few"');
  assert.equal(body.recordingUrl, null, 'no recording before the end');
  assert.equal(body.speakers[0]!.photoUrl, `${h.config.publicUrl}/media/luz.jpg`);
  assert.deepEqual(body.questions.find((q) => q.id === 'role')!.options, [
    { id: 'press', label: 'Prensa' },
    { id: 'supporter', label: 'Apoyo' },
  ]);
  assert.doesNotMatch(res.body, /secret-\d+-join/, 'the join link is in no answer');

  res = await h.inject({ url: `/api/v1/webinars/${w.slug}?locale=fr` });
  assert.equal(json(res).locale, 'en');
  assert.equal(json(res).fallback, true);

  for (let i = 0; i < 16; i++) assert.equal((await register(h, w.slug, registration())).statusCode, 202);
  res = await h.inject({ url: `/api/v1/webinars/${w.slug}` });
  assert.equal(json(res).placesLeft, 4, 'four of twenty left is few');

  h.clock.advance(3 * DAY + 2 * HOUR);
  res = await h.inject({ url: `/api/v1/webinars/${w.slug}` });
  assert.equal(json(res).status, 'ended');
  assert.equal(json(res).recordingUrl, 'https://video.example.org/w/recording');
  assert.equal(json(res).placesLeft, null);
});

test('GET a series lists its webinars not yet ended, by start; drafts and unknown slugs are 404', async (t) => {
  const h = await harness(t);
  const later = await createWebinar(h, { series: 'school' }, 9 * DAY);
  const sooner = await createWebinar(h, { series: 'school' }, 2 * DAY);
  await createWebinar(h, { series: 'school' }, -DAY); // ended
  const draft = await createWebinar(h, { series: 'school', status: 'draft' }, DAY);
  await createWebinar(h, { series: 'other' });
  const res = await h.inject({ url: '/api/v1/webinars?series=school&locale=es' });
  assert.equal(res.statusCode, 200);
  const list = WebinarListSchema.parse(json(res));
  assert.deepEqual(list.webinars.map((w) => w.slug), [sooner.slug, later.slug]);
  assert.equal((await h.inject({ url: `/api/v1/webinars/${draft.slug}` })).statusCode, 404);
  assert.equal((await h.inject({ url: '/api/v1/webinars/no-such-webinar' })).statusCode, 404);
  assert.deepEqual(json(await h.inject({ url: '/api/v1/webinars?series=nothing-here' })), { webinars: [] });
});

test('the demo has a Spanish webinar with interpretation, a nearly full one and a past one with its recording', async (t) => {
  const h = await harness(t);
  const list = WebinarListSchema.parse(json(await h.inject({ url: '/api/v1/webinars?series=accompaniment-school&locale=es' })));
  const spanish = list.webinars.find((w) => w.heldIn === 'es')!;
  assert.ok(spanish.interpretation.length >= 1);
  assert.ok(spanish.questions.length >= 1);
  const nearlyFull = list.webinars.find((w) => w.placesLeft !== null)!;
  assert.equal(nearlyFull.placesLeft, 3);
  const past = WebinarSchema.parse(json(await h.inject({ url: '/api/v1/webinars/defenders-under-threat' })));
  assert.equal(past.status, 'ended');
  assert.match(past.recordingUrl!, /^https:\/\//);
});

test('register: a place, the mail in the supporter’s language with a valid calendar file, add-to-calendar, join and cancel links', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h);
  const body = registration({ locale: 'es', answers: { role: 'press', org: '  Radio Verde ', captions: true } });
  const res = await register(h, w.slug, body);
  assert.equal(res.statusCode, 202);
  assert.deepEqual(json(res), { status: 'check_email' });
  assert.doesNotMatch(res.body, /secret/);
  const row = h.rows<{ status: string; answers: string; consent_text: string; locale: string }>('select * from registrations where email = ?', body.email as string)[0]!;
  assert.equal(row.status, 'registered');
  assert.deepEqual(JSON.parse(row.answers), { role: 'press', org: 'Radio Verde', captions: true });
  assert.equal(row.consent_text, body.consentText);
  assert.equal(row.locale, 'es');

  await h.drain();
  const [mail] = mailsTo(h, body.email as string);
  assert.ok(mail);
  assert.equal(mail.locale, 'es');
  assert.match(mail.subject, /Tu plaza: Hablan las defensoras del agua/);
  assert.match(mail.text, new RegExp(w.joinUrl.replace(/[.?]/g, '\\$&')), 'the join link, in the mail only');
  assert.match(mail.text, /calendar\.google\.com/);
  assert.match(mail.text, /outlook\.live\.com/);
  assert.match(mail.text, /Colombia/, 'the event’s own zone is named');
  assert.match(mail.text, /interpretación al inglés/);
  linkIn(mail.text, h.config.publicUrl, '/webinars/cancel');

  const ics = icsOf(mail);
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
  assert.equal(event.startDate.toJSDate().toISOString(), w.start.toISOString());
  assert.equal(event.endDate.toJSDate().toISOString(), w.end.toISOString());
  assert.equal(event.summary, 'Hablan las defensoras del agua');
  assert.match(event.uid, /^webinar-\d+-registration-\d+@/);
  assert.match(ics, /\r\nMETHOD:PUBLISH\r\n/);
});

test('the last place, asked twice at once: one gets it, the other the waitlist', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 3 });
  for (let i = 0; i < 2; i++) await register(h, w.slug, registration());
  const a = registration();
  const b = registration();
  const [ra, rb] = await Promise.all([register(h, w.slug, a), register(h, w.slug, b)]);
  assert.equal(ra.statusCode, 202);
  assert.equal(rb.statusCode, 202);
  assert.equal(ra.body, rb.body, 'the same neutral answer for both');
  assert.deepEqual([statusOf(h, a.email as string), statusOf(h, b.email as string)].sort(), ['registered', 'waitlisted']);
  const taken = h.rows<{ n: number }>("select count(*) as n from registrations where status = 'registered' and webinar_id = ?", w.id)[0]!.n;
  assert.equal(Number(taken), 3, 'never more places than the capacity');
  const full = WebinarSchema.parse(json(await h.inject({ url: `/api/v1/webinars/${w.slug}` })));
  assert.equal(full.status, 'full');
  await h.drain();
  const waitlisted = [a, b].find((x) => statusOf(h, x.email as string) === 'waitlisted')!;
  const [mail] = mailsTo(h, waitlisted.email as string);
  assert.match(mail!.subject, /waitlist/);
  assert.doesNotMatch(mail!.text, /secret-\d+-join/, 'no join link without a place');
  assert.equal(mail!.attachments, undefined, 'no calendar entry without a place');
});

test('cancel: the GET only asks, the POST frees the place; the first on the waitlist is promoted and emailed', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 1 });
  const first = registration();
  const second = registration();
  const third = registration();
  for (const r of [first, second, third]) await register(h, w.slug, r);
  await h.drain();
  assert.deepEqual([first, second, third].map((r) => statusOf(h, r.email as string)), ['registered', 'waitlisted', 'waitlisted']);

  const cancel = linkIn(mailsTo(h, first.email as string)[0]!.text, h.config.publicUrl, '/webinars/cancel');
  const shown = await h.inject({ url: pathOf(cancel) });
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /<form method="post">/);
  assert.equal(statusOf(h, first.email as string), 'registered', 'a GET (a mail scanner) cancels nothing');

  const done = await h.inject({ method: 'POST', url: pathOf(cancel) });
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /cancelled/i);
  assert.deepEqual([first, second, third].map((r) => statusOf(h, r.email as string)), ['cancelled', 'registered', 'waitlisted']);
  await h.drain();
  const cancelled = mailsTo(h, first.email as string).at(-1)!;
  assert.match(cancelled.subject, /cancelled/i);
  assert.match(icsOf(cancelled), /\r\nMETHOD:CANCEL\r\n[\s\S]*STATUS:CANCELLED/);
  const promoted = mailsTo(h, second.email as string).at(-1)!;
  assert.match(promoted.subject, /A place is free for you/);
  assert.match(promoted.text, new RegExp(w.joinUrl.replace(/[.?]/g, '\\$&')));
  assert.equal(mailsTo(h, third.email as string).length, 1, 'the next in line only has the waitlist mail');

  // Again: nothing changes, nobody else is promoted.
  await h.inject({ method: 'POST', url: pathOf(cancel) });
  assert.equal(statusOf(h, third.email as string), 'waitlisted');
});

test('one registration per address: a repeat changes nothing, gets the same answer, and its mail again within an allowance', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 });
  const body = registration();
  const first = await register(h, w.slug, body);
  const again = await register(h, w.slug, { ...body, email: String(body.email).toUpperCase(), name: 'Someone Else' });
  assert.equal(first.body, again.body);
  const rows = h.rows<{ name: string }>('select name from registrations where webinar_id = ?', w.id);
  assert.deepEqual(rows.map((r) => r.name), ['Ana Gómez'], 'one row, the first name kept');
  for (let i = 0; i < 5; i++) await register(h, w.slug, body);
  await h.drain();
  assert.equal(mailsTo(h, body.email as string).length, 1 + 3, 'the first mail, and three repeats a day at most');
});

test('approval mode: pending until the organisation decides; approve gives a place, decline says so', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { mode: 'approval', capacity: 1 });
  const a = registration();
  const b = registration();
  await register(h, w.slug, a);
  await register(h, w.slug, b);
  await h.drain();
  assert.equal(statusOf(h, a.email as string), 'pending');
  assert.match(mailsTo(h, a.email as string)[0]!.subject, /Registration received/);
  assert.doesNotMatch(mailsTo(h, a.email as string)[0]!.text, /secret-\d+-join/);

  const store = h.app.compa.store;
  const idOf = (x: Record<string, unknown>) => h.rows<{ id: number }>('select id from registrations where email = ?', x.email as string)[0]!.id;
  assert.equal(await store.decideRegistration(idOf(a), 'approve', h.clock.now()), 'registered');
  assert.equal(await store.decideRegistration(idOf(b), 'approve', h.clock.now()), 'waitlisted', 'no place left: the waitlist');
  assert.equal(await store.decideRegistration(idOf(b), 'decline', h.clock.now()), null, 'only a pending one is decided');
});

test('reminders: 24 h and 1 h before, each once, only with a place; a registration 30 minutes before gets none', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 1 }, 2 * DAY);
  const placed = registration();
  const waiting = registration();
  await register(h, w.slug, placed);
  await register(h, w.slug, waiting);
  await h.drain();
  const count = (x: Record<string, unknown>, re: RegExp) => mailsTo(h, x.email as string).filter((m) => re.test(m.subject)).length;

  h.clock.advance(DAY - HOUR); // 25 h before
  await h.drain();
  assert.equal(count(placed, /^Tomorrow/), 0, 'not yet');
  h.clock.advance(HOUR + 60_000); // 24 h before
  await h.drain();
  await h.drain();
  assert.equal(count(placed, /^Tomorrow/), 1);
  assert.match(mailsTo(h, placed.email as string).at(-1)!.text, new RegExp(w.joinUrl.replace(/[.?]/g, '\\$&')));
  assert.equal(count(waiting, /^Tomorrow/), 0, 'the waitlist gets no reminder');

  h.clock.advance(DAY - HOUR); // 1 h before (and a minute)
  await h.drain();
  assert.equal(count(placed, /^Starting soon/), 1);
  assert.equal(count(placed, /^Tomorrow/), 1, 'never twice');

  const late = await createWebinar(h, { capacity: 5 }, 30 * 60_000);
  const lastMinute = registration();
  await register(h, late.slug, lastMinute);
  await h.drain();
  h.clock.advance(31 * 60_000);
  await h.drain();
  const subjects = mailsTo(h, lastMinute.email as string).map((m) => m.subject);
  assert.deepEqual(subjects, ['Your place: Water defenders speak'], 'the registration mail only: no reminder after it');
  const jobs = h.rows<{ n: number }>("select count(*) as n from jobs where kind = 'webinar.reminder' and status = 'pending'")[0]!.n;
  assert.equal(Number(jobs), 0);
});

test('after the start, registration is closed (409) and nothing is written', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, {}, HOUR);
  h.clock.advance(HOUR);
  const before = h.counts();
  const res = await register(h, w.slug, registration());
  assert.equal(res.statusCode, 409);
  assert.equal(json(res).error.code, 'registration_closed');
  assert.deepEqual(h.counts(), before);
});

test('a webinar moved later: registrants with a place get the new time and a calendar file that replaces the entry', async (t) => {
  const { rescheduleReminders } = await import('../../src/server/webinars/service.ts');
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 1 });
  const placed = registration();
  const waiting = registration();
  await register(h, w.slug, placed);
  await register(h, w.slug, waiting);
  await h.drain();
  const firstIcs = icsOf(mailsTo(h, placed.email as string)[0]!);
  const newStart = new Date(w.start.getTime() + DAY);
  await h.app.compa.store.updateWebinar(w.id, { start: newStart, end: new Date(newStart.getTime() + HOUR), now: h.clock.now() });
  await rescheduleReminders(h.app.compa, (await h.app.compa.store.getWebinarById(w.id))!);
  await h.drain();
  const updated = mailsTo(h, placed.email as string).at(-1)!;
  assert.match(updated.subject, /^New time or link: /);
  const ics = icsOf(updated);
  const uid = (x: string) => /\r\nUID:([^\r]+)/.exec(x)![1];
  assert.equal(uid(ics), uid(firstIcs), 'the same entry');
  assert.match(ics, /\r\nSEQUENCE:1\r\n/, 'a higher sequence: calendars take the update');
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
  assert.equal(event.startDate.toJSDate().toISOString(), newStart.toISOString());
  assert.equal(mailsTo(h, waiting.email as string).length, 1, 'the waitlist is not told (it has no calendar entry)');
});

test('a status mail job run again (a crash before it was marked done) does not send the mail twice', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 1 });
  const body = registration();
  await register(h, w.slug, body);
  await h.drain();
  assert.equal(mailsTo(h, body.email as string).length, 1);
  // What a crash between sending and the batch's "done" write leaves behind: the job pending again.
  const db = new DatabaseSync(h.dbPath);
  db.prepare("update jobs set status = 'pending', done_at = null where kind = 'webinar.mail'").run();
  db.close();
  assert.ok((await h.drain()) >= 1, 'the job ran again');
  assert.equal(mailsTo(h, body.email as string).length, 1, 'no second mail');
});

test('an old cancel link does not cancel a new registration of the same address', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 });
  const body = registration();
  await register(h, w.slug, body);
  await h.drain();
  const oldLink = linkIn(mailsTo(h, body.email as string)[0]!.text, h.config.publicUrl, '/webinars/cancel');
  await h.inject({ method: 'POST', url: pathOf(oldLink) });
  assert.equal(statusOf(h, body.email as string), 'cancelled');
  const row = h.rows<{ name: string; answers: string }>('select name, answers from registrations where email = ?', body.email as string)[0]!;
  assert.deepEqual([row.name, row.answers], ['', ''], 'a cancelled registration keeps no name and no answers');
  await register(h, w.slug, body);
  assert.equal(statusOf(h, body.email as string), 'registered');
  const res = await h.inject({ method: 'POST', url: pathOf(oldLink) });
  assert.equal(res.statusCode, 400, 'the old link is spent');
  assert.equal(statusOf(h, body.email as string), 'registered');
});

test('registrations lose their personal data 30 days after their webinar ended; the figures stay', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, DAY);
  const body = registration();
  await register(h, w.slug, body);
  const mine = () => h.rows<{ email: string; name: string; status: string }>('select email, name, status from registrations where webinar_id = ?', w.id);
  h.clock.advance(DAY + 29 * DAY);
  await h.drain();
  assert.deepEqual(mine().map((r) => [r.email, r.name, r.status]), [[body.email, body.name, 'registered']], 'kept for 30 days after the end');
  h.clock.advance(2 * DAY);
  await h.drain();
  assert.deepEqual(mine().map((r) => [r.email, r.name, r.status]), [['', '', 'registered']], 'the row stays for the figures, nothing personal in it');
});
