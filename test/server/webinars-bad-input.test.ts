/**
 * Bad input of every shape on the webinar routes: a 4xx in the one JSON error shape that names the field
 * (`answers.<question>` for answers), never a 5xx, never internals, and NOTHING written (no registration, no
 * job, no idempotency record, no mail). Also: the honeypot's neutral answer, and Idempotency-Key replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../src/schemas/errors.ts';
import { LIMITS } from '../../src/schemas/limits.ts';
import type { CreateWebinarInput } from '../../src/server/store/store.ts';
import { DAY, HOUR, assertErrorShape, harness, json, type BadInputCase, type Harness } from './helpers.ts';
import { createWebinar, register, registration } from './webinar-fixtures.ts';

interface Case extends BadInputCase {
  headers?: Record<string, string>;
  /** Overrides of the webinar created for the case. */
  webinar?: Partial<CreateWebinarInput>;
  /** Register for the webinar starting this far from now (default 3 days). */
  inMs?: number;
  /** A raw slug in the path instead of the case's webinar. */
  slug?: string;
}

const valid = (o: Record<string, unknown> = {}) => registration(o);
const without = (field: string) => {
  const body = valid();
  delete body[field];
  return body;
};
const answers = (a: Record<string, unknown>) => valid({ answers: a });
const NAME_MAX = LIMITS.firstName + LIMITS.lastName;

/** The fixture's questions with the checkbox required. */
const requiredCheckbox: Partial<CreateWebinarInput> = {
  questions: [
    { id: 'role', kind: 'choice', required: true, options: ['press', 'supporter'] },
    { id: 'captions', kind: 'checkbox', required: true },
  ],
};

