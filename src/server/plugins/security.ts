import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { HttpError } from '../http/errors.ts';
import { clientKey } from '../http/client-key.ts';
import { PAGE_STYLE_HASH } from '../html.ts';
import { API_PREFIX, IDEMPOTENCY_HEADER } from '../../schemas/limits.ts';

/**
 * CORS (only the configured embedding origins, only on the API), per-client rate limits
 * (keyed by the socket address unless a proxy is configured as trusted), and security headers.
 */
export const security = fp(async function security(app: FastifyInstance): Promise<void> {
  const { config } = app.compa;
  const allowed = new Set(config.allowedOrigins);

  await app.register(cors, {
    // Widgets on the listed sites may call the API; everything else gets no CORS headers at all.
    delegator: (req, cb) => {
      const url = req.url ?? '';
      if (!url.startsWith(`${API_PREFIX}/`)) return cb(null, { origin: false });
      cb(null, {
        origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
        methods: ['GET', 'POST'],
        allowedHeaders: ['Content-Type', IDEMPOTENCY_HEADER],
        exposedHeaders: ['Retry-After'],
        credentials: false,
        maxAge: 600,
      });
    },
  });

  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req) => clientKey(req.ip),
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      const err = new HttpError(429, 'rate_limited', `Too many requests; try again in ${seconds} seconds`, { retryAfter: seconds });
      return err;
    },
  });

  const pageCsp = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    `style-src 'self' 'unsafe-inline'`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const serverPageCsp = `default-src 'none'; style-src ${PAGE_STYLE_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

  const hsts = config.publicUrl.startsWith('https:');
  // Synchronous hook (no promise per response): this runs on every answer, including the hot count route.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (hsts) reply.header('Strict-Transport-Security', 'max-age=31536000');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      // Document-only headers go on documents; JSON answers stay small (the count is read very often).
      reply.header('Referrer-Policy', 'no-referrer');
      reply.header('Cross-Origin-Opener-Policy', 'same-origin');
      reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()');
      reply.header('X-Frame-Options', 'DENY');
      // The demo page loads the widget script; server pages (confirm, unsubscribe) need no script at all.
      reply.header('Content-Security-Policy', request.url === '/' || request.url.startsWith('/?') ? pageCsp : serverPageCsp);
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    } else if (request.url.startsWith(`${API_PREFIX}/`)) {
      reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    }
    done(null, payload);
  });
}, { name: 'compa-security' });
