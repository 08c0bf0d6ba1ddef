/**
 * Admin routes of story feeds: those of COMPA_STORY_FEEDS (read-only here: change them there) and those added
 * through the API (stored in the database); both are imported on the schedule (`importAllFeeds`).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminFeedSchema, FeedBodySchema, PutResultSchema, type FeedItem } from '../../schemas/admin.ts';
import type { StoryFeedConfig } from '../config.ts';
import type { CompaContext } from '../context.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { adminStore } from '../store/admin-store.ts';
import { importAllFeeds, slugify } from '../stories/service.ts';
import { ADMIN_PREFIX, ADMIN_TAGS, IdParams, adminErrors } from './common.ts';

/** The id a feed of COMPA_STORY_FEEDS is shown with: `config-` and its host and path. */
export const configFeedId = (url: string): string => {
  const u = new URL(url);
  return `config-${slugify(`${u.host}${u.pathname}`, 57) || 'feed'}`;
};

const FROM_CONFIG = 'This feed comes from COMPA_STORY_FEEDS: change or remove it there (and restart the server); the API can’t';

/** Creates the feed, or replaces the one with this id. Throws HttpError 409 for a feed of COMPA_STORY_FEEDS or a URL another feed has. */
export async function putFeed(ctx: CompaContext, f: FeedItem): Promise<{ outcome: 'created' | 'updated' }> {
  const configured = ctx.config.storyFeeds;
  if (configured.some((c) => configFeedId(c.url) === f.id)) throw new HttpError(409, 'conflict', FROM_CONFIG);
  if (configured.some((c) => c.url === f.url)) throw new HttpError(409, 'conflict', `${FROM_CONFIG} (the same URL)`);
  const admin = adminStore(ctx.store);
  const other = await admin.feedSourceByUrl(f.url);
  if (other && other.id !== f.id) throw new HttpError(409, 'conflict', `The feed "${other.id}" has this URL already`);
  const { id, url, ...settings } = f;
  const created = await admin.putFeedSource({ id, url, settings: { ...settings, country: settings.country?.toUpperCase() ?? null }, now: ctx.now() });
  return { outcome: created ? 'created' : 'updated' };
}

export async function feedAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const admin = () => adminStore(ctx.store);
  const describe = async (id: string, source: 'config' | 'api', f: StoryFeedConfig): Promise<z.infer<typeof AdminFeedSchema>> => {
    const state = await ctx.store.getStoryFeed(f.url);
    return {
      id,
      source,
      url: f.url,
      lang: f.lang,
      partner: f.partner,
      country: f.country,
      region: f.region,
      tags: f.tags,
      gone: f.gone,
      imageOrigins: f.imageOrigins,
      checkedAt: state?.checkedAt?.toISOString() ?? null,
      okAt: state?.okAt?.toISOString() ?? null,
      lastError: state?.lastError ?? null,
      items: state?.items ?? 0,
    };
  };

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/feeds`,
    summary: 'Every story feed: those of COMPA_STORY_FEEDS (source `config`) and those added here (source `api`), with when each was last read',
    tags: ADMIN_TAGS,
    responses: { 200: { description: 'The feeds', schema: z.object({ feeds: z.array(AdminFeedSchema) }) }, ...adminErrors },
    handler: async () => {
      const feeds = [];
      for (const f of ctx.config.storyFeeds) feeds.push(await describe(configFeedId(f.url), 'config', f));
      for (const f of await admin().listFeedSources()) feeds.push(await describe(f.id, 'api', { ...(f.settings as Omit<StoryFeedConfig, 'url'>), url: f.url }));
      return { feeds };
    },
  });

  defineRoute(app, {
    method: 'PUT',
    url: `${ADMIN_PREFIX}/feeds/:id`,
    summary: 'Add a story feed (RSS 2.0, Atom, JSON Feed), or change the one with this id; read on the next import',
    tags: ADMIN_TAGS,
    params: IdParams,
    body: FeedBodySchema,
    responses: {
      200: { description: 'Updated', schema: PutResultSchema },
      201: { description: 'Created', schema: PutResultSchema },
      ...adminErrors,
      409: { description: 'A feed of COMPA_STORY_FEEDS (change it there), or a URL another feed has', schema: adminErrors[400].schema },
    },
    handler: async ({ params, body }, _request, reply) => {
      const r = await putFeed(ctx, { ...body, id: params.id });
      return reply.code(r.outcome === 'created' ? 201 : 200).send(r);
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: `${ADMIN_PREFIX}/feeds/:id`,
    summary: 'Remove a feed added here (its stories stay; withdraw them one by one). A feed of COMPA_STORY_FEEDS is removed there.',
    tags: ADMIN_TAGS,
    params: IdParams,
    responses: {
      204: { description: 'Removed' },
      ...adminErrors,
      409: { description: 'A feed of COMPA_STORY_FEEDS: remove it there', schema: adminErrors[400].schema },
    },
    handler: async ({ params }, _request, reply) => {
      if (ctx.config.storyFeeds.some((c) => configFeedId(c.url) === params.id)) throw new HttpError(409, 'conflict', FROM_CONFIG);
      if (!(await admin().deleteFeedSource(params.id))) throw new HttpError(404, 'not_found', `No feed "${params.id}"`);
      return reply.code(204).send();
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: `${ADMIN_PREFIX}/feeds/import`,
    summary: 'Read every feed now (the server also does, every COMPA_STORY_FEED_INTERVAL_MINUTES)',
    tags: ADMIN_TAGS,
    responses: {
      200: {
        description: 'What each feed gave',
        schema: z.object({
          feeds: z.array(
            z.object({
              url: z.string(),
              status: z.enum(['ok', 'not-modified', 'error']),
              error: z.string().optional(),
              items: z.number().int(),
              created: z.number().int(),
              updated: z.number().int(),
              unchanged: z.number().int(),
              withdrawn: z.number().int(),
              skipped: z.number().int(),
              hidden: z.number().int(),
            }),
          ),
        }),
      },
      ...adminErrors,
    },
    handler: async () => ({ feeds: await importAllFeeds(ctx) }),
  });
}
