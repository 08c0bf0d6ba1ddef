/**
 * The live count over Server-Sent Events, as a widget on a partner's page receives it: the current count at
 * once, each change within a second, bursts coalesced, CORS only for the embedding sites, a cap on open
 * streams (503 + Retry-After: widgets poll /count instead), and streams ended cleanly on shutdown.
 * The app listens on a random local port; streams are read with node:http, as a browser's EventSource would.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PetitionCountSchema } from '../../src/schemas/petition.ts';
import { PUSH_INTERVAL_MS } from '../../src/server/petitions/hub.ts';
import { CLOSED_PETITION, DAY, OPEN_PETITION, changePetition, createPetition, harness, json, signature, type Harness } from './helpers.ts';

interface SseEvent {
  event: string;
  data: string;
  at: number;
}

interface Stream {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body of a non-200 answer. */
  body: string;
  events: SseEvent[];
  /** The next event not yet taken, waiting at most `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Waits until an event matches (taking every event before it). */
  until(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  ended: Promise<void>;
  close(): void;
}

async function listen(t: TestContext, h: Harness): Promise<number> {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return (h.app.server.address() as AddressInfo).port;
}

function openStream(t: TestContext, port: number, path: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      let buffer = '';
      let body = '';
      let cursor = 0;
      const events: SseEvent[] = [];
      const waiters: (() => void)[] = [];
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => (endedResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (res.statusCode !== 200) {
          body += chunk;
          return;
        }
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length) events.push({ event, data: data.join('\n'), at: Date.now() });
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('close', () => {
        endedResolve();
        for (const w of waiters.splice(0)) w();
      });
      const stream: Stream = {
        status: res.statusCode!,
        headers: res.headers,
        get body() {
          return body;
        },
        events,
        ended,
        async next(timeoutMs = 1000) {
          const deadline = Date.now() + timeoutMs;
          while (cursor >= events.length) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no event within ${timeoutMs} ms (had ${events.length}: ${events.map((e) => e.data).join(' | ')})`);
            await new Promise<void>((r) => {
              const timer = setTimeout(r, left);
              waiters.push(() => {
                clearTimeout(timer);
                r();
              });
            });
          }
          return events[cursor++]!;
        },
        async until(match, timeoutMs = 1000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const e = await stream.next(Math.max(1, deadline - Date.now()));
            if (match(e)) return e;
          }
        },
        close: () => req.destroy(),
      };
      t.after(() => req.destroy());
      if (res.statusCode !== 200) res.on('end', () => resolve(stream));
      else resolve(stream);
    });
    req.on('error', reject);
  });
}

const countOf = (e: SseEvent) => PetitionCountSchema.parse(JSON.parse(e.data));

test('a stream is text/event-stream, starts with the current count, and a signature arrives within a second', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}` }); // the page loaded the petition
  await h.sign(OPEN_PETITION, signature());
  const s = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(s.status, 200);
  assert.match(String(s.headers['content-type']), /^text\/event-stream/);
  assert.match(String(s.headers['cache-control']), /no-cache/);
  assert.equal(s.headers['content-encoding'], undefined, 'not buffered by compression');

  const first = await s.next();
  assert.equal(first.event, 'count');
  const stored = Number(h.rows<{ n: number }>('select signature_count as n from petitions where slug = ?', OPEN_PETITION)[0]!.n);
  assert.deepEqual(JSON.parse(first.data), { count: stored, goal: 5000, status: 'open' }, 'exactly count, goal and status: never names');

  const sent = Date.now();
  const res = await h.sign(OPEN_PETITION, signature());
  assert.equal(res.statusCode, 202);
  const update = await s.next(1000);
  assert.equal(update.event, 'count');
  assert.deepEqual(JSON.parse(update.data), { count: stored + 1, goal: 5000, status: 'open' });
  assert.ok(update.at - sent < 1000, `within 1 s (${update.at - sent} ms)`);
});

test(
  'a stream opened after the first signatures of a fresh process starts with the stored count',
  async (t) => {
    const h = await harness(t);
    const port = await listen(t, h);
    for (let i = 0; i < 3; i++) await h.sign(OPEN_PETITION, signature());
    const s = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
    assert.equal(countOf(await s.next()).count, 3);
  },
);

test('"It wasn’t me" and a confirmed signature reach the open streams too', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const p = await createPetition(h, { verification: 'email' });
  const s = await openStream(t, port, `/api/v1/petitions/${p.slug}/events`);
  assert.equal(countOf(await s.next()).count, 0);
  await h.sign(p.slug, signature({ email: 'stream@example.org' }));
  await h.drain();
  const mail = h.mails.find((m) => m.to === 'stream@example.org')!;
  const confirm = /\/petitions\/confirm\?t=[^\s]+/.exec(mail.text)![0];
  const notMe = /\/petitions\/not-me\?t=[^\s]+/.exec(mail.text)![0];
  await h.inject({ method: 'POST', url: confirm });
  assert.equal(countOf(await s.until((e) => countOf(e).count === 1)).count, 1);
  await h.inject({ method: 'POST', url: notMe });
  assert.equal(countOf(await s.until((e) => countOf(e).count === 0)).count, 0);
});

