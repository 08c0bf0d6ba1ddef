/**
 * Webinar promises that must hold over time, restarts and concurrency: never more places than the capacity;
 * reminders persisted as jobs, sent once each across restarts, skipped when pointless, following a moved
 * webinar; no reminder after a cancellation; one calendar entry per registration (a cancellation replaces
 * it); the time in mails shown in the webinar's own zone, daylight saving time included.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { DatabaseSync } from 'node:sqlite';
import { buildApp } from '../../src/server/app.ts';
import { rescheduleReminders } from '../../src/server/webinars/service.ts';
import type { OutgoingMail } from '../../src/server/mail/mailer.ts';
import { Clock, DAY, HOUR, captureMailer, harness, json, linkIn, pathOf, type Harness } from './helpers.ts';
import { createWebinar, icsOf, mailsTo, register, registration, registrationRow } from './webinar-fixtures.ts';

const MINUTE = 60_000;

/**
 * A server started again on the harness's database (same configuration, so the same secret), with its own
 * clock set to `at` and its own capturing mailer. Closed when the test ends (or by `close`).
 */
async function restart(t: TestContext, h: Harness, at: Date) {
  const clock = new Clock(at.toISOString());
  const mailer = captureMailer();
  const app = await buildApp({ config: h.config, mailer, now: clock.now, runJobs: false, logger: false });
  await app.ready();
  t.after(() => app.close());
  return { app, clock, mails: mailer.sent, drain: () => app.compa.jobs.drain(), close: () => app.close() };
}

const subjects = (mails: OutgoingMail[], email: unknown) => mailsTo(mails, email as string).map((m) => m.subject.split(':')[0]);
const pendingReminders = (h: Harness, registrationId: number) =>
  h.rows<{ payload: string; run_at: string }>(`select payload, run_at from jobs where kind = 'webinar.reminder' and status = 'pending'`).filter(
    (j) => JSON.parse(j.payload).registrationId === registrationId,
  );

function vevent(ics: string) {
  return new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
}

test('40 registrations at once for 5 places: exactly 5 places, 35 on the waitlist in row order, the same answer for all', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 });
  const people = Array.from({ length: 40 }, () => registration());
  const answers = await Promise.all(people.map((p) => register(h, w.slug, p)));
  for (const r of answers) assert.equal(r.statusCode, 202, r.body);
  assert.equal(new Set(answers.map((r) => r.body)).size, 1, 'identical bodies: the answer says nothing about the place');
  assert.deepEqual(json(answers[0]!), { status: 'check_email' });

  const rows = h.rows<{ id: number; status: string; email: string }>('select id, status, email from registrations where webinar_id = ? order by id', w.id);
  assert.equal(rows.length, 40, 'one row each');
  assert.equal(rows.filter((r) => r.status === 'registered').length, 5, 'never more places than the capacity');
  assert.deepEqual(
    rows.map((r) => r.status),
    [...Array(5).fill('registered'), ...Array(35).fill('waitlisted')],
    'the first five rows written have the places; the rest wait in the order they were written',
  );

  const full = json(await h.inject({ url: `/api/v1/webinars/${w.slug}` }));
  assert.equal(full.status, 'full');
  assert.equal(full.placesLeft, null);

  await h.drain();
  const placed = rows.slice(0, 5).map((r) => r.email);
  for (const r of rows) {
    const mine = subjects(h.mails, r.email);
    assert.deepEqual(mine, [placed.includes(r.email) ? 'Your place' : 'You are on the waitlist'], r.email);
  }
  const reminderJobs = h.rows<{ payload: string }>(`select payload from jobs where kind = 'webinar.reminder'`).map((j) => JSON.parse(j.payload).registrationId);
  assert.deepEqual([...new Set(reminderJobs)].sort(), rows.slice(0, 5).map((r) => r.id).sort(), 'reminders for the placed only');

  // A place freed goes to the first on the waitlist (row order), then the next.
  const cancel = linkIn(mailsTo(h.mails, placed[0]!)[0]!.text, h.config.publicUrl, '/webinars/cancel');
  await h.inject({ method: 'POST', url: pathOf(cancel) });
  assert.equal(registrationRow(h, rows[5]!.email)!.status, 'registered');
  assert.equal(registrationRow(h, rows[6]!.email)!.status, 'waitlisted');
});

