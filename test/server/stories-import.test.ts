/**
 * Importing the organisation's feeds, against a local HTTP server serving fixture feeds: RSS 2.0, Atom and JSON
 * Feed; conditional requests; updates; GUID de-duplication; items gone from the feed (kept or hidden);
 * withdrawn stories that their feed can't bring back; a malformed feed, a huge one, one with XSS payloads and
 * one that never answers; images copied from the organisation's origin without their metadata, others dropped.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './helpers.ts';
import { feedServer, list, pngWithText } from './story-fixtures.ts';
import { importAllFeeds, importFeed } from '../../src/server/stories/service.ts';
import type { StoryDetail } from '../../src/schemas/story.ts';


const GPS = 'GPS 4.6097,-74.0817 Luz Mery home';

function rss(origin: string, items: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Org blog</title><link>${origin}/blog/</link><language>es</language>${extra}
${items}
</channel></rss>`;
}

function item(origin: string, n: number, o: { title?: string; guid?: string; content?: string; date?: string } = {}): string {
  return `<item>
  <title>${o.title ?? `Historia ${n}`}</title>
  <link>${origin}/blog/historia-${n}/</link>
  <guid isPermaLink="false">${o.guid ?? `${origin}/?p=${n}`}</guid>
  <pubDate>${o.date ?? `Mon, 0${n} Nov 2026 10:00:00 +0000`}</pubDate>
  <category>Territorio</category>
  <description><![CDATA[Resumen de la historia ${n}.]]></description>
  <content:encoded><![CDATA[${o.content ?? `<p>Texto completo de la historia ${n}.</p>`}]]></content:encoded>
</item>`;
}

async function setup(t: Parameters<typeof harness>[0], feeds: (origin: string) => unknown[] | string, env: Record<string, string> = {}) {
  const server = await feedServer(t);
  const value = feeds(server.origin);
  const h = await harness(t, {
    env: { COMPA_DEMO: 'false', COMPA_PUBLIC_URL: 'https://compa.example.org', COMPA_STORY_FEEDS: typeof value === 'string' ? value : JSON.stringify(value), ...env },
  });
  return { server, h };
}

const detail = async (h: Harness, id: string) => (await h.inject({ method: 'GET', url: `/api/v1/stories/${id}` })).json() as StoryDetail;

describe('importing feeds', () => {
  test('RSS 2.0: stories with the feed’s language, partner, place and tags; images copied without metadata; foreign ones and pixels dropped', async (t) => {
    const foreign = await feedServer(t);
    foreign.routes.set('/photo.png', (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end(pngWithText('Comment', 'x')));
    const { server, h } = await setup(t, (o) => [{ url: `${o}/feed/`, partner: 'Radio La Voz', country: 'co', region: 'Cauca', tags: ['Mujeres defensoras'] }]);
    const o = server.origin;
    const photo = pngWithText('Comment', GPS);
    server.routes.set('/uploads/photo.png', (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end(photo));
    server.routes.set('/feed/', (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(
        rss(
          o,
          item(o, 2, {
            content: `<p>Con foto.</p><img src="/uploads/photo.png" alt="La cabina de radio" width="600" height="400"><img src="${foreign.origin}/photo.png" alt="foreign"><img src="${o}/pixel.gif" width="1" height="1"><iframe src="https://www.youtube.com/embed/abc123" title="Entrevista"></iframe>`,
          }) + item(o, 1),
        ),
      ),
    );
    const [r] = await importAllFeeds(h.app.compa);
    assert.equal(r!.status, 'ok', r!.error);
    assert.deepEqual([r!.items, r!.created], [2, 2]);

    const { stories } = await list(h, 'lang=en');
    assert.deepEqual(stories.map((s) => [s.title, s.lang, s.fallback]), [['Historia 2', 'es', true], ['Historia 1', 'es', true]]);
    const s = stories[0]!;
    assert.deepEqual(s.partner, { slug: 'radio-la-voz', name: 'Radio La Voz' });
    assert.equal(s.country, 'CO');
    assert.deepEqual(s.region, { slug: 'cauca', name: 'Cauca' });
    assert.deepEqual(s.tags.map((x) => x.slug).sort(), ['mujeres-defensoras', 'territorio']);
    assert.equal(s.link, `${o}/blog/historia-2/`);
    assert.equal(s.date, '2026-11-02T10:00:00.000Z');
    assert.equal(s.excerpt, 'Resumen de la historia 2.');
    // The first image of the body is the cover: copied, served by Compa, without the GPS text.
    assert.match(s.image!.url, /^https:\/\/compa\.example\.org\/media\/stories\/[0-9a-f]{32}\.png$/);
    assert.deepEqual([s.image!.width, s.image!.height], [30, 20]);
    const img = await h.inject({ method: 'GET', url: new URL(s.image!.url).pathname });
    assert.equal(img.statusCode, 200);
    assert.ok(!img.rawPayload.includes(Buffer.from('GPS')), 'no GPS text in the served image');
    assert.ok(photo.includes(Buffer.from('GPS')), '(the original had it)');

    const body = (await detail(h, s.id)).body;
    assert.match(body, /<img src="https:\/\/compa\.example\.org\/media\/stories\/[0-9a-f]{32}\.png" alt="La cabina de radio"/);
    assert.doesNotMatch(body, new RegExp(foreign.origin.replace(/[.:/]/g, '\\$&')), 'no image from another origin');
    assert.doesNotMatch(body, /pixel\.gif/, 'no tracking pixel');
    assert.doesNotMatch(body, /<iframe/);
    assert.match(body, /data-compa-embed="https:\/\/www\.youtube-nocookie\.com\/embed\/abc123"/);
    assert.deepEqual(foreign.hits, [], 'nothing was fetched from another origin');
    assert.ok(!server.hits.includes('/pixel.gif'), 'the pixel was not fetched either');
  });

  test('conditional requests: an unchanged feed is a 304 and changes nothing; a changed item updates its story', async (t) => {
    const { server, h } = await setup(t, (o) => `${o}/feed.xml`);
    const o = server.origin;
    let body = rss(o, item(o, 1) + item(o, 2));
    server.routes.set('/feed.xml', (q, r) => {
      const etag = `"${body.length}"`;
      if (q.headers['if-none-match'] === etag) return r.writeHead(304).end();
      r.writeHead(200, { 'content-type': 'application/rss+xml', etag, 'last-modified': 'Mon, 02 Nov 2026 10:00:00 GMT' }).end(body);
    });
    const first = await importAllFeeds(h.app.compa);
    assert.equal(first[0]!.created, 2);
    const id = (await list(h)).stories.find((s) => s.title === 'Historia 1')!.id;

    const second = await importAllFeeds(h.app.compa);
    assert.equal(second[0]!.status, 'not-modified');
    assert.equal(server.headers.at(-1)!['if-none-match'], `"${body.length}"`);
    assert.equal(server.headers.at(-1)!['if-modified-since'], 'Mon, 02 Nov 2026 10:00:00 GMT');

    body = rss(o, item(o, 1, { title: 'Historia 1 (actualizada)' }) + item(o, 2));
    const third = await importAllFeeds(h.app.compa);
    assert.deepEqual([third[0]!.updated, third[0]!.unchanged, third[0]!.created], [1, 1, 0]);
    const after = (await list(h)).stories.find((s) => s.id === id);
    assert.equal(after?.title, 'Historia 1 (actualizada)', 'same story (same id), new title');
    assert.equal((await list(h)).stories.length, 2);
  });

  test('a feed without ETag read again: unchanged items are not rewritten and their images not fetched again', async (t) => {
    const { server, h } = await setup(t, (o) => `${o}/feed.xml`);
    const o = server.origin;
    server.routes.set('/img.png', (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end(pngWithText('Comment', 'x')));
    server.routes.set('/feed.xml', (_q, r) => r.writeHead(200).end(rss(o, item(o, 1, { content: '<p><img src="/img.png" alt="A"></p><p>Texto.</p>' }))));
    await importAllFeeds(h.app.compa);
    const updatedAt = h.rows<{ updated_at: string }>('select updated_at from stories')[0]!.updated_at;
    h.clock.advance(60_000);
    const [again] = await importAllFeeds(h.app.compa);
    assert.deepEqual([again!.unchanged, again!.updated], [1, 0]);
    assert.equal(server.hits.filter((x) => x === '/img.png').length, 1, 'the image was fetched once');
    assert.equal(h.rows<{ updated_at: string }>('select updated_at from stories')[0]!.updated_at, updatedAt, 'not rewritten');
  });

  test('Atom and JSON Feed; the same GUID twice is one story', async (t) => {
    const { server, h } = await setup(t, (o) => [{ url: `${o}/atom.xml` }, { url: `${o}/feed.json` }]);
    const o = server.origin;
    server.routes.set('/atom.xml', (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/atom+xml' }).end(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Blog</title><id>urn:blog</id><updated>2026-11-03T00:00:00Z</updated>
<entry><title>Récit Atom</title><id>urn:entry:1</id><link href="${o}/recit-atom"/><updated>2026-11-03T09:00:00Z</updated><summary>Résumé</summary><content type="html">&lt;p&gt;Corps du récit&lt;/p&gt;</content><category term="eau" label="Eau"/></entry>
<entry><title>Récit Atom (doublon)</title><id>urn:entry:1</id><link href="${o}/recit-atom-2"/><updated>2026-11-03T09:00:00Z</updated><summary>Résumé</summary></entry>
</feed>`),
    );
    server.routes.set('/feed.json', (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/feed+json' }).end(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'Blog',
          language: 'en',
          items: [{ id: 42, url: `${o}/json-story`, title: 'JSON story', content_html: '<p>One two three</p>', date_published: '2026-11-04T09:00:00Z', tags: ['Water'] }],
        }),
      ),
    );
    const results = await importAllFeeds(h.app.compa);
    assert.deepEqual(results.map((r) => [r.status, r.created]), [['ok', 1], ['ok', 1]]);
    const { stories } = await list(h, 'lang=fr');
    assert.deepEqual(stories.map((s) => [s.title, s.lang]), [['JSON story', 'en'], ['Récit Atom', 'fr']]);
    assert.deepEqual(stories[1]!.tags, [{ slug: 'eau', label: 'Eau' }]);
    assert.equal(stories[0]!.readingMinutes, 1);
  });

  test('items gone from the feed: kept by default, hidden with gone: "hide", shown again when back', async (t) => {
    const { server, h } = await setup(t, (o) => [{ url: `${o}/keep.xml` }, { url: `${o}/hide.xml`, gone: 'hide' }]);
    const o = server.origin;
    let keep = rss(o, item(o, 1, { guid: 'k1' }) + item(o, 2, { guid: 'k2' }));
    let hide = rss(o, item(o, 3, { guid: 'h1' }) + item(o, 4, { guid: 'h2' }));
    server.routes.set('/keep.xml', (_q, r) => r.writeHead(200).end(keep));
    server.routes.set('/hide.xml', (_q, r) => r.writeHead(200).end(hide));
    await importAllFeeds(h.app.compa);
    assert.equal((await list(h)).stories.length, 4);
    keep = rss(o, item(o, 2, { guid: 'k2' }));
    hide = rss(o, item(o, 4, { guid: 'h2' }));
    const r = await importAllFeeds(h.app.compa);
    assert.deepEqual(r.map((x) => x.hidden), [0, 1]);
    assert.deepEqual((await list(h)).stories.map((s) => s.title).sort(), ['Historia 1', 'Historia 2', 'Historia 4']);
    hide = rss(o, item(o, 3, { guid: 'h1' }) + item(o, 4, { guid: 'h2' }));
    await importAllFeeds(h.app.compa);
    assert.equal((await list(h)).stories.length, 4, 'back in the feed: shown again');
  });

  test('a withdrawn story stays withdrawn (and erased) whatever its feed still says', async (t) => {
    const { server, h } = await setup(t, (o) => `${o}/feed.xml`);
    const o = server.origin;
    let version = 1;
    server.routes.set('/feed.xml', (_q, r) => r.writeHead(200).end(rss(o, item(o, 1, { title: `Historia v${version}` }))));
    await importAllFeeds(h.app.compa);
    const id = (await list(h)).stories[0]!.id;
    await h.app.compa.store.withdrawStory(id, h.clock.now(), h.clock.now());
    await h.app.compa.store.eraseWithdrawnStories(h.clock.now());
    for (version of [1, 2]) {
      const [r] = await importAllFeeds(h.app.compa);
      assert.deepEqual([r!.withdrawn, r!.created, r!.updated], [1, 0, 0], `feed version ${version}`);
      assert.deepEqual((await list(h)).stories, []);
    }
    assert.deepEqual(h.rows<{ texts: string; erased: number }>('select texts, erased from stories').map((r) => ({ ...r })), [{ texts: '{}', erased: 1 }]);
  });

  test('a feed with XSS payloads: nothing executable reaches an answer', async (t) => {
    const { server, h } = await setup(t, (o) => `${o}/xss.xml`);
    const o = server.origin;
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">click</a>',
      '<a href="JaVaScRiPt:alert(1)">click</a>',
      '<svg onload=alert(1)><circle/></svg>',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<style>body{display:none}</style>',
      '<p style="background:url(javascript:alert(1))">styled</p>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '<form><button formaction="javascript:alert(1)">x</button></form>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
      '<object data="https://evil.example/x.swf"></object>',
      '<figure data-compa-embed="javascript:alert(1)" data-compa-host="evil"><a href="#">forged</a></figure>',
    ].join('\n');
    server.routes.set('/xss.xml', (_q, r) =>
      r.writeHead(200).end(rss(o, item(o, 1, { title: 'Hola &lt;script&gt;alert(1)&lt;/script&gt;', content: payloads }))),
    );
    const [res] = await importAllFeeds(h.app.compa);
    assert.equal(res!.created, 1);
    const s = (await list(h)).stories[0]!;
    assert.equal(s.title, 'Hola', 'the title is plain text (a script’s text dropped with it)');
    const body = (await detail(h, s.id)).body;
    for (const bad of [/<script/i, /onerror/i, /onload/i, /javascript:/i, /<iframe/i, /<style/i, /style=/i, /<svg/i, /<form/i, /formaction/i, /<meta/i, /<object/i, /srcdoc/i, /evil/]) {
      assert.doesNotMatch(body, bad, `${bad} in ${body}`);
    }
  });

  test('a malformed feed, an HTML page, a huge feed and a feed that never answers are reported; nothing else is touched', async (t) => {
    const { server, h } = await setup(
      t,
      (o) => [{ url: `${o}/good.xml` }, { url: `${o}/malformed.xml` }, { url: `${o}/page.html` }, { url: `${o}/huge.xml` }, { url: `${o}/never` }],
      { COMPA_STORY_FEED_MAX_BYTES: String(64 * 1024), COMPA_STORY_FEED_TIMEOUT_SECONDS: '1' },
    );
    const o = server.origin;
    server.routes.set('/good.xml', (_q, r) => r.writeHead(200).end(rss(o, item(o, 1))));
    server.routes.set('/malformed.xml', (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><item><title>Broken</ti'));
    server.routes.set('/page.html', (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>Blog</h1></body></html>'));
    let sent = 0;
    server.routes.set('/huge.xml', (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && r.write(chunk)) sent += chunk.length;
        if (sent < 50 * 1024 * 1024) r.once('drain', pump);
        else r.end();
      };
      r.on('close', () => r.destroy());
      pump();
    });
    server.routes.set('/never', () => {}); // accepts the connection, never answers

    const started = Date.now();
    const results = await importAllFeeds(h.app.compa);
    assert.ok(Date.now() - started < 10_000, 'the hanging feed is given up after its timeout');
    assert.deepEqual(results.map((r) => r.status), ['ok', 'error', 'error', 'error', 'error']);
    assert.match(results[3]!.error!, /larger than/);
    assert.ok(sent < 10 * 1024 * 1024, `stopped reading the huge feed early (${sent} bytes sent)`);
    assert.match(results[4]!.error!, /timed out/);
    assert.deepEqual((await list(h)).stories.map((s) => s.title), ['Historia 1'], 'the good feed was imported all the same');
    const states = await h.app.compa.store.listStoryFeeds();
    assert.equal(states.filter((s) => s.lastError).length, 4);
    assert.equal(states.find((s) => s.url.endsWith('/good.xml'))!.lastError, null);
  });

  test('a feed that breaks later leaves its stories as they were', async (t) => {
    const { server, h } = await setup(t, (o) => `${o}/feed.xml`);
    const o = server.origin;
    let ok = true;
    server.routes.set('/feed.xml', (_q, r) => (ok ? r.writeHead(200).end(rss(o, item(o, 1) + item(o, 2))) : r.writeHead(500).end('oops')));
    await importFeed(h.app.compa, h.config.storyFeeds[0]!);
    ok = false;
    const [r] = await importAllFeeds(h.app.compa);
    assert.equal(r!.status, 'error');
    assert.match(r!.error!, /500/);
    assert.equal((await list(h)).stories.length, 2);
  });

  test('the server reads its feeds on its own, in the background', async (t) => {
    const { server, h } = await setup(t, (o) => `${o}/feed.xml`);
    const o = server.origin;
    server.routes.set('/feed.xml', (_q, r) => r.writeHead(200).end(rss(o, item(o, 1))));
    await h.drain(); // the job loop's round starts the import
    for (let i = 0; i < 100 && (await list(h)).stories.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual((await list(h)).stories.map((s) => s.title), ['Historia 1']);
  });
});