const cases: Case[] = [
  // The person
  ...['name', 'email', 'locale', 'consentText'].map((field): Case => ({ name: `missing ${field}`, body: without(field), status: 400, code: 'invalid_body', fields: [field] })),
  { name: 'missing consent', body: without('consent'), status: 400, code: 'invalid_body', fields: ['consent'] },
  { name: 'empty object names every required field', body: {}, status: 400, code: 'invalid_body', fields: ['name', 'email', 'locale', 'consent', 'consentText'] },
  { name: 'empty name', body: valid({ name: '' }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'blank name', body: valid({ name: '   ' }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: `name over ${NAME_MAX} characters`, body: valid({ name: 'n'.repeat(NAME_MAX + 1) }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'control character in name', body: valid({ name: 'Ana\u0007' }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'newline in name (header injection)', body: valid({ name: 'Ana\r\nBcc: all@example.org' }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'bidi override in name', body: valid({ name: 'Ana\u202Egnp.exe' }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'bidi isolate in name', body: valid({ name: 'Ana\u2067x\u2069' }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'name is a number', body: valid({ name: 7 }), status: 400, code: 'invalid_body', fields: ['name'] },
  { name: 'invalid email', body: valid({ email: 'not-an-address@' }), status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'email without a domain', body: valid({ email: 'ana' }), status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'email with a header injection', body: valid({ email: 'a@example.org\r\nBcc: all@example.org' }), status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'email too long', body: valid({ email: `${'a'.repeat(250)}@example.org` }), status: 400, code: 'invalid_body', fields: ['email'] },
  { name: 'locale is not a language tag', body: valid({ locale: '<script>' }), status: 400, code: 'invalid_body', fields: ['locale'] },
  { name: 'locale over 35 characters', body: valid({ locale: `en-${'a'.repeat(8)}-${'b'.repeat(8)}-${'c'.repeat(8)}-${'d'.repeat(8)}` }), status: 400, code: 'invalid_body', fields: ['locale'] },
  { name: 'locale is a number', body: valid({ locale: 1 }), status: 400, code: 'invalid_body', fields: ['locale'] },
  { name: 'consent false', body: valid({ consent: false }), status: 400, code: 'invalid_body', fields: ['consent'] },
  { name: 'consent "true" as a string', body: valid({ consent: 'true' }), status: 400, code: 'invalid_body', fields: ['consent'] },
  { name: 'blank consentText', body: valid({ consentText: '   ' }), status: 400, code: 'invalid_body', fields: ['consentText'] },
  { name: 'consentText over 2000 characters', body: valid({ consentText: 'c'.repeat(LIMITS.consentText + 1) }), status: 400, code: 'invalid_body', fields: ['consentText'] },
  { name: 'unknown field', body: valid({ extra: 1 }), status: 400, code: 'invalid_body', fields: ['extra'] },
  { name: 'unknown field "status" (no self-granted place)', body: valid({ status: 'registered' }), status: 400, code: 'invalid_body', fields: ['status'] },
  { name: 'unknown field "phone" (minimal data)', body: valid({ phone: '+57 300 000 0000' }), status: 400, code: 'invalid_body', fields: ['phone'] },
  { name: 'unknown field "constructor"', body: valid({ constructor: 1 }), status: 400, code: 'invalid_body', fields: ['constructor'] },
  { name: 'website (honeypot) is a number', body: valid({ website: 1 }), status: 400, code: 'invalid_body', fields: ['website'] },
  { name: 'website (honeypot) over 200 characters', body: valid({ website: 'w'.repeat(LIMITS.honeypot + 1) }), status: 400, code: 'invalid_body', fields: ['website'] },

  // Answers, checked against the webinar's own questions
  { name: 'answer to an unknown question', body: answers({ role: 'press', shoe: 'size 42' }), status: 400, code: 'invalid_body', fields: ['answers.shoe'] },
  { name: 'answer key that is not a question id', body: answers({ role: 'press', 'Bad Key': 'x' }), status: 400, code: 'invalid_body', fields: ['answers.Bad Key'] },
  { name: 'required choice missing', body: answers({}), status: 400, code: 'invalid_body', fields: ['answers.role'] },
  { name: 'required choice missing (no answers at all)', body: without('answers'), status: 400, code: 'invalid_body', fields: ['answers.role'] },
  { name: 'required choice blank', body: answers({ role: '  ' }), status: 400, code: 'invalid_body', fields: ['answers.role'] },
  { name: 'choice not among the options', body: answers({ role: 'admin' }), status: 400, code: 'invalid_body', fields: ['answers.role'] },
  { name: 'choice given the option’s label instead of its id', body: answers({ role: 'Press' }), status: 400, code: 'invalid_body', fields: ['answers.role'] },
  { name: 'choice given a boolean', body: answers({ role: true }), status: 400, code: 'invalid_body', fields: ['answers.role'] },
  { name: 'text over the question’s maxLength (20)', body: answers({ role: 'press', org: 'o'.repeat(21) }), status: 400, code: 'invalid_body', fields: ['answers.org'] },
  { name: 'text over 2000 characters', body: answers({ role: 'press', org: 'o'.repeat(2001) }), status: 400, code: 'invalid_body', fields: ['answers.org'] },
  { name: 'text with a bidi override', body: answers({ role: 'press', org: 'Radio\u202Eoidar' }), status: 400, code: 'invalid_body', fields: ['answers.org'] },
  { name: 'text with a control character', body: answers({ role: 'press', org: 'Radio\u001b[31m' }), status: 400, code: 'invalid_body', fields: ['answers.org'] },
  { name: 'text given a boolean', body: answers({ role: 'press', org: true }), status: 400, code: 'invalid_body', fields: ['answers.org'] },
  { name: 'checkbox given a string', body: answers({ role: 'press', captions: 'yes' }), status: 400, code: 'invalid_body', fields: ['answers.captions'] },
  { name: 'checkbox given a number', body: answers({ role: 'press', captions: 1 }), status: 400, code: 'invalid_body', fields: ['answers.captions'] },
  {
    name: 'required checkbox unticked',
    webinar: requiredCheckbox,
    body: answers({ role: 'press', captions: false }),
    status: 400,
    code: 'invalid_body',
    fields: ['answers.captions'],
  },
  { name: 'required checkbox missing', webinar: requiredCheckbox, body: answers({ role: 'press' }), status: 400, code: 'invalid_body', fields: ['answers.captions'] },
  {
    name: 'several bad answers are all named',
    body: answers({ role: 'admin', org: 'o'.repeat(21), captions: 'yes', shoe: 'x' }),
    status: 400,
    code: 'invalid_body',
    fields: ['answers.role', 'answers.org', 'answers.captions', 'answers.shoe'],
  },
  { name: 'answers is a string', body: valid({ answers: 'press' }), status: 400, code: 'invalid_body', fields: ['answers'] },
  { name: 'answers is an array', body: valid({ answers: ['press'] }), status: 400, code: 'invalid_body', fields: ['answers'] },
  { name: 'answers is null', body: valid({ answers: null }), status: 400, code: 'invalid_body', fields: ['answers'] },
  { name: 'an answer is an object', body: answers({ role: { id: 'press' } }), status: 400, code: 'invalid_body', fields: ['answers.role'] },

  // The body as a whole
  { name: 'broken JSON', raw: '{"name":', status: 400, code: 'invalid_json' },
  { name: 'empty body with JSON content type', raw: '', status: 400, code: 'invalid_json' },
  { name: '__proto__ key', raw: `{"__proto__":{"status":"registered"},${JSON.stringify(valid()).slice(1)}`, status: 400, code: 'invalid_json' },
  { name: 'JSON array body', raw: JSON.stringify([valid()]), status: 400, code: 'invalid_body', fields: ['body'] },
  { name: 'JSON null body', raw: 'null', status: 400, code: 'invalid_body', fields: ['body'] },
  { name: 'text/plain', raw: JSON.stringify(valid()), contentType: 'text/plain', status: 415, code: 'unsupported_media_type' },
  {
    name: 'form-urlencoded',
    raw: new URLSearchParams({ name: 'Ana', email: 'a@example.org', locale: 'en', consent: 'true', consentText: 'ok' }).toString(),
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
  },
  { name: 'body over the default 16 KB limit', body: valid({ padding: 'x'.repeat(20 * 1024) }), status: 413, code: 'payload_too_large' },
  { name: 'body over a configured COMPA_BODY_LIMIT', body: valid({ consentText: 'x'.repeat(1500) }), env: { COMPA_BODY_LIMIT: '1024' }, status: 413, code: 'payload_too_large' },

  // The path and the webinar
  { name: 'slug with upper case and underscore', slug: 'Bad_Slug', body: valid(), status: 400, code: 'invalid_params', fields: ['slug'] },
  { name: 'slug with a double hyphen', slug: 'a--b', body: valid(), status: 400, code: 'invalid_params', fields: ['slug'] },
  { name: 'slug over 64 characters', slug: 'a'.repeat(65), body: valid(), status: 400, code: 'invalid_params', fields: ['slug'] },
  { name: 'slug with a percent-encoded quote', slug: '%27%3Bdrop', body: valid(), status: 400, code: 'invalid_params', fields: ['slug'] },
  { name: 'unknown webinar', slug: 'no-such-webinar', body: valid(), status: 404, code: 'not_found' },
  { name: 'draft webinar', webinar: { status: 'draft' }, body: valid(), status: 404, code: 'not_found' },
  { name: 'webinar that has started', inMs: -10 * 60_000, body: valid(), status: 409, code: 'registration_closed' },
  { name: 'webinar that has ended', inMs: -DAY, body: valid(), status: 409, code: 'registration_closed' },

  // Headers
  { name: 'Idempotency-Key with spaces', headers: { 'idempotency-key': 'not a key' }, body: valid(), status: 400, code: 'invalid_body', fields: ['Idempotency-Key'] },
  { name: 'Idempotency-Key over 128 characters', headers: { 'idempotency-key': 'k'.repeat(129) }, body: valid(), status: 400, code: 'invalid_body', fields: ['Idempotency-Key'] },
  { name: 'empty Idempotency-Key', headers: { 'idempotency-key': '' }, body: valid(), status: 400, code: 'invalid_body', fields: ['Idempotency-Key'] },
];

async function assertNothingWritten(h: Harness, before: ReturnType<Harness['counts']>): Promise<void> {
  assert.deepEqual(h.counts(), before, 'no row written (registration, job, idempotency record)');
  assert.equal(await h.drain(), 0, 'no job');
  assert.equal(h.mails.length, 0, 'no mail');
}

for (const c of cases) {
  test(`POST /webinars/:slug/registrations, ${c.name} → ${c.status} ${c.code}`, async (t) => {
    const h = await harness(t, { env: c.env });
    const w = await createWebinar(h, c.webinar, c.inMs);
    const before = h.counts();
    const res = await register(h, c.slug ?? w.slug, c.raw ?? c.body, {
      'content-type': c.contentType ?? 'application/json',
      'idempotency-key': `bad-input-${c.name.replace(/\W+/g, '-')}`.slice(0, 100),
      ...c.headers,
    });
    assertErrorShape(res, c.status, c.code, c.fields);
    await assertNothingWritten(h, before);
  });
}

test('the good twins of the bad cases are accepted (the table tests the rules, not a broken route)', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 50 });
  const strict = await createWebinar(h, { ...requiredCheckbox, capacity: 50 });
  const ok = [
    [w.slug, answers({ role: 'press', org: 'o'.repeat(20), captions: true })],
    [w.slug, answers({ role: 'supporter', org: 'Radio\tVerde\nline two', captions: false })],
    [w.slug, valid({ name: 'n'.repeat(NAME_MAX), answers: { role: ' press ' } })],
    [w.slug, valid({ name: 'Ma\u200Cryam', locale: 'fa-IR' })],
    [strict.slug, answers({ role: 'press', captions: true })],
  ] as const;
  for (const [slug, body] of ok) {
    const res = await register(h, slug, body);
    assert.equal(res.statusCode, 202, `${JSON.stringify(body).slice(0, 120)}: ${res.body}`);
  }
  const stored = h.rows<{ answers: string }>('select answers from registrations where webinar_id = ? order by id', w.id).map((r) => JSON.parse(r.answers));
  assert.deepEqual(stored[0], { role: 'press', org: 'o'.repeat(20), captions: true });
  assert.deepEqual(stored[1], { role: 'supporter', org: 'Radio\tVerde\nline two' }, 'an unticked optional box is not stored');
  assert.deepEqual(stored[2], { role: 'press' }, 'a choice is trimmed');
});

test('a question whose id is "constructor" (a valid slug) is not mistaken for an answer from Object.prototype', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, {
    questions: [{ id: 'constructor', kind: 'text', required: false }],
    texts: { en: { title: 'Builders', description: 'A talk.', speakers: [], questions: { constructor: { label: 'Your trade' } } } },
  });
  const res = await register(h, w.slug, valid({ answers: {} }));
  assert.equal(res.statusCode, 202, `an optional question left unanswered: ${res.body}`);
  const required = await createWebinar(h, {
    questions: [{ id: 'constructor', kind: 'text', required: true }],
    texts: { en: { title: 'Builders', description: 'A talk.', speakers: [], questions: { constructor: { label: 'Your trade' } } } },
  });
  assertErrorShape(await register(h, required.slug, valid({ answers: {} })), 400, 'invalid_body', ['answers.constructor']);
  assert.equal(json(await register(h, required.slug, valid({ answers: {} }))).error.fields['answers.constructor'], 'Required');
});

test('the honeypot filled: the same neutral 202 as a person gets, nothing written, no mail', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h);
  const person = await register(h, w.slug, valid());
  assert.equal(person.statusCode, 202);
  await h.drain();
  const mailsBefore = h.mails.length;
  const before = h.counts();
  const bot = await register(h, w.slug, valid({ website: 'https://spam.example' }), { 'idempotency-key': 'bot-1' });
  assert.equal(bot.statusCode, 202, bot.body);
  assert.equal(bot.body, person.body, 'indistinguishable from a person’s answer');
  assert.equal(bot.headers['content-type'], person.headers['content-type']);
  assert.deepEqual(h.counts(), before, 'no registration, no job, no idempotency record');
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, mailsBefore, 'no mail');
  // A bot taking the last place would push a person to the waitlist: the place is still free.
  const second = valid();
  await register(h, w.slug, second);
  assert.equal(h.rows<{ status: string }>('select status from registrations where email = ?', second.email as string)[0]!.status, 'registered');
});

