/**
 * The admin API on content: stories (photo inline, stored without its metadata; withdrawal), story feeds added
 * through the API next to COMPA_STORY_FEEDS (merged by the import; a configured one can't be changed here), and
 * `compa import FILE` (the whole file checked first, mistakes named by their path, all or nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json } from './helpers.ts';
import { feedServer, list, pngWithText } from './story-fixtures.ts';
import { adminCli, adminHarness, auditRows, listBody, petitionBody, storyBody, webinarBody, type AdminHarness } from './admin-helpers.ts';
import { importFile } from '../../src/server/admin/import.ts';

const GPS = '4.6097 N, 74.0817 W';

const contentCounts = (h: AdminHarness) =>
  Object.fromEntries(
    ['newsletter_lists', 'petitions', 'webinars', 'stories', 'story_media', 'story_feed_sources'].map((t) => [t, h.rows<{ n: number }>(`select count(*) as n from ${t}`)[0]!.n]),
  );

test('stories: a story with its photo inline, stored without its position; updated; a mistake names the field and writes nothing', async (t) => {
  const h = await adminHarness(t);
  const photo = pngWithText('GPSPosition', GPS, [40, 30]);
  let res = await h.api('PUT', 'stories/la-voz', storyBody({ image: { data: photo.toString('base64'), alt: { es: 'La cabina de la radio' } } }));
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(json(res).story, { id: 'la-voz', date: '2026-02-20T14:00:00.000Z', languages: ['es'], status: 'shown', source: 'api' });
  const { stories } = await list(h, 'lang=es');
  assert.equal(stories[0]!.title, 'La radio sigue encendida');
  assert.equal(stories[0]!.country, 'CO');
  assert.equal(stories[0]!.image!.alt, 'La cabina de la radio');
  const image = await h.inject({ url: new URL(stories[0]!.image!.url).pathname });
  assert.equal(image.statusCode, 200);
  assert.ok(!image.rawPayload.includes(Buffer.from(GPS)), 'the photo is served without its position');
  const detail = json(await h.inject({ url: '/api/v1/stories/la-voz' }));
  assert.doesNotMatch(detail.body, /script/);

  res = await h.api('PUT', 'stories/la-voz', storyBody({ texts: { es: { title: 'La radio sigue al aire', excerpt: 'Cinco mujeres.' } } }));
  assert.equal(res.statusCode, 200);
  assert.equal(json(res).outcome, 'updated');
  assert.equal((await list(h, 'lang=es')).stories[0]!.title, 'La radio sigue al aire');

  const before = contentCounts(h);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64');
  for (const [id, body, field] of [
    ['new-story', storyBody({ image: { data: svg, alt: {} } }), 'image.data'],
    ['new-story', storyBody({ image: { data: 'not base64!', alt: {} } }), 'image.data'],
    ['new-story', storyBody({ image: { file: 'photo.png', alt: {} } }), 'image.file'],
    ['new-story', storyBody({ texts: { es: { title: 'Sin texto' } } }), 'texts.es.excerpt'],
    ['new-story', storyBody({ date: 'yesterday' }), 'date'],
    ['new-story', storyBody({ withdrawAfter: '2026-01-01T00:00:00Z', publishFrom: '2026-02-01T00:00:00Z' }), 'withdrawAfter'],
  ] as const) {
    const bad = await h.api('PUT', `stories/${id}`, body);
    assert.equal(bad.statusCode, 400, `${field}: ${bad.body}`);
    assert.ok(json(bad).error.fields[field], `${field}: ${bad.body}`);
  }
  // A photo too large is refused before anything is read into the store.
  const big = await h.api('PUT', 'stories/new-story', storyBody({ image: { data: Buffer.alloc(5.5 * 1024 * 1024, 1).toString('base64'), alt: {} } }));
  assert.equal(big.statusCode, 400);
  assert.match(json(big).error.fields['image.data'], /At most 5 MB/);
  assert.deepEqual(contentCounts(h), before, 'nothing written');
});

test('stories: withdrawn now (texts and photo erased) or at a date; unknown ids are 404; a feed’s story id is not taken', async (t) => {
  const h = await adminHarness(t);
  await h.api('PUT', 'stories/now-story', storyBody({ image: { data: pngWithText('Comment', 'x').toString('base64'), alt: { es: 'x' } } }));
  await h.api('PUT', 'stories/later-story', storyBody());
  let res = await h.api('POST', 'stories/now-story/withdraw');
  assert.deepEqual(json(res), { withdrawAt: h.clock.now().toISOString(), erased: true });
  const at = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
  res = await h.api('POST', 'stories/later-story/withdraw', { at });
  assert.deepEqual(json(res), { withdrawAt: at, erased: false });
  assert.deepEqual((await list(h)).stories.map((s) => s.id), ['later-story']);
  assert.deepEqual(h.rows<{ texts: string; erased: number }>("select texts, erased from stories where slug = 'now-story'").map((r) => ({ ...r })), [{ texts: '{}', erased: 1 }]);
  const all = json(await h.api('GET', 'stories', undefined, { token: h.read })).stories;
  assert.deepEqual(all.map((s: { id: string; status: string }) => [s.id, s.status]).sort(), [['later-story', 'shown'], ['now-story', 'withdrawn, erased']]);
  assert.equal((await h.api('POST', 'stories/no-such-story/withdraw')).statusCode, 404);
  assert.equal((await h.api('POST', 'stories/later-story/withdraw', { at: 'soon' })).statusCode, 400);

  await h.app.compa.store.putStory({
    slug: 'from-a-feed', source: 'feed:https://partner.example/feed', guid: 'g1', texts: { es: { title: 'x', excerpt: 'x', body: '', link: null, words: 0 } },
    partner: null, country: null, region: null, tags: [], publishedAt: h.clock.now(), imageId: null, imageAlt: {}, publishFrom: null, withdrawAfter: null,
    mediaIds: [], contentHash: 'h', restoreWithdrawn: false, now: h.clock.now(),
  });
  const taken = await h.api('PUT', 'stories/from-a-feed', storyBody());
  assert.equal(taken.statusCode, 400);
  assert.match(json(taken).error.fields.id, /feed/);
});

const rss = (origin: string, path: string, title: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${title}</title><link>${origin}/</link><language>es</language>
<item><title>${title}: historia</title><link>${origin}${path}/1</link><guid>${origin}${path}/1</guid><pubDate>Mon, 02 Feb 2026 10:00:00 +0000</pubDate>
<description>Resumen.</description></item></channel></rss>`;

test('feeds: added through the API next to COMPA_STORY_FEEDS, imported together; a configured feed can’t be changed or deleted here', async (t) => {
  const server = await feedServer(t);
  const o = server.origin;
  server.routes.set('/config-feed', (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(o, '/config', 'Configurada')));
  server.routes.set('/api-feed', (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(o, '/api', 'Agregada')));
  const h = await adminHarness(t, { env: { COMPA_STORY_FEEDS: `${o}/config-feed` } });

  let res = await h.api('PUT', 'feeds/partner-radio', { url: `${o}/api-feed`, partner: 'Radio La Voz', country: 'co', tags: ['Radio'] });
  assert.equal(res.statusCode, 201, res.body);
  let feeds = json(await h.api('GET', 'feeds', undefined, { token: h.read })).feeds;
  assert.deepEqual(feeds.map((f: { source: string; url: string }) => [f.source, f.url]), [['config', `${o}/config-feed`], ['api', `${o}/api-feed`]]);
  const configId = feeds[0].id as string;

  const imported = json(await h.api('POST', 'feeds/import'));
  assert.deepEqual(imported.feeds.map((f: { url: string; status: string; created: number }) => [f.url, f.status, f.created]), [
    [`${o}/config-feed`, 'ok', 1],
    [`${o}/api-feed`, 'ok', 1],
  ]);
  const stories = (await list(h)).stories;
  assert.deepEqual(stories.map((s) => s.title).sort(), ['Agregada: historia', 'Configurada: historia']);
  assert.deepEqual(stories.find((s) => s.title.startsWith('Agregada'))!.partner, { slug: 'radio-la-voz', name: 'Radio La Voz' });
  feeds = json(await h.api('GET', 'feeds')).feeds;
  assert.ok(feeds.every((f: { okAt: string | null; items: number }) => f.okAt && f.items === 1), 'each feed’s last reading is shown');

  for (const [method, url, body] of [
    ['DELETE', `feeds/${configId}`, undefined],
    ['PUT', `feeds/${configId}`, { url: `${o}/elsewhere` }],
    ['PUT', 'feeds/copy', { url: `${o}/config-feed` }],
  ] as const) {
    const refused = await h.api(method, url, body);
    assert.equal(refused.statusCode, 409, `${method} ${url}`);
    assert.match(json(refused).error.message, /COMPA_STORY_FEEDS/);
  }
  assert.equal((await h.api('PUT', 'feeds/same-url', { url: `${o}/api-feed` })).statusCode, 409, 'one feed per URL');
  const bad = await h.api('PUT', 'feeds/bad', { url: 'javascript:alert(1)', gone: 'sometimes' });
  assert.equal(bad.statusCode, 400);
  assert.ok(json(bad).error.fields.url && json(bad).error.fields.gone);
  assert.equal(h.rows('select id from story_feed_sources').length, 1, 'nothing written');

  assert.equal((await h.api('DELETE', 'feeds/partner-radio')).statusCode, 204);
  assert.equal((await h.api('DELETE', 'feeds/partner-radio')).statusCode, 404);
  assert.deepEqual(json(await h.api('GET', 'feeds')).feeds.map((f: { source: string }) => f.source), ['config']);
  assert.equal(h.rows('select id from stories').length, 2, 'its stories stay');
  assert.deepEqual(
    auditRows(h).filter((r) => r.route.includes('/feeds')).map((r) => [r.method, r.route, r.status]).slice(-2),
    [['DELETE', '/api/v1/admin/feeds/:id', 204], ['DELETE', '/api/v1/admin/feeds/:id', 404]],
  );
});

/** An import file with one of each kind (a petition offering the file's own list; a story with its photo beside the file). */
const importDoc = (h: AdminHarness) => ({
  feeds: [{ id: 'partner-radio', url: 'https://radio.example/feed.xml', lang: 'es' }],
  lists: [{ slug: 'urgent-actions', ...listBody() }],
  petitions: [
    { slug: 'water-defenders', ...petitionBody({ keepInformedList: 'urgent-actions' }) },
    { slug: 'second-petition', ...petitionBody({ status: 'draft' }) },
  ],
  webinars: [{ slug: 'school', ...webinarBody(h.clock.now(), { closed: true }) }],
  stories: [{ id: 'la-voz', ...storyBody({ image: { file: 'media/cabina.png', alt: { es: 'La cabina' } } }) }],
});

