/**
 * The admin API's gate: bearer tokens made with `compa token` (stored hashed, shown once, revocable), scopes,
 * no CORS and no requests from other sites, rate limits (per client, per token, and far fewer failed
 * authentications), the audit log of the token command, and the OpenAPI document of the admin routes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { json } from './helpers.ts';
import { adminCli, adminHarness, auditRows, listBody } from './admin-helpers.ts';
import { ADMIN_AUTH_FAILURES_MAX } from '../../src/server/admin/index.ts';
import { createToken, listTokens, revokeToken } from '../../src/server/admin/tokens.ts';

test('no token, an unknown one or a revoked one: 401 with WWW-Authenticate: Bearer, and nothing written', async (t) => {
  const h = await adminHarness(t);
  const cases: [string, string | null][] = [
    ['no token', null],
    ['unknown token', `compa_${'x'.repeat(43)}`],
    ['not even a Compa token', 'hunter2'],
  ];
  for (const [name, token] of cases) {
    const res = await h.api('PUT', 'lists/weekly', listBody(), { token });
    assert.equal(res.statusCode, 401, name);
    assert.match(String(res.headers['www-authenticate']), /^Bearer\b/, name);
    assert.equal(json(res).error.code, 'invalid_token');
  }
  const basic = await h.api('GET', 'lists', undefined, { token: null, headers: { authorization: `Basic ${Buffer.from(`x:${h.write}`).toString('base64')}` } });
  assert.equal(basic.statusCode, 401, 'only Bearer is taken');

  const { token } = await createToken(h.app.compa, { name: 'to revoke', scope: 'write' });
  assert.equal((await h.api('GET', 'lists', undefined, { token })).statusCode, 200);
  assert.equal(await revokeToken(h.app.compa, 'to revoke'), true);
  const revoked = await h.api('PUT', 'lists/weekly', listBody(), { token });
  assert.equal(revoked.statusCode, 401);
  assert.match(String(revoked.headers['www-authenticate']), /^Bearer .*error="invalid_token"/);
  assert.equal(await revokeToken(h.app.compa, 'to revoke'), false, 'revoking twice does nothing');
  assert.equal(h.rows('select id from newsletter_lists').length, 0, 'nothing written');
  assert.equal(auditRows(h).filter((r) => r.route.startsWith('/api')).length, 0, 'refused before any token is known: no entry');
});

test('a read token reads; on a write route it gets 403 naming the scope, and nothing is written', async (t) => {
  const h = await adminHarness(t);
  assert.equal((await h.api('GET', 'lists', undefined, { token: h.read })).statusCode, 200);
  assert.equal((await h.api('GET', 'petitions', undefined, { token: h.read })).statusCode, 200);
  for (const [method, url, body] of [
    ['PUT', 'lists/weekly', listBody()],
    ['POST', 'lists/weekly/close', undefined],
    ['DELETE', 'feeds/some-feed', undefined],
  ] as const) {
    const res = await h.api(method, url, body, { token: h.read });
    assert.equal(res.statusCode, 403, `${method} ${url}`);
    assert.equal(json(res).error.code, 'insufficient_scope');
    assert.match(json(res).error.message, /read scope.*write scope/);
    assert.match(String(res.headers['www-authenticate']), /insufficient_scope/);
  }
  assert.equal(h.rows('select id from newsletter_lists').length, 0);
  // The write token can do both (write implies read).
  assert.equal((await h.api('PUT', 'lists/weekly', listBody())).statusCode, 201);
  assert.equal((await h.api('GET', 'lists')).statusCode, 200);
  // Refused writes are in the audit log too, under the token that tried.
  const refused = auditRows(h).filter((r) => r.status === 403);
  assert.equal(refused.length, 3);
  assert.ok(refused.every((r) => r.token_name === 'test reader'));
});

test('CORS: an allowed public origin gets no CORS header on admin routes and is refused; the server’s own origin may call', async (t) => {
  const site = 'https://ngo.example';
  const h = await adminHarness(t, { env: { COMPA_PUBLIC_URL: 'https://compa.example.org', COMPA_ALLOWED_ORIGINS: `${site},https://compa.example.org` } });
  // The public API answers the site…
  const pub = await h.inject({ method: 'GET', url: '/api/v1/lists', headers: { origin: site } });
  assert.equal(pub.headers['access-control-allow-origin'], site);
  // …the admin API does not, even with a valid token.
  for (const [method, url, body] of [
    ['GET', 'lists', undefined],
    ['PUT', 'lists/weekly', listBody()],
  ] as const) {
    const res = await h.api(method, url, body, { headers: { origin: site } });
    assert.equal(res.statusCode, 403, `${method} ${url}`);
    assert.equal(json(res).error.code, 'forbidden_origin');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  }
  const preflight = await h.inject({
    method: 'OPTIONS',
    url: '/api/v1/admin/lists/weekly',
    headers: { origin: site, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  assert.equal(preflight.headers['access-control-allow-methods'], undefined);
  assert.equal(h.rows('select id from newsletter_lists').length, 0);
  // The server's own pages (same origin) and clients that send no Origin (scripts, curl) are served.
  assert.equal((await h.api('GET', 'lists', undefined, { headers: { origin: 'https://compa.example.org' } })).statusCode, 200);
  const own = await h.api('PUT', 'lists/weekly', listBody());
  assert.equal(own.statusCode, 201);
  assert.equal(own.headers['access-control-allow-origin'], undefined);
});

test('failed authentications are limited hard: past the allowance even a valid token is refused until the window ends', async (t) => {
  const h = await adminHarness(t);
  for (let i = 0; i < ADMIN_AUTH_FAILURES_MAX; i++) {
    assert.equal((await h.api('GET', 'lists', undefined, { token: `compa_guess${i}` })).statusCode, 401, `guess ${i + 1}`);
  }
  const limited = await h.api('GET', 'lists', undefined, { token: 'compa_one-more-guess' });
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  // The right token from the same client is refused too: guessing can't tell a hit from a miss.
  assert.equal((await h.api('GET', 'lists')).statusCode, 429);
  // Another client is not affected.
  const other = await h.app.inject({ method: 'GET', url: '/api/v1/admin/lists', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${h.write}` } });
  assert.equal(other.statusCode, 200);
});

test('admin requests are limited per client and per token (COMPA_RATE_LIMIT_READ_MAX)', async (t) => {
  const h = await adminHarness(t, { env: { COMPA_RATE_LIMIT_READ_MAX: '5' } });
  for (let i = 0; i < 5; i++) assert.equal((await h.api('GET', 'lists')).statusCode, 200);
  const res = await h.api('GET', 'lists');
  assert.equal(res.statusCode, 429);
  assert.ok(Number(res.headers['retry-after']) > 0);
  // The same token from elsewhere is limited too (its own count is spent).
  const elsewhere = await h.app.inject({ method: 'GET', url: '/api/v1/admin/lists', remoteAddress: '198.51.100.7', headers: { authorization: `Bearer ${h.write}` } });
  assert.equal(elsewhere.statusCode, 429);
  // Another token from elsewhere is not.
  const fresh = await h.app.inject({ method: 'GET', url: '/api/v1/admin/lists', remoteAddress: '198.51.100.8', headers: { authorization: `Bearer ${h.read}` } });
  assert.equal(fresh.statusCode, 200);
});

test('compa token: create prints the token once (only its hash is stored), list shows no secret, revoke ends it; both audited', async (t) => {
  const h = await adminHarness(t);
  const created = await adminCli(h, ['token', 'create', '--name', 'website sync', '--scope', 'write']);
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  assert.match(token, /^compa_[A-Za-z0-9_-]{43}$/);
  assert.match(created.stderr, /shown only this once/);
  const row = h.rows<{ token_hash: string; scope: string }>("select token_hash, scope from admin_tokens where name = 'website sync'")[0]!;
  assert.equal(row.scope, 'write');
  assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'));
  assert.doesNotMatch(JSON.stringify(h.rows('select * from admin_tokens')), new RegExp(token.slice(6)), 'the token itself is nowhere in the database');

  assert.equal((await h.api('PUT', 'lists/from-script', listBody(), { token })).statusCode, 201);

  const listed = await adminCli(h, ['token', 'list']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /^id\tname\tscope\tcreated\tlast used\trevoked$/m);
  assert.match(listed.stdout, /\twebsite sync\twrite\t\S+\t20\d\d-\S+\t-$/m, 'last used is known, not revoked');
  assert.doesNotMatch(listed.stdout, /compa_/);

  assert.equal((await adminCli(h, ['token', 'create', '--name', 'website sync'])).code, 65, 'a name is taken once');
  assert.equal((await adminCli(h, ['token', 'create', '--name', 'x', '--scope', 'admin'])).code, 64);
  assert.equal((await adminCli(h, ['token', 'create'])).code, 64);
  const defaultScope = await adminCli(h, ['token', 'create', '--name', 'dashboard']);
  assert.equal(defaultScope.code, 0);
  assert.equal(h.rows<{ scope: string }>("select scope from admin_tokens where name = 'dashboard'")[0]!.scope, 'read', 'read-only unless asked');

  const revoked = await adminCli(h, ['token', 'revoke', 'website sync']);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal((await h.api('GET', 'lists', undefined, { token })).statusCode, 401);
  assert.equal((await adminCli(h, ['token', 'revoke', 'website sync'])).code, 65);
  assert.equal((await adminCli(h, ['token', 'revoke', 'nobody'])).code, 65);

  const help = await adminCli(h, ['token', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /compa token create --name NAME/);

  const cli = auditRows(h).filter((r) => r.method === 'CLI');
  assert.deepEqual(cli.map((r) => r.route), ['token create', 'token create', 'token create', 'token create', 'token revoke']);
  assert.ok(cli.every((r) => !r.target.includes('compa_')), 'no token in the log');
  assert.deepEqual((await listTokens(h.app.compa)).map((x) => [x.name, x.revokedAt !== null]), [
    ['test writer', false],
    ['test reader', false],
    ['website sync', true],
    ['dashboard', false],
  ]);
});

test('the OpenAPI document lists the admin routes, tagged admin, behind a bearer scheme; public routes have none', async (t) => {
  const h = await adminHarness(t);
  const doc = json(await h.inject({ url: '/api/v1/openapi.json' }));
  assert.deepEqual(doc.components.securitySchemes.adminToken, { type: 'http', scheme: 'bearer', description: doc.components.securitySchemes.adminToken.description });
  const admin = Object.entries(doc.paths as Record<string, Record<string, { tags: string[]; security?: unknown }>>).filter(([p]) => p.startsWith('/api/v1/admin/'));
  const operations = admin.flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as const));
  for (const expected of [
    'GET /api/v1/admin/lists',
    'PUT /api/v1/admin/petitions/{slug}',
    'POST /api/v1/admin/webinars/{slug}/registrations/{id}/approve',
    'PUT /api/v1/admin/stories/{id}',
    'DELETE /api/v1/admin/feeds/{id}',
    'GET /api/v1/admin/audit',
  ]) {
    assert.ok(operations.some(([name]) => name === expected), expected);
  }
  for (const [name, op] of operations) {
    assert.deepEqual(op.tags, ['admin'], name);
    assert.deepEqual(op.security, [{ adminToken: [] }], name);
  }
  assert.equal(doc.paths['/api/v1/lists'].get.security, undefined);
  assert.ok(doc.paths['/api/v1/admin/petitions/{slug}'].put.requestBody, 'bodies are documented');
});

test('every admin route with a bad id in its path or a bad query is a 400 naming it, and writes nothing', async (t) => {
  const h = await adminHarness(t);
  const before = h.rows('select count(*) as n from admin_tokens');
  const cases: [string, string, string][] = [
    ['POST', 'lists/Bad_Slug/close', 'slug'],
    ['POST', 'lists/Bad_Slug/open', 'slug'],
    ['GET', 'lists/Bad_Slug/stats', 'slug'],
    ['GET', 'petitions/Bad_Slug', 'slug'],
    ['POST', 'petitions/Bad_Slug/close', 'slug'],
    ['POST', 'petitions/Bad_Slug/open', 'slug'],
    ['GET', 'petitions/Bad_Slug/stats', 'slug'],
    ['POST', 'webinars/Bad_Slug/close', 'slug'],
    ['POST', 'webinars/Bad_Slug/open', 'slug'],
    ['GET', 'webinars/Bad_Slug/stats', 'slug'],
    ['GET', 'webinars/Bad_Slug/registrations', 'slug'],
    ['GET', 'webinars/some-webinar/registrations?status=maybe', 'status'],
    ['POST', 'webinars/some-webinar/registrations/x1/approve', 'id'],
    ['POST', 'webinars/some-webinar/registrations/x1/decline', 'id'],
    ['POST', 'stories/Bad_Id/withdraw', 'id'],
    ['DELETE', 'feeds/Bad_Id', 'id'],
    ['GET', 'audit?limit=0', 'limit'],
    ['GET', 'audit?before=soon', 'before'],
  ];
  for (const [method, url, field] of cases) {
    const res = await h.api(method, url);
    assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
    assert.ok(json(res).error.fields[field], `${method} ${url} names ${field}: ${res.body}`);
  }
  assert.deepEqual(h.rows('select count(*) as n from admin_tokens'), before);
  for (const table of ['newsletter_lists', 'petitions', 'webinars', 'stories', 'story_feed_sources']) {
    assert.equal(h.rows(`select * from ${table}`).length, 0, table);
  }
});