test('reminders survive restarts: each is sent once, by whichever server runs at its time', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
  const placed = registration();
  assert.equal((await register(h, w.slug, placed)).statusCode, 202);
  await h.drain();
  assert.deepEqual(subjects(h.mails, placed.email), ['Your place']);
  const id = registrationRow(h, placed.email as string)!.id;
  await h.app.close();

  // Down for two days; back 24 h before the start.
  const dayBefore = new Date(w.start.getTime() - DAY + 30_000);
  const second = await restart(t, h, dayBefore);
  await second.drain();
  assert.deepEqual(subjects(second.mails, placed.email), ['Tomorrow']);
  assert.match(second.mails[0]!.text, new RegExp(w.joinUrl.replace(/[.?]/g, '\\$&')), 'the reminder carries the join link');
  await second.close();
  // A crash after the mail went but before the batch's completion was written: the job is due again.
  const db = new DatabaseSync(h.dbPath);
  const lost = db
    .prepare(`update jobs set status = 'pending', done_at = null where kind = 'webinar.reminder' and status = 'done' and json_extract(payload, '$.registrationId') = ?`)
    .run(id);
  db.close();
  assert.equal(Number(lost.changes), 1);

  // Restarted at the same moment (a crash loop): no second "Tomorrow".
  const third = await restart(t, h, dayBefore);
  assert.equal(await third.drain(), 1, 'the job runs again');
  assert.deepEqual(third.mails, [], 'but the reminder is not sent twice');
  third.clock.advance(10 * MINUTE);
  await third.drain();
  assert.deepEqual(third.mails, []);
  await third.close();

  const fourth = await restart(t, h, new Date(w.start.getTime() - HOUR + 30_000));
  await fourth.drain();
  assert.deepEqual(subjects(fourth.mails, placed.email), ['Starting soon']);
  await fourth.close();

  const fifth = await restart(t, h, new Date(w.start.getTime() - 5 * MINUTE));
  await fifth.drain();
  assert.deepEqual(fifth.mails, [], 'nothing more');
  assert.deepEqual(registrationRow(h, placed.email as string)!.reminders_sent.split(',').sort(), ['1h', '24h']);
  assert.deepEqual(pendingReminders(h, id), []);
});

test('a server down across both reminder times, back 30 minutes before the start: only the 1 h reminder is sent', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
  const placed = registration();
  await register(h, w.slug, placed);
  await h.drain();
  const id = registrationRow(h, placed.email as string)!.id;
  await h.app.close();

  const back = await restart(t, h, new Date(w.start.getTime() - 30 * MINUTE));
  await back.drain();
  assert.deepEqual(subjects(back.mails, placed.email), ['Starting soon'], 'not "Tomorrow" half an hour before');
  assert.deepEqual(pendingReminders(h, id), [], 'the day-before reminder is done with, not waiting');
  back.clock.advance(20 * MINUTE);
  await back.drain();
  assert.equal(back.mails.length, 1);
  await back.close();
});

test('a server back only after the start sends no reminder at all', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
  const placed = registration();
  await register(h, w.slug, placed);
  await h.drain();
  await h.app.close();
  const back = await restart(t, h, new Date(w.start.getTime() + 5 * MINUTE));
  assert.equal(await back.drain(), 2, 'both reminder jobs ran');
  assert.deepEqual(back.mails, [], 'and sent nothing: it has started');
});

test('a webinar moved later (updateWebinar): the reminder due at the old time waits, and is sent once at the new time', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
  const placed = registration();
  await register(h, w.slug, placed);
  await h.drain();
  const id = registrationRow(h, placed.email as string)!.id;
  const start = new Date(w.start.getTime() + 2 * DAY);
  const end = new Date(w.end.getTime() + 2 * DAY);
  await h.app.compa.store.updateWebinar(w.id, { start, end, now: h.clock.now() });

  const reminders = () => subjects(h.mails, placed.email).filter((s) => s === 'Tomorrow' || s === 'Starting soon');
  h.clock.advance(w.start.getTime() - DAY + 30_000 - h.clock.now().getTime());
  await h.drain();
  assert.deepEqual(reminders(), [], 'not at the old time');
  assert.deepEqual(
    pendingReminders(h, id).map((j) => [JSON.parse(j.payload).which, j.run_at]).sort(),
    [
      ['1h', new Date(w.start.getTime() - HOUR).toISOString()], // not yet run: still at its old time
      ['24h', new Date(start.getTime() - DAY).toISOString()], // re-queued for the new time
    ],
  );
  h.clock.advance(DAY - HOUR); // the old 1 h mark
  await h.drain();
  assert.deepEqual(reminders(), [], 'nothing at the old hour either');

  h.clock.advance(start.getTime() - DAY + 30_000 - h.clock.now().getTime());
  await h.drain();
  assert.deepEqual(reminders(), ['Tomorrow']);
  const tomorrow = mailsTo(h.mails, placed.email as string).at(-1)!;
  const event = vevent(icsOf(tomorrow));
  assert.equal(event.startDate.toJSDate().toISOString(), start.toISOString(), 'its calendar file has the new time');
  assert.equal(event.sequence, 1);
  h.clock.advance(DAY - HOUR);
  await h.drain();
  assert.deepEqual(reminders(), ['Tomorrow', 'Starting soon']);
  h.clock.advance(30 * MINUTE);
  await h.drain();
  assert.deepEqual(reminders(), ['Tomorrow', 'Starting soon'], 'each once');
});

