import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ErrorBodySchema } from '../../src/schemas/errors.ts';
import { harness, json } from './helpers.ts';

test('health answers {"status":"ok"}', async (t) => {
  const h = await harness(t);
  const res = await h.inject({ url: '/api/v1/health' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(json(res), { status: 'ok' });
});

/** Every string value of a keyword (`$ref`, `$id`) anywhere in a JSON value, with where it was found. */
function keyedStrings(value: unknown, keyword: string, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyedStrings(v, keyword, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === keyword && typeof v === 'string' ? [{ ref: v, at }] : keyedStrings(v, keyword, `${at}/${k}`),
  );
}
const refsIn = (value: unknown) => keyedStrings(value, '$ref');

function resolvePointer(doc: unknown, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `only local refs are expected, got ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

test('the OpenAPI 3.1 document describes the API and every $ref resolves', async (t) => {
  const h = await harness(t);
  const res = await h.inject({ url: '/api/v1/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = json(res);
  assert.match(doc.openapi, /^3\.1\./);
  assert.equal(doc.servers[0].url, h.config.publicUrl, 'the server URL is the configured public URL');
  for (const path of ['/api/v1/lists', '/api/v1/subscriptions']) assert.ok(doc.paths[path], `paths lists ${path}`);
  assert.ok(doc.paths['/api/v1/subscriptions'].post.requestBody, 'POST /subscriptions documents its body');
  assert.ok(doc.paths['/api/v1/subscriptions'].post.responses['202'], 'and its 202 answer');

  const body = doc.components.schemas.CreateSubscriptionBody;
  assert.ok(body, 'components.schemas.CreateSubscriptionBody');
  assert.ok(body.required.includes('email'));
  assert.equal(body.additionalProperties, false, 'unknown fields are documented as refused');

  // JSON Schema 2020-12 (§8.2.1): "$id" MUST NOT contain a non-empty fragment; validators reject the document.
  for (const { ref: id, at } of keyedStrings(doc, '$id')) {
    assert.ok(!/#./.test(id), `$id "${id}" at ${at} has a fragment`);
  }

  const refs = refsIn(doc);
  assert.ok(refs.length > 0, 'the document uses $refs');
  for (const { ref, at } of refs) {
    assert.ok(resolvePointer(doc, ref) !== undefined, `${ref} (at ${at}) resolves`);
  }
});

test('an unknown route gets a 404 in the JSON error shape', async (t) => {
  const h = await harness(t);
  for (const url of ['/api/v1/nope', '/api/v1/lists/weekly-bulletin/members', '/no/such/page']) {
    const res = await h.inject({ url });
    assert.equal(res.statusCode, 404, url);
    assert.match(String(res.headers['content-type']), /^application\/json/, url);
    const body = ErrorBodySchema.parse(json(res));
    assert.equal(body.error.code, 'not_found', url);
  }
  const wrongMethod = await h.inject({ method: 'DELETE', url: '/api/v1/subscriptions' });
  assert.equal(wrongMethod.statusCode, 404);
  assert.equal(ErrorBodySchema.parse(json(wrongMethod)).error.code, 'not_found');
});

test('security headers on API answers; no x-powered-by', async (t) => {
  const h = await harness(t);
  for (const url of ['/api/v1/health', '/api/v1/lists', '/api/v1/nope']) {
    const res = await h.inject({ url });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['referrer-policy'], undefined, `${url}: document-only headers stay off JSON answers`);
    assert.equal(res.headers['x-powered-by'], undefined, url);
  }
  const api = await h.inject({ url: '/api/v1/health' });
  assert.match(String(api.headers['content-type']), /^application\/json/, 'JSON, never rendered (with nosniff)');
  assert.equal(api.headers['cache-control'], 'no-store', 'API answers are not cached unless a route says so');
});

test('HTML pages carry a CSP that allows no script and exactly the page’s inline style', async (t) => {
  const h = await harness(t);
  for (const url of ['/privacy', '/newsletter/confirm?t=not-a-token']) {
    const res = await h.inject({ url });
    assert.match(String(res.headers['content-type']), /^text\/html/, url);
    const csp = String(res.headers['content-security-policy'] ?? '');
    assert.match(csp, /default-src 'none'/, `${url}: ${csp}`);
    assert.doesNotMatch(csp, /script-src/, `${url}: server pages run no script`);
    assert.match(csp, /frame-ancestors 'none'/, url);
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1];
    assert.ok(style !== undefined, `${url} has its stylesheet`);
    const hash = createHash('sha256').update(style).digest('base64');
    assert.ok(csp.includes(`'sha256-${hash}'`), `${url}: the CSP allows the page's own stylesheet`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.ok(res.headers['referrer-policy'], url);
    assert.equal(res.headers['x-powered-by'], undefined, url);
    assert.doesNotMatch(res.body, /<script/i, `${url} has no script`);
    assert.doesNotMatch(res.body, /(src|href)="(https?:)?\/\//i, `${url} loads nothing from another host`);
  }
  const demo = await h.inject({ url: '/' });
  assert.equal(demo.statusCode, 200);
  const csp = String(demo.headers['content-security-policy'] ?? '');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/, `the demo page runs only its own scripts: ${csp}`);
});

test('the privacy page is served in the browser’s language', async (t) => {
  const h = await harness(t);
  const es = await h.inject({ url: '/privacy', headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
  const fr = await h.inject({ url: '/privacy', headers: { 'accept-language': 'fr' } });
  const other = await h.inject({ url: '/privacy', headers: { 'accept-language': 'de' } });
  assert.match(es.body, /<html lang="es" dir="ltr">/);
  assert.match(fr.body, /<html lang="fr" dir="ltr">/);
  assert.match(other.body, /<html lang="en" dir="ltr">/);
  assert.notEqual(es.body, fr.body);
});

test('server pages and mail set the text direction of their language (right-to-left ready)', async () => {
  const { page, textDirection } = await import('../../src/server/html.ts');
  assert.match(page({ locale: 'ar', title: 'x', body: '' }), /<html lang="ar" dir="rtl">/);
  assert.match(page({ locale: 'fr', title: 'x', body: '' }), /<html lang="fr" dir="ltr">/);
  assert.equal(textDirection('fa-IR'), 'rtl');
});

test('request logs carry the request id, on the incoming and the completion line', async (t) => {
  const h = await harness(t, { captureLogs: true });
  await h.inject({ url: '/api/v1/health' });
  const lines = h.logs.map((l) => JSON.parse(l) as { msg?: string; reqId?: string });
  const incoming = lines.find((l) => l.msg === 'incoming request');
  const completed = lines.find((l) => l.msg === 'request completed');
  assert.ok(incoming?.reqId, 'incoming request has its id');
  assert.equal(completed?.reqId, incoming.reqId, 'the same id on the completion line');
});
