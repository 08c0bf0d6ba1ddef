/**
 * The webinar commands of `npm run compa -- …`, run as real child processes on the harness's SQLite file, as an
 * organiser runs them next to the server: webinar-put (create, update, refusals), webinars, registrations,
 * registration-approve / registration-decline. The mails they cause are persisted jobs; the in-process server
 * on the same database sends them.
 *
 * The commands run on the real clock; the harness clock is moved to it before anything it writes or sends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { DAY, HOUR, REPO_ROOT, harness, json, type Harness } from './helpers.ts';
import { icsOf, literal, mailsTo, register, registration, registrationRow } from './webinar-fixtures.ts';

const run = promisify(execFile);

function cli(h: Harness, ...args: string[]) {
  return run(process.execPath, [join(REPO_ROOT, 'src/server/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${h.dbPath}`, COMPA_OUTBOX_DIR: h.outboxDir, COMPA_LOG_LEVEL: 'silent' },
  });
}

/** The command's failure: exit code and output (fails when it succeeded). */
async function cliFails(h: Harness, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await cli(h, ...args);
    assert.fail(`"${args.join(' ')}" succeeded: ${out.stderr}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e as { code: number; stdout: string; stderr: string };
  }
}

/** Moves the harness clock to the real clock (plus a minute), where the commands wrote their jobs. */
function catchUp(h: Harness): void {
  const behind = Date.now() + 60_000 - h.clock.now().getTime();
  if (behind > 0) h.clock.advance(behind);
}

/** `2026-12-10T10:00:00-05:00` for an instant (Bogotá's offset, as an organiser writes it). */
function bogota(d: Date): string {
  return new Date(d.getTime() - 5 * HOUR).toISOString().slice(0, 19) + '-05:00';
}

const START = new Date(Math.ceil((Date.now() + 10 * DAY) / 60_000) * 60_000);

type File = Record<string, any>;

function webinarFile(overrides: File = {}): File {
  return {
    slug: 'defending-water-rio-verde-2',
    series: 'school',
    status: 'published',
    heldIn: 'es',
    interpretation: ['en'],
    start: bogota(START),
    end: bogota(new Date(START.getTime() + 90 * 60_000)),
    timeZone: 'America/Bogota',
    capacity: 300,
    mode: 'open',
    joinUrl: 'https://meet.example.org/rio-verde-secret-7f3k9q',
    recordingUrl: null,
    questions: [
      { id: 'organisation', kind: 'text', required: false, maxLength: 200 },
      { id: 'role', kind: 'choice', required: true, options: ['supporter', 'journalist'] },
    ],
    texts: {
      en: {
        title: 'Defending water in Río Verde',
        description: 'A conversation.',
        speakers: [{ name: 'Luz Mery Ríos', organisation: 'Community council', photoUrl: '/media/luz.jpg' }],
        questions: {
          organisation: { label: 'Your organisation' },
          role: { label: 'You join as…', options: { supporter: 'Supporter', journalist: 'Journalist' } },
        },
      },
      es: {
        title: 'Defender el agua en Río Verde',
        description: 'Una conversación.',
        speakers: [{ name: 'Luz Mery Ríos', organisation: 'Consejo comunitario', photoUrl: null }],
        questions: {
          organisation: { label: 'Tu organización' },
          role: { label: 'Participas como…', options: { supporter: 'Persona que apoya', journalist: 'Periodista' } },
        },
      },
    },
    ...overrides,
  };
}

/** Writes the file and runs webinar-put on it. */
async function put(h: Harness, file: File, name = 'webinar.json') {
  const path = join(h.dir, name);
  await writeFile(path, JSON.stringify(file));
  return { path, run: () => cli(h, 'webinar-put', path) };
}

const webinarRow = (h: Harness, slug: string) =>
  h.rows<{ id: number; capacity: number; sequence: number; starts_at: string; status: string; texts: string }>('select * from webinars where slug = ?', slug)[0];

interface JobRow {
  id: number;
  kind: string;
  payload: string;
  run_at: string;
  status: string;
}
const jobsAfter = (h: Harness, id: number) =>
  h.rows<JobRow>(`select id, kind, payload, run_at, status from jobs where id > ? and kind like 'webinar.%' order by id`, id).map((j) => ({ ...j, payload: withoutNumber(JSON.parse(j.payload)) }));

/** A job's payload without the mail's number (checked in webinars.test.ts). */
const withoutNumber = ({ n: _n, ...rest }: Record<string, unknown>) => rest;
const lastJobId = (h: Harness) => Number(h.rows<{ id: number | null }>('select max(id) as id from jobs')[0]!.id ?? 0);

test('webinar-put creates a published webinar from a file; putting it again updates it and keeps its registrations', async (t) => {
  const h = await harness(t);
  const file = webinarFile();
  const { run: putIt } = await put(h, file);
  assert.match((await putIt()).stderr, /created webinar "defending-water-rio-verde-2" \(published; languages: en, es\)/);

  const res = await h.inject({ url: '/api/v1/webinars/defending-water-rio-verde-2?locale=es' });
  assert.equal(res.statusCode, 200, res.body);
  const w = json(res);
  assert.equal(w.title, 'Defender el agua en Río Verde');
  assert.equal(w.start, START.toISOString(), 'the offset in the file is honoured');
  assert.equal(w.timeZone, 'America/Bogota');
  assert.deepEqual(w.questions.find((q: { id: string }) => q.id === 'role').options, [
    { id: 'supporter', label: 'Persona que apoya' },
    { id: 'journalist', label: 'Periodista' },
  ]);
  assert.doesNotMatch(res.body, /rio-verde-secret/, 'the join link is in no answer');

  const a = registration({ answers: { role: 'journalist' } });
  const b = registration({ answers: { role: 'supporter', organisation: 'Radio' } });
  for (const body of [a, b]) assert.equal((await register(h, w.slug, body)).statusCode, 202);
  const before = h.rows('select id, status, answers from registrations where webinar_id = ? order by id', webinarRow(h, w.slug)!.id);

  const { run: putAgain } = await put(h, webinarFile({ texts: { ...file.texts, en: { ...file.texts.en, title: 'Defending water: Río Verde' } } }));
  assert.match((await putAgain()).stderr, /updated webinar "defending-water-rio-verde-2"/);
  assert.equal(json(await h.inject({ url: `/api/v1/webinars/${w.slug}?locale=en` })).title, 'Defending water: Río Verde');
  assert.equal(h.counts().webinars, h.rows('select id from webinars').length);
  assert.equal(h.rows('select id from webinars where slug = ?', w.slug).length, 1, 'updated, not created twice');
  assert.deepEqual(h.rows('select id, status, answers from registrations where webinar_id = ? order by id', webinarRow(h, w.slug)!.id), before, 'registrations kept as they were');
  assert.equal(webinarRow(h, w.slug)!.sequence, 0, 'a new title does not change the calendar entry');
});

const invalid: { name: string; file: () => File; field: string }[] = [
  { name: 'end before start', file: () => webinarFile({ end: bogota(new Date(START.getTime() - HOUR)) }), field: 'end' },
  { name: 'end equal to start', file: () => webinarFile({ end: webinarFile().start }), field: 'end' },
  { name: 'a start without an offset', file: () => webinarFile({ start: webinarFile().start.slice(0, 19) }), field: 'start' },
  { name: 'the time zone "Mars/Olympus"', file: () => webinarFile({ timeZone: 'Mars/Olympus' }), field: 'timeZone' },
  { name: 'an offset given as a time zone', file: () => webinarFile({ timeZone: '-05:00' }), field: 'timeZone' },
  {
    name: 'a choice without options',
    file: () => webinarFile({ questions: [webinarFile().questions[0], { id: 'role', kind: 'choice', required: true }] }),
    field: 'questions.1.options',
  },
  {
    name: 'a question without a label in one language',
    file: () => {
      const f = webinarFile();
      delete f.texts.es.questions.role;
      return f;
    },
    field: 'texts.es.questions.role',
  },
  {
    name: 'an option without a label',
    file: () => {
      const f = webinarFile();
      delete f.texts.en.questions.role.options.journalist;
      return f;
    },
    field: 'texts.en.questions.role.options.journalist',
  },
  { name: 'a joinUrl that is not a URL', file: () => webinarFile({ joinUrl: 'meet the team at 10' }), field: 'joinUrl' },
  { name: 'a javascript: joinUrl', file: () => webinarFile({ joinUrl: 'javascript:alert(1)' }), field: 'joinUrl' },
  {
    name: 'a photoUrl on http:// (third-party, unencrypted)',
    file: () => {
      const f = webinarFile();
      f.texts.en.speakers[0].photoUrl = 'http://tracker.example/luz.jpg';
      return f;
    },
    field: 'texts.en.speakers.0.photoUrl',
  },
  {
    name: 'a protocol-relative photoUrl',
    file: () => {
      const f = webinarFile();
      f.texts.en.speakers[0].photoUrl = '//tracker.example/luz.jpg';
      return f;
    },
    field: 'texts.en.speakers.0.photoUrl',
  },
  { name: 'capacity 0', file: () => webinarFile({ capacity: 0 }), field: 'capacity' },
  { name: 'an unknown field', file: () => webinarFile({ price: 10 }), field: 'price' },
];

for (const c of invalid) {
  test(`webinar-put refuses ${c.name}: exits non-zero, names ${c.field}, writes nothing`, async (t) => {
    const h = await harness(t);
    const before = h.counts();
    const { path } = await put(h, c.file());
    const e = await cliFails(h, 'webinar-put', path);
    assert.equal(e.code, 65);
    const lines = e.stderr.trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith(`${path}: ${c.field}: `)), `names ${c.field}:\n${e.stderr}`);
    assert.deepEqual(lines.filter((l) => !l.startsWith(`${path}: ${c.field}: `)), [], 'only that mistake is reported (the rest of the file is valid)');
    assert.deepEqual(h.counts(), before, 'nothing written');
  });
}

test('webinar-put refuses a file that is not JSON, or is missing', async (t) => {
  const h = await harness(t);
  const path = join(h.dir, 'broken.json');
  await writeFile(path, '{"slug": "x",');
  const before = h.counts();
  assert.equal((await cliFails(h, 'webinar-put', path)).code, 65);
  assert.match((await cliFails(h, 'webinar-put', join(h.dir, 'missing.json'))).stderr, /missing\.json/);
  assert.match((await cliFails(h, 'webinar-put')).stderr, /usage/);
  assert.deepEqual(h.counts(), before);
});

test(
  'webinar-put refuses a photoUrl on a third-party https host (README: "no third-party host")',
  async (t) => {
    const h = await harness(t, { env: { COMPA_ALLOWED_ORIGINS: 'https://org.example' } });
    const f = webinarFile();
    f.texts.en.speakers[0].photoUrl = 'https://tracker.example/pixel.jpg';
    const { path } = await put(h, f);
    const e = await cliFails(h, 'webinar-put', path);
    assert.match(e.stderr, /texts\.en\.speakers\.0\.photoUrl: /);
    assert.equal(h.counts().webinars, h.rows('select id from webinars where slug != ?', f.slug).length);
  },
);

test('a raised capacity gives the waitlist the new places in order, and queues their "promoted" mails and reminders', async (t) => {
  const h = await harness(t);
  catchUp(h);
  const { run: putIt } = await put(h, webinarFile({ capacity: 1 }));
  await putIt();
  const slug = 'defending-water-rio-verde-2';
  const people = Array.from({ length: 4 }, () => registration());
  for (const p of people) assert.equal((await register(h, slug, p)).statusCode, 202);
  const rows = people.map((p) => registrationRow(h, p.email as string)!);
  assert.deepEqual(rows.map((r) => r.status), ['registered', 'waitlisted', 'waitlisted', 'waitlisted']);
  await h.drain();
  const mark = lastJobId(h);

  const { run: raise } = await put(h, webinarFile({ capacity: 3 }));
  assert.match((await raise()).stderr, /2 registration\(s\) moved from the waitlist to a place/);
  assert.deepEqual(people.map((p) => registrationRow(h, p.email as string)!.status), ['registered', 'registered', 'registered', 'waitlisted'], 'the first two in line');

  const jobs = jobsAfter(h, mark);
  const mails = jobs.filter((j) => j.kind === 'webinar.mail');
  assert.deepEqual(
    mails.map((j) => j.payload),
    [
      { registrationId: rows[1]!.id, mail: 'promoted' },
      { registrationId: rows[2]!.id, mail: 'promoted' },
    ],
    'a "promoted" mail for each, in waitlist order',
  );
  const reminders = jobs.filter((j) => j.kind === 'webinar.reminder');
  assert.deepEqual(
    reminders.map((j) => [j.payload.registrationId, j.payload.which, j.run_at]).sort(),
    [
      [rows[1]!.id, '1h', new Date(START.getTime() - HOUR).toISOString()],
      [rows[1]!.id, '24h', new Date(START.getTime() - DAY).toISOString()],
      [rows[2]!.id, '1h', new Date(START.getTime() - HOUR).toISOString()],
      [rows[2]!.id, '24h', new Date(START.getTime() - DAY).toISOString()],
    ].sort(),
    'their reminders, at 24 h and 1 h before',
  );

  catchUp(h);
  await h.drain();
  for (const p of [people[1]!, people[2]!]) {
    const last = mailsTo(h.mails, p.email as string).at(-1)!;
    assert.equal(last.subject, 'A place is free for you: Defending water in Río Verde');
    assert.match(last.text, literal('https://meet.example.org/rio-verde-secret-7f3k9q'));
  }
  assert.equal(mailsTo(h.mails, people[3]!.email as string).length, 1, 'the fourth only has its waitlist mail');

  // Putting the same file again promotes nobody else and queues nothing.
  const again = lastJobId(h);
  await raise();
  assert.deepEqual(jobsAfter(h, again), []);
});

test('a new start time queues the reminders again; each reminder is sent once, at the new time', async (t) => {
  const h = await harness(t);
  catchUp(h);
  const { run: putIt } = await put(h, webinarFile({ capacity: 5 }));
  await putIt();
  const slug = 'defending-water-rio-verde-2';
  const placed = registration();
  await register(h, slug, placed);
  const id = registrationRow(h, placed.email as string)!.id;
  await h.drain();

  // A new title: the reminders stay as they are.
  let mark = lastJobId(h);
  const f = webinarFile({ capacity: 5 });
  await (await put(h, { ...f, texts: { ...f.texts, en: { ...f.texts.en, title: 'Defending water (live)' } } })).run();
  assert.deepEqual(jobsAfter(h, mark), [], 'nothing re-queued when the time did not change');

  // Two days later.
  const moved = new Date(START.getTime() + 2 * DAY);
  mark = lastJobId(h);
  await (await put(h, webinarFile({ capacity: 5, start: bogota(moved), end: bogota(new Date(moved.getTime() + 90 * 60_000)) }))).run();
  assert.equal(webinarRow(h, slug)!.sequence, 1, 'the calendar entry changed');
  const requeued = jobsAfter(h, mark).filter((j) => j.kind === 'webinar.reminder');
  assert.deepEqual(
    requeued.map((j) => [j.payload.registrationId, j.payload.which, j.run_at]).sort(),
    [
      [id, '1h', new Date(moved.getTime() - HOUR).toISOString()],
      [id, '24h', new Date(moved.getTime() - DAY).toISOString()],
    ].sort(),
  );

  const reminders = () => mailsTo(h.mails, placed.email as string).filter((m) => /^(Tomorrow|Starting soon):/.test(m.subject)).map((m) => m.subject.split(':')[0]);
  h.clock.advance(START.getTime() - DAY + 30_000 - h.clock.now().getTime());
  await h.drain();
  assert.deepEqual(reminders(), [], 'no "Tomorrow" a day before the old time');
  h.clock.advance(moved.getTime() - DAY + 30_000 - h.clock.now().getTime());
  await h.drain();
  assert.deepEqual(reminders(), ['Tomorrow'], 'one, a day before the new time (the old job and the re-queued one do not both send)');
  const tomorrow = mailsTo(h.mails, placed.email as string).at(-1)!;
  assert.match(icsOf(tomorrow), new RegExp(`DTSTART:${moved.toISOString().replace(/[-:]/g, '').replace('.000', '')}`));
  assert.match(icsOf(tomorrow), /\r\nSEQUENCE:1\r\n/, 'the file replaces the old entry');
  h.clock.advance(DAY - HOUR);
  await h.drain();
  assert.deepEqual(reminders(), ['Tomorrow', 'Starting soon']);
});

test('webinars lists each webinar with its status, start, places taken / capacity, waitlist and requests awaiting approval', async (t) => {
  const h = await harness(t);
  catchUp(h);
  await (await put(h, webinarFile({ capacity: 2 }), 'open.json')).run();
  await (await put(h, webinarFile({ slug: 'by-invitation', mode: 'approval', capacity: 5, texts: { en: webinarFile().texts.en } }), 'approval.json')).run();
  await (await put(h, webinarFile({ slug: 'not-yet', status: 'draft' }), 'draft.json')).run();
  for (let i = 0; i < 3; i++) await register(h, 'defending-water-rio-verde-2', registration({ answers: { role: 'supporter' } }));
  for (let i = 0; i < 2; i++) await register(h, 'by-invitation', registration({ answers: { role: 'supporter' } }));

  const { stdout } = await cli(h, 'webinars');
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], 'slug\tstatus\tstart (UTC)\tplaces taken / capacity\twaitlist\tawaiting approval\tlanguages');
  const row = (slug: string) => lines.find((l) => l.startsWith(`${slug}\t`));
  assert.equal(row('defending-water-rio-verde-2'), `defending-water-rio-verde-2\tpublished\t${START.toISOString()}\t2 / 2\t1\t0\ten,es`);
  assert.equal(row('by-invitation'), `by-invitation\tpublished\t${START.toISOString()}\t0 / 5\t0\t2\ten`);
  assert.equal(row('not-yet'), `not-yet\tdraft\t${START.toISOString()}\t0 / 300\t0\t0\ten,es`);
});

test('registrations prints CSV, the waitlist in order, with spreadsheet formulas neutralised', async (t) => {
  const h = await harness(t);
  catchUp(h);
  await (await put(h, webinarFile({ capacity: 1 }))).run();
  const slug = 'defending-water-rio-verde-2';
  const evil = registration({ name: '=HYPERLINK("http://evil.example","Click")', email: 'evil@example.org', answers: { role: 'supporter', organisation: '+SUM(A1)' } });
  const at = registration({ name: '@cmd', email: 'at@example.org', answers: { role: 'journalist' } });
  const minus = registration({ name: '-2+3', email: 'minus@example.org', answers: { role: 'journalist' } });
  for (const r of [evil, at, minus]) assert.equal((await register(h, slug, r)).statusCode, 202);

  const { stdout } = await cli(h, 'registrations', '--webinar', slug);
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], 'id,status,name,email,registered_at,answers');
  assert.equal(lines.length, 4);
  const id = (email: string) => registrationRow(h, email)!.id;
  const when = h.clock.now().toISOString();
  assert.equal(
    lines[1],
    `${id('evil@example.org')},registered,"'=HYPERLINK(""http://evil.example"",""Click"")",evil@example.org,${when},"{""organisation"":""+SUM(A1)"",""role"":""supporter""}"`,
  );
  assert.equal(lines[2], `${id('at@example.org')},waitlisted,'@cmd,at@example.org,${when},"{""role"":""journalist""}"`);
  assert.equal(lines[3], `${id('minus@example.org')},waitlisted,'-2+3,minus@example.org,${when},"{""role"":""journalist""}"`);
  for (const line of lines.slice(1)) {
    for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''))) {
      assert.doesNotMatch(cell, /^[=+\-@]/, `a cell a spreadsheet would run: ${cell}`);
    }
  }
  assert.doesNotMatch(stdout, /rio-verde-secret/, 'no join link in the export');

  assert.match((await cliFails(h, 'registrations', '--webinar', 'no-such-webinar')).stderr, /--webinar: no webinar "no-such-webinar"/);
  assert.equal((await cliFails(h, 'registrations')).code, 64);
});

