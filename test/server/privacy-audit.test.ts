/**
 * The audit log records who took supporters' data out or erased it (admin exports and registration lists, the
 * export/erase/retention/keys commands): who, what, when — with counts and slugs, never an address.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminHarness, auditRows } from './admin-helpers.ts';
import { createPetition, signature } from './helpers.ts';
import { compa, syncClock } from './privacy-fixtures.ts';

test('an admin export is recorded with the token that took it; an erasure by command is recorded without the address', async (t) => {
  const h = await adminHarness(t);
  syncClock(h);
  const p = await createPetition(h);
  const email = 'audited.person@example.org';
  assert.equal((await h.sign(p.slug, signature({ email, firstName: 'Auditada' }))).statusCode, 202);

  const res = await h.api('GET', `exports/signatures?format=jsonl&campaign=${p.slug}`, undefined, { token: h.read });
  assert.equal(res.statusCode, 200);
  assert.ok(res.body.includes(email), 'the export holds the supporter');
  const exportEntry = auditRows(h).find((r) => r.route === '/api/v1/admin/exports/:kind');
  assert.ok(exportEntry, 'the export is in the audit log');
  assert.equal(exportEntry.token_name, 'test reader');
  assert.deepEqual(JSON.parse(exportEntry.target), { kind: 'signatures' });

  const out = await compa(h, ['erase', email]);
  assert.equal(out.code, 0, out.stderr);
  const erase = auditRows(h).find((r) => r.route === 'erase');
  assert.ok(erase, 'the erasure is in the audit log');
  assert.equal(erase.method, 'CLI');
  assert.equal(erase.token_name, 'compa erase (command)');
  assert.deepEqual(JSON.parse(erase.target), { subscribers: '0', signatures: '1', registrations: '0' });
  assert.ok(!JSON.stringify(auditRows(h)).toLowerCase().includes('audited.person'), 'no address anywhere in the audit log');

  const exp = await compa(h, ['export', 'signatures', '--campaign', p.slug, '--format', 'jsonl']);
  assert.equal(exp.code, 0, exp.stderr);
  const cliExport = auditRows(h).find((r) => r.route === 'export signatures');
  assert.deepEqual(JSON.parse(cliExport!.target), { campaign: p.slug, rows: '0' }, 'the erased row is not exported');
});

test('erasing someone whose signature was never confirmed removes it whole: its confirm link can no longer count it', async (t) => {
  const h = await adminHarness(t);
  const p = await createPetition(h, { verification: 'email' });
  const email = 'never.confirmed@example.org';
  await h.sign(p.slug, signature({ email }));
  await h.drain();
  const confirm = h.mails.find((m) => m.to === email)!.text.match(/https?:\/\/\S+\/petitions\/confirm\?t=\S+/)![0];
  const erased = await h.api('POST', 'erasures', { email });
  assert.equal(erased.statusCode, 200, erased.body);
  assert.equal(JSON.parse(erased.body).signatures, 1);
  assert.equal(h.rows('select id from signatures where petition_id = ?', p.id).length, 0, 'the pending signature is gone');
  await h.inject({ method: 'POST', url: new URL(confirm).pathname + new URL(confirm).search });
  assert.equal((await h.app.compa.store.getPetition(p.slug))!.count, 0, 'the old confirm link counts nobody');
});

test('organiser commands that change content are in the audit log too (import, here), with ids and outcomes only', async (t) => {
  const h = await adminHarness(t);
  syncClock(h);
  const file = join(h.dir, 'content.json');
  writeFileSync(file, JSON.stringify({ lists: [{ slug: 'audited-list', texts: { en: { name: 'Audited', description: 'A list.' } } }] }));
  const out = await compa(h, ['import', file]);
  assert.equal(out.code, 0, out.stderr);
  const entry = auditRows(h).find((r) => r.route === 'import');
  assert.ok(entry, 'the import is in the audit log');
  assert.equal(entry.token_name, 'compa import (command)');
  assert.deepEqual(JSON.parse(entry.target), { items: 'list:audited-list:created' });
});