test('import: a file of lists, petitions, webinars, stories and feeds is applied item by item; again, it updates', async (t) => {
  const h = await adminHarness(t);
  await mkdir(join(h.dir, 'media'));
  await writeFile(join(h.dir, 'media', 'cabina.png'), pngWithText('GPSPosition', GPS));
  const doc = importDoc(h);
  const r = await importFile(h.app.compa, doc, h.dir);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.applied.map((a) => [a.kind, a.id, a.outcome]), [
    ['feed', 'partner-radio', 'created'],
    ['list', 'urgent-actions', 'created'],
    ['petition', 'water-defenders', 'created'],
    ['petition', 'second-petition', 'created'],
    ['webinar', 'school', 'created'],
    ['story', 'la-voz', 'created'],
  ]);
  const petition = json(await h.api('GET', 'petitions/water-defenders'));
  assert.equal(petition.keepInformedList, 'urgent-actions');
  assert.ok(json(await h.api('GET', 'webinars')).webinars[0].closedAt, '"closed": true closes registration');
  const media = h.rows<{ bytes: Uint8Array }>('select bytes from story_media');
  assert.equal(media.length, 1);
  assert.ok(!Buffer.from(media[0]!.bytes).includes(Buffer.from(GPS)), 'stored without its position');

  doc.petitions[0]!.goal = 2000;
  const again = await importFile(h.app.compa, doc, h.dir);
  assert.ok(again.ok);
  assert.deepEqual(again.applied.map((a) => a.outcome).slice(0, 5), ['updated', 'updated', 'updated', 'updated', 'updated']);
  assert.equal(json(await h.api('GET', 'petitions/water-defenders')).goal, 2000);
  assert.equal(h.rows('select id from petitions').length, 2);
});

