/**
 * Admin routes of webinars: list, create or update, close and reopen registration, the registrations (to decide
 * them in approval mode), approve and decline, figures.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SlugSchema } from '../../schemas/common.ts';
import {
  AdminRegistrationSchema,
  AdminWebinarSummarySchema,
  ClosedStateSchema,
  PutResultSchema,
  StatsSchema,
  WebinarBodySchema,
} from '../../schemas/admin.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import type { RegistrationStatus, WebinarRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import { decideRegistration, putWebinar, setWebinarOpen } from '../webinars/admin.ts';
import { ADMIN_PREFIX, ADMIN_TAGS, SlugParams, adminErrors, statsByStatus } from './common.ts';

const STATUSES: RegistrationStatus[] = ['registered', 'waitlisted', 'pending', 'declined', 'cancelled'];
const RegistrationParams = z.strictObject({ slug: SlugSchema, id: z.string().regex(/^\d{1,12}$/, 'A registration id').transform(Number) });
const RegistrationsQuery = z.strictObject({ status: z.enum(['registered', 'waitlisted', 'pending', 'declined', 'cancelled']).optional() });

export async function webinarAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const admin = () => adminStore(ctx.store);
  const find = async (slug: string): Promise<WebinarRecord> => {
    const w = await ctx.store.getWebinar(slug);
    if (!w) throw new HttpError(404, 'not_found', `No webinar "${slug}"`);
    return w;
  };
  const summary = async (w: WebinarRecord, closedAt: string | null): Promise<z.infer<typeof AdminWebinarSummarySchema>> => {
    const registrations: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    for (const r of await admin().registrationsPerDay(w.id)) registrations[r.status] = (registrations[r.status] ?? 0) + r.count;
    return {
      slug: w.slug,
      series: w.series,
      status: w.status,
      mode: w.mode,
      start: w.start.toISOString(),
      end: w.end.toISOString(),
      capacity: w.capacity,
      closedAt,
      registrations,
      languages: Object.keys(w.texts),
    };
  };

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/webinars`,
    summary: 'Every webinar (drafts too): times, capacity, whether registration is closed, registrations by status',
    tags: ADMIN_TAGS,
    responses: { 200: { description: 'The webinars', schema: z.object({ webinars: z.array(AdminWebinarSummarySchema) }) }, ...adminErrors },
    handler: async () => {
      const closed = await admin().closedAt('webinars');
      const webinars = [];
      for (const w of await ctx.store.listWebinars()) webinars.push(await summary(w, closed.get(w.id) ?? null));
      return { webinars };
    },
  });

  defineRoute(app, {
    method: 'PUT',
    url: `${ADMIN_PREFIX}/webinars/:slug`,
    summary: 'Create a webinar, or update the one with this slug (a raised capacity gives the waitlist its places; a new time moves the reminders)',
    tags: ADMIN_TAGS,
    params: SlugParams,
    body: WebinarBodySchema,
    responses: {
      200: { description: 'Updated', schema: PutResultSchema.extend({ webinar: AdminWebinarSummarySchema, promoted: z.number().int() }) },
      201: { description: 'Created', schema: PutResultSchema.extend({ webinar: AdminWebinarSummarySchema, promoted: z.number().int() }) },
      ...adminErrors,
    },
    handler: async ({ params, body }, _request, reply) => {
      const r = await putWebinar(ctx, { ...body, slug: params.slug });
      const webinar = await summary(r.webinar, await admin().closedAtOf('webinars', r.webinar.id));
      return reply.code(r.outcome === 'created' ? 201 : 200).send({ outcome: r.outcome, webinar, promoted: r.promoted });
    },
  });

  for (const open of [false, true]) {
    defineRoute(app, {
      method: 'POST',
      url: `${ADMIN_PREFIX}/webinars/:slug/${open ? 'open' : 'close'}`,
      summary: open ? 'Reopen registration for a webinar' : 'Close registration for a webinar (those registered keep their place); records when',
      tags: ADMIN_TAGS,
      params: SlugParams,
      responses: { 200: { description: 'The webinar’s state', schema: ClosedStateSchema }, ...adminErrors },
      handler: async ({ params }) => {
        const r = await setWebinarOpen(ctx, params.slug, open);
        if (!r) throw new HttpError(404, 'not_found', `No webinar "${params.slug}"`);
        return { closedAt: r.closedAt };
      },
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/webinars/:slug/registrations`,
    summary: 'A webinar’s registrations (waitlist in order), optionally of one status: e.g. those awaiting approval',
    tags: ADMIN_TAGS,
    params: SlugParams,
    query: RegistrationsQuery,
    responses: { 200: { description: 'The registrations', schema: z.object({ registrations: z.array(AdminRegistrationSchema) }) }, ...adminErrors },
    handler: async ({ params, query }) => {
      const w = await find(params.slug);
      const all = await ctx.store.listRegistrations(w.id);
      return {
        registrations: all
          .filter((r) => !query.status || r.status === query.status)
          .map((r) => ({ id: r.id, status: r.status, name: r.name, email: r.email, locale: r.locale, registeredAt: r.createdAt.toISOString(), answers: r.answers })),
      };
    },
  });

  for (const decision of ['approve', 'decline'] as const) {
    defineRoute(app, {
      method: 'POST',
      url: `${ADMIN_PREFIX}/webinars/:slug/registrations/:id/${decision}`,
      summary:
        decision === 'approve'
          ? 'Approval mode: give a pending registration a place (the waitlist when full); the supporter is emailed'
          : 'Approval mode: decline a pending registration; the supporter is emailed',
      tags: ADMIN_TAGS,
      params: RegistrationParams,
      responses: {
        200: { description: 'The registration’s new status', schema: z.object({ id: z.number().int(), status: z.string() }) },
        ...adminErrors,
        409: { description: 'The registration is not awaiting approval: nothing changed', schema: adminErrors[400].schema },
      },
      handler: async ({ params }) => {
        const w = await find(params.slug);
        const r = await ctx.store.getRegistration(params.id);
        if (!r || r.webinarId !== w.id) throw new HttpError(404, 'not_found', `No registration ${params.id} for this webinar`);
        const status = await decideRegistration(ctx, w, r, decision);
        return { id: r.id, status };
      },
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/webinars/:slug/stats`,
    summary: 'Registrations of a webinar: total, by status, and per day of registering (UTC)',
    tags: ADMIN_TAGS,
    params: SlugParams,
    responses: { 200: { description: 'Figures', schema: StatsSchema }, ...adminErrors },
    handler: async ({ params }) => {
      const w = await find(params.slug);
      const s = statsByStatus(await admin().registrationsPerDay(w.id));
      return { ...s, byStatus: { ...Object.fromEntries(STATUSES.map((st) => [st, 0])), ...s.byStatus } };
    },
  });
}
