/**
 * Retention (COMPA_RETENTION_DAYS): the personal data of signatures, registrations and subscriptions of campaigns
 * closed longer ago than that is stripped, by `compa retention` and by the server's daily job; counts and per-day
 * figures stay. A campaign closed more recently, one still open and a webinar still ahead are untouched; a closed
 * list's subscriber still on an open list is kept. `--dry-run` and GET /api/v1/admin/retention report the same and
 * change nothing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DAY, json, signature, storedCount, subscription } from './helpers.ts';
import { adminHarness, listBody, petitionBody, type AdminHarness } from './admin-helpers.ts';
import { createWebinar, registration } from './webinar-fixtures.ts';
import { compa, registerFor, signAs, subscribeConfirmed, syncClock, whereFound } from './privacy-fixtures.ts';

const RETENTION_DAYS = 20;
const ENV = { COMPA_RETENTION_DAYS: String(RETENTION_DAYS) };

/** Who did what, by a name found nowhere else; `gone` ones are past retention, the others must stay. */
const PEOPLE = {
  oldSigner1: { name: 'Anacleta', email: 'anacleta@example.org', gone: true },
  oldSigner2: { name: 'Bartolina', email: 'bartolina@example.org', gone: true },
  deadlineSigner: { name: 'Casimira', email: 'casimira@example.org', gone: true },
  recentSigner: { name: 'Dionisia', email: 'dionisia@example.org', gone: false },
  openSigner: { name: 'Eustaquia', email: 'eustaquia@example.org', gone: false },
  endedAttendee1: { name: 'Filomena', email: 'filomena@example.org', gone: true },
  endedAttendee2: { name: 'Gumersinda', email: 'gumersinda@example.org', gone: true },
  recentAttendee: { name: 'Hermelinda', email: 'hermelinda@example.org', gone: false },
  upcomingAttendee: { name: 'Iluminada', email: 'iluminada@example.org', gone: false },
  closedListOnly: { name: 'Jacinta', email: 'jacinta@example.org', gone: true },
  closedAndOpenList: { name: 'Leocadia', email: 'leocadia@example.org', gone: false },
  openListOnly: { name: 'Macaria', email: 'macaria@example.org', gone: false },
  recentListOnly: { name: 'Nicanora', email: 'nicanora@example.org', gone: false },
} as const;

/** What retention must report (and then strip), in the order of the report. */
const DUE = [
  { kind: 'petition', slug: 'old-closed', rows: 2 },
  { kind: 'petition', slug: 'deadline-passed', rows: 1 },
  { kind: 'webinar', slug: 'ended-webinar', rows: 2 },
  { kind: 'list', slug: 'closed-list', rows: 1 },
];

/**
 * Campaigns and supporters (through the public API) 60 days before the real time (the `compa` child process reads
 * the real clock); `old-closed` and `closed-list` close 40 days ago, `recent-closed` and `recent-list` 10 days ago;
 * `deadline-passed` ended with its deadline 30 days ago; `ended-webinar` ended 26 days ago, `recent-webinar` 10 days
 * ago, `upcoming-webinar` is ahead. The clock ends at the real time.
 */
