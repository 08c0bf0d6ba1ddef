/**
 * Supporters' personal data at rest: what a copy of the database file (and its WAL) reveals — nothing — and the
 * keys around it: a wrong lookup key or a missing data key refuses to start, keys rotate, altered values don't
 * authenticate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, existsSync, copyFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../src/server/app.ts';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { loadSodium, Vault, VaultError } from '../../src/server/crypto/vault.ts';
import { PrivacyStore } from '../../src/server/store/privacy-store.ts';
import type { KyselyStore } from '../../src/server/store/kysely-store.ts';
import { harness, signature, subscription, OPEN_PETITION, linkIn, pathOf, type Harness } from './helpers.ts';
import { createWebinar, register, registration } from './webinar-fixtures.ts';

/** Known supporters, written through the public API as they would: a subscriber, a signer, a registrant. */
export const PEOPLE = {
  subscriber: { email: 'Xiomara.Quintero-Sub@Example.org', firstName: 'Xiomara' },
  signer: { email: 'wilfredo.arboleda-sig@example.net', firstName: 'Wilfredo', lastName: 'Arboleda', comment: 'Acompaño desde Lyon, fuerza compañeras' },
  registrant: { email: 'yuleidy.mosquera-reg@example.com', name: 'Yuleidy Mosquera', org: 'Colectivo Tejiendo' },
};

export async function writeSupporters(h: Harness): Promise<void> {
  // With Idempotency-Keys, as the widgets send them: the stored answers and request hashes are searched too.
  const s = await h.subscribe(subscription({ email: PEOPLE.subscriber.email, firstName: PEOPLE.subscriber.firstName }), { 'Idempotency-Key': 'sub-1' });
  assert.equal(s.statusCode, 202, s.body);
  const g = await h.sign(OPEN_PETITION, signature({ ...PEOPLE.signer, country: 'FR', keepInformed: true, consentText: 'Keep me informed.' }), { 'Idempotency-Key': 'sig-1' });
  assert.equal(g.statusCode, 202, g.body);
  const w = await createWebinar(h);
  const r = await register(h, w.slug, registration({ email: PEOPLE.registrant.email, name: PEOPLE.registrant.name, answers: { role: 'press', org: PEOPLE.registrant.org } }), {
    'Idempotency-Key': 'reg-1',
  });
  assert.ok(r.statusCode < 300, r.body);
  await h.drain();
  await h.drain();
}

/** Every string a supporter gave that identifies them, in the spellings a search would try. */
function needles(): string[] {
  const p = PEOPLE;
  const all = [p.subscriber.email, p.subscriber.firstName, p.signer.email, p.signer.firstName, p.signer.lastName, p.signer.comment, p.registrant.email, p.registrant.name, p.registrant.org];
  return all.flatMap((s) => [s, s.toLowerCase()]).concat(all.filter((s) => s.includes('@')).map((s) => s.split('@')[0]!.toLowerCase()));
}

function findIn(file: string, words: string[]): string[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  return words.filter((w) => bytes.includes(Buffer.from(w, 'utf8')) || bytes.includes(Buffer.from(w, 'utf16le')));
}

test('a copy of the database file and its WAL holds no supporter’s address, name, comment or answer', async (t) => {
  const h = await harness(t);
  await writeSupporters(h);
  // The server itself still reads them: its mail went to each address, and the store opens each record.
  for (const email of [PEOPLE.subscriber.email.toLowerCase(), PEOPLE.signer.email, PEOPLE.registrant.email]) {
    assert.ok(h.mails.some((m) => m.to === email), `mail went to ${email}`);
  }
  const sub = await h.app.compa.store.getSubscriberByEmail(PEOPLE.subscriber.email);
  assert.equal(sub?.firstName, 'Xiomara');
  assert.equal(h.rows<{ comment: string }>('select comment from signatures where email = ?', PEOPLE.signer.email)[0]?.comment, PEOPLE.signer.comment);

  const wal = `${h.dbPath}-wal`;
  assert.ok(existsSync(wal) && statSync(wal).size > 0, 'the WAL holds the recent writes (searched too)');
  assert.deepEqual(findIn(h.dbPath, needles()), [], 'nothing personal in the database file');
  assert.deepEqual(findIn(wal, needles()), [], 'nothing personal in the WAL');
  // The stored values are ciphertext and keyed hashes.
  const raw = h.rawRows<{ email_hash: string; email_enc: string; first_name: string }>('select email_hash, email_enc, first_name from signatures');
  assert.ok(raw.length > 0);
  for (const r of raw) {
    assert.match(r.email_hash, /^h1\.[\w-]{22}$/);
    assert.match(r.email_enc, /^c1\.k1\./);
    assert.match(r.first_name, /^c1\.k1\./);
  }
  // The keys are not in the database: a generated key file beside it, readable by its owner only.
  assert.equal(statSync(h.config.keyFile).mode & 0o077, 0, 'the key file is private');
  const keyText = readFileSync(h.config.keyFile, 'utf8');
  const dataKey = /COMPA_DATA_KEYS=k1:(\S+)/.exec(keyText)![1]!;
  assert.deepEqual(findIn(h.dbPath, [dataKey]), [], 'the data key is not in the database');
});

