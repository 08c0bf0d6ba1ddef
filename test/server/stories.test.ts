/**
 * The story API as a reader's widget and other sites use it: the list (languages and fallbacks, filters, cursor
 * pages, tags, ETags), one story, consent windows (a withdrawn story is gone from every answer at once, then
 * erased), images, the published RSS / JSON Feed, and Compa's own story page. Real SQLite file, `inject`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './helpers.ts';
import { list, putStory } from './story-fixtures.ts';
import { parseFeed } from '../../src/server/stories/feed-parse.ts';
import type { StoryDetail } from '../../src/schemas/story.ts';

const env = { COMPA_DEMO: 'false', COMPA_PUBLIC_URL: 'https://compa.example.org' };
const MIN = 60_000;

const get = (h: Harness, url: string, headers: Record<string, string> = {}) => h.inject({ method: 'GET', url, headers });

describe('GET /api/v1/stories', () => {
  test('newest first, each in the language asked for or a fallback that says which', async (t) => {
    const h = await harness(t, { env });
    const now = h.clock.now().getTime();
    await putStory(h, { slug: 'three-languages', publishedAt: new Date(now - 1 * MIN), texts: { en: { title: 'Home again' }, es: { title: 'De vuelta a casa' }, fr: { title: 'De retour chez soi' } } });
    await putStory(h, { slug: 'spanish-only', publishedAt: new Date(now - 2 * MIN), texts: { es: { title: 'La radio sigue encendida' } } });
    await putStory(h, { slug: 'french-and-spanish', publishedAt: new Date(now - 3 * MIN), texts: { fr: { title: 'Quarante jours' }, es: { title: 'Cuarenta días' } } });

    const fr = await list(h, 'lang=fr');
    assert.deepEqual(fr.stories.map((s) => s.id), ['three-languages', 'spanish-only', 'french-and-spanish']);
    assert.deepEqual(fr.stories.map((s) => [s.lang, s.fallback, s.title]), [
      ['fr', false, 'De retour chez soi'],
      ['es', true, 'La radio sigue encendida'],
      ['fr', false, 'Quarante jours'],
    ]);
    assert.deepEqual(fr.stories[2]!.languages, ['es', 'fr']);

    const esCo = await list(h, 'lang=es-CO');
    assert.deepEqual(esCo.stories.map((s) => [s.lang, s.fallback]), [['es', false], ['es', false], ['es', false]]);
    // No language asked: English where there is one, else the story's first.
    const none = await list(h);
    assert.deepEqual(none.stories.map((s) => s.lang), ['en', 'es', 'fr']);
  });

  test('an item has what a card shows: partner, place, tags, date, reading time, image with its size, a link', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, {
      slug: 'with-everything',
      partner: { slug: 'la-voz', name: 'Radio La Voz' },
      country: 'CO',
      region: { slug: 'cauca', name: 'Cauca' },
      tags: [{ slug: 'women-defenders', labels: { en: 'Women defenders', es: 'Mujeres defensoras' } }],
      texts: { en: { title: 'On air', body: '<p>words</p>', words: 450 }, es: { title: 'Al aire', words: 90, body: '<p>palabras</p>' } },
      image: true,
      imageAlt: { en: 'A valley', es: 'Un valle' },
    });
    await putStory(h, { slug: 'excerpt-only', texts: { en: { title: 'Short', words: 0, link: 'https://org.example/blog/short' } } });
    const { stories } = await list(h, 'lang=es');
    const s = stories.find((x) => x.id === 'with-everything')!;
    assert.deepEqual(s.partner, { slug: 'la-voz', name: 'Radio La Voz' });
    assert.equal(s.country, 'CO');
    assert.deepEqual(s.region, { slug: 'cauca', name: 'Cauca' });
    assert.deepEqual(s.tags, [{ slug: 'women-defenders', label: 'Mujeres defensoras' }]);
    assert.equal(s.readingMinutes, 1, '90 words: one minute');
    assert.equal(stories.find((x) => x.id === 'with-everything' )!.title, 'Al aire');
    assert.match(s.image!.url, /^https:\/\/compa\.example\.org\/media\/stories\/[0-9a-f]{32}\.png$/);
    assert.deepEqual([s.image!.width, s.image!.height, s.image!.alt], [60, 40, 'Un valle']);
    assert.equal(s.link, 'https://compa.example.org/stories/with-everything?lang=es', 'no page on the organisation’s site: Compa’s own');
    const en = (await list(h, 'lang=en')).stories.find((x) => x.id === 'with-everything')!;
    assert.equal(en.readingMinutes, 3, '450 words at 200 a minute');
    const short = stories.find((x) => x.id === 'excerpt-only')!;
    assert.equal(short.readingMinutes, null, 'only an excerpt: no reading time');
    assert.equal(short.link, 'https://org.example/blog/short');
    assert.equal(short.image, null);
  });

  test('filters: region (slug or country code), partner, tag; the first page lists the tags with counts', async (t) => {
    const h = await harness(t, { env });
    const land = { slug: 'land', labels: { en: 'Land', es: 'Territorio' } };
    const water = { slug: 'water', labels: { en: 'Water', es: 'Agua' } };
    await putStory(h, { slug: 'cauca-1', country: 'CO', region: { slug: 'cauca', name: 'Cauca' }, partner: { slug: 'la-voz', name: 'La Voz' }, tags: [land] });
    await putStory(h, { slug: 'choco-1', country: 'CO', region: { slug: 'choco', name: 'Chocó' }, tags: [land, water] });
    await putStory(h, { slug: 'oaxaca-1', country: 'MX', region: { slug: 'oaxaca', name: 'Oaxaca' }, tags: [water] });
    const ids = async (q: string) => (await list(h, q)).stories.map((s) => s.id).sort();
    assert.deepEqual(await ids('region=co'), ['cauca-1', 'choco-1']);
    assert.deepEqual(await ids('region=CO'), ['cauca-1', 'choco-1'], 'country codes in either case');
    assert.deepEqual(await ids('region=oaxaca'), ['oaxaca-1']);
    assert.deepEqual(await ids('partner=la-voz'), ['cauca-1']);
    assert.deepEqual(await ids('tag=water'), ['choco-1', 'oaxaca-1']);
    assert.deepEqual(await ids('tag=water&region=co'), ['choco-1']);
    assert.deepEqual(await ids('tag=nothing'), []);

    const first = await list(h, 'lang=es&region=co');
    assert.deepEqual(first.tags, [
      { slug: 'land', label: 'Territorio', count: 2 },
      { slug: 'water', label: 'Agua', count: 1 },
    ]);
    // The tags ignore the tag filter (the chips stay), and are absent from later pages.
    assert.deepEqual((await list(h, 'lang=en&tag=water')).tags!.map((x) => x.slug), ['land', 'water']);
    const page1 = await list(h, 'limit=1');
    assert.equal((await list(h, `limit=1&cursor=${page1.nextCursor}`)).tags, undefined);
  });

  test('cursor pages: every story once, in order, even when a story is published between two pages', async (t) => {
    const h = await harness(t, { env });
    const now = h.clock.now().getTime();
    // Two stories share a date: the id decides, the same way every time.
    for (let i = 0; i < 7; i++) await putStory(h, { slug: `s${i}`, publishedAt: new Date(now - Math.floor(i / 2) * MIN) });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(h, `limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.stories.map((s) => s.id));
      cursor = page.nextCursor;
      if (pages === 0) await putStory(h, { slug: 'newer', publishedAt: new Date(now + MIN) });
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['s1', 's0', 's3', 's2', 's5', 's4', 's6'], 'newest first, then the later id first; no repeat, none lost');
    assert.equal((await list(h, 'limit=3')).stories[0]!.id, 'newer', 'the new story is on a fresh first page');
    const last = await list(h, 'limit=8');
    assert.equal(last.nextCursor, null, 'no next page after the last');
  });

  test('ETag: an unchanged list answers 304; a change (a withdrawal) answers the new list', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, { slug: 'a' });
    await putStory(h, { slug: 'b' });
    const first = await get(h, '/api/v1/stories?lang=en');
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['cache-control']), /no-cache/);
    const etag = String(first.headers.etag);
    const again = await get(h, '/api/v1/stories?lang=en', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    await h.app.compa.store.withdrawStory('a', h.clock.now(), h.clock.now());
    const after = await get(h, '/api/v1/stories?lang=en', { 'if-none-match': etag });
    assert.equal(after.statusCode, 200);
    assert.notEqual(after.headers.etag, etag);
    assert.deepEqual((after.json() as { stories: { id: string }[] }).stories.map((s) => s.id), ['b']);
  });
});

describe('consent windows', () => {
  test('a withdrawn story is gone from every answer at once: list, story, feeds, page, image', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, { slug: 'keep', image: true });
    await putStory(h, { slug: 'withdraw-me', image: true, texts: { en: { title: 'Withdraw me', body: '<p>text</p>', words: 1 } } });
    const before = (await list(h)).stories.find((s) => s.id === 'withdraw-me')!;
    const imagePath = new URL(before.image!.url).pathname;
    assert.equal((await get(h, imagePath)).statusCode, 200);

    assert.equal(await h.app.compa.store.withdrawStory('withdraw-me', h.clock.now(), h.clock.now()), true);
    assert.deepEqual((await list(h)).stories.map((s) => s.id), ['keep']);
    assert.equal((await get(h, '/api/v1/stories/withdraw-me')).statusCode, 404);
    assert.equal((await get(h, '/stories/withdraw-me')).statusCode, 404);
    assert.equal((await get(h, imagePath)).statusCode, 404, 'its photo is not served either');
    assert.doesNotMatch((await get(h, '/api/v1/stories/feed.xml')).body, /Withdraw me/);
    assert.doesNotMatch((await get(h, '/api/v1/stories/feed.json')).body, /Withdraw me/);

    // Soon after, its texts, tags and photo are deleted; a row stays so that its feed cannot bring it back.
    await h.app.compa.store.eraseWithdrawnStories(h.clock.now());
    const [row] = h.rows<{ texts: string; erased: number; image_id: string | null }>("select texts, erased, image_id from stories where slug = 'withdraw-me'");
    assert.deepEqual({ ...row }, { texts: '{}', erased: 1, image_id: null });
    assert.equal(h.rows('select id from story_media').length, 1, 'only the other story’s photo remains');
    assert.equal(h.rows("select 1 from story_images si join stories s on s.id = si.story_id where s.slug = 'withdraw-me'").length, 0);
  });

  test('publish-from and withdraw-after dates take effect at their instant', async (t) => {
    const h = await harness(t, { env });
    const now = h.clock.now().getTime();
    await putStory(h, { slug: 'later', publishFrom: new Date(now + 10 * MIN) });
    await putStory(h, { slug: 'until', withdrawAfter: new Date(now + 20 * MIN) });
    assert.deepEqual((await list(h)).stories.map((s) => s.id), ['until']);
    h.clock.advance(10 * MIN);
    assert.deepEqual((await list(h)).stories.map((s) => s.id).sort(), ['later', 'until']);
    h.clock.advance(10 * MIN - 1);
    assert.equal((await get(h, '/api/v1/stories/until')).statusCode, 200);
    h.clock.advance(1);
    assert.deepEqual((await list(h)).stories.map((s) => s.id), ['later']);
    assert.equal((await get(h, '/api/v1/stories/until')).statusCode, 404);
  });

  test('the erase job runs on the server’s own loop', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, { slug: 'gone', withdrawAfter: new Date(h.clock.now().getTime() + MIN), texts: { en: { title: 'Secret place names' } } });
    h.clock.advance(2 * MIN);
    await h.drain();
    assert.deepEqual(h.rows<{ texts: string }>("select texts from stories where slug = 'gone'").map((r) => r.texts), ['{}']);
  });
});

describe('one story, images, pages, published feeds', () => {
  test('GET /api/v1/stories/:id has the sanitised body; an unknown id is a 404', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, {
      slug: 'with-video',
      texts: { en: { title: 'Video', body: '<p>Before</p><figure data-compa-embed="https://www.youtube-nocookie.com/embed/x" data-compa-host="www.youtube-nocookie.com"><a href="https://www.youtube-nocookie.com/embed/x">Video</a></figure>', words: 1 } },
    });
    const res = await get(h, '/api/v1/stories/with-video?lang=fr');
    assert.equal(res.statusCode, 200);
    const s = res.json() as StoryDetail;
    assert.equal(s.lang, 'en');
    assert.equal(s.fallback, true);
    assert.match(s.body, /data-compa-embed="https:\/\/www\.youtube-nocookie\.com\/embed\/x"/);
    const missing = await get(h, '/api/v1/stories/no-such-story');
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'not_found');
  });

  test('images are served from this server, typed, without sniffing, revalidated', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, { slug: 'pic', image: true });
    const url = new URL((await list(h)).stories[0]!.image!.url).pathname;
    const res = await get(h, url);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], "default-src 'none'");
    assert.deepEqual([...res.rawPayload.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal((await get(h, url, { 'if-none-match': String(res.headers.etag) })).statusCode, 304);
    assert.equal((await get(h, '/media/stories/00000000000000000000000000000000.png')).statusCode, 404);
    assert.equal((await get(h, '/media/stories/..%2F..%2Fetc%2Fpasswd')).statusCode, 404);
  });

  test('Compa’s story page: the story with its photo, no script, videos as plain links, other languages', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, {
      slug: 'page',
      image: true,
      partner: { slug: 'p', name: 'Consejo comunitario' },
      country: 'CO',
      texts: {
        es: { title: 'Río Verde vuelve', body: '<p>Texto</p><figure data-compa-embed="https://player.vimeo.com/video/1" data-compa-host="player.vimeo.com"><a href="https://player.vimeo.com/video/1">Vídeo</a></figure>', words: 2 },
        en: { title: 'Río Verde returns', body: '<p>Text</p>', words: 1 },
      },
    });
    const res = await get(h, '/stories/page?lang=es');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="es"/);
    assert.match(res.body, /<h1>Río Verde vuelve<\/h1>/);
    assert.match(res.body, /Colombia/);
    assert.match(res.body, /<img src="https:\/\/compa\.example\.org\/media\/stories\/[0-9a-f]{32}\.png" width="60" height="40"/);
    assert.doesNotMatch(res.body, /<script|<iframe/);
    assert.match(res.body, /<a href="https:\/\/player\.vimeo\.com\/video\/1">Vídeo<\/a>/);
    assert.match(res.body, /hreflang="en"/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /img-src 'self'/);
    assert.doesNotMatch(csp, /script-src/);
  });

  test('RSS 2.0 and JSON Feed: the visible stories in one language, readable by a feed reader', async (t) => {
    const h = await harness(t, { env });
    await putStory(h, { slug: 'one', country: 'CO', tags: [{ slug: 'land', labels: { en: 'Land', es: 'Territorio' } }], texts: { en: { title: 'One & only “quoted”' }, es: { title: 'Una' } }, image: true });
    await putStory(h, { slug: 'two', texts: { fr: { title: 'Deux', body: '<p>Corps</p>', words: 1 } } });
    await putStory(h, { slug: 'hidden', publishFrom: new Date(h.clock.now().getTime() + MIN) });

    const rss = await get(h, '/api/v1/stories/feed.xml?lang=en');
    assert.equal(rss.statusCode, 200);
    assert.match(String(rss.headers['content-type']), /^application\/rss\+xml/);
    const parsed = parseFeed(rss.body, { contentType: String(rss.headers['content-type']), url: 'https://compa.example.org/api/v1/stories/feed.xml' });
    assert.equal(parsed.format, 'rss');
    assert.deepEqual(parsed.items.map((i) => i.title), ['One & only “quoted”', 'Deux']);
    assert.deepEqual(parsed.items[0]!.categories, ['Land']);
    assert.match(parsed.items[0]!.image!.url, /^https:\/\/compa\.example\.org\/media\/stories\//);
    assert.equal(parsed.items[1]!.language, 'fr');

    const json = await get(h, '/api/v1/stories/feed.json?lang=es&tag=land');
    assert.match(String(json.headers['content-type']), /^application\/feed\+json/);
    const feed = json.json() as { version: string; items: { id: string; title: string; language: string }[] };
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.deepEqual(feed.items.map((i) => [i.title, i.language]), [['Una', 'es']]);
    const reparsed = parseFeed(json.body, { contentType: 'application/feed+json', url: 'https://compa.example.org/api/v1/stories/feed.json' });
    assert.equal(reparsed.items[0]!.guid, 'https://compa.example.org/stories/one');
  });

  test('the organisation’s sites may read the list (CORS), other origins get no CORS header', async (t) => {
    const h = await harness(t, { env: { ...env, COMPA_ALLOWED_ORIGINS: 'https://org.example' } });
    await putStory(h);
    const ok = await get(h, '/api/v1/stories', { origin: 'https://org.example' });
    assert.equal(ok.headers['access-control-allow-origin'], 'https://org.example');
    const other = await get(h, '/api/v1/stories', { origin: 'https://evil.example' });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });
});

describe('bad queries get a 400 naming the field', () => {
  const cases: [string, string][] = [
    ['limit=0', 'query.limit'],
    ['limit=51', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['limit=1.5', 'query.limit'],
    ['cursor=not-a-cursor', 'query.cursor'],
    ['cursor=%3Cscript%3E', 'query.cursor'],
    ['lang=english!', 'query.lang'],
    ['region=Valle%20del%20Cauca', 'query.region'],
    ['tag=%00', 'query.tag'],
    ['partner=' + 'a'.repeat(65), 'query.partner'],
    ['sort=date', 'query.sort'],
  ];
  for (const [query, field] of cases) {
    test(`?${query}`, async (t) => {
      const h = await harness(t, { env });
      await putStory(h);
      const res = await get(h, `/api/v1/stories?${query}`);
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json() as { error: { code: string; fields: Record<string, string> } };
      assert.equal(body.error.code, 'invalid_query');
      assert.ok(body.error.fields[field.replace(/^query\./, '')], `names ${field}: ${res.body}`);
    });
  }
  test('a bad story id is a 400 naming it; the feeds check their query too', async (t) => {
    const h = await harness(t, { env });
    const res = await get(h, '/api/v1/stories/Not_A_Slug');
    assert.equal(res.statusCode, 400);
    assert.ok((res.json() as { error: { fields: Record<string, string> } }).error.fields.id);
    const feed = await get(h, '/api/v1/stories/feed.xml?limit=500');
    assert.equal(feed.statusCode, 400);
    assert.ok((feed.json() as { error: { fields: Record<string, string> } }).error.fields.limit);
    const cursor = await get(h, '/api/v1/stories/feed.json?cursor=abc');
    assert.equal(cursor.statusCode, 400, 'the feeds have no pages');
  });
});
