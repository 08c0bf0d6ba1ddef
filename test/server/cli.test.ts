import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { REPO_ROOT, harness, linkIn, pathOf, subscription } from './helpers.ts';

const run = promisify(execFile);
const SLUG = 'protect-rio-verde-defenders';

function cli(dbPath: string, ...args: string[]) {
  return run(process.execPath, [join(REPO_ROOT, 'src/server/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${dbPath}`, COMPA_LOG_LEVEL: 'silent' },
  });
}

test('action-links prints a one-click link per confirmed subscriber; the link signs that petition as that supporter', async (t) => {
  const h = await harness(t);
  // One confirmed subscriber of urgent-actions, one who never confirmed.
  const confirmed = subscription({ email: 'ana@example.org', firstName: 'Ana', lists: ['urgent-actions'] });
  assert.equal((await h.subscribe(confirmed)).statusCode, 202);
  await h.drain();
  assert.equal((await h.inject({ url: pathOf(linkIn(h.mails[0]!.text, h.config.publicUrl, '/newsletter/confirm')) })).statusCode, 200);
  assert.equal((await h.subscribe(subscription({ email: 'pending@example.org', lists: ['urgent-actions'] }))).statusCode, 202);

  const { stdout } = await cli(h.dbPath, 'action-links', '--petition', SLUG, '--page', 'https://org.example/act?x=1', '--list', 'urgent-actions');
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], 'email,first_name,link');
  assert.equal(lines.length, 2, 'only the confirmed subscriber gets a link');
  const [email, firstName, link] = lines[1]!.split(',');
  assert.equal(email, 'ana@example.org');
  assert.equal(firstName, 'Ana');
  const url = new URL(link!);
  assert.equal(url.origin + url.pathname, 'https://org.example/act');
  assert.equal(url.searchParams.get('x'), '1', 'the page’s own parameters are kept');
  assert.equal(url.searchParams.get('compa_campaign'), SLUG, 'names the petition, for pages that hold several');
  const token = url.searchParams.get('compa_action')!;

  const who = await h.inject({ url: `/api/v1/petitions/${SLUG}/supporter?t=${encodeURIComponent(token)}` });
  assert.deepEqual(who.json(), { displayName: 'Ana' });
  const signed = await h.inject({
    method: 'POST',
    url: `/api/v1/petitions/${SLUG}/signatures`,
    headers: { 'content-type': 'application/json' },
    payload: { actionToken: token, locale: 'en' },
  });
  assert.equal(signed.statusCode, 202, signed.body);
  assert.equal(signed.json().status, 'counted');
  const rows = h.rows<{ email: string; source: string }>('select email, source from signatures');
  assert.deepEqual(rows.map((r) => ({ ...r })), [{ email: 'ana@example.org', source: 'link' }]);

  // The same token does not sign another petition.
  const other = await h.inject({
    method: 'POST',
    url: '/api/v1/petitions/release-maria-lopez/signatures',
    headers: { 'content-type': 'application/json' },
    payload: { actionToken: token, locale: 'en' },
  });
  assert.ok(other.statusCode === 400 || other.statusCode === 409, other.body);
});

test('action-links refuses bad arguments with a message naming them, and exits non-zero', async (t) => {
  const h = await harness(t);
  await assert.rejects(cli(h.dbPath, 'action-links', '--petition', SLUG, '--page', 'javascript:alert(1)', '--list', 'urgent-actions'), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 64);
    assert.match(e.stderr, /--page/);
    return true;
  });
  await assert.rejects(cli(h.dbPath, 'action-links', '--petition', 'nope', '--page', 'https://org.example/', '--list', 'urgent-actions'), (e: { code: number; stderr: string }) => {
    assert.match(e.stderr, /--petition: no petition "nope"/);
    return true;
  });
  await assert.rejects(cli(h.dbPath, 'action-links', '--petition', SLUG, '--page', 'https://org.example/'), (e: { stderr: string }) => {
    assert.match(e.stderr, /usage/);
    return true;
  });
});

test('action-links neutralises spreadsheet formulas in names', async (t) => {
  const h = await harness(t);
  assert.equal((await h.subscribe(subscription({ email: 'formula@example.org', firstName: '=HYPERLINK("http://evil")', lists: ['urgent-actions'] }))).statusCode, 202);
  await h.drain();
  assert.equal((await h.inject({ url: pathOf(linkIn(h.mails[0]!.text, h.config.publicUrl, '/newsletter/confirm')) })).statusCode, 200);
  const { stdout } = await cli(h.dbPath, 'action-links', '--petition', SLUG, '--page', 'https://org.example/', '--list', 'urgent-actions');
  const row = stdout.trim().split('\n')[1]!;
  assert.ok(row.startsWith(`formula@example.org,"'=HYPERLINK(""http://evil"")",`), row);
});

