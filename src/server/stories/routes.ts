import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  STORIES_DEFAULT_LIMIT,
  StoryDetailSchema,
  StoryFeedQuerySchema,
  StoryListQuerySchema,
  StoryListSchema,
  StoryParamsSchema,
  StoryQuerySchema,
  type StoryList,
  type StoryListQuery,
} from '../../schemas/story.ts';
import { ErrorBodySchema } from '../../schemas/errors.ts';
import { API_PREFIX } from '../../schemas/limits.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { PAGE_STYLE_HASH, escapeHtml, page, textDirection } from '../html.ts';
import type { StoryRecord } from '../store/store.ts';
import {
  decodeCursor,
  encodeCursor,
  importAllFeeds,
  publicStory,
  publicStoryDetail,
  storyText,
  storyVisible,
  tagLabel,
} from './service.ts';

const errors = {
  400: { description: 'Invalid input; `error.fields` names every bad field', schema: ErrorBodySchema },
  404: { description: 'No such story, or no longer published (withdrawn)', schema: ErrorBodySchema },
  429: { description: 'Too many requests; see Retry-After', schema: ErrorBodySchema, headers: { 'Retry-After': 'Seconds to wait' } },
};

/** How many tags the first page offers as filters. */
const FACETS = 20;
/** Items in the published RSS / JSON Feed by default. */
const FEED_ITEMS = 20;

/**
 * Answers with `body` and a strong ETag of it; `304` when the client has it already. Every story answer is
 * revalidated on each use (`no-cache`): a withdrawn story must be gone from every answer at once, and a 304
 * costs a few bytes.
 */
function withEtag(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, type: string): FastifyReply {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('ETag', etag).header('Cache-Control', 'public, no-cache');
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}