test('the same address in another case is the same supporter (keyed hash of the normalised address)', async (t) => {
  const h = await harness(t);
  const email = 'Camila.Rueda@Example.org';
  assert.equal((await h.sign(OPEN_PETITION, signature({ email }))).statusCode, 202);
  assert.equal((await h.sign(OPEN_PETITION, signature({ email: email.toUpperCase() }))).statusCode, 202);
  assert.equal(h.rows('select id from signatures where email = ?', email.toLowerCase()).length, 1, 'one signature, not two');
});

test('an altered or moved value does not authenticate: the vault refuses it instead of returning something else', async () => {
  await loadSodium();
  const vault = new Vault({ dataKeys: [{ id: 'k1', key: randomBytes(32) }], lookupKey: randomBytes(32), sealPublicKey: null });
  const c = vault.encrypt('Ana María', 'first_name');
  assert.equal(vault.decrypt(c, 'first_name'), 'Ana María');
  const raw = Buffer.from(c.split('.')[2]!, 'base64url');
  raw[14] = raw[14]! ^ 1;
  assert.throws(() => vault.decrypt(`c1.k1.${raw.toString('base64url')}`, 'first_name'), VaultError, 'a flipped bit');
  assert.throws(() => vault.decrypt(c, 'last_name'), VaultError, 'a first name pasted into the last-name column');
  const other = new Vault({ dataKeys: [{ id: 'k1', key: randomBytes(32) }], lookupKey: randomBytes(32), sealPublicKey: null });
  assert.throws(() => other.decrypt(c, 'first_name'), VaultError, 'another key with the same id');
  assert.notEqual(vault.encrypt('Ana María', 'first_name'), c, 'a fresh nonce each time: equal names do not look equal');
});

const key = () => randomBytes(32).toString('base64');

test('keys rotate: a new first key encrypts new values, `rotate` re-encrypts the old ones, then the old key can go', async (t) => {
  const k1 = key();
  const lookup = key();
  const env = (keys: string) => ({ COMPA_DATA_KEYS: keys, COMPA_LOOKUP_KEY: lookup });
  const h = await harness(t, { env: env(`k1:${k1}`) });
  await writeSupporters(h);
  const base = { ...h.config };
  await h.app.close();

  const k2 = key();
  const open = async (keys: string) => {
    const config = { ...base, ...loadConfig({ COMPA_DATABASE_URL: base.databaseUrl, COMPA_DEMO: 'false', COMPA_LOG_LEVEL: 'silent', ...env(keys) }) };
    return buildApp({ config, runJobs: false, logger: false, mailer: { send: async () => {}, close: async () => {} } });
  };
  // Without k1 while values still use it: refused, naming the variable and the key.
  await assert.rejects(open(`k2:${k2}`), (err: unknown) => err instanceof ConfigError && err.variable === 'COMPA_DATA_KEYS' && /"k1"/.test(err.message));

  let app = await open(`k2:${k2},k1:${k1}`);
  const store = app.compa.store as KyselyStore;
  assert.equal((await store.getSubscriberByEmail(PEOPLE.subscriber.email))?.firstName, 'Xiomara', 'old values still open');
  await store.subscribe({ email: 'new@example.org', firstName: 'Nueva', locale: 'es', listIds: [1], consentText: 'ok', consentLocale: 'es', now: new Date() });
  const privacy = new PrivacyStore(store);
  let usage = await privacy.keyUsage();
  assert.ok(usage.byKey.k1! > 0 && usage.byKey.k2! >= 2, JSON.stringify(usage));
  let n = 0;
  for (let b = await privacy.rotate(); b > 0; b = await privacy.rotate()) n += b;
  assert.ok(n >= 3, `rows re-encrypted: ${n}`);
  usage = await privacy.keyUsage();
  assert.equal(usage.byKey.k1 ?? 0, 0, 'nothing left under k1');
  await app.close();

  app = await open(`k2:${k2}`);
  const s = await app.compa.store.getSubscriberByEmail(PEOPLE.subscriber.email.toUpperCase());
  assert.equal(s?.firstName, 'Xiomara', 'after rotation the old key is not needed');
  assert.equal((await app.compa.store.getSubscriberByEmail('new@example.org'))?.firstName, 'Nueva');
  await app.close();

  // Another lookup key would lose every address: refused.
  const wrong = { ...base, ...loadConfig({ COMPA_DATABASE_URL: base.databaseUrl, COMPA_DEMO: 'false', COMPA_DATA_KEYS: `k2:${k2}`, COMPA_LOOKUP_KEY: key() }) };
  await assert.rejects(buildApp({ config: wrong, runJobs: false, logger: false }), (err: unknown) => err instanceof ConfigError && err.variable === 'COMPA_LOOKUP_KEY');
});