test(
  'a webinar moved a week later after its day-before reminder went: a day-before reminder for the new date',
  async (t) => {
    const h = await harness(t);
    const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
    const placed = registration();
    await register(h, w.slug, placed);
    h.clock.advance(w.start.getTime() - DAY + 30_000 - h.clock.now().getTime());
    await h.drain();
    assert.deepEqual(subjects(h.mails, placed.email), ['Your place', 'Tomorrow']);
    // The organiser moves it a week later, as webinar-put does (update, then queue the reminders again).
    const start = new Date(w.start.getTime() + 7 * DAY);
    await h.app.compa.store.updateWebinar(w.id, { start, end: new Date(start.getTime() + HOUR), now: h.clock.now() });
    await rescheduleReminders(h.app.compa, (await h.app.compa.store.getWebinarById(w.id))!);
    h.clock.advance(start.getTime() - DAY + 30_000 - h.clock.now().getTime());
    await h.drain();
    assert.deepEqual(subjects(h.mails, placed.email), ['Your place', 'Tomorrow', 'New time or link', 'Tomorrow'], 'told of the new time, then a reminder the day before it');
  },
);

test('a cancelled registration gets no reminder; the person promoted into the place does', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 1 }, 3 * DAY);
  const leaving = registration();
  const next = registration();
  await register(h, w.slug, leaving);
  await register(h, w.slug, next);
  await h.drain();
  const cancel = linkIn(mailsTo(h.mails, leaving.email as string)[0]!.text, h.config.publicUrl, '/webinars/cancel');
  assert.equal((await h.inject({ method: 'POST', url: pathOf(cancel) })).statusCode, 200);
  await h.drain();
  assert.equal(registrationRow(h, leaving.email as string)!.status, 'cancelled');

  for (const at of [w.start.getTime() - DAY + 30_000, w.start.getTime() - HOUR + 30_000]) {
    h.clock.advance(at - h.clock.now().getTime());
    await h.drain();
  }
  assert.deepEqual(subjects(h.mails, leaving.email), ['Your place', 'Registration cancelled'], 'no reminder after cancelling');
  assert.deepEqual(subjects(h.mails, next.email), ['You are on the waitlist', 'A place is free for you', 'Tomorrow', 'Starting soon']);
});

test('the calendar files of a registration and of its cancellation: one UID, a higher SEQUENCE, the webinar’s instants', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
  const person = registration();
  await register(h, w.slug, person);
  await h.drain();
  const placedMail = mailsTo(h.mails, person.email as string)[0]!;
  await h.inject({ method: 'POST', url: pathOf(linkIn(placedMail.text, h.config.publicUrl, '/webinars/cancel')) });
  await h.drain();
  const cancelMail = mailsTo(h.mails, person.email as string).at(-1)!;
  assert.match(cancelMail.subject, /^Registration cancelled/);

  const placed = vevent(icsOf(placedMail));
  const cancelled = vevent(icsOf(cancelMail));
  assert.equal(cancelled.uid, placed.uid, 'the cancellation replaces the same entry');
  assert.ok(cancelled.sequence > placed.sequence, `SEQUENCE ${cancelled.sequence} > ${placed.sequence}`);
  for (const e of [placed, cancelled]) {
    assert.equal(e.startDate.toJSDate().toISOString(), w.start.toISOString());
    assert.equal(e.endDate.toJSDate().toISOString(), w.end.toISOString());
  }
  assert.equal(cancelled.component.getFirstPropertyValue('status'), 'CANCELLED');
  assert.equal(new ICAL.Component(ICAL.parse(icsOf(cancelMail))).getFirstPropertyValue('method'), 'CANCEL');
  assert.equal(placed.component.getFirstPropertyValue('status'), 'CONFIRMED');
  assert.doesNotMatch(icsOf(cancelMail), /secret-\d+-join/, 'the cancellation does not carry the join link');

  // Another person's entry is another entry.
  const other = registration();
  await register(h, w.slug, other);
  await h.drain();
  assert.notEqual(vevent(icsOf(mailsTo(h.mails, other.email as string)[0]!)).uid, placed.uid);
});