const xml = (s: string) =>
  s.replace(/[<>&'"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : c === '"' ? '&quot;' : '',
  );

/** Stories: the public list (filters, cursor pages, ETags), one story, the published feeds, images, pages. */
export async function storyRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const { config, store } = ctx;

  // Import the feeds on a schedule, in the background (a slow feed never delays mail or answers). Always: feeds
  // may also be added through the admin API.
  let importing: Promise<unknown> | null = null;
  {
    ctx.jobs.every('stories.import', config.storyFeedIntervalMinutes * 60_000, async () => {
      if (importing) return;
      importing = importAllFeeds(ctx)
        .then((results) => {
          for (const r of results) {
            const { url: _url, ...counts } = r;
            if (r.status === 'error') app.log.warn({ feed: r.url, error: r.error }, 'story feed not imported');
            else app.log.info({ feed: r.url, ...counts }, 'story feed read');
          }
        })
        .catch((err: unknown) => app.log.error({ error: err instanceof Error ? err.message : String(err) }, 'story import failed'))
        .finally(() => (importing = null));
    });
    app.addHook('onClose', async () => {
      await importing;
    });
  }
  // A withdrawn story is gone from every answer the moment its consent ends; soon after, its texts and images
  // are deleted too (the row stays, so that its feed cannot bring it back).
  ctx.jobs.every('stories.erase', 60_000, async () => {
    const n = await store.eraseWithdrawnStories(ctx.now());
    if (n) app.log.info({ stories: n }, 'erased withdrawn stories');
  });

  const page_ = async (q: Omit<StoryListQuery, 'cursor'> & { cursor?: string }, limit: number) => {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (after === null) {
      throw new HttpError(400, 'invalid_query', 'The query string has invalid fields', {
        fields: { cursor: 'Must be a nextCursor from a previous page' },
      });
    }
    const filter = { now: ctx.now(), region: q.region, partner: q.partner, tag: q.tag };
    const rows = await store.listStories({ ...filter, limit: limit + 1, after });
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    return { filter, shown, next: more ? encodeCursor(shown[shown.length - 1]!) : null };
  };

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/stories`,
    summary: 'Published stories, newest first, in the requested language (each with a fallback that says so)',
    tags: ['stories'],
    query: StoryListQuerySchema,
    limit: 'read',
    responses: {
      200: { description: 'A page of stories; `nextCursor` fetches the next (ETag: send If-None-Match)', schema: StoryListSchema },
      304: { description: 'Not modified since the ETag sent' },
      400: errors[400],
      429: errors[429],
    },
    handler: async ({ query }, request, reply) => {
      const { filter, shown, next } = await page_(query, query.limit ?? STORIES_DEFAULT_LIMIT);
      const body: StoryList = { stories: shown.map((s) => publicStory(ctx, s, query.lang)), nextCursor: next };
      if (!query.cursor) {
        const lang = query.lang ?? 'en';
        body.tags = (await store.storyTagFacets(filter, FACETS)).map((t) => ({ slug: t.slug, label: tagLabel(t, lang), count: t.count }));
      }
      return withEtag(request, reply, JSON.stringify(body), 'application/json; charset=utf-8');
    },
  });

  const feedItems = async (q: z.output<typeof StoryFeedQuerySchema>) => (await page_(q, q.limit ?? FEED_ITEMS)).shown;
  const feedTitle = () => `${config.organisation}: stories`;
  const selfUrl = (request: FastifyRequest) => `${config.publicUrl}${request.url}`;

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/stories/feed.xml`,
    summary: 'The stories as RSS 2.0 (same filters as the list; one language, with fallbacks)',
    tags: ['stories'],
    query: StoryFeedQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'RSS 2.0' }, 304: { description: 'Not modified' }, 400: errors[400], 429: errors[429] },
    handler: async ({ query }, request, reply) => {
      const items = await feedItems(query);
      const lang = query.lang ?? 'en';
      const out = items.map((s) => {
        const p = publicStoryDetail(ctx, s, query.lang);
        return `<item>
<title>${xml(p.title)}</title>
<link>${xml(p.link)}</link>
<guid isPermaLink="false">${xml(`${config.publicUrl}/stories/${p.id}`)}</guid>
<pubDate>${new Date(p.date).toUTCString()}</pubDate>
<description>${xml(p.excerpt)}</description>${p.body ? `\n<content:encoded>${xml(p.body)}</content:encoded>` : ''}
<dc:language>${xml(p.lang)}</dc:language>${p.partner ? `\n<dc:creator>${xml(p.partner.name)}</dc:creator>` : ''}${p.tags.map((t) => `\n<category>${xml(t.label)}</category>`).join('')}${
          p.image ? `\n<enclosure url="${xml(p.image.url)}" type="${xml(s.image!.contentType)}" length="0"/>` : ''
        }
</item>`;
      });
      const body = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(feedTitle())}</title>
