import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { harness, json, linkIn, pathOf, subscription, tokenOf } from './helpers.ts';

const ORIGIN = 'origin';
const ACAO = 'access-control-allow-origin';

function preflight(origin: string, url = '/api/v1/subscriptions') {
  return {
    method: 'OPTIONS' as const,
    url,
    headers: { [ORIGIN]: origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
  };
}

test('CORS: the public URL’s own origin may call the API (preflight and simple requests)', async (t) => {
  const h = await harness(t);
  const origin = new URL(h.config.publicUrl).origin;
  const pre = await h.inject(preflight(origin));
  assert.ok(pre.statusCode >= 200 && pre.statusCode < 300, `preflight ${pre.statusCode}`);
  assert.equal(pre.headers[ACAO], origin);
  assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
  assert.match(String(pre.headers['access-control-allow-headers']), /idempotency-key/i);
  assert.equal(pre.headers['access-control-allow-credentials'], undefined, 'no credentials');

  const get = await h.inject({ url: '/api/v1/lists', headers: { [ORIGIN]: origin } });
  assert.equal(get.statusCode, 200);
  assert.equal(get.headers[ACAO], origin);
  assert.match(String(get.headers.vary), /origin/i, 'caches keep answers per origin');
});

test('CORS: configured COMPA_ALLOWED_ORIGINS are echoed; others get no CORS header at all', async (t) => {
  const h = await harness(t, { env: { COMPA_ALLOWED_ORIGINS: 'https://ngo.example,https://partner.example:8443' } });
  for (const origin of ['https://ngo.example', 'https://partner.example:8443']) {
    assert.equal((await h.inject(preflight(origin))).headers[ACAO], origin);
    const post = await h.subscribe(subscription(), { [ORIGIN]: origin });
    assert.equal(post.statusCode, 202);
    assert.equal(post.headers[ACAO], origin);
  }
  for (const origin of ['https://evil.example', 'http://ngo.example', 'https://ngo.example.evil.example', 'null', new URL(h.config.publicUrl).origin]) {
    const pre = await h.inject(preflight(origin));
    assert.equal(pre.headers[ACAO], undefined, `preflight from ${origin}`);
    const get = await h.inject({ url: '/api/v1/lists', headers: { [ORIGIN]: origin } });
    assert.equal(get.headers[ACAO], undefined, `GET from ${origin}`);
  }
});

test('CORS: error answers reach an allowed widget too (it can show the message and Retry-After)', async (t) => {
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '1' } });
  const origin = new URL(h.config.publicUrl).origin;
  const bad = await h.subscribe({ email: 'x' }, { [ORIGIN]: origin });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.headers[ACAO], origin);
  const limited = await h.subscribe(subscription(), { [ORIGIN]: origin });
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.headers[ACAO], origin);
  assert.match(String(limited.headers['access-control-expose-headers']), /retry-after/i);
});

test('CORS: pages get no CORS headers; /dist/ bundles may be loaded from any site', async (t) => {
  const h = await harness(t);
  await mkdir(h.config.distDir, { recursive: true });
  await writeFile(join(h.config.distDir, 'compa-newsletter-AbCdEf12.js'), 'export const x = 1;\n');
  const origin = new URL(h.config.publicUrl).origin;

  const page = await h.inject({ url: '/privacy', headers: { [ORIGIN]: origin } });
  assert.equal(page.headers[ACAO], undefined);

  const bundle = await h.inject({ url: '/dist/compa-newsletter-AbCdEf12.js', headers: { [ORIGIN]: 'https://any-site.example' } });
  assert.equal(bundle.statusCode, 200);
  assert.equal(bundle.body, 'export const x = 1;\n');
  assert.equal(bundle.headers[ACAO], '*');
  assert.equal(bundle.headers['cross-origin-resource-policy'], 'cross-origin');
  assert.match(String(bundle.headers['cache-control']), /immutable/, 'hashed bundles are cached for good');
  assert.equal(bundle.headers['x-content-type-options'], 'nosniff');

  const missing = await h.inject({ url: '/dist/nope.js' });
  assert.equal(missing.statusCode, 404);
});