test('registration-approve / -decline by --email and --id: the status changes and the right mail is queued and sent', async (t) => {
  const h = await harness(t);
  catchUp(h);
  await (await put(h, webinarFile({ mode: 'approval', capacity: 1 }))).run();
  const slug = 'defending-water-rio-verde-2';
  const [a, b, c, d] = ['ana', 'bea', 'cai', 'dan'].map((n) => registration({ email: `${n}@example.org` }));
  for (const r of [a, b, c, d]) assert.equal((await register(h, slug, r!)).statusCode, 202);
  await h.drain();
  const status = (r: Record<string, unknown>) => registrationRow(h, r.email as string)!.status;
  const idOf = (r: Record<string, unknown>) => registrationRow(h, r.email as string)!.id;
  assert.deepEqual([a, b, c, d].map((r) => status(r!)), ['pending', 'pending', 'pending', 'pending']);

  let mark = lastJobId(h);
  const approved = await cli(h, 'registration-approve', '--webinar', slug, '--email', 'ANA@example.org');
  assert.match(approved.stderr, new RegExp(`registration ${idOf(a!)}: registered; the supporter is emailed`));
  assert.equal(status(a!), 'registered');
  let jobs = jobsAfter(h, mark);
  assert.deepEqual(jobs.filter((j) => j.kind === 'webinar.mail').map((j) => j.payload), [{ registrationId: idOf(a!), mail: 'approved' }]);
  assert.deepEqual(jobs.filter((j) => j.kind === 'webinar.reminder').map((j) => j.payload.which).sort(), ['1h', '24h'], 'a place brings reminders');

  mark = lastJobId(h);
  const full = await cli(h, 'registration-approve', '--webinar', slug, '--id', String(idOf(b!)));
  assert.match(full.stderr, /waitlisted \(the webinar is full\)/);
  assert.equal(status(b!), 'waitlisted');
  assert.deepEqual(jobsAfter(h, mark).map((j) => [j.kind, j.payload]), [['webinar.mail', { registrationId: idOf(b!), mail: 'waitlisted' }]], 'no reminders on the waitlist');

  mark = lastJobId(h);
  await cli(h, 'registration-decline', '--webinar', slug, '--id', String(idOf(c!)));
  await cli(h, 'registration-decline', '--webinar', slug, '--email', 'dan@example.org');
  assert.deepEqual([status(c!), status(d!)], ['declined', 'declined']);
  assert.deepEqual(
    jobsAfter(h, mark).map((j) => [j.kind, j.payload]),
    [
      ['webinar.mail', { registrationId: idOf(c!), mail: 'declined' }],
      ['webinar.mail', { registrationId: idOf(d!), mail: 'declined' }],
    ],
  );

  // Only a pending registration is decided.
  mark = lastJobId(h);
  for (const [cmd, who] of [
    ['registration-approve', ['--id', String(idOf(a!))]],
    ['registration-decline', ['--email', 'ana@example.org']],
    ['registration-approve', ['--id', String(idOf(c!))]],
    ['registration-decline', ['--id', String(idOf(b!))]],
  ] as const) {
    const e = await cliFails(h, cmd, '--webinar', slug, ...who);
    assert.equal(e.code, 65);
    assert.match(e.stderr, /is (registered|declined|waitlisted), not awaiting approval: nothing changed/);
  }
  assert.deepEqual([a, b, c, d].map((r) => status(r!)), ['registered', 'waitlisted', 'declined', 'declined'], 'unchanged');
  assert.deepEqual(jobsAfter(h, mark), [], 'no mail queued');

  // The in-process server on the same database sends them.
  catchUp(h);
  await h.drain();
  const last = (r: Record<string, unknown>) => mailsTo(h.mails, r.email as string).at(-1)!;
  const title = 'Defending water in Río Verde';
  assert.equal(last(a!).subject, `Registration accepted: ${title}`);
  assert.match(last(a!).text, literal('https://meet.example.org/rio-verde-secret-7f3k9q'), 'the join link');
  assert.match(icsOf(last(a!)), /\r\nMETHOD:PUBLISH\r\n/);
  assert.equal(last(b!).subject, `You are on the waitlist: ${title}`);
  assert.doesNotMatch(last(b!).text, /rio-verde-secret/);
  assert.equal(last(b!).attachments, undefined);
  for (const r of [c!, d!]) {
    assert.equal(last(r).subject, `About your registration: ${title}`);
    assert.doesNotMatch(last(r).text, /rio-verde-secret/, 'no join link');
    assert.equal(last(r).attachments, undefined, 'no calendar file');
    assert.doesNotMatch(last(r).text, /\/webinars\/cancel/, 'nothing left to cancel');
  }
  assert.deepEqual(
    [a, b, c, d].map((r) => mailsTo(h.mails, r!.email as string).length),
    [2, 2, 2, 2],
    'the "received" mail, then exactly one decision mail each',
  );
});

