/**
 * The organisation's admin API, `/api/v1/admin/…`: one encapsulated Fastify scope whose hooks every admin route
 * gets, so that no route can forget them:
 *
 * - no CORS, ever (security.ts leaves this prefix alone), and a request from another origin (any `Origin` but the
 *   server's own) is refused: a browser on another site can't use an organiser's token;
 * - a bearer token (`compa token create`), its scope checked (GET and HEAD need `read`, the rest `write`);
 * - rate limits per client and per token, and a much lower one on failed authentications (no brute force);
 * - an audit entry for every request that may change something (who, method, route, its ids, status; never a
 *   body, a query string or an address).
 *
 * Route plugins of other parts of Compa join the list below and read the caller with `adminOf(request)` (import it
 * from ./caller.ts: no import cycle).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http/errors.ts';
import { clientKey } from '../http/client-key.ts';
import { adminStore, type TokenScope } from '../store/admin-store.ts';
import { tokenFor } from './tokens.ts';
import { listAdminRoutes } from './lists.ts';
import { petitionAdminRoutes } from './petitions.ts';
import { webinarAdminRoutes } from './webinars.ts';
import { storyAdminRoutes } from './stories.ts';
import { feedAdminRoutes } from './feeds.ts';
import { auditAdminRoutes } from './audit.ts';
import { ADMIN_PREFIX } from './common.ts';
import { callerOf, setCaller } from './caller.ts';
import { privacyAdminRoutes } from '../privacy/routes.ts';

export { ADMIN_PREFIX };
export { adminOf, type AdminCaller } from './caller.ts';
/** Failed authentications a client may make per rate-limit window; past it, every admin request of it is refused until the window ends. */
export const ADMIN_AUTH_FAILURES_MAX = 10;
/** Largest admin request body (a story carries its photo inline, base64-encoded). */
export const ADMIN_BODY_LIMIT = 8 * 1024 * 1024;

/** The admin route plugins; each registers its routes with `defineRoute` under ADMIN_PREFIX, tagged `admin`. */
const ROUTE_PLUGINS: FastifyPluginAsync[] = [
  listAdminRoutes,
  petitionAdminRoutes,
  webinarAdminRoutes,
  storyAdminRoutes,
  feedAdminRoutes,
  auditAdminRoutes,
  privacyAdminRoutes, // exports, erasure, retention (src/server/privacy/routes.ts)
];

/** Route parameters that are ids or slugs chosen by the organisation; anything that looks like an address is left out. */
function auditTarget(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    const value = String(v);
    out[k] = /@|%40/.test(value) ? '[redacted]' : value.slice(0, 100);
  }
  return out;
}

const TOUCH_EVERY_MS = 60_000;

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const ownOrigin = new URL(ctx.config.publicUrl).origin;
  const max = ctx.config.rateLimit.readMax;
  /** Clients that failed to authenticate too often: refused until then (ms). */
  const blocked = new Map<string, number>();
  const touched = new Map<number, number>();

  // Bodies up to ADMIN_BODY_LIMIT in this scope only (read after authentication: onRequest runs first).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: ADMIN_BODY_LIMIT }, app.getDefaultJsonParser('error', 'error'));

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== ownOrigin) {
      throw new HttpError(403, 'forbidden_origin', 'The admin API takes no requests from other sites (their Origin header)');
    }
    const client = clientKey(request.ip);
    const now = Date.now();
    const until = blocked.get(client);
    if (until !== undefined) {
      if (until > now) {
        const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
        throw new HttpError(429, 'rate_limited', `Too many failed authentications; try again in ${retryAfter} seconds`, { retryAfter });
      }
      blocked.delete(client);
    }
    const clientWait = ctx.limiter.hit(`admin client ${client}`, max);
    if (clientWait) throw new HttpError(429, 'rate_limited', `Too many requests; try again in ${clientWait} seconds`, { retryAfter: clientWait });

    const header = request.headers.authorization ?? '';
    const m = /^Bearer +(\S+) *$/i.exec(header);
    const token = m ? await tokenFor(ctx, m[1]!) : null;
    if (!token) {
      const wait = ctx.limiter.hit(`admin failure ${client}`, ADMIN_AUTH_FAILURES_MAX);
      if (wait) {
        if (blocked.size > 10_000) blocked.clear();
        blocked.set(client, now + wait * 1000);
        throw new HttpError(429, 'rate_limited', `Too many failed authentications; try again in ${wait} seconds`, { retryAfter: wait });
      }
      reply.header('WWW-Authenticate', m ? 'Bearer realm="compa-admin", error="invalid_token"' : 'Bearer realm="compa-admin"');
      throw new HttpError(401, 'invalid_token', m ? 'This token is not valid (unknown or revoked)' : 'Send an admin token: Authorization: Bearer compa_…');
    }
    setCaller(request, { tokenId: token.id, name: token.name, scope: token.scope });

    const tokenWait = ctx.limiter.hit(`admin token ${token.id}`, max);
    if (tokenWait) throw new HttpError(429, 'rate_limited', `Too many requests with this token; try again in ${tokenWait} seconds`, { retryAfter: tokenWait });
    const needs: TokenScope = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
    if (needs === 'write' && token.scope !== 'write') {
      reply.header('WWW-Authenticate', 'Bearer realm="compa-admin", error="insufficient_scope", scope="write"');
      throw new HttpError(403, 'insufficient_scope', `This token has the read scope; ${request.method} routes need the write scope`);
    }
    if (now - (touched.get(token.id) ?? 0) > TOUCH_EVERY_MS) {
      touched.set(token.id, now);
      await adminStore(ctx.store).touchToken(token.id, ctx.now());
    }
  });

  // Every request that may change something is recorded, answered or refused, once its token is known; before its
  // answer leaves (a client that got its answer finds the entry).
  app.addHook('onSend', async (request, reply, payload) => {
    // Reads are recorded too when they hand out supporters' personal data (exports, registration lists).
    const personalRead = /\/(exports\/:kind|registrations)$/.test(request.routeOptions.url ?? '');
    if ((request.method === 'GET' || request.method === 'HEAD') && !personalRead) return payload;
    const caller = callerOf(request);
    if (!caller) return payload;
    try {
      await adminStore(ctx.store).audit({
        at: ctx.now(),
        tokenId: caller.tokenId,
        tokenName: caller.name,
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0]!,
        target: auditTarget(request.params),
        status: reply.statusCode,
      });
    } catch (err) {
      request.log.error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'admin audit entry not written');
    }
    return payload;
  });

  for (const plugin of ROUTE_PLUGINS) await app.register(plugin);
}
