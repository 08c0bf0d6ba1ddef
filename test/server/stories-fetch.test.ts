/**
 * Downloads for the story importer against local servers: conditional requests, one deadline for everything, a
 * byte limit enforced while streaming, redirects (refused across origins for images), and no exception ever.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fetchLimited, type FetchResult } from '../../src/server/stories/fetch.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server for one test, closed (connections included) when the test ends. */
async function serve(t: TestContext, handler: Handler): Promise<{ url: string; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

/** A raw TCP server, to answer what node:http would refuse to send (a lying Content-Length). */
async function serveRaw(t: TestContext, onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => onSocket(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const LIMITS = { timeoutMs: 2000, maxBytes: 1024 * 1024 };

function ok(r: FetchResult): Extract<FetchResult, { status: 'ok' }> {
  assert.equal(r.status, 'ok', JSON.stringify(r));
  return r as Extract<FetchResult, { status: 'ok' }>;
}

function error(r: FetchResult, reason: RegExp): void {
  assert.equal(r.status, 'error', JSON.stringify(r));
  assert.match((r as { reason: string }).reason, reason);
}

test('200 with an ETag, then 304 when If-None-Match matches; user agent and Accept sent, no cookies', async (t) => {
  const { url, requests } = await serve(t, (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' }).end('<rss/>');
  });
  const first = ok(await fetchLimited(`${url}/feed`, { ...LIMITS, userAgent: 'CompaTest/1' }, undefined, { accept: 'application/rss+xml' }));
  assert.equal(first.body.toString(), '<rss/>');
  assert.equal(first.contentType, 'application/rss+xml; charset=utf-8');
  assert.equal(first.etag, '"v1"');
  assert.equal(first.lastModified, null);
  assert.equal(first.url, `${url}/feed`);
  assert.equal(requests[0]!.headers['user-agent'], 'CompaTest/1');
  assert.equal(requests[0]!.headers.accept, 'application/rss+xml');
  assert.equal(requests[0]!.headers['if-none-match'], undefined);
  assert.equal(requests[0]!.headers.cookie, undefined);

  const second = await fetchLimited(`${url}/feed`, LIMITS, { etag: first.etag, lastModified: first.lastModified });
  assert.deepEqual(second, { status: 'not-modified' });
  assert.equal(requests[1]!.headers['if-none-match'], '"v1"');
  assert.match(String(requests[1]!.headers['user-agent']), /^Compa\//, 'a default user agent');
  const changed = ok(await fetchLimited(`${url}/feed`, LIMITS, { etag: '"v0"' }));
  assert.equal(changed.body.toString(), '<rss/>');
});

test('Last-Modified is sent back as If-Modified-Since and a 304 means not modified', async (t) => {
  const stamp = 'Wed, 12 Jun 2024 14:00:00 GMT';
  const { url, requests } = await serve(t, (req, res) => {
    if (req.headers['if-modified-since'] === stamp) res.writeHead(304).end();
    else res.writeHead(200, { 'last-modified': stamp }).end('body');
  });
  const first = ok(await fetchLimited(url, LIMITS));
  assert.equal(first.lastModified, stamp);
  assert.deepEqual(await fetchLimited(url, LIMITS, { lastModified: first.lastModified }), { status: 'not-modified' });
  assert.equal(requests[1]!.headers['if-modified-since'], stamp);
});

test('a server that never answers: timed out after timeoutMs, and no socket is left open', async (t) => {
  const { url, server } = await serve(t, () => {});
  const started = performance.now();
  const r = await fetchLimited(url, { ...LIMITS, timeoutMs: 300 });
  const elapsed = performance.now() - started;
  error(r, /^timed out after 300 ms$/);
  assert.ok(elapsed >= 250 && elapsed < 1500, `${elapsed} ms`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const open = await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
  assert.equal(open, 0, 'the client closed its connection');
});

test('the deadline covers the body too: headers, one chunk, then silence', async (t) => {
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first chunk');
  });
  const started = performance.now();
  error(await fetchLimited(url, { ...LIMITS, timeoutMs: 300 }), /^timed out after 300 ms$/);
  assert.ok(performance.now() - started < 1500);
});

test('a body streamed without Content-Length is cut as soon as it passes maxBytes, not read to its end', async (t) => {
  let written = 0;
  let closed!: () => void;
  const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' }); // chunked: no Content-Length
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let stop = false;
    res.on('close', () => {
      stop = true;
      closed();
    });
    const pump = () => {
      while (!stop && written < 512 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  const started = performance.now();
  error(await fetchLimited(url, { timeoutMs: 5000, maxBytes: 100 * 1024 }), /^larger than 102400 bytes$/);
  await serverSawClose;
  assert.ok(performance.now() - started < 3000, 'stopped early');
  assert.ok(written < 32 * 1024 * 1024, `the server wrote ${written} bytes of its 512 MiB before the client hung up`);
});

test('a Content-Length over the limit is refused before reading the body', async (t) => {
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
    res.flushHeaders(); // and then nothing: reading the body would wait for the timeout
  });
  const started = performance.now();
  error(await fetchLimited(url, { timeoutMs: 3000, maxBytes: 1024 * 1024 }), /^larger than 1048576 bytes$/);
  assert.ok(performance.now() - started < 1000, 'no waiting for a body');
});

test('a lying Content-Length: never more than it declared (nor than maxBytes), and a short body is an error', async (t) => {
  const longer = await serveRaw(t, (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\n');
    socket.end(Buffer.alloc(200 * 1024, 0x62));
  });
  assert.equal(ok(await fetchLimited(longer, { timeoutMs: 2000, maxBytes: 1000 })).body.length, 10, 'the declared length, not what was sent');

  const shorter = await serveRaw(t, (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n');
    socket.end('only this');
  });
  error(await fetchLimited(shorter, { timeoutMs: 2000, maxBytes: 1000 }), /^the body is shorter than its Content-Length$/);

  const under = await serveRaw(t, (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n');
    socket.end(Buffer.alloc(100, 0x63));
  });
  error(await fetchLimited(under, { timeoutMs: 2000, maxBytes: 99 }), /^larger than 99 bytes$/);
});

test('redirects: followed on the same origin (final URL reported), refused across origins with sameOrigin before any request there', async (t) => {
  const other = await serve(t, (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('elsewhere'));
  const { url } = await serve(t, (req, res) => {
    if (req.url === '/moved') res.writeHead(301, { location: '/final' }).end();
    else if (req.url === '/away') res.writeHead(302, { location: `${other.url}/img.jpg` }).end();
    else if (req.url === '/loop') res.writeHead(307, { location: '/loop' }).end();
    else if (req.url === '/nowhere') res.writeHead(302).end();
    else if (req.url === '/file') res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    else res.writeHead(200).end(`at ${req.url}`);
  });
  const moved = ok(await fetchLimited(`${url}/moved`, LIMITS, undefined, { sameOrigin: true }));
  assert.equal(moved.url, `${url}/final`);
  assert.equal(moved.body.toString(), 'at /final');

  error(await fetchLimited(`${url}/away`, LIMITS, undefined, { sameOrigin: true }), /^redirected to another origin$/);
  assert.equal(other.requests.length, 0, 'no request reached the other origin');
  const followed = ok(await fetchLimited(`${url}/away`, LIMITS));
  assert.equal(followed.url, `${other.url}/img.jpg`, 'without sameOrigin (feeds), a move is followed');
  assert.equal(other.requests.length, 1);

  error(await fetchLimited(`${url}/loop`, LIMITS), /^more than 5 redirects$/);
  error(await fetchLimited(`${url}/nowhere`, LIMITS), /^HTTP 302 without a Location$/);
  error(await fetchLimited(`${url}/file`, LIMITS), /not http\(s\)/);
});

test('HTTP errors are reported by status, with the body let go', async (t) => {
  const { url } = await serve(t, (req, res) => {
    const status = Number(req.url!.slice(1));
    res.writeHead(status).end('error page');
  });
  error(await fetchLimited(`${url}/500`, LIMITS), /^HTTP 500$/);
  error(await fetchLimited(`${url}/404`, LIMITS), /^HTTP 404$/);
  error(await fetchLimited(`${url}/204`, LIMITS), /^HTTP 204$/);
});

test('only http(s) URLs are fetched; a refused connection is an error; nothing ever throws', async (t) => {
  error(await fetchLimited('file:///etc/passwd', LIMITS), /^not http\(s\)$/);
  error(await fetchLimited('ftp://ngo.example/feed.xml', LIMITS), /^not http\(s\)$/);
  error(await fetchLimited('data:text/xml,<rss/>', LIMITS), /^not http\(s\)$/);
  error(await fetchLimited('not a url', LIMITS), /^not a valid URL$/);
  error(await fetchLimited('https://user:secret@ngo.example/feed', LIMITS), /^URL with credentials$/);

  const { url, server } = await serve(t, () => {});
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const refused = await fetchLimited(`${url}/feed?token=s3cr3t`, LIMITS);
  error(refused, /^connection refused$/);
  assert.doesNotMatch(JSON.stringify(refused), /s3cr3t|127\.0\.0\.1/, 'the reason does not repeat the URL');
});