async function scenario(t: TestContext) {
  const h = await adminHarness(t, { mailer: 'outbox', env: ENV });
  syncClock(h, 60 * DAY);
  const T = h.clock.now().getTime() + 60 * DAY;
  const put = async (url: string, body: unknown) => assert.ok([200, 201].includes((await h.api('PUT', url, body)).statusCode), url);
  for (const slug of ['closed-list', 'open-list', 'recent-list']) await put(`lists/${slug}`, listBody());
  for (const slug of ['old-closed', 'recent-closed', 'still-open']) await put(`petitions/${slug}`, petitionBody({ status: 'open' }));
  await put('petitions/deadline-passed', petitionBody({ status: 'open', deadline: new Date(T - 30 * DAY).toISOString() }));
  await createWebinar(h, { slug: 'ended-webinar' }, 34 * DAY); // ends 26 days before T
  await createWebinar(h, { slug: 'recent-webinar' }, 50 * DAY);
  await createWebinar(h, { slug: 'upcoming-webinar' }, 65 * DAY);

  const sign = (slug: string, p: { name: string; email: string }) =>
    signAs(h, slug, signature({ email: p.email, firstName: p.name, lastName: `${p.name}-Apellido`, comment: `${p.name} says: act now` }));
  await sign('old-closed', PEOPLE.oldSigner1);
  await sign('old-closed', PEOPLE.oldSigner2);
  await sign('deadline-passed', PEOPLE.deadlineSigner);
  await sign('recent-closed', PEOPLE.recentSigner);
  await sign('still-open', PEOPLE.openSigner);
  const register = (slug: string, p: { name: string; email: string }) =>
    registerFor(h, slug, registration({ email: p.email, name: `${p.name} Registrada`, answers: { role: 'press', org: `${p.name}Org` } }));
  await register('ended-webinar', PEOPLE.endedAttendee1);
  await register('ended-webinar', PEOPLE.endedAttendee2);
  await register('recent-webinar', PEOPLE.recentAttendee);
  await register('upcoming-webinar', PEOPLE.upcomingAttendee);
  const sub = (p: { name: string; email: string }, lists: string[]) => subscribeConfirmed(h, subscription({ email: p.email, firstName: p.name, lists }));
  await sub(PEOPLE.closedListOnly, ['closed-list']);
  await sub(PEOPLE.closedAndOpenList, ['closed-list', 'open-list']);
  await sub(PEOPLE.openListOnly, ['open-list']);
  await sub(PEOPLE.recentListOnly, ['recent-list']);
  await h.drain();

  h.clock.advance(20 * DAY); // T - 40 days
  assert.equal((await h.api('POST', 'petitions/old-closed/close')).statusCode, 200);
  assert.equal((await h.api('POST', 'lists/closed-list/close')).statusCode, 200);
  h.clock.advance(30 * DAY); // T - 10 days
  assert.equal((await h.api('POST', 'petitions/recent-closed/close')).statusCode, 200);
  assert.equal((await h.api('POST', 'lists/recent-list/close')).statusCode, 200);
  syncClock(h);

  for (const p of Object.values(PEOPLE)) assert.notDeepEqual(whereFound(h, p.name), [], `${p.name} is stored before retention`);
  return { h, before: await figures(h) };
}

/** Counts and per-day figures of every campaign, as an organiser reads them. */
async function figures(h: AdminHarness) {
  const get = async (url: string) => json(await h.api('GET', url, undefined, { token: h.read }));
  const out: Record<string, unknown> = {};
  for (const slug of ['old-closed', 'recent-closed', 'still-open', 'deadline-passed']) {
    out[slug] = { stats: await get(`petitions/${slug}/stats`), count: storedCount(h, slug) };
  }
  for (const slug of ['ended-webinar', 'recent-webinar', 'upcoming-webinar']) out[slug] = await get(`webinars/${slug}/stats`);
  for (const slug of ['closed-list', 'open-list', 'recent-list']) {
    const s = await get(`lists/${slug}/stats`);
    out[slug] = { total: s.total, perDay: s.perDay.map((d: { date: string; count: number }) => [d.date, d.count]) };
  }
  return out;
}

/** Every row of the tables retention may touch, read in clear. */
const personalTables = (h: AdminHarness) =>
  JSON.stringify(['subscribers', 'subscriptions', 'signatures', 'registrations'].map((table) => h.rows(`select * from ${table} order by 1, 2`)));

/** `compa retention` output: one line per campaign after the header. */
function reportLines(stdout: string) {
  const [header, ...lines] = stdout.trim().split('\n');
  assert.equal(header, 'kind\tslug\tclosed at\trows', stdout);
  return lines.map((l) => {
    const [kind, slug, closedAt, rows] = l.split('\t');
    return { kind, slug, closedAt, rows: Number(rows) };
  });
}