const PETITION_FILE = {
  slug: 'free-the-river-guards',
  status: 'open',
  goal: 300,
  deadline: '2099-12-15T18:00:00-05:00',
  verification: 'email',
  lastName: 'required',
  keepInformedList: 'urgent-actions',
  texts: {
    en: { title: 'Free the river guards', summary: 'Three guards were detained.', body: '<p>Act <strong>now</strong>.</p><script>alert(1)</script>', target: 'the Governor' },
    es: { title: 'Liberen a los guardianes del río', summary: 'Tres guardianes fueron detenidos.', body: '<p>Actúa ya.</p>', target: 'el Gobernador' },
  },
};

test('petition-put publishes a petition from a JSON file (body sanitised), and updates it without touching the count', async (t) => {
  const h = await harness(t);
  const file = join(h.dir, 'petition.json');
  await writeFile(file, JSON.stringify(PETITION_FILE));
  const { stderr } = await cli(h.dbPath, 'petition-put', file);
  assert.match(stderr, /created petition "free-the-river-guards"/);
  h.app.petitions.forget();
  const res = await h.inject({ url: '/api/v1/petitions/free-the-river-guards?locale=es' });
  assert.equal(res.statusCode, 200, res.body);
  const p = res.json();
  assert.equal(p.title, 'Liberen a los guardianes del río');
  assert.deepEqual([p.status, p.goal, p.verification, p.lastName, p.keepInformed?.list], ['open', 300, 'email', 'required', 'urgent-actions']);
  assert.equal(p.deadline, '2099-12-15T23:00:00.000Z');
  const en = (await h.inject({ url: '/api/v1/petitions/free-the-river-guards?locale=en' })).json();
  assert.equal(en.bodyHtml, '<p>Act <strong>now</strong>.</p>', 'the script is gone');

  // A signature, then an update: the count stays.
  const signed = await h.inject({
    method: 'POST',
    url: '/api/v1/petitions/free-the-river-guards/signatures',
    headers: { 'content-type': 'application/json' },
    payload: { firstName: 'Ana', lastName: 'G', email: 'a@example.org', country: 'CO', locale: 'es' },
  });
  assert.equal(signed.statusCode, 202, signed.body);
  await h.drain();
  await h.inject({ method: 'POST', url: pathOf(linkIn(h.mails.at(-1)!.text, h.config.publicUrl, '/petitions/confirm')) });
  await writeFile(file, JSON.stringify({ ...PETITION_FILE, status: 'closed', texts: { ...PETITION_FILE.texts, en: { ...PETITION_FILE.texts.en, outcome: 'They were released.' } } }));
  assert.match((await cli(h.dbPath, 'petition-put', file)).stderr, /updated/);
  h.app.petitions.forget();
  const after = (await h.inject({ url: '/api/v1/petitions/free-the-river-guards?locale=en' })).json();
  assert.deepEqual([after.status, after.outcome, after.count], ['closed', 'They were released.', 1]);

  const { stdout } = await cli(h.dbPath, 'petitions');
  assert.match(stdout, /free-the-river-guards\tclosed\t1 \/ 300\ten,es/);
});

test('petition-put refuses a file with mistakes, naming each field, and writes nothing', async (t) => {
  const h = await harness(t);
  const file = join(h.dir, 'bad.json');
  await writeFile(file, JSON.stringify({ ...PETITION_FILE, slug: 'Bad Slug', goal: 0, deadline: 'next friday', extra: 1, texts: { en: { title: '' } } }));
  await assert.rejects(cli(h.dbPath, 'petition-put', file), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 65);
    for (const field of ['slug', 'goal', 'deadline', 'texts.en.title', 'texts.en.summary', 'texts.en.target']) assert.match(e.stderr, new RegExp(`json: ${field.replaceAll('.', '\\.')}: `), field);
    assert.match(e.stderr, /extra/);
    return true;
  });
  await writeFile(file, JSON.stringify({ ...PETITION_FILE, keepInformedList: 'no-such-list' }));
  await assert.rejects(cli(h.dbPath, 'petition-put', file), (e: { stderr: string }) => /keepInformedList: no newsletter list/.test(e.stderr));
  assert.equal(h.counts().petitions, 2, 'only the demo petitions');
});
