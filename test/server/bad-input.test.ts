/**
 * Bad input of any shape gets a 4xx with the one JSON error shape naming the field, never a 5xx,
 * never a partial write (no row, no job, no mail), and never leaks internals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { ErrorBodySchema } from '../../src/schemas/errors.ts';
import { INTERNALS, assertErrorShape, harness, json, subscription, type BadInputCase, type Harness } from './helpers.ts';

type Case = BadInputCase;

const valid = () => subscription();
const without = (field: string) => {
  const body = valid();
  delete body[field];
  return body;
};

const cases: Case[] = [
  ...['email', 'lists', 'locale', 'consent', 'consentText'].map(
    (field): Case => ({ name: `missing ${field}`, body: without(field), status: 400, code: 'invalid_body', fields: [field] }),
  ),
  {
    name: 'empty object names every required field',
    body: {},
    status: 400,
    code: 'invalid_body',
    fields: ['email', 'lists', 'locale', 'consent', 'consentText'],
  },
  { name: 'email is a number', body: { ...valid(), email: 5 }, status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'lists is a string', body: { ...valid(), lists: 'x' }, status: 400, code: 'invalid_body', fields: ['lists'] },
  { name: 'consent is a string', body: { ...valid(), consent: 'true' }, status: 400, code: 'invalid_body', fields: ['consent'] },
  { name: 'invalid email', body: { ...valid(), email: 'not-an-address@' }, status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'email too long', body: { ...valid(), email: `${'a'.repeat(250)}@example.org` }, status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'consent false', body: { ...valid(), consent: false }, status: 400, code: 'invalid_body', fields: ['consent'] },
  { name: 'consent text over 2000 characters', body: { ...valid(), consentText: 'c'.repeat(2001) }, status: 400, code: 'invalid_body', fields: ['consentText'] },
  {
    name: 'more than 20 lists',
    body: { ...valid(), lists: Array.from({ length: 21 }, (_, i) => `list-${i}`) },
    status: 400,
    code: 'invalid_body',
    fields: ['lists'],
  },
  { name: 'blank consent text', body: { ...valid(), consentText: '   ' }, status: 400, code: 'invalid_body', fields: ['consentText'] },
  { name: 'unknown field', body: { ...valid(), extra: 1 }, status: 400, code: 'invalid_body', fields: ['extra'] },
  // Names that Object.prototype also has: an error object built on `{}` would silently drop them.
  ...['constructor', 'toString', 'hasOwnProperty'].map(
    (field): Case => ({ name: `unknown field "${field}"`, body: { ...valid(), [field]: 1 }, status: 400, code: 'invalid_body', fields: [field] }),
  ),
  { name: 'unknown list slug', body: { ...valid(), lists: ['no-such-list'] }, status: 400, code: 'invalid_body', fields: ['lists'] },
  {
    name: 'known and unknown list slug together',
    body: { ...valid(), lists: ['weekly-bulletin', 'no-such-list'] },
    status: 400,
    code: 'invalid_body',
    fields: ['lists'],
  },
  { name: 'malformed list slug', body: { ...valid(), lists: ['Weekly Bulletin'] }, status: 400, code: 'invalid_body', fields: ['lists.0'] },
  { name: 'empty lists', body: { ...valid(), lists: [] }, status: 400, code: 'invalid_body', fields: ['lists'] },
  { name: 'overlong firstName', body: { ...valid(), firstName: 'n'.repeat(101) }, status: 400, code: 'invalid_body', fields: ['firstName'] },
  { name: 'bad locale tag', body: { ...valid(), locale: '<script>' }, status: 400, code: 'invalid_body', fields: ['locale'] },
  { name: 'broken JSON', raw: '{"email":', status: 400, code: 'invalid_json' },
  { name: '__proto__ key', raw: `{"__proto__":{"isAdmin":true},${JSON.stringify(valid()).slice(1)}`, status: 400, code: 'invalid_json' },
  {
    name: 'constructor.prototype key',
    raw: `{"constructor":{"prototype":{"isAdmin":true}},${JSON.stringify(valid()).slice(1)}`,
    status: 400,
    code: 'invalid_json',
  },
  { name: 'JSON array body', raw: JSON.stringify([valid()]), status: 400, code: 'invalid_body', fields: ['body'] },
  { name: 'JSON null body', raw: 'null', status: 400, code: 'invalid_body', fields: ['body'] },
  { name: 'empty body with JSON content type', raw: '', status: 400, code: 'invalid_json' },
  { name: 'text/plain', raw: JSON.stringify(valid()), contentType: 'text/plain', status: 415, code: 'unsupported_media_type' },
  {
    name: 'form-urlencoded',
    raw: new URLSearchParams({ email: 'a@example.org', lists: 'weekly-bulletin', locale: 'en', consent: 'true', consentText: 'ok' }).toString(),
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'body over the default 16 KB limit',
    body: { ...valid(), consentText: 'x'.repeat(20 * 1024) },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'body over a configured COMPA_BODY_LIMIT',
    body: { ...valid(), consentText: 'x'.repeat(1500) },
    env: { COMPA_BODY_LIMIT: '1024' },
    status: 413,
    code: 'payload_too_large',
  },
];

async function assertNothingWritten(h: Harness, before: ReturnType<Harness['counts']>): Promise<void> {
  assert.deepEqual(h.counts(), before, 'no row written');
  assert.equal(await h.drain(), 0, 'no job');
  assert.equal(h.mails.length, 0, 'no mail');
}

for (const c of cases) {
  test(`POST /subscriptions, ${c.name} → ${c.status} ${c.code}`, async (t) => {
    const h = await harness(t, { env: c.env });
    const before = h.counts();
    const res = await h.subscribe(c.raw ?? c.body, {
      'content-type': c.contentType ?? 'application/json',
      'idempotency-key': `bad-input-${c.name.replace(/\W+/g, '-')}`,
    });
    assertErrorShape(res, c.status, c.code, c.fields);
    await assertNothingWritten(h, before);
  });
}

test('a valid body still works after every kind of bad one (the server did not get stuck)', async (t) => {
  const h = await harness(t);
  for (const c of cases.filter((c) => !c.env)) {
    const res = await h.subscribe(c.raw ?? c.body, { 'content-type': c.contentType ?? 'application/json' });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.name}: ${res.statusCode}`);
  }
  assert.equal(h.counts().subscribers, 0);
  const ok = await h.subscribe(valid());
  assert.equal(ok.statusCode, 202);
  assert.equal(h.counts().subscribers, 1);
});

const badQueries: [name: string, opts: InjectOptions, field: string][] = [
  ['locale=<script>', { url: '/api/v1/lists', query: { locale: '<script>' } }, 'locale'],
  ['overlong locale', { url: '/api/v1/lists', query: { locale: `en-${'a'.repeat(40)}` } }, 'locale'],
  ['unknown query parameter', { url: '/api/v1/lists?locale=en&debug=1' }, 'debug'],
  ['locale given twice', { url: '/api/v1/lists?locale=en&locale=es' }, 'locale'],
  ['__proto__ query parameter', { url: '/api/v1/lists?__proto__=1' }, '__proto__'],
  ['constructor query parameter', { url: '/api/v1/lists?constructor=1' }, 'constructor'],
];

for (const [name, opts, field] of badQueries) {
  test(`GET /lists with ${name} → 400 naming ${field}`, async (t) => {
    const h = await harness(t);
    const res = await h.inject(opts);
    assertErrorShape(res, 400, 'invalid_query', [field]);
    assert.ok(!res.body.includes('<script>'), 'the bad value is not echoed');
  });
}

test('a missing or oversized token on a mail link is a 400, not a 5xx', async (t) => {
  const h = await harness(t);
  for (const url of ['/newsletter/confirm', '/newsletter/unsubscribe', `/newsletter/confirm?t=${'a'.repeat(600)}`, '/newsletter/confirm?t=a&x=1']) {
    const res = await h.inject({ url });
    assert.equal(res.statusCode, 400, url);
    assert.doesNotMatch(res.body, INTERNALS, url);
  }
});

test('a malformed URL gets the JSON error shape too', async (t) => {
  const h = await harness(t);
  for (const url of ['/%ZZ', '/api/v1/%E0%A4%A']) {
    const res = await h.inject({ url });
    assert.equal(res.statusCode, 400, url);
    assert.match(String(res.headers['content-type']), /^application\/json/, url);
    assert.ok(ErrorBodySchema.safeParse(json(res)).success, `${url}: ${res.body}`);
    assert.doesNotMatch(res.body, INTERNALS);
  }
});

test('a first name with a bidi override or a control character is refused, naming firstName, writing nothing', async (t) => {
  const h = await harness(t);
  const before = h.counts();
  for (const firstName of ['Ana\u202Egnp.exe', 'Ana\u0007']) {
    const res = await h.subscribe(subscription({ firstName }));
    assert.equal(res.statusCode, 400);
    assert.ok(json(res).error.fields.firstName, res.body);
  }
  assert.deepEqual(h.counts(), before);
  assert.equal((await h.subscribe(subscription({ firstName: 'Ana\u200Cmaria' }))).statusCode, 202, 'a ZWNJ (Persian names) is fine');
});