test('rate limit: the 4th write within the window → 429 with Retry-After, and nothing written', async (t) => {
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3' } });
  const client = { remoteAddress: '198.51.100.7' };
  for (let i = 0; i < 3; i++) assert.equal((await h.subscribe(subscription(), {}, client)).statusCode, 202);
  const before = h.counts();
  await h.drain();
  const mails = h.mails.length;

  const refused = subscription();
  const res = await h.subscribe(refused, {}, client);
  assert.equal(res.statusCode, 429);
  const body = json(res);
  assert.equal(body.error.code, 'rate_limited');
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= h.config.rateLimit.windowSeconds, `Retry-After ${retryAfter}`);
  assert.equal(body.error.retryAfter, retryAfter);

  assert.deepEqual(h.counts(), before, 'the refused write wrote nothing');
  assert.equal(h.rows('select 1 from subscribers where email = ?', String(refused.email)).length, 0);
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, mails);

  const other = await h.subscribe(subscription(), {}, { remoteAddress: '198.51.100.8' });
  assert.equal(other.statusCode, 202, 'another client has its own allowance');
  const read = await h.inject({ url: '/api/v1/lists', remoteAddress: client.remoteAddress });
  assert.equal(read.statusCode, 200, 'reads have their own, larger allowance');
});

test('rate limit: a spoofed X-Forwarded-For does not bypass it when no proxy is trusted', async (t) => {
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3' } });
  const remoteAddress = '203.0.113.9';
  for (let i = 0; i < 6; i++) {
    const res = await h.subscribe(subscription(), { 'x-forwarded-for': `192.0.2.${i + 1}` }, { remoteAddress });
    assert.equal(res.statusCode, i < 3 ? 202 : 429, `request ${i + 1}`);
  }
  assert.equal(h.counts().subscribers, 3);
});

test('rate limit: with COMPA_TRUST_PROXY=true the forwarded client address is the key', async (t) => {
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3', COMPA_TRUST_PROXY: 'true' } });
  const proxy = { remoteAddress: '10.0.0.2' };
  for (let i = 0; i < 3; i++) {
    assert.equal((await h.subscribe(subscription(), { 'x-forwarded-for': '192.0.2.10' }, proxy)).statusCode, 202);
  }
  assert.equal((await h.subscribe(subscription(), { 'x-forwarded-for': '192.0.2.10' }, proxy)).statusCode, 429);
  assert.equal((await h.subscribe(subscription(), { 'x-forwarded-for': '192.0.2.11' }, proxy)).statusCode, 202, 'another client behind the proxy');
});

test('rate limit: with a trusted hop count, a client’s own X-Forwarded-For entries are ignored', async (t) => {
  // One proxy appends the address it saw: "whatever-the-client-sent, real-client".
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3', COMPA_TRUST_PROXY: '1' } });
  const proxy = { remoteAddress: '10.0.0.2' };
  for (let i = 0; i < 5; i++) {
    const res = await h.subscribe(subscription(), { 'x-forwarded-for': `192.0.2.${100 + i}, 198.51.100.20` }, proxy);
    assert.equal(res.statusCode, i < 3 ? 202 : 429, `request ${i + 1}`);
  }
});