test('a database written before encryption is converted on upgrade, and its clear pages are gone from the file', async (t) => {
  const h = await harness(t);
  const dbCopy = `${h.dir}/old.db`;
  await h.app.close();
  // An installation of the previous version: the same schema before migration 0006, with rows in clear.
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(dbCopy);
  db.exec(`pragma journal_mode = wal;
    create table kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null);
    create table kysely_migration_lock (id varchar(255) not null primary key, is_locked integer default 0 not null);`);
  db.close();
  // Build the old schema by running migrations 0001–0005 only.
  const { Migrator } = await import('kysely/migration');
  const { openSqlite } = await import('../../src/server/store/sqlite.ts');
  const { CompaMigrations } = await import('../../src/server/store/migrations/index.ts');
  const handle = openSqlite(`sqlite:${dbCopy}`);
  const vault = (h.app.compa.store as KyselyStore).vault;
  const migrator = new Migrator({ db: handle.kysely, provider: new CompaMigrations('sqlite', vault) });
  const r = await migrator.migrateTo('0005-stories');
  assert.equal(r.error, undefined);
  handle.raw.exec(`insert into newsletter_lists (slug, texts, is_public, created_at) values ('bulletin', '{}', 1, '2026-01-01T00:00:00Z');
    insert into subscribers (email, first_name, locale, created_at, updated_at, confirm_mails_sent) values ('legacy.person@example.org', 'Legacyname', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0);
    insert into subscriptions (subscriber_id, list_id, status, consent_text, consent_locale, consent_at, created_at) values (1, 1, 'confirmed', 'ok', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');`);
  await handle.kysely.destroy();
  copyFileSync(h.config.keyFile, `${h.dir}/compa-keys.env.bak`);

  const config = { ...h.config, ...loadConfig({ COMPA_DATABASE_URL: `sqlite:${dbCopy}`, COMPA_DEMO: 'false', COMPA_KEY_FILE: h.config.keyFile }) };
  const app = await buildApp({ config, runJobs: false, logger: false });
  const s = await app.compa.store.getSubscriberByEmail('LEGACY.person@example.org');
  assert.equal(s?.firstName, 'Legacyname', 'found by its hash, name decrypted');
  await app.close();
  assert.deepEqual(findIn(dbCopy, ['legacy.person@example.org', 'Legacyname']), [], 'the clear values are gone from the file');
  assert.deepEqual(findIn(`${dbCopy}-wal`, ['legacy.person@example.org', 'Legacyname']), [], 'and from its WAL');
});

test('confirming by a mail link still finds the supporter (look-ups go through the keyed hash)', async (t) => {
  const h = await harness(t);
  const body = subscription({ firstName: 'Marisol' });
  await h.subscribe(body);
  await h.drain();
  const mail = h.mails.at(-1)!;
  const confirm = linkIn(mail.text, h.config.publicUrl, '/newsletter/confirm');
  const res = await h.inject({ url: pathOf(confirm) });
  assert.ok(res.statusCode < 400, res.body);
  assert.equal(h.rows<{ status: string }>('select status from subscriptions s join subscribers p on p.id = s.subscriber_id where p.email = ?', body.email as string)[0]?.status, 'confirmed');
});

test('another key under a known id is refused at start (it would fail on every read)', async (t) => {
  const lookup = key();
  const h = await harness(t, { env: { COMPA_DATA_KEYS: `k1:${key()}`, COMPA_LOOKUP_KEY: lookup } });
  await writeSupporters(h);
  const base = { ...h.config };
  await h.app.close();
  const config = { ...base, ...loadConfig({ COMPA_DATABASE_URL: base.databaseUrl, COMPA_DEMO: 'false', COMPA_DATA_KEYS: `k1:${key()}`, COMPA_LOOKUP_KEY: lookup }) };
  await assert.rejects(
    buildApp({ config, runJobs: false, logger: false }),
    (err: unknown) => err instanceof ConfigError && err.variable === 'COMPA_DATA_KEYS' && /"k1" is not the key/.test(err.message),
  );
});