test('Idempotency-Key: the same key and body replays the answer (Idempotent-Replayed) and writes once', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h);
  const body = valid();
  const first = await register(h, w.slug, body, { 'idempotency-key': 'reg-1' });
  assert.equal(first.statusCode, 202, first.body);
  assert.equal(first.headers['idempotent-replayed'], undefined, 'the first answer is not a replay');
  const after = h.counts();
  assert.equal(h.rows('select id from registrations where webinar_id = ?', w.id).length, 1);
  assert.equal(after.idempotency_keys, 1);

  const again = await register(h, w.slug, body, { 'idempotency-key': 'reg-1' });
  assert.equal(again.statusCode, 202);
  assert.equal(again.body, first.body, 'the same answer');
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.deepEqual(h.counts(), after, 'nothing written by the replay (no row, no mail job, no repeat-mail allowance used)');
  await h.drain();
  assert.equal(h.mails.filter((m) => m.to === body.email).length, 1, 'one mail');

  // Retries racing each other (a flaky network): still one registration.
  const racing = valid();
  const answers2 = await Promise.all(Array.from({ length: 5 }, () => register(h, w.slug, racing, { 'idempotency-key': 'reg-race' })));
  assert.ok(answers2.every((r) => r.statusCode === 202 && r.body === first.body), answers2.map((r) => r.statusCode).join());
  assert.equal(answers2.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 4);
  assert.equal(h.rows('select id from registrations where email = ?', racing.email as string).length, 1);
  assert.equal(h.counts().idempotency_keys, 2);
});

