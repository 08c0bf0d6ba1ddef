import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { HttpError, fieldsFromZod } from './errors.ts';
import { clientKey } from './client-key.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined, P extends z.ZodType | undefined> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  /** Documented responses: status → description and optional schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  /** Which per-client rate limit applies. */
  limit?: 'read' | 'write';
  /** Whether the route takes an Idempotency-Key header. */
  idempotent?: boolean;
  handler: (
    input: {
      body: B extends z.ZodType ? z.output<B> : undefined;
      query: Q extends z.ZodType ? z.output<Q> : undefined;
      params: P extends z.ZodType ? z.output<P> : undefined;
    },
    request: FastifyRequest,
    reply: FastifyReply,
  ) => Promise<unknown>;
}

export type AnyRouteSpec = RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

/** The routes registered so far, for the OpenAPI document (generated from the same zod schemas). */
export const routeRegistry: AnyRouteSpec[] = [];

function parse(schema: z.ZodType | undefined, value: unknown, code: 'invalid_body' | 'invalid_query' | 'invalid_params', root: string) {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (root === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const what = root === 'body' ? 'The body' : root === 'query' ? 'The query string' : 'The path';
  throw new HttpError(400, code, `${what} has invalid fields`, { fields: fieldsFromZod(result.error, root) });
}

/**
 * Registers a route whose input is validated with zod before the handler runs
 * (400 naming every bad field; unknown fields are rejected by strict schemas).
 */
export function defineRoute<B extends z.ZodType | undefined, Q extends z.ZodType | undefined, P extends z.ZodType | undefined>(
  app: FastifyInstance,
  spec: RouteSpec<B, Q, P>,
): void {
  const { config, limiter } = app.compa;
  const max = spec.limit === 'write' ? config.rateLimit.writeMax : config.rateLimit.readMax;
  const scope = `${spec.method} ${spec.url} `;
  const onRequest = spec.limit
    ? (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
        const retryAfter = limiter.hit(scope + clientKey(request.ip), max);
        if (retryAfter === 0) return done();
        done(new HttpError(429, 'rate_limited', `Too many requests; try again in ${retryAfter} seconds`, { retryAfter }));
      }
    : undefined;
  if (!routeRegistry.some((r) => r.method === spec.method && r.url === spec.url)) routeRegistry.push(spec as AnyRouteSpec);
  app.route({
    method: spec.method,
    url: spec.url,
    ...(onRequest ? { onRequest } : {}),
    handler: async (request, reply) => {
      const input = {
        params: parse(spec.params, request.params, 'invalid_params', 'params'),
        query: parse(spec.query, request.query, 'invalid_query', 'query'),
        body: parse(spec.body, request.body, 'invalid_body', 'body'),
      } as Parameters<RouteSpec<B, Q, P>['handler']>[0];
      return spec.handler(input, request, reply);
    },
  });
}
