/** Admin routes of newsletter lists: list, create or update, close and reopen, figures. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminListSchema, ClosedStateSchema, ListBodySchema, PutResultSchema, StatsSchema, type ListItem } from '../../schemas/admin.ts';
import type { CompaContext } from '../context.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import type { ListRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import { ADMIN_PREFIX, ADMIN_TAGS, SlugParams, adminErrors, statsByStatus } from './common.ts';

const adminList = (l: ListRecord, closed: Map<number, string>): z.infer<typeof AdminListSchema> => ({
  slug: l.slug,
  texts: l.texts,
  isPublic: l.isPublic,
  closedAt: closed.get(l.id) ?? null,
});

/** Creates the list, or updates the one with the same slug; `closed` (when given) closes or reopens it. */
export async function putList(ctx: CompaContext, f: ListItem): Promise<{ outcome: 'created' | 'updated'; list: z.infer<typeof AdminListSchema> }> {
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const admin = adminStore(tx);
    const existing = (await tx.listLists({ publicOnly: false })).find((l) => l.slug === f.slug);
    let id: number;
    if (existing) {
      id = existing.id;
      await admin.updateList(id, { texts: f.texts, isPublic: f.isPublic });
    } else id = await tx.createList({ slug: f.slug, texts: f.texts, isPublic: f.isPublic, now });
    if (f.closed !== undefined) await admin.setClosed('newsletter_lists', id, f.closed ? now : null);
    const list = (await tx.listLists({ publicOnly: false })).find((l) => l.id === id)!;
    return { outcome: existing ? 'updated' : 'created', list: adminList(list, await admin.closedAt('newsletter_lists')) };
  });
}

export async function listAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const admin = () => adminStore(ctx.store);
  const find = async (slug: string): Promise<ListRecord> => {
    const l = (await ctx.store.listLists({ publicOnly: false })).find((x) => x.slug === slug);
    if (!l) throw new HttpError(404, 'not_found', `No newsletter list "${slug}"`);
    return l;
  };

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/lists`,
    summary: 'Every newsletter list (public or not, open or closed)',
    tags: ADMIN_TAGS,
    responses: { 200: { description: 'The lists', schema: z.object({ lists: z.array(AdminListSchema) }) }, ...adminErrors },
    handler: async () => {
      const closed = await admin().closedAt('newsletter_lists');
      return { lists: (await ctx.store.listLists({ publicOnly: false })).map((l) => adminList(l, closed)) };
    },
  });

  defineRoute(app, {
    method: 'PUT',
    url: `${ADMIN_PREFIX}/lists/:slug`,
    summary: 'Create a newsletter list, or update the one with this slug (names and descriptions in every language)',
    tags: ADMIN_TAGS,
    params: SlugParams,
    body: ListBodySchema,
    responses: {
      200: { description: 'Updated', schema: PutResultSchema.extend({ list: AdminListSchema }) },
      201: { description: 'Created', schema: PutResultSchema.extend({ list: AdminListSchema }) },
      ...adminErrors,
    },
    handler: async ({ params, body }, _request, reply) => {
      const r = await putList(ctx, { ...body, slug: params.slug });
      return reply.code(r.outcome === 'created' ? 201 : 200).send(r);
    },
  });

  for (const open of [false, true]) {
    defineRoute(app, {
      method: 'POST',
      url: `${ADMIN_PREFIX}/lists/:slug/${open ? 'open' : 'close'}`,
      summary: open ? 'Reopen a list to new subscriptions' : 'Close a list: it takes no new subscriptions (its subscribers stay); records when',
      tags: ADMIN_TAGS,
      params: SlugParams,
      responses: { 200: { description: 'The list’s state', schema: ClosedStateSchema }, ...adminErrors },
      handler: async ({ params }) => {
        const l = await find(params.slug);
        await admin().setClosed('newsletter_lists', l.id, open ? null : ctx.now());
        return { closedAt: await admin().closedAtOf('newsletter_lists', l.id) };
      },
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/lists/:slug/stats`,
    summary: 'Subscriptions to a list: total, by status (confirmed, pending, unsubscribed), and per day of signup (UTC)',
    tags: ADMIN_TAGS,
    params: SlugParams,
    responses: { 200: { description: 'Figures', schema: StatsSchema }, ...adminErrors },
    handler: async ({ params }) => {
      const l = await find(params.slug);
      const s = statsByStatus(await admin().subscriptionsPerDay(l.id));
      return { ...s, byStatus: { confirmed: 0, pending: 0, unsubscribed: 0, ...s.byStatus } };
    },
  });
}