test('import: every mistake of the file is named by its path, and nothing at all is written', async (t) => {
  const h = await adminHarness(t);
  const before = contentCounts(h);
  const doc = importDoc(h) as ReturnType<typeof importDoc> & Record<string, unknown>;
  const { title: _title, ...noTitle } = doc.petitions[1]!.texts.es;
  doc.petitions[1]!.texts.es = noTitle as typeof doc.petitions[1]['texts']['es'];
  doc.webinars[0]!.capacity = 0;
  doc.lists.push({ ...doc.lists[0]! });
  let r = await importFile(h.app.compa, doc, h.dir);
  assert.equal(r.ok, false);
  const paths = !r.ok ? r.errors.map((e) => e.path) : [];
  for (const p of ['petitions[1].texts.es.title', 'webinars[0].capacity', 'lists[1]']) assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  assert.deepEqual(contentCounts(h), before);

  // The shape is right; what only the database and the disk can tell is checked before anything is written too.
  const second = importDoc(h);
  second.petitions[0] = { ...second.petitions[0]!, keepInformedList: 'nobody-has-this-list' } as (typeof second.petitions)[0];
  r = await importFile(h.app.compa, second, h.dir);
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => e.path), ['petitions[0].keepInformedList', 'stories[0].image.file']);
  assert.deepEqual(contentCounts(h), before, 'the feed, list and webinar of that file were not written either');
  assert.deepEqual(auditRows(h).filter((x) => x.method !== 'CLI'), []);
});

