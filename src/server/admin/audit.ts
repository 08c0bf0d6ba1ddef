/** The audit log of admin actions, newest first, in pages. */
import type { FastifyInstance } from 'fastify';
import { AdminAuditPageSchema, AdminAuditQuerySchema } from '../../schemas/admin.ts';
import { defineRoute } from '../http/route.ts';
import { adminStore } from '../store/admin-store.ts';
import { ADMIN_PREFIX, ADMIN_TAGS, adminErrors } from './common.ts';

export async function auditAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  defineRoute(app, {
    method: 'GET',
    url: `${ADMIN_PREFIX}/audit`,
    summary:
      'What was done through the admin API and the token command: when, by which token, method and route, the ids it named, the answer’s status (never a body, a query string or an address). Newest first; `before=nextBefore` for the next page.',
    tags: ADMIN_TAGS,
    query: AdminAuditQuerySchema,
    responses: { 200: { description: 'One page of the log', schema: AdminAuditPageSchema }, ...adminErrors },
    handler: async ({ query }) => {
      const entries = await adminStore(ctx.store).listAudit({ limit: query.limit + 1, before: query.before });
      const more = entries.length > query.limit;
      const page = entries.slice(0, query.limit);
      return { entries: page, nextBefore: more ? page[page.length - 1]!.id : null };
    },
  });
}