/** After retention: those past it are stripped (rows and counts kept), everyone else is as they were. */
async function assertStripped(h: AdminHarness, before: Record<string, unknown>) {
  for (const p of Object.values(PEOPLE)) {
    if (p.gone) assert.deepEqual(whereFound(h, p.name), [], `${p.name}'s personal data is gone`);
    else assert.notDeepEqual(whereFound(h, p.name), [], `${p.name}'s personal data is kept`);
    if (p.gone) assert.deepEqual(whereFound(h, p.email), [], `${p.email} is gone`);
  }
  assert.deepEqual(await figures(h), before, 'counts and per-day figures unchanged');
  // The rows are still there, counted as before, with nothing personal.
  const oldSignatures = h.rows<{ status: string; email: string; first_name: string; comment: string | null; country: string }>(
    "select s.status, s.email, s.first_name, s.comment, s.country from signatures s join petitions p on p.id = s.petition_id where p.slug = 'old-closed'",
  );
  assert.deepEqual(oldSignatures.map((r) => ({ ...r })), [1, 2].map(() => ({ status: 'counted', email: '', first_name: '', comment: null, country: 'CO' })));
  const ended = h.rows<{ status: string; name: string; answers: string }>(
    "select r.status, r.name, r.answers from registrations r join webinars w on w.id = r.webinar_id where w.slug = 'ended-webinar'",
  );
  assert.deepEqual(ended.map((r) => ({ ...r })), [1, 2].map(() => ({ status: 'registered', name: '', answers: '' })));
  const upcoming = h.rows<{ status: string; email: string }>(
    "select r.status, r.email from registrations r join webinars w on w.id = r.webinar_id where w.slug = 'upcoming-webinar'",
  );
  assert.deepEqual(upcoming.map((r) => ({ ...r })), [{ status: 'registered', email: PEOPLE.upcomingAttendee.email }], 'the webinar ahead keeps its registration');
  // The closed list's subscriber who is on no open list is gone (no longer subscribed); the one on an open list stays subscribed to both.
  const subs = (email: string) =>
    h.rows<{ slug: string; status: string }>(
      'select l.slug, s.status from subscriptions s join subscribers b on b.id = s.subscriber_id join newsletter_lists l on l.id = s.list_id where b.email = ? order by l.slug',
      email,
    ).map((r) => ({ ...r }));
  assert.deepEqual(subs(PEOPLE.closedAndOpenList.email), [
    { slug: 'closed-list', status: 'confirmed' },
    { slug: 'open-list', status: 'confirmed' },
  ]);
  assert.deepEqual(subs(PEOPLE.recentListOnly.email), [{ slug: 'recent-list', status: 'confirmed' }]);
  assert.equal(h.rows("select * from subscribers where email_hash like 'erased.%'").length, 1, 'one subscriber stripped');
}

test('compa retention --dry-run and GET /admin/retention report the same and change nothing; compa retention strips exactly that', async (t) => {
  const { h, before } = await scenario(t);
  const snapshot = personalTables(h);

  const dry = await compa(h, ['retention', '--dry-run'], { env: ENV });
  assert.equal(dry.code, 0, dry.stderr);
  const reported = reportLines(dry.stdout);
  assert.deepEqual(reported.map(({ kind, slug, rows }) => ({ kind, slug, rows })), DUE);
  assert.match(dry.stderr, /6 row\(s\) would be stripped \(dry run: nothing changed\)/);
  const closedAt = Object.fromEntries(reported.map((r) => [r.slug, Date.parse(r.closedAt!)]));
  const T = h.clock.now().getTime();
  const near = (at: number, daysAgo: number) => Math.abs(at - (T - daysAgo * DAY)) < 10 * 60_000;
  assert.ok(near(closedAt['old-closed']!, 40), 'closed when the organiser closed it');
  assert.ok(near(closedAt['deadline-passed']!, 30), 'closed at its deadline');
  assert.ok(near(closedAt['ended-webinar']!, 26 - 1.5 / 24), 'a webinar closes when it ends');
  assert.ok(near(closedAt['closed-list']!, 40));

  const api = await h.api('GET', 'retention', undefined, { token: h.read });
  assert.equal(api.statusCode, 200, api.body);
  assert.deepEqual(json(api), { retentionDays: RETENTION_DAYS, campaigns: reported }, 'the admin API reports the same');
  assert.equal(personalTables(h), snapshot, 'reporting changes nothing');
  assert.deepEqual(await figures(h), before);

  const done = await compa(h, ['retention'], { env: ENV });
  assert.equal(done.code, 0, done.stderr);
  assert.deepEqual(reportLines(done.stdout), reported, 'it strips what the dry run reported');
  assert.match(done.stderr, /6 row\(s\) stripped; counts kept/);
  await assertStripped(h, before);

  const again = await compa(h, ['retention'], { env: ENV });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing to strip: no action on a campaign closed more than 20 days ago/);
  assert.deepEqual(json(await h.api('GET', 'retention', undefined, { token: h.read })).campaigns, []);
});

