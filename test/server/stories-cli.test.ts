/**
 * The story commands of `npm run compa -- …`, run as real child processes on the harness's SQLite file, as an
 * organiser runs them next to the server: story-put (photo stored without its metadata; a mistake names its
 * field and writes nothing), stories, story-withdraw (now or at a date), stories-import.
 * The commands run on the real clock; the harness clock is moved to it before reading.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { REPO_ROOT, harness, type Harness } from './helpers.ts';
import { feedServer, list, pngWithText } from './story-fixtures.ts';
import type { StoryDetail } from '../../src/schemas/story.ts';

const run = promisify(execFile);
const env = { COMPA_DEMO: 'false' };

function cli(h: Harness, args: string[], extra: Record<string, string> = {}) {
  return run(process.execPath, [join(REPO_ROOT, 'src/server/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${h.dbPath}`, COMPA_OUTBOX_DIR: h.outboxDir, COMPA_LOG_LEVEL: 'silent', ...env, ...extra },
  });
}

async function cliFails(h: Harness, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await cli(h, args);
    assert.fail(`"${args.join(' ')}" succeeded: ${out.stdout}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e as { code: number; stdout: string; stderr: string };
  }
}

function catchUp(h: Harness): void {
  const behind = Date.now() + 1000 - h.clock.now().getTime();
  if (behind > 0) h.clock.advance(behind);
}


const storyFile = (o: Record<string, unknown> = {}) => ({
  id: 'la-voz-on-air',
  date: '2026-11-20T09:00:00-05:00',
  partner: 'Radio comunitaria La Voz',
  country: 'CO',
  region: 'Cauca',
  tags: [{ es: 'Mujeres defensoras', en: 'Women defenders' }, 'Radio'],
  image: { file: 'cabina.png', alt: { es: 'La cabina de la radio', en: 'The radio booth' } },
  texts: {
    es: { title: 'La radio sigue encendida', body: '<p>Cinco mujeres.</p><script>alert(1)</script><iframe src="https://player.vimeo.com/video/76979871" title="Entrevista"></iframe>' },
    en: { title: 'The radio stays on', excerpt: 'Five women keep the community radio on air.', link: 'https://org.example/stories/radio' },
  },
  ...o,
});

test('story-put: a story in two languages with its photo, stored without its position; put again to update', async (t) => {
  const h = await harness(t, { env });
  await writeFile(join(h.dir, 'cabina.png'), pngWithText('GPSPosition', '4.6097 N, 74.0817 W', [40, 30]));
  await writeFile(join(h.dir, 'story.json'), JSON.stringify(storyFile()));
  const out = await cli(h, ['story-put', join(h.dir, 'story.json')]);
  assert.match(out.stdout, /story "la-voz-on-air" created \(shown\)/);
  catchUp(h);
  const { stories } = await list(h, 'lang=en');
  const s = stories[0]!;
  assert.deepEqual([s.id, s.title, s.lang, s.excerpt], ['la-voz-on-air', 'The radio stays on', 'en', 'Five women keep the community radio on air.']);
  assert.deepEqual(s.tags.map((x) => x.label), ['Women defenders', 'Radio']);
  assert.equal(s.image!.alt, 'The radio booth');
  const img = await h.inject({ method: 'GET', url: new URL(s.image!.url).pathname });
  assert.equal(img.statusCode, 200);
  assert.ok(!img.rawPayload.includes(Buffer.from('GPSPosition')), 'the position is not in the stored photo');
  const es = (await h.inject({ method: 'GET', url: '/api/v1/stories/la-voz-on-air?lang=es' })).json() as StoryDetail;
  assert.doesNotMatch(es.body, /<script|<iframe/);
  assert.match(es.body, /data-compa-embed="https:\/\/player\.vimeo\.com\/video\/76979871\?dnt=1"/);
  assert.equal(es.excerpt, 'Cinco mujeres.', 'made from the body when absent');

  await writeFile(join(h.dir, 'story.json'), JSON.stringify(storyFile({ texts: { es: { title: 'La radio sigue al aire', excerpt: 'Breve' } }, image: null })));
  assert.match((await cli(h, ['story-put', join(h.dir, 'story.json')])).stdout, /updated/);
  const after = (await list(h, 'lang=en')).stories;
  assert.deepEqual(after.map((x) => [x.title, x.lang, x.image]), [['La radio sigue al aire', 'es', null]]);
  assert.equal(h.rows('select id from story_media').length, 0, 'the photo no story uses is deleted');
});

test('story-put refuses a bad file, naming the field, and writes nothing', async (t) => {
  const h = await harness(t, { env });
  await writeFile(join(h.dir, 'cabina.png'), pngWithText('GPSPosition', '4.6097 N, 74.0817 W', [40, 30]));
  await writeFile(join(h.dir, 'fake.png'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ id: 'Not a slug' }, /id:/],
    [{ date: 'yesterday' }, /date:/],
    [{ country: 'Colombia' }, /country:/],
    [{ texts: {} }, /texts:.*At least one language/],
    [{ texts: { es: { title: '' } } }, /texts\.es\.title/],
    [{ texts: { es: { title: 'Sin texto' } } }, /texts\.es\.excerpt: Required when there is no body/],
    [{ texts: { es: { title: 'X', body: '<p>x</p>', link: 'javascript:alert(1)' } } }, /texts\.es\.link/],
    [{ withdrawAfter: '2026-01-01T00:00:00Z', publishFrom: '2026-02-01T00:00:00Z' }, /withdrawAfter: Must be after publishFrom/],
    [{ colour: 'red' }, /colour/],
    [{ image: { file: 'missing.png', alt: {} } }, /image\.file: Cannot read missing\.png/],
    [{ image: { file: 'fake.png', alt: {} } }, /image\.file: /],
  ];
  for (const [change, message] of cases) {
    await writeFile(join(h.dir, 'bad.json'), JSON.stringify(storyFile(change)));
    const e = await cliFails(h, ['story-put', join(h.dir, 'bad.json')]);
    assert.ok(e.code > 0);
    assert.match(e.stderr, message, JSON.stringify(change));
  }
  assert.equal(h.rows('select id from stories').length, 0);
  assert.equal(h.rows('select id from story_media').length, 0);
});

test('story-withdraw: gone at once (texts and photo erased), or at a date; stories lists every state', async (t) => {
  const h = await harness(t, { env });
  await writeFile(join(h.dir, 'cabina.png'), pngWithText('GPSPosition', '4.6097 N, 74.0817 W', [40, 30]));
  for (const id of ['now-story', 'later-story']) {
    await writeFile(join(h.dir, `${id}.json`), JSON.stringify(storyFile({ id })));
    await cli(h, ['story-put', join(h.dir, `${id}.json`)]);
  }
  const at = new Date(Date.now() + 3_600_000).toISOString();
  assert.match((await cli(h, ['story-withdraw', 'later-story', '--at', at])).stdout, /will be withdrawn at/);
  assert.match((await cli(h, ['story-withdraw', 'now-story'])).stdout, /withdrawn: gone from every answer/);
  catchUp(h);
  assert.deepEqual((await list(h)).stories.map((s) => s.id), ['later-story']);
  assert.deepEqual(h.rows<{ texts: string; erased: number }>("select texts, erased from stories where slug = 'now-story'").map((r) => ({ ...r })), [{ texts: '{}', erased: 1 }]);
  const listing = (await cli(h, ['stories'])).stdout;
  assert.match(listing, /now-story\t2026-11-20\t-\twithdrawn, erased\tcli/);
  assert.match(listing, /later-story\t2026-11-20\tes,en\tshown until /);
  assert.equal((await cliFails(h, ['story-withdraw', 'no-such-story'])).code, 65);
  assert.equal((await cliFails(h, ['story-withdraw', 'later-story', '--at', 'tomorrow'])).code, 64);
  // Putting it again publishes it again (the organisation's own decision).
  await writeFile(join(h.dir, 'again.json'), JSON.stringify(storyFile({ id: 'now-story' })));
  await cli(h, ['story-put', join(h.dir, 'again.json')]);
  catchUp(h);
  assert.deepEqual((await list(h)).stories.map((s) => s.id).sort(), ['later-story', 'now-story']);
});

test('stories-import reads the configured feeds now and says what it did', async (t) => {
  const server = await feedServer(t);
  const h = await harness(t, { env });
  server.routes.set('/feed.json', (_q, r) =>
    r.writeHead(200, { 'content-type': 'application/feed+json' }).end(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Blog', items: [{ id: '1', title: 'From the blog', content_text: 'Hello' }] }),
    ),
  );
  const out = await cli(h, ['stories-import'], { COMPA_STORY_FEEDS: `${server.origin}/feed.json ${server.origin}/missing.xml` }).catch((e: { stdout: string; code: number }) => e);
  assert.match(out.stdout, /feed\.json: 1 item\(s\): 1 new, 0 updated/);
  assert.match(out.stdout, /missing\.xml: not imported: HTTP 404/);
  assert.equal((out as { code?: number }).code, 1, 'a feed that failed makes the command fail');
  catchUp(h);
  assert.deepEqual((await list(h)).stories.map((s) => s.title), ['From the blog']);
  const none = await cliFails(h, ['stories-import']);
  assert.match(none.stderr, /COMPA_STORY_FEEDS/);
});