<link>${xml(config.publicUrl)}</link>
<atom:link href="${xml(selfUrl(request))}" rel="self" type="application/rss+xml"/>
<description>${xml(`${config.organisation}`)}</description>
<language>${xml(lang)}</language>
${out.join('\n')}
</channel>
</rss>
`;
      return withEtag(request, reply, body, 'application/rss+xml; charset=utf-8');
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/stories/feed.json`,
    summary: 'The stories as JSON Feed 1.1 (same filters as the list; one language, with fallbacks)',
    tags: ['stories'],
    query: StoryFeedQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'JSON Feed 1.1' }, 304: { description: 'Not modified' }, 400: errors[400], 429: errors[429] },
    handler: async ({ query }, request, reply) => {
      const items = await feedItems(query);
      const body = {
        version: 'https://jsonfeed.org/version/1.1',
        title: feedTitle(),
        home_page_url: config.publicUrl,
        feed_url: selfUrl(request),
        language: query.lang ?? 'en',
        items: items.map((s) => {
          const p = publicStoryDetail(ctx, s, query.lang);
          return {
            id: `${config.publicUrl}/stories/${p.id}`,
            url: p.link,
            title: p.title,
            summary: p.excerpt,
            ...(p.body ? { content_html: p.body } : { content_text: p.excerpt }),
            date_published: p.date,
            language: p.lang,
            tags: p.tags.map((t) => t.label),
            ...(p.partner ? { authors: [{ name: p.partner.name }] } : {}),
            ...(p.image ? { image: p.image.url } : {}),
          };
        }),
      };
      return withEtag(request, reply, JSON.stringify(body), 'application/feed+json; charset=utf-8');
    },
  });

  const visible = async (slug: string): Promise<StoryRecord> => {
    const s = await store.getStory(slug);
    if (!s || !storyVisible(s, ctx.now())) throw new HttpError(404, 'not_found', 'No such story');
    return s;
  };

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/stories/:id`,
    summary: 'One story with its body (sanitised HTML; third-party media as click-to-load placeholders)',
    tags: ['stories'],
    params: StoryParamsSchema,
    query: StoryQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'The story', schema: StoryDetailSchema }, 304: { description: 'Not modified' }, ...errors },
    handler: async ({ params, query }, request, reply) => {
      const s = await visible(params.id);
      return withEtag(request, reply, JSON.stringify(publicStoryDetail(ctx, s, query.lang)), 'application/json; charset=utf-8');
    },
  });

  // Images: only while a visible story uses them (a withdrawn story's photo is not served either).
  app.get('/media/stories/:file', async (request, reply) => {
    const m = /^([0-9a-f]{32})\.(jpg|png|webp|gif)$/.exec((request.params as { file: string }).file);
    const media = m && (await store.storyMediaVisible(m[1]!, ctx.now())) ? await store.getStoryMedia(m[1]!) : null;
    if (!media) return reply.code(404).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send('Not found');
    reply
      .type(media.contentType)
      .header('Content-Security-Policy', "default-src 'none'")
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .header('Content-Length', media.bytes.byteLength);
    return withEtag(request, reply, Buffer.from(media.bytes), media.contentType);
  });

  // Compa's own page of a story (the `link` of stories that have no page on the organisation's site).
  app.get('/stories/:id', async (request, reply) => {
    const { messages } = ctx;
    const id = (request.params as { id: string }).id;
    const lang = StoryQuerySchema.safeParse(request.query).data?.lang;
    const s = /^[a-z0-9-]{1,64}$/.test(id) ? await store.getStory(id) : null;
    if (!s || !storyVisible(s, ctx.now())) {
      const locale = messages.resolve(lang ?? request.headers['accept-language']?.split(',')[0]);
      reply.code(404).type('text/html; charset=utf-8');
      return page({ locale, title: messages.t(locale, 'page.story.gone.title'), body: `<p>${escapeHtml(messages.t(locale, 'page.story.gone.body'))}</p>` });
    }
    const { lang: shown, text } = storyText(s, lang ?? messages.fromAcceptLanguage(request.headers['accept-language']));
    const p = publicStoryDetail(ctx, s, shown);
    const ui = messages.resolve(shown);
    const when = new Intl.DateTimeFormat(ui, { dateStyle: 'long', timeZone: 'UTC' }).format(s.publishedAt);
    const place = [s.region?.name, s.country ? new Intl.DisplayNames([ui], { type: 'region' }).of(s.country) : null].filter(Boolean).join(', ');
    const meta = [s.partner?.name, place, when].filter(Boolean).map((x) => escapeHtml(x!)).join(' · ');
    const others = Object.keys(s.texts)
      .filter((l) => l !== shown)
      .map((l) => `<a href="/stories/${s.slug}?lang=${encodeURIComponent(l)}" hreflang="${escapeHtml(l)}" lang="${escapeHtml(l)}">${escapeHtml(new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l)}</a>`);
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', `default-src 'none'; img-src 'self'; style-src ${PAGE_STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
      .header('Cache-Control', 'no-cache');
    return page({
      locale: shown,
      title: text.title,
      body: `<p>${meta}</p>
${p.image ? `<img src="${escapeHtml(p.image.url)}" width="${p.image.width}" height="${p.image.height}" alt="${escapeHtml(p.image.alt)}">` : ''}
<div dir="${textDirection(shown)}">${text.body || `<p>${escapeHtml(text.excerpt)}</p>`}</div>
${text.link ? `<p><a href="${escapeHtml(text.link)}">${escapeHtml(messages.t(ui, 'page.story.original'))}</a></p>` : ''}
${others.length ? `<p>${escapeHtml(messages.t(ui, 'page.story.otherLanguages'))} ${others.join(', ')}</p>` : ''}`,
    });
  });
}