test('registration-approve / -decline refuse an unknown address, another webinar’s registration and missing arguments', async (t) => {
  const h = await harness(t);
  catchUp(h);
  await (await put(h, webinarFile({ mode: 'approval' }), 'a.json')).run();
  await (await put(h, webinarFile({ slug: 'other-webinar', mode: 'approval' }), 'b.json')).run();
  await register(h, 'other-webinar', registration({ email: 'elsewhere@example.org' }));
  const before = h.counts();
  const slug = 'defending-water-rio-verde-2';
  assert.match((await cliFails(h, 'registration-approve', '--webinar', slug, '--email', 'nobody@example.org')).stderr, /--email: this address is not registered for this webinar/);
  const otherId = String(registrationRow(h, 'elsewhere@example.org')!.id);
  assert.match((await cliFails(h, 'registration-approve', '--webinar', slug, '--id', otherId)).stderr, new RegExp(`--id: no registration ${otherId} for this webinar`));
  assert.match((await cliFails(h, 'registration-decline', '--webinar', 'nope', '--id', otherId)).stderr, /--webinar: no webinar "nope"/);
  assert.equal((await cliFails(h, 'registration-decline', '--webinar', slug)).code, 64);
  assert.equal((await cliFails(h, 'registration-approve', '--email', 'elsewhere@example.org')).code, 64);
  assert.deepEqual(h.counts(), before);
  assert.equal(registrationRow(h, 'elsewhere@example.org')!.status, 'pending');
});
