/**
 * Exports (`compa export KIND`, GET /api/v1/admin/exports/:kind): CSV (UTF-8, the documented header, CRLF) and
 * JSON Lines of subscribers, signatures and registrations with consent text, language and time on every row;
 * accented names intact; filters by campaign and date; cells a spreadsheet would run as a formula neutralised; a
 * comment with commas, quotes and line breaks one field; erased rows left out; the admin route streams the same
 * bytes; and a 100,000-row export runs in about the memory of a 10,000-row one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DAY, json, signature, subscription } from './helpers.ts';
import { adminHarness, listBody, petitionBody, type AdminHarness } from './admin-helpers.ts';
import { createWebinar, registration } from './webinar-fixtures.ts';
import { compa, csvObjects, parseCsv, registerFor, signAs, subscribeConfirmed } from './privacy-fixtures.ts';
import { EXPORT_COLUMNS } from '../../src/server/privacy/service.ts';
import type { KyselyStore } from '../../src/server/store/kysely-store.ts';

const COMMENT = 'Hola, "amigas"\nsegunda línea, con comas, y fin';
const EVIL = '=HYPERLINK("http://evil","x")';
const SIGN_CONSENT = 'Mantenedme informada de esta campaña.';

/**
 * Supporters through the public API: on day 1 (2026-03-02) two subscribers, two signatures on `water` (one with
 * formulas for names and a comment with commas, quotes and a line break), one on `air`, a registration; on day 3
 * (2026-03-04) one more of each; and an erased person who did all of it.
 */
async function scenario(t: import('node:test').TestContext) {
  const h = await adminHarness(t, { mailer: 'outbox' });
  assert.equal((await h.api('PUT', 'lists/bulletin', listBody())).statusCode, 201);
  assert.equal((await h.api('PUT', 'lists/urgent', listBody())).statusCode, 201);
  assert.equal((await h.api('PUT', 'petitions/water', petitionBody({ status: 'open', keepInformedList: 'bulletin' }))).statusCode, 201);
  assert.equal((await h.api('PUT', 'petitions/air', petitionBody({ status: 'open' }))).statusCode, 201);
  await createWebinar(h, { slug: 'talk' }, 10 * DAY);
  await createWebinar(h, { slug: 'other-talk' }, 10 * DAY);

  await subscribeConfirmed(h, subscription({ email: 'emilie@example.org', firstName: 'Émilie Zoë Çağlar', locale: 'fr', lists: ['bulletin', 'urgent'], consentText: 'Oui, envoyez-moi le bulletin.' }));
  // The consent text comes from the widget, so from anyone: a formula there is neutralised too.
  await subscribeConfirmed(h, subscription({ email: 'plus@example.org', firstName: '+1', lists: ['bulletin'], consentText: '=1+1, "yes", I agree' }));
  await signAs(
    h,
    'water',
    signature({ email: 'Evil@Example.org', firstName: EVIL, lastName: '+1', comment: '-1', locale: 'es', keepInformed: true, consentText: SIGN_CONSENT }),
  );
  await signAs(h, 'water', signature({ email: 'nuno@example.org', firstName: 'Núñez', lastName: 'Ñandú-Gómez', comment: COMMENT, locale: 'es-CO' }));
  await signAs(h, 'air', signature({ email: 'sum@example.org', firstName: '@SUM(A1)', lastName: 'Tabulador', locale: 'fr' }));
  await registerFor(h, 'talk', registration({ email: 'jose@example.org', name: 'José Ñúñez', locale: 'es', answers: { role: 'press', org: '=cmd' } }));
  // The erased person.
  await subscribeConfirmed(h, subscription({ email: 'gone@example.org', firstName: 'Borrada', lists: ['bulletin'] }));
  await signAs(h, 'water', signature({ email: 'gone@example.org', firstName: 'Borrada' }));
  await registerFor(h, 'talk', registration({ email: 'gone@example.org', name: 'Borrada Persona' }));
  await h.drain();

  h.clock.advance(2 * DAY);
  await subscribeConfirmed(h, subscription({ email: 'later@example.org', firstName: 'Tardía', lists: ['urgent'] }));
  await signAs(h, 'water', signature({ email: 'later@example.org', firstName: 'Tardía', locale: 'en' }));
  await registerFor(h, 'other-talk', registration({ email: 'later@example.org', name: 'Tardía Registrada', locale: 'en' }));
  await h.drain();
  assert.equal((await h.api('POST', 'erasures', { email: 'gone@example.org' })).statusCode, 200);
  return h;
}