test('rate limit: IPv6 clients are counted per /64 network, IPv4-mapped addresses as IPv4', async (t) => {
  const { clientKey } = await import('../../src/server/http/client-key.ts');
  assert.equal(clientKey('2001:db8:1:2::1'), clientKey('2001:db8:1:2:ffff:ffff:ffff:fffe'));
  assert.notEqual(clientKey('2001:db8:1:2::1'), clientKey('2001:db8:1:3::1'));
  assert.equal(clientKey('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(clientKey('192.0.2.7'), '192.0.2.7');
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3' } });
  for (let i = 0; i < 5; i++) {
    const res = await h.subscribe(subscription(), {}, { remoteAddress: `2001:db8:aa:bb::${(i + 1).toString(16)}` });
    assert.equal(res.statusCode, i < 3 ? 202 : 429, `request ${i + 1} from another address of the same /64`);
  }
  const other = await h.subscribe(subscription(), {}, { remoteAddress: '2001:db8:aa:bc::1' });
  assert.equal(other.statusCode, 202, 'another /64 has its own allowance');
});

test('logs carry no email address, name or token, along the whole subscription journey', async (t) => {
  const h = await harness(t, { captureLogs: true });
  const email = 'canary.leak.7f3a@example.org';
  const firstName = 'Zebedeusz';
  const body = subscription({ email, firstName, locale: 'es' });

  await h.subscribe(body, { 'idempotency-key': 'journey-1' });
  await h.subscribe({ ...body, website: 'x' }); // honeypot
  await h.subscribe({ ...body, extra: email }); // rejected: unknown field
  await h.subscribe(`{"email":"${email}","firstName":"${firstName}",`); // broken JSON
  await h.subscribe(JSON.stringify({ ...body, email: `${firstName} <${email}>` })); // invalid address
  await h.drain();
  const mail = h.mails.find((m) => m.to === email)!;
  assert.ok(mail, 'the confirmation mail was sent');
  const confirm = linkIn(mail.text, h.config.publicUrl, '/newsletter/confirm');
  const unsubscribe = mail.unsubscribeUrl!;
  await h.inject({ url: pathOf(confirm) });
  await h.inject({ url: pathOf(unsubscribe) });
  await h.inject({
    method: 'POST',
    url: pathOf(unsubscribe),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  await h.inject({ url: `/newsletter/confirm/${tokenOf(confirm)}` }); // a mangled link: 404

  // Unmatched paths a bot or an old link might use, with personal data in the path itself.
  await h.inject({ url: `/api/v1/subscribers/${email}` });
  await h.inject({ url: `/unsubscribe/${encodeURIComponent(email)}?name=${firstName}` });

  const log = h.logs.join('\n');
  assert.ok(h.logs.length >= 10, `requests are logged (${h.logs.length} lines)`);
  assert.match(log, /\/newsletter\/confirm/, 'the log names the routes');
  const secrets = {
    email,
    'email (local part)': 'canary.leak.7f3a',
    'email (URL-encoded)': encodeURIComponent(email),
    firstName,
    'confirm token': tokenOf(confirm),
    'unsubscribe token': tokenOf(unsubscribe),
    'confirm token signature': tokenOf(confirm).split('.').at(-1)!,
    'unsubscribe token signature': tokenOf(unsubscribe).split('.').at(-1)!,
  };
  for (const [what, value] of Object.entries(secrets)) {
    assert.ok(!log.includes(value), `the log contains the ${what}:\n${h.logs.filter((l) => l.includes(value)).join('\n')}`);
  }
});

test('/dist/ bundles are sent compressed (the .br/.gz written at build time) when the browser accepts it', async (t) => {
  const { brotliCompressSync, gzipSync, brotliDecompressSync } = await import('node:zlib');
  const h = await harness(t);
  await mkdir(h.config.distDir, { recursive: true });
  const source = 'export const widget = "' + 'compa '.repeat(500) + '";\n';
  await writeFile(join(h.config.distDir, 'w.js'), source);
  await writeFile(join(h.config.distDir, 'w.js.br'), brotliCompressSync(source));
  await writeFile(join(h.config.distDir, 'w.js.gz'), gzipSync(source));
  const br = await h.inject({ url: '/dist/w.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.statusCode, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), source);
  assert.ok(br.rawPayload.length < source.length / 10);
  const gz = await h.inject({ url: '/dist/w.js', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const plain = await h.inject({ url: '/dist/w.js' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, source);
});