test('the daily job strips what GET /admin/retention reported, once the clock moved a day; counts kept', async (t) => {
  const { h, before } = await scenario(t);
  const report = json(await h.api('GET', 'retention', undefined, { token: h.read }));
  assert.deepEqual(report.campaigns.map(({ kind, slug, rows }: { kind: string; slug: string; rows: number }) => ({ kind, slug, rows })), DUE);
  // The scenario drained (and so ran the daily job) 60 days ago, with nothing due then; nothing has run since.
  assert.notDeepEqual(whereFound(h, PEOPLE.oldSigner1.name), []);

  await h.drain(); // the first round of jobs since the clock moved: the daily retention runs
  await assertStripped(h, before);
  assert.deepEqual(json(await h.api('GET', 'retention', undefined, { token: h.read })).campaigns, [], 'nothing left to strip');

  // Daily, not more often: a petition that passes retention 13 hours after a run waits for the next day's run.
  const T = h.clock.now().getTime();
  const deadline = new Date(T + 3_600_000).toISOString();
  assert.equal((await h.api('PUT', 'petitions/later', petitionBody({ status: 'open', deadline }))).statusCode, 201);
  await signAs(h, 'later', signature({ email: 'olegaria@example.org', firstName: 'Olegaria' }));
  h.clock.advance(RETENTION_DAYS * DAY - 11 * 3_600_000); // 11 hours before it is due
  await h.drain(); // a run: nothing due yet
  assert.notDeepEqual(whereFound(h, 'Olegaria'), []);
  h.clock.advance(13 * 3_600_000); // due now, 13 hours after that run
  const due = json(await h.api('GET', 'retention', undefined, { token: h.read })).campaigns;
  assert.deepEqual(due.map((c: { slug: string; closedAt: string; rows: number }) => [c.slug, c.closedAt, c.rows]), [['later', deadline, 1]]);
  await h.drain();
  assert.notDeepEqual(whereFound(h, 'Olegaria'), [], 'the job does not run again within a day');
  h.clock.advance(11 * 3_600_000 + 60_000);
  await h.drain();
  assert.deepEqual(whereFound(h, 'Olegaria'), [], 'the next day’s run strips it');
  assert.equal(storedCount(h, 'later'), 1, 'and keeps the count');
});

test('POST /admin/retention runs it now; a read token may report but not run it; the default is 90 days', async (t) => {
  const { h, before } = await scenario(t);
  const snapshot = personalTables(h);
  const refused = await h.api('POST', 'retention', undefined, { token: h.read });
  assert.equal(refused.statusCode, 403, refused.body);
  assert.equal(personalTables(h), snapshot);

  const run = await h.api('POST', 'retention');
  assert.equal(run.statusCode, 200, run.body);
  assert.deepEqual(json(run).campaigns.map(({ kind, slug, rows }: { kind: string; slug: string; rows: number }) => ({ kind, slug, rows })), DUE);
  await assertStripped(h, before);
  assert.deepEqual(json(await h.api('POST', 'retention')).campaigns, [], 'a second run strips nothing more');

  // With the default (90 days), a petition closed 40 days ago is kept.
  const d = await adminHarness(t);
  syncClock(d, 40 * DAY);
  assert.equal((await d.api('PUT', 'petitions/forty-days', petitionBody({ status: 'open' }))).statusCode, 201);
  await signAs(d, 'forty-days', signature({ email: 'quiteria@example.org', firstName: 'Quiteria' }));
  assert.equal((await d.api('POST', 'petitions/forty-days/close')).statusCode, 200);
  syncClock(d);
  assert.deepEqual(json(await d.api('GET', 'retention', undefined, { token: d.read })), { retentionDays: 90, campaigns: [] });
  const cli = await compa(d, ['retention']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /nothing to strip: no action on a campaign closed more than 90 days ago/);
  assert.notDeepEqual(whereFound(d, 'Quiteria'), []);
  d.clock.advance(51 * DAY); // 91 days after it closed
  assert.deepEqual(json(await d.api('GET', 'retention', undefined, { token: d.read })).campaigns.map((c: { slug: string; rows: number }) => [c.slug, c.rows]), [['forty-days', 1]]);
});