test('a burst of 200 signatures is coalesced into a few events, the last one the final count', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const s = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(countOf(await s.next()).count, 0);

  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 200 }, () => h.sign(OPEN_PETITION, signature())));
  const elapsed = Date.now() - started;
  assert.ok(answers.every((r) => r.statusCode === 202));
  const last = await s.until((e) => countOf(e).count === 200, 2000);
  assert.equal(countOf(last).count, 200);
  // Nothing more is coming: wait one push interval beyond and look again.
  await new Promise((r) => setTimeout(r, PUSH_INTERVAL_MS * 2));
  const updates = s.events.slice(1);
  assert.equal(countOf(updates.at(-1)!).count, 200, 'the last event is the final count');
  const bound = Math.ceil(elapsed / PUSH_INTERVAL_MS) + 2;
  assert.ok(updates.length <= Math.min(bound, 20), `${updates.length} events for 200 signatures in ${elapsed} ms (at most ${Math.min(bound, 20)})`);
  const counts = updates.map((e) => countOf(e).count);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'counts only go up');
});

test('a steady stream of signatures (one commit each) is pushed at most once per interval', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const s = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(countOf(await s.next()).count, 0);
  const N = 120;
  const started = Date.now();
  for (let i = 0; i < N; i++) assert.equal((await h.sign(OPEN_PETITION, signature())).statusCode, 202);
  const elapsed = Date.now() - started;
  await s.until((e) => countOf(e).count === N, 2000);
  await new Promise((r) => setTimeout(r, PUSH_INTERVAL_MS * 2));
  const updates = s.events.slice(1);
  assert.equal(countOf(updates.at(-1)!).count, N);
  const bound = Math.ceil(elapsed / PUSH_INTERVAL_MS) + 2;
  assert.ok(updates.length <= bound && updates.length < N / 4, `${updates.length} events for ${N} commits in ${elapsed} ms (at most ${bound})`);
});

test('a closed petition’s stream says closed; another petition’s signatures do not reach it', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const closed = await openStream(t, port, `/api/v1/petitions/${CLOSED_PETITION}/events`);
  assert.deepEqual(countOf(await closed.next()), { count: 0, goal: 2000, status: 'closed' });
  await h.sign(OPEN_PETITION, signature());
  await assert.rejects(closed.next(PUSH_INTERVAL_MS * 3), /no event/);
});

test('past its deadline a petition’s stream and count say closed', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const p = await createPetition(h, { deadline: new Date(h.clock.now().getTime() + DAY) });
  h.clock.advance(DAY);
  const s = await openStream(t, port, `/api/v1/petitions/${p.slug}/events`);
  assert.equal(countOf(await s.next()).status, 'closed');
  assert.equal(json(await h.inject({ url: `/api/v1/petitions/${p.slug}/count` })).status, 'closed');
});

test('closing a petition is pushed to its open streams', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const p = await createPetition(h);
  const s = await openStream(t, port, `/api/v1/petitions/${p.slug}/events`);
  assert.equal(countOf(await s.next()).status, 'open');
  await changePetition(h, p.slug, { status: 'closed' });
  // Any read of the petition notices the change; the stream is told.
  await h.inject({ url: `/api/v1/petitions/${p.slug}/count` });
  assert.equal(countOf(await s.until((e) => countOf(e).status === 'closed', 1000)).status, 'closed');
});

test('CORS: the stream carries Access-Control-Allow-Origin for an embedding site, and none for others', async (t) => {
  const partner = 'https://partner.example';
  const h = await harness(t, { env: { COMPA_ALLOWED_ORIGINS: `${partner},https://other-partner.example` } });
  const port = await listen(t, h);
  const ok = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`, { origin: partner });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['access-control-allow-origin'], partner);
  assert.equal(countOf(await ok.next()).count, 0);
  assert.equal(ok.headers['access-control-allow-credentials'], undefined, 'no credentials');

  const evil = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`, { origin: 'https://evil.example' });
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  evil.close();

  // The count (the polling fallback) follows the same rule.
  const count = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count`, headers: { origin: partner } });
  assert.equal(count.headers['access-control-allow-origin'], partner);
  const countEvil = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count`, headers: { origin: 'https://evil.example' } });
  assert.equal(countEvil.headers['access-control-allow-origin'], undefined);
});

