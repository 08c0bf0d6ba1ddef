import type { FastifyInstance } from 'fastify';
import { HealthSchema } from '../../schemas/common.ts';
import { API_PREFIX } from '../../schemas/limits.ts';
import { defineRoute, routeRegistry } from '../http/route.ts';
import { buildOpenApi } from '../openapi.ts';
import { VERSION } from '../version.ts';

export async function systemRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/health`,
    summary: 'Liveness check',
    tags: ['system'],
    responses: { 200: { description: 'The server is up', schema: HealthSchema } },
    handler: async () => ({ status: 'ok' as const }),
  });

  let doc: unknown = null;
  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/openapi.json`,
    summary: 'This OpenAPI 3.1 document',
    tags: ['system'],
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handler: async (_input, _request, reply) => {
      doc ??= buildOpenApi(routeRegistry, { version: VERSION, serverUrl: app.compa.config.publicUrl });
      reply.header('Cache-Control', 'public, max-age=300');
      return doc;
    },
  });
}
