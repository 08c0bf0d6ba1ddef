/**
 * Sealed mode: the server is configured with the organisation's PUBLIC key only. A supporter's contact data stays
 * readable while mail is due to them (confirmation, receipt, reminders), then is sealed so that only the private
 * key, on the organisation's own computer, opens it: `compa export --private-key`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { generateSealKeyPair, Vault } from '../../src/server/crypto/vault.ts';
import { actionToken } from '../../src/server/petitions/service.ts';
import { createToken } from '../../src/server/admin/tokens.ts';
import type { KyselyStore } from '../../src/server/store/kysely-store.ts';
import { DAY, HOUR, REPO_ROOT, changePetition, createPetition, harness, linkIn, pathOf, signature, subscription, OPEN_PETITION, type Harness } from './helpers.ts';
import { createWebinar, register, registration } from './webinar-fixtures.ts';
import { syncClock } from './privacy-fixtures.ts';

const run = promisify(execFile);
const MINUTE = 60_000;

async function sealedHarness(t: import('node:test').TestContext) {
  const kp = await generateSealKeyPair();
  const h = await harness(t, { env: { COMPA_SEAL_PUBLIC_KEY: kp.publicKey.toString('base64') } });
  const privateKeyFile = join(h.dir, 'organisation.key');
  writeFileSync(privateKeyFile, `${kp.privateKey.toString('base64')}\n`, { mode: 0o600 });
  return Object.assign(h, { privateKeyFile, publicKey: kp.publicKey.toString('base64') });
}

/** Lets the job loop's periodic tasks run again (sealing runs every minute), then runs every due job. */
async function minuteLater(h: Harness): Promise<void> {
  h.clock.advance(MINUTE + 1000);
  await h.drain();
}

const stored = (h: Harness, table: string, id: number) => h.rawRows<Record<string, string | null>>(`select * from ${table} where id = ?`, id)[0]!;
/** A row's id by its keyed hash (a sealed row can't be found by its address in clear). */
const idOf = (h: Harness, table: string, email: string) =>
  h.rawRows<{ id: number }>(`select id from ${table} where email_hash = ?`, (h.app.compa.store as KyselyStore).vault.lookup(email))[0]!.id;