test('beyond COMPA_SSE_MAX_STREAMS a stream gets 503 with Retry-After; closing a stream frees its place', async (t) => {
  const h = await harness(t, { env: { COMPA_SSE_MAX_STREAMS: '1' } });
  const port = await listen(t, h);
  const first = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(first.status, 200);
  await first.next();

  const second = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(second.status, 503);
  assert.ok(Number(second.headers['retry-after']) > 0, `Retry-After: ${second.headers['retry-after']}`);
  assert.match(String(second.headers['content-type']), /^application\/json/);
  assert.equal(JSON.parse(second.body).error.code, 'unavailable');
  // Another petition shares the same cap.
  assert.equal((await openStream(t, port, `/api/v1/petitions/${CLOSED_PETITION}/events`)).status, 503);
  // The widget falls back to polling the count, which still answers.
  assert.equal((await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` })).statusCode, 200);

  first.close();
  const deadline = Date.now() + 2000;
  while (h.app.petitions.hub.streamCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(h.app.petitions.hub.streamCount, 0, 'the closed stream was forgotten');
  const third = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(third.status, 200);
  assert.equal(countOf(await third.next()).count, 0);
});

test('shutting the server down ends open streams (clients reconnect elsewhere) instead of hanging', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const s = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  await s.next();
  const started = Date.now();
  await h.app.close();
  await s.ended;
  assert.ok(Date.now() - started < 5000, `closed promptly (${Date.now() - started} ms)`);
});

test('the moment the deadline passes, open streams are told the petition closed (no read needed)', async (t) => {
  const h = await harness(t);
  const port = await listen(t, h);
  const p = await createPetition(h, { deadline: new Date(h.clock.now().getTime() + 300) });
  const s = await openStream(t, port, `/api/v1/petitions/${p.slug}/events`);
  assert.equal(countOf(await s.next()).status, 'open');
  h.clock.advance(300);
  assert.equal(countOf(await s.until((e) => countOf(e).status === 'closed', 2000)).status, 'closed');
});

test('one client address holds at most COMPA_SSE_MAX_STREAMS_PER_CLIENT streams', async (t) => {
  const h = await harness(t, { env: { COMPA_SSE_MAX_STREAMS_PER_CLIENT: '2' } });
  const port = await listen(t, h);
  for (let i = 0; i < 2; i++) assert.equal((await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`)).status, 200);
  const third = await openStream(t, port, `/api/v1/petitions/${OPEN_PETITION}/events`);
  assert.equal(third.status, 503);
  assert.equal(JSON.parse(third.body).error.code, 'unavailable');
  assert.equal(h.app.petitions.hub.streamCount, 2);
});

test('the count’s fast lane answers exactly as the route does (headers, CORS, 304, 404 left to Fastify)', async (t) => {
  const partner = 'https://partner.example';
  const h = await harness(t, { env: { COMPA_ALLOWED_ORIGINS: partner } });
  const port = await listen(t, h);
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, { headers }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
      headers: Object.fromEntries([...r.headers].filter(([k]) => !['date', 'connection', 'keep-alive', 'content-length'].includes(k))),
    }));
  const url = `/api/v1/petitions/${OPEN_PETITION}/count`;
  const served = () => h.app.petitions.fastLane.count;
  for (const headers of [{}, { origin: partner }, { origin: 'https://evil.example' }] as Record<string, string>[]) {
    h.app.petitions.forget();
    const before = served();
    const viaFastify = await get(url, headers); // not in memory yet: Fastify answers (and fills the cache)
    assert.equal(served(), before, 'the first answer came from the route');
    const viaLane = await get(url, headers);
    assert.equal(served(), before + 1, 'the second from the fast lane');
    assert.deepEqual(viaLane, viaFastify, JSON.stringify(headers));
  }
  const withOrigin = await get(url, { origin: partner });
  assert.equal(withOrigin.headers['access-control-allow-origin'], partner);
  assert.equal(withOrigin.headers['vary'], 'Origin');
  assert.equal(withOrigin.headers['x-content-type-options'], 'nosniff');
  const notModified = await get(url, { 'if-none-match': withOrigin.headers['etag']! });
  assert.equal(notModified.status, 304);
  // Not in memory, or not a petition: Fastify answers in the one error shape.
  const missing = await get('/api/v1/petitions/no-such-petition/count');
  assert.equal(missing.status, 404);
  assert.equal(JSON.parse(missing.body).error.code, 'not_found');
  const bad = await get('/api/v1/petitions/Bad_Slug/count');
  assert.equal(bad.status, 400);
  // A new signature shows at once on the lane (the count lives in memory, not in the 2 s cache).
  await h.sign(OPEN_PETITION, signature());
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(JSON.parse((await get(url)).body).count, 1);
});
