/**
 * Shared helpers of the story tests: stories written through the store (as the import and the command do),
 * the list read through the API, and a local HTTP server that serves fixture feeds and images.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { StoryList } from '../../src/schemas/story.ts';
import type { PutStoryInput } from '../../src/server/store/store.ts';
import { landscapePng } from '../../src/server/stories/demo.ts';
import { storeImage } from '../../src/server/stories/service.ts';
import { crc32 } from 'node:zlib';
import type { Harness } from './helpers.ts';

/**
 * A PNG photo carrying a tEXt chunk (`keyword`, `text`): where cameras and editors leave GPS positions and names.
 * The served copy must not have it.
 */
export function pngWithText(keyword: string, text: string, size: [number, number] = [30, 20]): Buffer {
  const png = landscapePng(size[0], size[1], [100, 150, 200], [50, 100, 50], 9);
  const data = Buffer.from(`${keyword}\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]); // after the signature and IHDR
}

let seq = 0;

/** Writes a story (visible, English, no image) through the store; returns its id. */
export async function putStory(
  h: Harness,
  o: Partial<Omit<PutStoryInput, 'texts'>> & { texts?: Record<string, { title: string; excerpt?: string; body?: string; link?: string | null; words?: number }>; image?: boolean } = {},
): Promise<string> {
  seq++;
  const slug = o.slug ?? `story-${seq}`;
  const image = o.image ? await storeImage(h.app.compa, landscapePng(60, 40, [100, 150, 200], [50, 100, 50], seq)) : null;
  const texts = Object.fromEntries(
    Object.entries(o.texts ?? { en: { title: `Story ${seq}` } }).map(([l, t]) => [
      l,
      { title: t.title, excerpt: t.excerpt ?? `${t.title}: excerpt`, body: t.body ?? '', link: t.link ?? null, words: t.words ?? 0 },
    ]),
  );
  await h.app.compa.store.putStory({
    slug,
    source: o.source ?? 'test',
    guid: o.guid ?? slug,
    texts,
    partner: o.partner ?? null,
    country: o.country ?? null,
    region: o.region ?? null,
    tags: o.tags ?? [],
    publishedAt: o.publishedAt ?? new Date(h.clock.now().getTime() - seq * 60_000),
    imageId: image?.id ?? o.imageId ?? null,
    imageAlt: o.imageAlt ?? (image ? { en: 'A valley' } : {}),
    publishFrom: o.publishFrom ?? null,
    withdrawAfter: o.withdrawAfter ?? null,
    mediaIds: image ? [image.id] : (o.mediaIds ?? []),
    contentHash: o.contentHash ?? `hash-${seq}`,
    restoreWithdrawn: o.restoreWithdrawn ?? true,
    now: h.clock.now(),
  });
  return slug;
}

/** GET /api/v1/stories with the given query; asserts a 200 and returns the parsed list. */
export async function list(h: Harness, query = ''): Promise<StoryList & { etag: string }> {
  const res = await h.inject({ method: 'GET', url: `/api/v1/stories${query ? `?${query}` : ''}` });
  assert.equal(res.statusCode, 200, res.body);
  return { ...(res.json() as StoryList), etag: String(res.headers.etag) };
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server (port 0) whose routes the test sets; closed (connections too) when the test ends. */
export async function feedServer(t: TestContext): Promise<{ url: string; origin: string; routes: Map<string, Route>; hits: string[]; headers: IncomingMessage['headers'][] }> {
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.push(path);
    headers.push(req.headers);
    const route = routes.get(path);
    if (route) return route(req, res);
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: origin, origin, routes, hits, headers };
}
