/**
 * End to end for `<compa-story-feed>`: the organisation's blog (a local HTTP server) publishes a story in its RSS
 * feed, with a photo carrying a GPS position and an embedded video → the real Compa server imports it on its own
 * schedule → the built widget shows it in real Chromium (photo served by Compa without the position; nothing
 * requested from the blog or the video site) → the story opens in place with the video as a placeholder → the
 * partner withdraws consent (`npm run compa -- story-withdraw`) → the story is gone from the widget, the API, the
 * published feed and the photo URL, and the blog's feed can't bring it back.
 * Fails if a page requests any host other than the Compa server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { ROOT, removeDir, startServer, type RunningServer } from '../support/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { pngWithText } from '../server/story-fixtures.ts';

const run = promisify(execFile);

let blog: Server;
let blogOrigin: string;
const blogHits: string[] = [];
let server: RunningServer;
let browser: Browser;
const foreignRequests: string[] = [];


const feed = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Blog de la organización</title><link>${blogOrigin}/</link><language>es</language>
<item>
  <title>Rosa y Marta siguen al aire en Cauca</title>
  <link>${blogOrigin}/2026/11/la-voz/</link>
  <guid isPermaLink="false">${blogOrigin}/?p=101</guid>
  <pubDate>Fri, 20 Nov 2026 14:00:00 +0000</pubDate>
  <category>Comunicación</category>
  <description>Tras tres amenazas en un mes, cinco mujeres deciden no apagar los micrófonos.</description>
  <content:encoded><![CDATA[<p><img src="/wp-content/uploads/cabina.png" alt="La cabina de la radio" width="120" height="80"></p><p>Cada mañana leen las noticias de la vereda.</p><iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ" title="Entrevista con Rosa"></iframe><p>«Cuando leemos esos nombres al aire, todo el mundo sabe que nos están mirando».</p>]]></content:encoded>
</item>
</channel></rss>`;

const feeds = () => JSON.stringify([{ url: `${blogOrigin}/feed/`, partner: 'Emisora El Eco', country: 'CO', region: 'Cauca' }]);

const state = (page: Page) => page.evaluate(() => (document.querySelector('#f') as HTMLElement & { state?: string }).state);

async function open(): Promise<Page> {
  const page = await browser.newPage();
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== server.url) foreignRequests.push(req.url());
  });
  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  await page.evaluate(() => {
    document.querySelector('main')!.innerHTML = '<compa-story-feed id="f" lang="en" layout="list"></compa-story-feed>';
  });
  await page.waitForFunction(() => /^(list|empty)$/.test((document.querySelector('#f') as HTMLElement & { state?: string })?.state ?? ''), { timeout: 15_000 });
  return page;
}

before(async () => {
  blog = createServer((req, res) => {
    blogHits.push(req.url ?? '');
    if (req.url === '/feed/') return res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed());
    if (req.url === '/wp-content/uploads/cabina.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(pngWithText('GPSPosition', '1.2136 N, 77.2811 W', [120, 80]));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => blog.listen(0, '127.0.0.1', r));
  blogOrigin = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
  server = await startServer({
    COMPA_DEMO: 'true',
    COMPA_STORY_FEEDS: feeds(),
    COMPA_STORY_FEED_INTERVAL_MINUTES: '1',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  blog?.closeAllConnections();
  await new Promise<void>((r) => (blog ? blog.close(() => r()) : r()));
  if (server) removeDir(server.dir);
});

test('feed published → imported → shown in the widget → withdrawn → gone', { timeout: 120_000 }, async () => {
  // Imported by the server's own schedule (the first round runs at start).
  let id: string | undefined;
  for (let i = 0; i < 100 && !id; i++) {
    const list = (await (await fetch(`${server.url}/api/v1/stories?partner=emisora-el-eco`)).json()) as { stories: { id: string }[] };
    id = list.stories[0]?.id;
    if (!id) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(id, `the story was imported: ${server.output()}`);
  assert.ok(blogHits.includes('/feed/') && blogHits.includes('/wp-content/uploads/cabina.png'), 'the server read the feed and copied the photo');

  const page = await open();
  assert.equal(await state(page), 'list');
  const card = await page.evaluate((storyId) => {
    const root = document.querySelector('#f')!.shadowRoot!;
    const article = root.querySelector(`article[aria-labelledby="t-${storyId}"]`)!;
    const img = article.querySelector('img')!;
    return {
      title: article.querySelector('[part="title"]')!.textContent!.trim(),
      titleLang: article.querySelector('[part="title"]')!.getAttribute('lang'),
      text: article.textContent!.replace(/\s+/g, ' '),
      img: { src: img.src, width: img.getAttribute('width'), height: img.getAttribute('height'), alt: img.alt, loading: img.loading },
    };
  }, id);
  assert.equal(card.title, 'Rosa y Marta siguen al aire en Cauca');
  assert.equal(card.titleLang, 'es', 'a Spanish story in an English widget keeps its language');
  assert.match(card.text, /In Spanish/);
  assert.match(card.text, /Emisora El Eco/);
  assert.match(card.text, /Cauca, Colombia/);
  assert.match(card.text, /November 20, 2026/);
  assert.ok(card.img.src.startsWith(`${server.url}/media/stories/`), `photo served by Compa: ${card.img.src}`);
  assert.deepEqual([card.img.width, card.img.height, card.img.alt, card.img.loading], ['120', '80', 'La cabina de la radio', 'lazy']);
  const served = Buffer.from(await (await fetch(card.img.src)).arrayBuffer());
  assert.ok(!served.includes(Buffer.from('GPSPosition')), 'the photo’s position is gone');

  // Open in place: the video is a placeholder; nothing is asked of the video site.
  await page.locator(`#f >>> article[aria-labelledby="t-${id}"] [part="title"] a`).click();
  await page.waitForFunction(() => (document.querySelector('#f') as HTMLElement & { state?: string }).state === 'reader', { timeout: 10_000 });
  await page.waitForFunction(() => !!document.querySelector('#f')!.shadowRoot!.querySelector('[part~="embed"]'), { timeout: 10_000 });
  const reader = await page.evaluate(() => {
    const root = document.querySelector('#f')!.shadowRoot!;
    return { text: root.querySelector('[part="reader"]')!.textContent!.replace(/\s+/g, ' '), iframes: root.querySelectorAll('iframe').length };
  });
  assert.match(reader.text, /Cada mañana leen las noticias/);
  assert.match(reader.text, /youtube-nocookie\.com/, 'says which site the video would load from');
  assert.equal(reader.iframes, 0);
  assert.deepEqual(foreignRequests, [], 'no request to any other host (the blog, the video site)');

  // The partner withdraws consent.
  await run(process.execPath, [join(ROOT, 'src/server/cli.ts'), 'story-withdraw', id], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${server.dbPath}`, COMPA_LOG_LEVEL: 'silent' },
  });
  assert.equal((await fetch(`${server.url}/api/v1/stories/${id}`)).status, 404);
  assert.equal((await fetch(card.img.src)).status, 404, 'the photo is not served any more');
  assert.doesNotMatch(await (await fetch(`${server.url}/api/v1/stories/feed.xml`)).text(), /Rosa y Marta/);

  // The reader open on the page learns it is gone when it asks again; a fresh widget does not show it.
  const fresh = await open();
  const titles = await fresh.evaluate(() => [...document.querySelector('#f')!.shadowRoot!.querySelectorAll('[part="title"]')].map((t) => t.textContent!.trim()));
  assert.ok(!titles.some((t) => t.includes('Rosa y Marta')), `gone from the widget: ${titles.join(' | ')}`);
  assert.ok(titles.length > 0, 'the demo stories are still there');

  // The blog still lists it: reading the feed again (as the server does every minute here) must not bring it back.
  const feedReads = blogHits.filter((h) => h === '/feed/').length;
  const again = await run(process.execPath, [join(ROOT, 'src/server/cli.ts'), 'stories-import'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${server.dbPath}`, COMPA_LOG_LEVEL: 'silent', COMPA_STORY_FEEDS: feeds() },
  });
  assert.ok(blogHits.filter((h) => h === '/feed/').length > feedReads, 'the feed was read again');
  assert.match(again.stdout, /1 withdrawn/);
  assert.equal((await fetch(`${server.url}/api/v1/stories/${id}`)).status, 404, 'still withdrawn after the next import');
  assert.deepEqual(foreignRequests, []);
});
