import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
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