/** Runs `compa …` in a child process on the harness's database (same keys: env and the key file beside it). */
async function compa(h: Harness & { publicKey: string }, args: string[], env: Record<string, string> = {}) {
  try {
    const out = await run(process.execPath, [join(REPO_ROOT, 'bin/compa.js'), ...args], {
      env: {
        PATH: process.env.PATH,
        COMPA_DATABASE_URL: `sqlite:${h.dbPath}`,
        COMPA_OUTBOX_DIR: h.outboxDir,
        COMPA_DEMO: 'false',
        COMPA_LOG_LEVEL: 'silent',
        COMPA_SEAL_PUBLIC_KEY: h.publicKey,
        ...env,
      },
    });
    return { code: 0, ...out };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('a signature is readable until its receipt is sent, then sealed: the server and its keys can no longer read it', async (t) => {
  const h = await sealedHarness(t);
  const who = { email: 'sealed.signer@example.org', firstName: 'Maribel', lastName: 'Cuesta', comment: 'Desde Ginebra' };
  assert.equal((await h.sign(OPEN_PETITION, signature(who))).statusCode, 202);
  const id = idOf(h, 'signatures', who.email);
  assert.match(stored(h, 'signatures', id).email_enc!, /^c1\./, 'readable while its receipt is due');
  await h.drain();
  assert.ok(h.mails.some((m) => m.to === who.email), 'the receipt went out');
  await minuteLater(h);
  const row = stored(h, 'signatures', id);
  for (const c of ['email_enc', 'first_name', 'last_name', 'comment']) assert.match(row[c]!, /^s1\./, `${c} sealed`);
  // A copy of the server with its configuration: its vault opens none of it.
  const vault = new Vault({ ...(await import('../../src/server/crypto/keys.ts')).loadKeys(h.config).keys });
  assert.equal(vault.decrypt(row.email_enc!, 'email'), null);
  const sig = await h.app.compa.store.getSignature(id);
  assert.equal(sig?.email, '', 'the store has no address for it');
  assert.equal(sig?.sealed, true);
  // Counts are unaffected; the admin's private key opens it.
  const out = await compa(h, ['export', 'signatures', '--campaign', OPEN_PETITION, '--format', 'jsonl', '--private-key', h.privateKeyFile]);
  assert.equal(out.code, 0, out.stderr);
  const rows = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  const mine = rows.find((r) => r.email === who.email);
  assert.ok(mine, 'the private key opens the sealed row');
  assert.deepEqual([mine.first_name, mine.last_name, mine.comment], [who.firstName, who.lastName, who.comment]);
  const refused = await compa(h, ['export', 'signatures']);
  assert.equal(refused.code, 69, 'without the private key, sealed rows stop the export');
  assert.match(refused.stderr, /--private-key/);
});

test('a subscriber stays readable until confirmed (the confirmation mail may be resent), then is sealed', async (t) => {
  const h = await sealedHarness(t);
  const body = subscription({ firstName: 'Rosalba' });
  await h.subscribe(body);
  await h.drain();
  await minuteLater(h);
  const id = idOf(h, 'subscribers', body.email as string);
  assert.match(stored(h, 'subscribers', id).email_enc!, /^c1\./, 'not sealed while awaiting confirmation');
  const confirm = linkIn(h.mails.at(-1)!.text, h.config.publicUrl, '/newsletter/confirm');
  assert.ok((await h.inject({ url: pathOf(confirm) })).statusCode < 400);
  await minuteLater(h);
  assert.match(stored(h, 'subscribers', id).email_enc!, /^s1\./, 'sealed once confirmed');
  assert.match(stored(h, 'subscribers', id).first_name!, /^s1\./);

  // Subscribing again brings the address again: readable (and mailed) again until confirmed.
  const again = await h.subscribe({ ...body, lists: ['urgent-actions'] });
  assert.equal(again.statusCode, 202);
  assert.match(stored(h, 'subscribers', id).email_enc!, /^c1\./);
  const before = h.mails.length;
  await h.drain();
  assert.equal(h.mails.length, before + 1, 'the confirmation for the new list went out');
  assert.equal(h.mails.at(-1)!.to, body.email);
});

test('one-click action link of a sealed subscriber: it signs (counted, deduplicated) without the server reading who', async (t) => {
  const h = await sealedHarness(t);
  const body = subscription({ firstName: 'Nelly', lists: ['urgent-actions'] });
  await h.subscribe(body);
  await h.drain();
  await h.inject({ url: pathOf(linkIn(h.mails.at(-1)!.text, h.config.publicUrl, '/newsletter/confirm')) });
  await minuteLater(h);
  const subId = idOf(h, 'subscribers', body.email as string);
  assert.match(stored(h, 'subscribers', subId).email_enc!, /^s1\./);
  const p = await createPetition(h, { verification: 'email' });
  const token = actionToken(h.app.compa, p, subId);
  const who = await h.inject({ url: `/api/v1/petitions/${p.slug}/supporter?t=${encodeURIComponent(token)}` });
  assert.equal(who.statusCode, 200);
  assert.deepEqual(JSON.parse(who.body), { displayName: null }, 'the server cannot say whose link it is');
  const mails = h.mails.length;
  for (let i = 0; i < 2; i++) assert.equal((await h.sign(p.slug, { actionToken: token, locale: 'es' })).statusCode, 202);
  assert.equal((await h.app.compa.store.getPetition(p.slug))!.count, 1, 'counted once');
  const sig = h.rawRows<{ email_enc: string; email_hash: string }>('select email_enc, email_hash from signatures where petition_id = ?', p.id);
  assert.equal(sig.length, 1);
  assert.match(sig[0]!.email_enc, /^s1\./, 'stored sealed');
  assert.equal(sig[0]!.email_hash, new Vault((await import('../../src/server/crypto/keys.ts')).loadKeys(h.config).keys).lookup(body.email as string));
  await h.drain();
  assert.equal(h.mails.length, mails, 'no receipt can be mailed');
  // The same person signing by the form later is the same signature (the keyed hash matches).
  assert.equal((await h.sign(p.slug, signature({ email: body.email }))).statusCode, 202);
  assert.equal(h.rawRows('select id from signatures where petition_id = ?', p.id).length, 1);
});

test('an unverified signer whose row was sealed signs again: the confirm link is mailed again to the address they typed', async (t) => {
  const h = await sealedHarness(t);
  const p = await createPetition(h, { verification: 'email' });
  const body = signature({ email: 'again.sealed@example.org' });
  await h.sign(p.slug, body);
  await h.drain();
  await minuteLater(h);
  const id = idOf(h, 'signatures', body.email as string);
  assert.match(stored(h, 'signatures', id).email_enc!, /^s1\./, 'sealed after its confirm mail');
  await h.sign(p.slug, body);
  assert.match(stored(h, 'signatures', id).email_enc!, /^c1\./, 'readable again while a mail is due');
  const before = h.mails.length;
  await h.drain();
  assert.equal(h.mails.length, before + 1);
  assert.equal(h.mails.at(-1)!.to, body.email);
  const confirm = linkIn(h.mails.at(-1)!.text, h.config.publicUrl, '/petitions/confirm');
  await h.inject({ method: 'POST', url: pathOf(confirm) });
  assert.equal((await h.app.compa.store.getPetition(p.slug))!.count, 1, 'the confirm link works on the row');
  await minuteLater(h);
  assert.match(stored(h, 'signatures', id).email_enc!, /^s1\./, 'and it is sealed again');
});

test('a registration stays readable for its reminders until the webinar is over, then is sealed', async (t) => {
  const h = await sealedHarness(t);
  const w = await createWebinar(h, {}, 2 * DAY);
  const body = registration({ name: 'Dayana Palacios' });
  assert.ok((await register(h, w.slug, body)).statusCode < 300);
  await h.drain();
  await minuteLater(h);
  const id = idOf(h, 'registrations', body.email as string);
  assert.match(stored(h, 'registrations', id).email_enc!, /^c1\./);
  h.clock.advance(2 * DAY - HOUR);
  await h.drain();
  assert.ok(h.mails.filter((m) => m.to === body.email).length >= 2, 'the reminder reached the registrant');
  h.clock.advance(3 * HOUR);
  await h.drain();
  const row = stored(h, 'registrations', id);
  for (const c of ['email_enc', 'name', 'answers']) assert.match(row[c]!, /^s1\./, `${c} sealed after the webinar`);
  const out = await compa(h, ['export', 'registrations', '--format', 'jsonl', '--private-key', h.privateKeyFile]);
  assert.equal(out.code, 0, out.stderr);
  const mine = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { email: string; name: string; answers: unknown }).find((r) => r.email === body.email);
  assert.deepEqual([mine?.name, mine?.answers], ['Dayana Palacios', body.answers]);
});

test('`compa export --server` opens sealed rows on the organisation’s computer: the server sends them sealed', async (t) => {
  const h = await sealedHarness(t);
  const who = signature({ email: 'remote.sealed@example.org', firstName: 'Yesenia' });
  await h.sign(OPEN_PETITION, who);
  await h.drain();
  await minuteLater(h);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const token = (await createToken(h.app.compa, { name: 'export laptop', scope: 'read' })).token;
  // What travels: the sealed value, not the address.
  const raw = await fetch(`${url}/api/v1/admin/exports/signatures?format=jsonl`, { headers: { authorization: `Bearer ${token}` } });
  const text = await raw.text();
  assert.equal(raw.status, 200);
  assert.ok(!text.includes('remote.sealed@example.org') && text.includes('"s1.'), 'the server sends sealed values as they are');
  const out = await compa(h, ['export', 'signatures', '--server', url, '--private-key', h.privateKeyFile], { COMPA_ADMIN_TOKEN: token });
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split('\r\n');
  assert.ok(lines[0]!.startsWith('id,campaign,email,first_name'));
  assert.ok(lines.some((l) => l.includes('remote.sealed@example.org') && l.includes('Yesenia')), 'opened locally');
  const without = await compa(h, ['export', 'signatures', '--server', url], { COMPA_ADMIN_TOKEN: token });
  assert.equal(without.code, 69);
});

test('`compa action-links` for sealed subscribers needs the private key, which opens their addresses for the mailing', async (t) => {
  const h = await sealedHarness(t);
  const body = subscription({ firstName: 'Leidy', lists: ['urgent-actions'] });
  await h.subscribe(body);
  await h.drain();
  await h.inject({ url: pathOf(linkIn(h.mails.at(-1)!.text, h.config.publicUrl, '/newsletter/confirm')) });
  await minuteLater(h);
  const args = ['action-links', '--petition', OPEN_PETITION, '--page', 'https://example.org/act', '--list', 'urgent-actions'];
  const refused = await compa(h, args);
  assert.equal(refused.code, 69, refused.stderr);
  assert.match(refused.stderr, /--private-key/);
  const out = await compa(h, [...args, '--private-key', h.privateKeyFile]);
  assert.equal(out.code, 0, out.stderr);
  const line = out.stdout.split('\n').find((l) => l.startsWith(`${body.email},`));
  assert.ok(line?.includes(',Leidy,https://example.org/act?'), out.stdout);
});

test('a confirmed subscriber who asked for another list and never confirmed it is sealed once that request expires', async (t) => {
  const h = await sealedHarness(t);
  const body = subscription({ firstName: 'Yurani' });
  await h.subscribe(body);
  await h.drain();
  await h.inject({ url: pathOf(linkIn(h.mails.at(-1)!.text, h.config.publicUrl, '/newsletter/confirm')) });
  await h.subscribe({ ...body, lists: ['urgent-actions'] });
  await h.drain();
  await minuteLater(h);
  const id = idOf(h, 'subscribers', body.email as string);
  assert.match(stored(h, 'subscribers', id).email_enc!, /^c1\./, 'readable while the second confirmation may be clicked');
  h.clock.advance(8 * DAY);
  await h.drain(); // the hourly purge: the unconfirmed request expired with its link
  await minuteLater(h);
  assert.match(stored(h, 'subscribers', id).email_enc!, /^s1\./, 'sealed: no mail is due any more');
  const statuses = h.rawRows<{ status: string }>('select status from subscriptions where subscriber_id = ?', id).map((r) => r.status);
  assert.deepEqual(statuses, ['confirmed'], 'the expired request is gone, the confirmed list stays');
});

test('a sealed signer who signs again ticking "keep me informed" gets the newsletter confirmation at the address typed', async (t) => {
  const h = await sealedHarness(t);
  const body = signature({ email: 'later.informed@example.org' });
  await h.sign(OPEN_PETITION, body);
  await h.drain();
  await minuteLater(h);
  assert.match(stored(h, 'signatures', idOf(h, 'signatures', body.email as string)).email_enc!, /^s1\./);
  const again = await h.sign(OPEN_PETITION, { ...body, keepInformed: true, consentText: 'Keep me informed about urgent actions.' });
  assert.equal(again.statusCode, 202);
  await h.drain();
  await h.drain();
  const confirm = h.mails.filter((m) => m.to === body.email).at(-1)!;
  assert.match(confirm.text, /\/newsletter\/confirm\?t=/, 'the newsletter confirmation went out');
  assert.ok(h.rawRows('select id from subscribers where email_hash = ?', (h.app.compa.store as KyselyStore).vault.lookup(body.email as string)).length === 1);
});

test('once a petition closes its sealed signatures lose their hash: only the private key finds them, also to erase', async (t) => {
  const h = await sealedHarness(t);
  const p = await createPetition(h);
  const email = 'unlinked.signer@example.org';
  await h.sign(p.slug, signature({ email, firstName: 'Zoraida' }));
  await h.drain();
  await minuteLater(h);
  const id = idOf(h, 'signatures', email);
  assert.match(stored(h, 'signatures', id).email_hash!, /^h1\./, 'while the petition is open the hash stays (one signature per address)');
  await changePetition(h, p.slug, { status: 'closed' });
  await minuteLater(h);
  assert.equal(stored(h, 'signatures', id).email_hash, `sealed.${id}`, 'closed: a guessed address can no longer be tested');
  assert.equal((await h.app.compa.store.getPetition(p.slug))!.count, 1);

  syncClock(h);
  const blind = await compa(h, ['erase', email]);
  assert.equal(blind.code, 0, blind.stderr);
  assert.match(blind.stderr, /1 sealed row\(s\) of closed campaigns can only be matched with the private key/);
  assert.match(stored(h, 'signatures', id).email_enc!, /^s1\./, 'without the key the row could not be found');
  // With the key, and the address on stdin (not in the shell history).
  const child = execFile(process.execPath, [join(REPO_ROOT, 'bin/compa.js'), 'erase', '-', '--private-key', h.privateKeyFile], {
    env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${h.dbPath}`, COMPA_OUTBOX_DIR: h.outboxDir, COMPA_DEMO: 'false', COMPA_LOG_LEVEL: 'silent', COMPA_SEAL_PUBLIC_KEY: h.publicKey },
  });
  child.stdin!.end(`${email}\n`);
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  assert.equal(code, 0);
  assert.match(out, /erased: 0 subscriber, 1 signature/);
  const row = stored(h, 'signatures', id);
  assert.equal(row.email_hash, `erased.${id}`);
  assert.equal(row.email_enc, '');
  assert.equal((await h.app.compa.store.getPetition(p.slug))!.count, 1, 'the count stays');
});

test('an export stopped by sealed rows leaves no partial file; a finished one replaces the file, readable by its owner only', async (t) => {
  const h = await sealedHarness(t);
  await h.sign(OPEN_PETITION, signature({ email: 'partial.file@example.org' }));
  await h.drain();
  await minuteLater(h);
  const file = join(h.dir, 'signatures.csv');
  writeFileSync(file, 'an older export\n', { mode: 0o644 });
  const refused = await compa(h, ['export', 'signatures', '--output', file]);
  assert.equal(refused.code, 69);
  assert.equal(readFileSync(file, 'utf8'), 'an older export\n', 'the older file is untouched');
  assert.deepEqual(readdirSync(h.dir).filter((n) => n.includes('.partial-')), [], 'no partial file left behind');
  const done = await compa(h, ['export', 'signatures', '--output', file, '--private-key', h.privateKeyFile]);
  assert.equal(done.code, 0, done.stderr);
  assert.ok(readFileSync(file, 'utf8').includes('partial.file@example.org'));
  assert.equal(statSync(file).mode & 0o077, 0, 'readable by its owner only');
});
