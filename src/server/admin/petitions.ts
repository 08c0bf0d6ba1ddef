/** Admin routes of petitions: list, read, create or update (every language in one request), close and reopen, figures. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminPetitionSummarySchema, ClosedStateSchema, PetitionBodySchema, PutResultSchema, StatsSchema } from '../../schemas/admin.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import type { PetitionRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import { effectiveStatus } from '../petitions/hub.ts';
import { putPetition, setPetitionOpen } from '../petitions/admin.ts';
import { ADMIN_PREFIX, ADMIN_TAGS, SlugParams, adminErrors } from './common.ts';

const AdminPetitionSchema = AdminPetitionSummarySchema.extend({
  verification: z.enum(['none', 'email']),
  lastName: z.enum(['required', 'optional', 'hidden']),
  countThreshold: z.number().int().nullable(),
  keepInformedList: z.string().nullable(),
  shareUrl: z.string().nullable(),
  texts: z.record(z.string(), z.object({ title: z.string(), summary: z.string(), body: z.string(), target: z.string(), outcome: z.string().nullable() })),
}).meta({ id: 'AdminPetition' });

export async function petitionAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const admin = () => adminStore(ctx.store);

  const summary = (p: PetitionRecord, closedAt: string | null): z.infer<typeof AdminPetitionSummarySchema> => ({
    slug: p.slug,
    status: p.status,
    effectiveStatus: effectiveStatus(p, ctx.now()),
    closedAt,
    deadline: p.deadline?.toISOString() ?? null,
    count: p.count,
    goal: p.goal,
    languages: Object.keys(p.texts),
  });
  const find = async (slug: string): Promise<PetitionRecord> => {
    const p = await ctx.store.getPetition(slug);
    if (!p) throw new HttpError(404, 'not_found', `No petition "${slug}"`);
    return p;
  };
  /** The public routes cache petitions for a moment, and open pages follow its status live: tell them now. */
  const changed = (p: PetitionRecord) => {
    app.petitions.forget(p.slug);
    app.petitions.hub.get(p);
  };

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/petitions`,
    summary: 'Every petition (drafts too): status, when it closed, count and goal, languages',
    tags: ADMIN_TAGS,
    responses: { 200: { description: 'The petitions', schema: z.object({ petitions: z.array(AdminPetitionSummarySchema) }) }, ...adminErrors },
    handler: async () => {
      const closed = await admin().closedAt('petitions');
      return { petitions: (await ctx.store.listPetitions()).map((p) => summary(p, closed.get(p.id) ?? null)) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/petitions/:slug`,
    summary: 'A petition with its settings and every language',
    tags: ADMIN_TAGS,
    params: SlugParams,
    responses: { 200: { description: 'The petition', schema: AdminPetitionSchema }, ...adminErrors },
    handler: async ({ params }) => {
      const p = await find(params.slug);
      const list = p.newsletterListId ? (await ctx.store.listLists({ publicOnly: false })).find((l) => l.id === p.newsletterListId) : null;
      return {
        ...summary(p, await admin().closedAtOf('petitions', p.id)),
        verification: p.verification,
        lastName: p.lastName,
        countThreshold: p.countThreshold,
        keepInformedList: list?.slug ?? null,
        shareUrl: p.shareUrl,
        texts: p.texts,
      };
    },
  });

  defineRoute(app, {
    method: 'PUT',
    url: `${ADMIN_PREFIX}/petitions/:slug`,
    summary: 'Create a petition, or update the one with this slug (every language in one request; the count is never touched)',
    tags: ADMIN_TAGS,
    params: SlugParams,
    body: PetitionBodySchema,
    responses: {
      200: { description: 'Updated', schema: PutResultSchema.extend({ petition: AdminPetitionSummarySchema }) },
      201: { description: 'Created', schema: PutResultSchema.extend({ petition: AdminPetitionSummarySchema }) },
      ...adminErrors,
    },
    handler: async ({ params, body }, _request, reply) => {
      const { outcome, petition } = await putPetition(ctx, { ...body, slug: params.slug });
      changed(petition);
      return reply.code(outcome === 'created' ? 201 : 200).send({ outcome, petition: summary(petition, await admin().closedAtOf('petitions', petition.id)) });
    },
  });

  for (const open of [false, true]) {
    defineRoute(app, {
      method: 'POST',
      url: `${ADMIN_PREFIX}/petitions/:slug/${open ? 'open' : 'close'}`,
      summary: open ? 'Open a petition (status open): it takes signatures until its deadline' : 'Close a petition (status closed): it takes no more signatures; records when',
      tags: ADMIN_TAGS,
      params: SlugParams,
      responses: { 200: { description: 'The petition’s state', schema: ClosedStateSchema.extend({ status: z.enum(['draft', 'open', 'closed']) }) }, ...adminErrors },
      handler: async ({ params }) => {
        const p = await setPetitionOpen(ctx, params.slug, open);
        if (!p) throw new HttpError(404, 'not_found', `No petition "${params.slug}"`);
        changed(p);
        return { status: p.status, closedAt: await admin().closedAtOf('petitions', p.id) };
      },
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/petitions/:slug/stats`,
    summary: 'Counted signatures of a petition: total, and per day of signing (UTC)',
    tags: ADMIN_TAGS,
    params: SlugParams,
    responses: { 200: { description: 'Figures', schema: StatsSchema }, ...adminErrors },
    handler: async ({ params }) => {
      const p = await find(params.slug);
      const perDay = await admin().signaturesPerDay(p.id);
      return { total: perDay.reduce((n, d) => n + d.count, 0), perDay };
    },
  });
}