/** `compa export …` on the harness's database: stdout (asserting exit 0). */
async function exportCli(h: AdminHarness, args: string[]): Promise<string> {
  const r = await compa(h, ['export', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

const byEmail = <T extends Record<string, unknown>>(rows: T[]) => new Map(rows.map((r) => [String(r.email), r]));

test('CSV exports: UTF-8, the documented header, CRLF; consent, language and time on each row; formulas neutralised; one field per comment; erased rows left out', async (t) => {
  const h = await scenario(t);
  for (const kind of ['subscribers', 'signatures', 'registrations'] as const) {
    const text = await exportCli(h, [kind]);
    assert.ok(text.startsWith(EXPORT_COLUMNS[kind].join(',') + '\r\n'), `${kind}: the header row, then CRLF: ${text.slice(0, 200)}`);
    assert.deepEqual(parseCsv(text)[0], EXPORT_COLUMNS[kind]);
    assert.ok(text.endsWith('\r\n'));
    assert.doesNotMatch(text, /gone@example|Borrada/, `${kind}: the erased person is left out`);
  }

  const signatures = csvObjects(await exportCli(h, ['signatures']));
  assert.equal(signatures.length, 4, 'four signatures (the erased one is left out)');
  const sig = byEmail(signatures);
  assert.deepEqual([...sig.keys()].sort(), ['evil@example.org', 'later@example.org', 'nuno@example.org', 'sum@example.org']);
  const evil = sig.get('evil@example.org')!;
  assert.equal(evil.first_name, `'${EVIL}`, 'a formula in a name starts with an apostrophe');
  assert.equal(evil.last_name, "'+1");
  assert.equal(evil.comment, "'-1");
  assert.equal(sig.get('sum@example.org')!.first_name, "'@SUM(A1)");
  assert.equal(evil.keep_informed, 'true');
  assert.equal(evil.consent_text, SIGN_CONSENT, 'the consent text the supporter saw');
  assert.equal(evil.consent_language, 'es');
  assert.equal(evil.language, 'es');
  assert.equal(evil.campaign, 'water');
  assert.equal(evil.status, 'counted');
  assert.equal(evil.signed_at, '2026-03-02T10:00:00.000Z');
  assert.equal(evil.country, 'CO');
  const nuno = sig.get('nuno@example.org')!;
  assert.equal(nuno.comment, COMMENT, 'commas, quotes and the line break survive in one field');
  assert.equal(nuno.first_name, 'Núñez');
  assert.equal(nuno.last_name, 'Ñandú-Gómez');
  assert.equal(nuno.language, 'es', 'the language the server speaks to them (es-CO → es)');
  assert.equal(nuno.keep_informed, 'false');
  assert.equal(sig.get('later@example.org')!.signed_at, '2026-03-04T10:00:00.000Z');

  const subscribers = csvObjects(await exportCli(h, ['subscribers']));
  assert.deepEqual(
    subscribers.map((s) => [s.email, s.campaign]).sort(),
    [
      ['emilie@example.org', 'bulletin'],
      ['emilie@example.org', 'urgent'],
      ['evil@example.org', 'bulletin'],
      ['later@example.org', 'urgent'],
      ['plus@example.org', 'bulletin'],
    ],
    'one row per subscription (with the one "keep me informed" asked for)',
  );
  const keptInformed = subscribers.find((s) => s.email === 'evil@example.org')!;
  assert.equal(keptInformed.status, 'pending', 'awaiting the double opt-in');
  assert.equal(keptInformed.consent_text, SIGN_CONSENT, 'with the text ticked on the petition');
  const emilie = subscribers.find((s) => s.email === 'emilie@example.org')!;
  assert.equal(emilie.first_name, 'Émilie Zoë Çağlar');
  assert.equal(emilie.status, 'confirmed');
  assert.equal(emilie.language, 'fr');
  assert.equal(emilie.consent_text, 'Oui, envoyez-moi le bulletin.');
  assert.equal(emilie.consent_language, 'fr');
  assert.equal(emilie.consent_at, '2026-03-02T10:00:00.000Z');
  assert.match(emilie.confirmed_at!, /^2026-03-02T/);
  assert.equal(emilie.unsubscribed_at, '');
  const plus = subscribers.find((s) => s.email === 'plus@example.org')!;
  assert.equal(plus.first_name, "'+1");
  assert.equal(plus.consent_text, `'=1+1, "yes", I agree`);

  const registrations = csvObjects(await exportCli(h, ['registrations']));
  assert.deepEqual(registrations.map((r) => r.email).sort(), ['jose@example.org', 'later@example.org']);
  const jose = registrations.find((r) => r.email === 'jose@example.org')!;
  assert.equal(jose.name, 'José Ñúñez');
  assert.equal(jose.campaign, 'talk');
  assert.equal(jose.status, 'registered');
  assert.equal(jose.language, 'es');
  assert.deepEqual(JSON.parse(jose.answers!), { role: 'press', org: '=cmd' });
  assert.equal(jose.consent_text, registration().consentText);
  assert.equal(jose.registered_at, '2026-03-02T10:00:00.000Z');

  // Written to a file: the same bytes, UTF-8 (readable by the organiser only).
  const file = join(h.dir, 'signatures.csv');
  const r = await compa(h, ['export', 'signatures', '--output', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /4 signatures exported/);
  const bytes = readFileSync(file);
  assert.equal(bytes.toString('utf8'), await exportCli(h, ['signatures']));
  assert.ok(bytes.includes(Buffer.from('Ñandú-Gómez', 'utf8')), 'UTF-8 bytes');
});

test('JSON Lines: one object per row with exactly the columns, values as given (answers as an object)', async (t) => {
  const h = await scenario(t);
  for (const kind of ['subscribers', 'signatures', 'registrations'] as const) {
    const text = await exportCli(h, [kind, '--format', 'jsonl']);
    const lines = text.split('\n');
    assert.equal(lines.pop(), '', 'every line ends with LF');
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(rows.length > 0);
    for (const row of rows) assert.deepEqual(Object.keys(row), EXPORT_COLUMNS[kind], `${kind}: the columns, in order`);
    assert.doesNotMatch(text, /gone@example|Borrada/);
    // The same rows as the CSV export.
    const csv = csvObjects(await exportCli(h, [kind]));
    assert.deepEqual(rows.map((r) => r.id), csv.map((c) => Number(c.id)));
  }
  const sig = byEmail((await exportCli(h, ['signatures', '--format', 'jsonl'])).trim().split('\n').map((l) => JSON.parse(l)));
  const evil = sig.get('evil@example.org')!;
  assert.equal(evil.first_name, EVIL, 'JSON is not a spreadsheet: the value as typed');
  assert.equal(evil.keep_informed, true);
  assert.equal(evil.consent_text, SIGN_CONSENT);
  assert.equal(sig.get('nuno@example.org')!.comment, COMMENT);
  assert.equal(sig.get('nuno@example.org')!.last_name, 'Ñandú-Gómez');
  const reg = (await exportCli(h, ['registrations', '--format', 'jsonl'])).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(reg.find((r) => r.email === 'jose@example.org').answers, { role: 'press', org: '=cmd' });
});

test('--campaign and --since filter the rows (CLI and admin API alike)', async (t) => {
  const h = await scenario(t);
  const emails = (text: string) => csvObjects(text).map((r) => r.email).sort();
  assert.deepEqual(emails(await exportCli(h, ['signatures', '--campaign', 'water'])), ['evil@example.org', 'later@example.org', 'nuno@example.org']);
  assert.deepEqual(emails(await exportCli(h, ['signatures', '--campaign', 'air'])), ['sum@example.org']);
  assert.deepEqual(emails(await exportCli(h, ['signatures', '--since', '2026-03-03'])), ['later@example.org']);
  assert.deepEqual(emails(await exportCli(h, ['signatures', '--since', '2026-03-04T10:00:00Z'])), ['later@example.org'], 'from that time on, inclusive');
  assert.deepEqual(emails(await exportCli(h, ['signatures', '--campaign', 'air', '--since', '2026-03-03'])), []);
  assert.deepEqual(emails(await exportCli(h, ['subscribers', '--campaign', 'urgent'])), ['emilie@example.org', 'later@example.org']);
  assert.deepEqual(emails(await exportCli(h, ['subscribers', '--since', '2026-03-03'])), ['later@example.org']);
  assert.deepEqual(emails(await exportCli(h, ['registrations', '--campaign', 'other-talk'])), ['later@example.org']);
  assert.deepEqual(emails(await exportCli(h, ['registrations', '--since', '2026-03-03'])), ['later@example.org']);
  const empty = await exportCli(h, ['signatures', '--campaign', 'no-such-petition']);
  assert.equal(empty, EXPORT_COLUMNS.signatures.join(',') + '\r\n', 'only the header');

  const api = await h.api('GET', 'exports/signatures?campaign=water&since=2026-03-03', undefined, { token: h.read });
  assert.equal(api.statusCode, 200, api.body);
  assert.deepEqual(emails(api.body), ['later@example.org']);

  for (const [args, what] of [
    [['signatures', '--since', 'yesterday'], /--since/],
    [['petitions'], /KIND/],
    [['signatures', '--format', 'xlsx'], /--format/],
    [['signatures', '--campaign', 'Not A Slug'], /--campaign/],
  ] as const) {
    const r = await compa(h, ['export', ...args]);
    assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, what);
    assert.equal(r.stdout, '');
  }
});

test('the admin route streams the same content as the command, as an attachment; read token allowed; bad kind or since is a 400 naming it', async (t) => {
  const h = await scenario(t);
  for (const kind of ['subscribers', 'signatures', 'registrations'] as const) {
    for (const format of ['csv', 'jsonl'] as const) {
      const res = await h.api('GET', `exports/${kind}?format=${format}`, undefined, { token: h.read });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.body, await exportCli(h, [kind, '--format', format]), `${kind} ${format}: the same bytes as the command`);
      assert.equal(res.headers['content-type'], format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8');
      assert.equal(res.headers['content-disposition'], `attachment; filename="${kind}.${format}"`);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  }
  const csvByDefault = await h.api('GET', 'exports/signatures?campaign=water', undefined, { token: h.read });
  assert.equal(csvByDefault.headers['content-disposition'], 'attachment; filename="signatures-water.csv"');
  assert.ok(csvByDefault.body.startsWith(EXPORT_COLUMNS.signatures.join(',') + '\r\n'));

  for (const [url, field] of [
    ['exports/petitions', 'kind'],
    ['exports/signatures?since=yesterday', 'since'],
    ['exports/signatures?since=2026-13-45', 'since'],
    ['exports/signatures?format=xlsx', 'format'],
  ] as const) {
    const res = await h.api('GET', url, undefined, { token: h.read });
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.ok(json(res).error.fields?.[field], `${url}: error.fields names ${field}: ${res.body}`);
  }
  assert.equal((await h.api('GET', 'exports/signatures', undefined, { token: null })).statusCode, 401, 'no token, no export');
});

// ---------------------------------------------------------------------------------------------------------
// Streaming

/** Samples the process's memory; at exit writes the peaks (heap used, and the kernel's peak RSS) to MEM_OUT. */
const SAMPLER = `
import { readFileSync, writeFileSync } from 'node:fs';
let heap = 0;
const sample = () => { heap = Math.max(heap, process.memoryUsage().heapUsed); };
setInterval(sample, 5).unref();
process.on('exit', () => {
  sample();
  const hwm = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
  writeFileSync(process.env.MEM_OUT, JSON.stringify({ heap, rss: hwm }));
});
`;

/**
 * Both exports run with a 64 MB heap: 100,000 rows held at once (objects of 17 fields, the CSV text) need several
 * times that, so a buffered export dies of it; one streamed page by page stays near the app's own baseline. V8 grows
 * its heap lazily when it may, so only a bounded heap makes the peaks comparable. (Peak RSS is reported, not
 * asserted: native allocations grow to a plateau of their own, on this machine ~100 MB, whatever the row count.)
 */
test('a 100,000-row export streams: its peak memory is about that of a 10,000-row export', { timeout: 240_000 }, async (t) => {
  const h = await adminHarness(t);
  for (const slug of ['ten-thousand', 'hundred-thousand']) {
    assert.equal((await h.api('PUT', `petitions/${slug}`, petitionBody({ status: 'open' }))).statusCode, 201);
  }
  // Rows written straight into the file (100,000 requests would take too long), encrypted with the server's keys.
  const vault = (h.app.compa.store as KyselyStore).vault;
  const db = new DatabaseSync(h.dbPath);
  t.after(() => db.close());
  db.exec('pragma busy_timeout = 10000');
  const insert = db.prepare(`
    insert into signatures (petition_id, email_hash, email_enc, first_name, last_name, country, comment, locale, status, source,
                            keep_informed, consent_text, consent_locale, created_at, confirmed_at, mails_sent, receipts_sent)
    with recursive n(i) as (select 1 union all select i + 1 from n where i < :rows)
    select :petition, 'bulk.' || :petition || '.' || i, :email, :first, :last, 'CO', :comment, 'es', 'counted', 'form',
           1, 'Mantenedme informada', 'es', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z', 1, 1
    from n`);
  const values = {
    email: vault.encrypt('bulk.signer@example.org', 'email')!,
    first: vault.encrypt('Múltiple', 'first_name')!,
    last: vault.encrypt('=Fórmula', 'last_name')!,
    comment: vault.encrypt('Un comentario, con "comillas"\ny dos líneas', 'comment')!,
  };
  const petitionId = (slug: string) => Number(h.rawRows<{ id: number }>('select id from petitions where slug = ?', slug)[0]!.id);
  db.exec('begin');
  insert.run({ ...values, rows: 10_000, petition: petitionId('ten-thousand') });
  insert.run({ ...values, rows: 100_000, petition: petitionId('hundred-thousand') });
  db.exec('commit');

  const sampler = join(h.dir, 'sampler.mjs');
  writeFileSync(sampler, SAMPLER);
  const measure = async (slug: string) => {
    const out = join(h.dir, `${slug}.csv`);
    const mem = join(h.dir, `${slug}.mem.json`);
    const started = Date.now();
    const r = await compa(h, ['export', 'signatures', '--campaign', slug, '--output', out], {
      nodeArgs: ['--max-old-space-size=64', '--import', sampler],
      env: { MEM_OUT: mem },
      timeout: 180_000,
    });
    assert.equal(r.code, 0, `${slug}: the export must fit in a 64 MB heap: ${r.stderr.slice(0, 500)}`);
    const peaks = JSON.parse(readFileSync(mem, 'utf8')) as { heap: number; rss: number };
    return { file: out, ...peaks, ms: Date.now() - started, stderr: r.stderr };
  };
  const small = await measure('ten-thousand');
  const large = await measure('hundred-thousand');
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  t.diagnostic(`10k rows: heap ${mb(small.heap)}, rss ${mb(small.rss)}, ${small.ms} ms; 100k rows: heap ${mb(large.heap)}, rss ${mb(large.rss)}, ${large.ms} ms`);

  assert.match(large.stderr, /100000 signatures exported/);
  const text = readFileSync(large.file, 'utf8');
  const lines = text.split('\r\n');
  assert.equal(lines.pop(), '', 'the last line ends with CRLF');
  // A record ends with CRLF; the line break inside each comment is a bare LF within its quoted field.
  assert.equal(lines.length, 100_001, 'a header and 100,000 rows');
  assert.equal(lines[0], EXPORT_COLUMNS.signatures.join(','));
  const last = parseCsv(lines.at(-1)! + '\r\n')[0]!;
  assert.equal(last[EXPORT_COLUMNS.signatures.indexOf('email')], 'bulk.signer@example.org');
  assert.equal(last[EXPORT_COLUMNS.signatures.indexOf('last_name')], "'=Fórmula");
  assert.equal(last[EXPORT_COLUMNS.signatures.indexOf('comment')], 'Un comentario, con "comillas"\ny dos líneas');

  // Ten times the rows, about the same memory: read and written page by page, never held whole.
  assert.ok(large.heap < small.heap * 1.5 + 20 * 1048576, `peak heap ${mb(large.heap)} (100k rows) vs ${mb(small.heap)} (10k rows)`);
});