test('after the webinar moved, a cancellation still outranks the latest file the person got', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
  const person = registration();
  await register(h, w.slug, person);
  await h.drain();
  const start = new Date(w.start.getTime() + DAY);
  await h.app.compa.store.updateWebinar(w.id, { start, end: new Date(start.getTime() + HOUR), now: h.clock.now() });
  h.clock.advance(start.getTime() - DAY + 30_000 - h.clock.now().getTime());
  await h.drain();
  const reminder = mailsTo(h.mails, person.email as string).at(-1)!;
  assert.match(reminder.subject, /^Tomorrow/);
  await h.inject({ method: 'POST', url: pathOf(linkIn(reminder.text, h.config.publicUrl, '/webinars/cancel')) });
  await h.drain();
  const updated = vevent(icsOf(reminder));
  const cancelled = vevent(icsOf(mailsTo(h.mails, person.email as string).at(-1)!));
  assert.equal(cancelled.uid, updated.uid);
  assert.ok(cancelled.sequence > updated.sequence, `SEQUENCE ${cancelled.sequence} > ${updated.sequence}`);
  assert.equal(cancelled.startDate.toJSDate().toISOString(), start.toISOString());
});

test(
  'registering again after cancelling: the new calendar file is not outranked by the earlier cancellation',
  async (t) => {
    const h = await harness(t);
    const w = await createWebinar(h, { capacity: 5 }, 3 * DAY);
    const person = registration();
    await register(h, w.slug, person);
    await h.drain();
    await h.inject({ method: 'POST', url: pathOf(linkIn(mailsTo(h.mails, person.email as string)[0]!.text, h.config.publicUrl, '/webinars/cancel')) });
    await h.drain();
    const cancelled = vevent(icsOf(mailsTo(h.mails, person.email as string).at(-1)!));
    assert.equal((await register(h, w.slug, person)).statusCode, 202);
    await h.drain();
    const back = mailsTo(h.mails, person.email as string).at(-1)!;
    assert.match(back.subject, /^Your place/);
    const again = vevent(icsOf(back));
    // RFC 5546: a calendar applies a message for a known UID only if its SEQUENCE is not lower.
    assert.ok(again.uid !== cancelled.uid || again.sequence > cancelled.sequence, `UID ${again.uid}: SEQUENCE ${again.sequence} after CANCEL with ${cancelled.sequence}`);
  },
);

test('the time in mails is the webinar’s own zone, daylight saving time included (Europe/Madrid)', async (t) => {
  const h = await harness(t); // clock: 2026-03-02
  const texts = { en: { title: 'Madrid talk', description: 'A talk.', speakers: [], questions: {} } };
  const summer = await createWebinar(h, { timeZone: 'Europe/Madrid', questions: [], texts, start: new Date('2026-03-30T16:00:00Z'), end: new Date('2026-03-30T17:30:00Z') });
  const winter = await createWebinar(h, { timeZone: 'Europe/Madrid', questions: [], texts, start: new Date('2026-03-27T16:00:00Z'), end: new Date('2026-03-27T17:30:00Z') });
  const when = async (slug: string, locale: string) => {
    const body = registration({ locale, answers: {} });
    assert.equal((await register(h, slug, body)).statusCode, 202);
    await h.drain();
    const text = mailsTo(h.mails, body.email as string)[0]!.text;
    const line = text.split('\n').find((l) => /(GMT|UTC)[+-]\d/.test(l));
    assert.ok(line, `a line with the time in:\n${text}`);
    return line;
  };
  for (const locale of ['es', 'fr']) {
    const s = await when(summer.slug, locale);
    assert.match(s, /18:00/, s);
    assert.match(s, /19:30/, s);
    assert.match(s, /(GMT|UTC)\+2\b/, s);
    assert.match(s, /30/, s);
    assert.doesNotMatch(s, /16:00|(GMT|UTC)\+1\b/, s);
    const w = await when(winter.slug, locale);
    assert.match(w, /17:00/, w);
    assert.match(w, /(GMT|UTC)\+1\b/, w);
    assert.match(w, /27/, w);
    assert.doesNotMatch(w, /16:00|18:00|(GMT|UTC)\+2\b/, w);
  }
  const en = await when(summer.slug, 'en');
  assert.match(en, /March 30, 2026/, en);
  assert.match(en, /6:00/, en);
  assert.match(en, /GMT\+2\b/, en);
  assert.match(en, /Central European Summer Time/, en);
});