test('Idempotency-Key: the same key with a different body is a 422 and writes nothing', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h);
  assert.equal((await register(h, w.slug, valid({ email: 'ana@example.org' }), { 'idempotency-key': 'reg-2' })).statusCode, 202);
  const before = h.counts();
  for (const other of [valid({ email: 'luz@example.org' }), valid({ email: 'ana@example.org', answers: { role: 'press' } })]) {
    const res = await register(h, w.slug, other, { 'idempotency-key': 'reg-2' });
    assertErrorShape(res, 422, 'idempotency_conflict');
    assert.equal(res.headers['idempotent-replayed'], undefined);
  }
  assert.deepEqual(h.counts(), before, 'no row, no job, no new idempotency record');
  assert.equal(h.rows('select id from registrations where email = ?', 'luz@example.org').length, 0);
  // The key is per webinar: another webinar's registration with the same key is its own.
  const other = await createWebinar(h);
  assert.equal((await register(h, other.slug, valid({ email: 'luz@example.org' }), { 'idempotency-key': 'reg-2' })).statusCode, 202);
  assert.equal(h.rows('select id from registrations where email = ?', 'luz@example.org').length, 1);
});

test('a valid registration still works after every kind of bad one (the server did not get stuck)', async (t) => {
  const h = await harness(t);
  const w = await createWebinar(h, { capacity: 5 });
  for (const c of cases.filter((c) => !c.env && !c.webinar && c.inMs === undefined)) {
    const res = await register(h, c.slug ?? w.slug, c.raw ?? c.body, { 'content-type': c.contentType ?? 'application/json', ...c.headers });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.name}: ${res.statusCode}`);
  }
  const mine = () => h.rows('select id from registrations where webinar_id = ?', w.id).length;
  assert.equal(mine(), 0);
  assert.equal((await register(h, w.slug, valid())).statusCode, 202);
  assert.equal(mine(), 1);
});

const badReads: [name: string, url: (slug: string) => string, code: ErrorCode, field: string][] = [
  ['no series', () => '/api/v1/webinars', 'invalid_query', 'series'],
  ['only a locale, no series', () => '/api/v1/webinars?locale=es', 'invalid_query', 'series'],
  ['an empty series', () => '/api/v1/webinars?series=', 'invalid_query', 'series'],
  ['a series that is not a slug', () => '/api/v1/webinars?series=Test_Series', 'invalid_query', 'series'],
  ['an unknown query field on the list', () => '/api/v1/webinars?series=test-series&debug=1', 'invalid_query', 'debug'],
  ['a bad locale on the list', () => '/api/v1/webinars?series=test-series&locale=%3Cscript%3E', 'invalid_query', 'locale'],
  ['a bad locale on a webinar', (s) => `/api/v1/webinars/${s}?locale=%3Cscript%3E`, 'invalid_query', 'locale'],
  ['an overlong locale on a webinar', (s) => `/api/v1/webinars/${s}?locale=en-${'a'.repeat(40)}`, 'invalid_query', 'locale'],
  ['locale given twice', (s) => `/api/v1/webinars/${s}?locale=en&locale=es`, 'invalid_query', 'locale'],
  ['an unknown query field on a webinar', (s) => `/api/v1/webinars/${s}?series=test-series`, 'invalid_query', 'series'],
  ['a __proto__ query field', (s) => `/api/v1/webinars/${s}?__proto__=1`, 'invalid_query', '__proto__'],
  ['a bad slug', () => '/api/v1/webinars/Bad_Slug', 'invalid_params', 'slug'],
];

for (const [name, url, code, field] of badReads) {
  test(`GET with ${name} → 400 ${code} naming ${field}`, async (t) => {
    const h = await harness(t);
    const w = await createWebinar(h);
    const res = await h.inject({ url: url(w.slug) });
    assertErrorShape(res, 400, code, [field]);
    assert.ok(!res.body.includes('<script>'), 'the bad value is not echoed');
  });
}

test('GET of an unknown, a draft and an ended webinar', async (t) => {
  const h = await harness(t);
  const draft = await createWebinar(h, { status: 'draft' });
  assertErrorShape(await h.inject({ url: '/api/v1/webinars/no-such-webinar' }), 404, 'not_found');
  assertErrorShape(await h.inject({ url: `/api/v1/webinars/${draft.slug}` }), 404, 'not_found');
  const res = await h.inject({ url: '/api/v1/webinars?series=test-series' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(json(res).webinars, [], 'a draft is not listed');
  const ended = await createWebinar(h, {}, -2 * HOUR - DAY);
  assert.equal((await h.inject({ url: `/api/v1/webinars/${ended.slug}` })).statusCode, 200, 'an ended webinar is still shown (its recording)');
});
