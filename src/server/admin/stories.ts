/** Admin routes of the organisation's own stories: list, create or update (photo inline), withdraw. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminStorySummarySchema, PutResultSchema, StoryBodySchema } from '../../schemas/admin.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import type { StoryRecord } from '../store/store.ts';
import { putOwnStory, storyVisible } from '../stories/service.ts';
import { ADMIN_PREFIX, ADMIN_TAGS, IdParams, adminErrors } from './common.ts';

const Instant = z.iso.datetime({ offset: true, error: 'An ISO 8601 date and time with its offset, e.g. "2026-12-01T09:00:00-05:00"' });
const WithdrawBody = z.strictObject({ at: Instant.optional() }).default({});

/** Where a story stands now, in words. */
export function storyState(s: StoryRecord, now: Date): string {
  if (s.erased) return 'withdrawn, erased';
  if (s.withdrawAfter && s.withdrawAfter <= now) return 'withdrawn';
  if (s.publishFrom && s.publishFrom > now) return 'scheduled';
  if (s.hidden) return 'hidden';
  return storyVisible(s, now) ? 'shown' : 'not shown';
}

export async function storyAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const summary = (s: StoryRecord): z.infer<typeof AdminStorySummarySchema> => ({
    id: s.slug,
    date: s.publishedAt.toISOString(),
    languages: Object.keys(s.texts),
    status: storyState(s, ctx.now()),
    source: s.source.startsWith('feed:') ? s.source.slice(5) : s.source,
  });

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/stories`,
    summary: 'Every story (own and from feeds; shown, scheduled, withdrawn, hidden), newest first',
    tags: ADMIN_TAGS,
    responses: { 200: { description: 'The stories', schema: z.object({ stories: z.array(AdminStorySummarySchema) }) }, ...adminErrors },
    handler: async () => ({ stories: (await ctx.store.listAllStories()).map(summary) }),
  });

  defineRoute(app, {
    method: 'PUT',
    url: `${ADMIN_PREFIX}/stories/:id`,
    summary: 'Create a story, or update the one with this id (a withdrawn one is published again); its photo inline (base64), stored without metadata',
    tags: ADMIN_TAGS,
    params: IdParams,
    body: StoryBodySchema,
    responses: {
      200: { description: 'Updated', schema: PutResultSchema.extend({ story: AdminStorySummarySchema }) },
      201: { description: 'Created', schema: PutResultSchema.extend({ story: AdminStorySummarySchema }) },
      ...adminErrors,
    },
    handler: async ({ params, body }, _request, reply) => {
      const photo = body.image ? Buffer.from(body.image.data, 'base64') : null;
      const own = { ...body, id: params.id, image: body.image ? { alt: body.image.alt } : null };
      const { outcome, story } = await putOwnStory(ctx, own, photo, { source: 'api', imageField: 'image.data' });
      const created = outcome === 'created';
      return reply.code(created ? 201 : 200).send({ outcome: created ? 'created' : 'updated', story: summary(story) });
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: `${ADMIN_PREFIX}/stories/:id/withdraw`,
    summary: 'Consent withdrawn: the story leaves every answer now (or at `at`), then its texts and images are deleted; its feed can’t bring it back',
    tags: ADMIN_TAGS,
    params: IdParams,
    body: WithdrawBody,
    responses: { 200: { description: 'Withdrawn (or scheduled)', schema: z.object({ withdrawAt: z.string(), erased: z.boolean() }) }, ...adminErrors },
    handler: async ({ params, body }) => {
      const now = ctx.now();
      const at = body.at ? new Date(body.at) : now;
      if (!(await ctx.store.withdrawStory(params.id, at, now))) throw new HttpError(404, 'not_found', `No story "${params.id}"`);
      const erased = at <= now;
      if (erased) await ctx.store.eraseWithdrawnStories(now);
      return { withdrawAt: at.toISOString(), erased };
    },
  });
}