test('compa import FILE: prints what it did; a bad file exits 65 naming FILE: path, and writes nothing', async (t) => {
  const h = await adminHarness(t);
  await mkdir(join(h.dir, 'media'));
  await writeFile(join(h.dir, 'media', 'cabina.png'), pngWithText('Comment', 'x'));
  const file = join(h.dir, 'content.json');
  const doc = importDoc(h);
  doc.petitions[1]!.texts.es.title = '';
  await writeFile(file, JSON.stringify(doc));
  const before = contentCounts(h);
  const bad = await adminCli(h, ['import', file]);
  assert.equal(bad.code, 65);
  assert.match(bad.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: petitions\\[1\\]\\.texts\\.es\\.title: `));
  assert.match(bad.stderr, /nothing was written/);
  assert.deepEqual(contentCounts(h), before);

  doc.petitions[1]!.texts.es.title = 'Segunda petición';
  await writeFile(file, JSON.stringify(doc));
  const ok = await adminCli(h, ['import', file]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^petition\twater-defenders\tcreated$/m);
  assert.match(ok.stdout, /^story\tla-voz\tcreated$/m);
  assert.equal(h.rows('select id from petitions').length, 2);

  assert.equal((await adminCli(h, ['import', join(h.dir, 'missing.json')])).code, 66);
  await writeFile(join(h.dir, 'broken.json'), '{ not json');
  assert.equal((await adminCli(h, ['import', join(h.dir, 'broken.json')])).code, 65);
  assert.equal((await adminCli(h, ['import'])).code, 64);
  assert.match((await adminCli(h, ['import', '--help'])).stdout, /Keeping content in files/);
});
