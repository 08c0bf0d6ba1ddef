import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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

  // CORS by hand (a few header writes on the hot path; the count is read constantly): widgets on the listed
  // sites may call the API, without credentials; every other origin gets no CORS header at all.
  const apiPrefix = `${API_PREFIX}/`;
  // The admin API never answers other sites: no CORS there (it refuses foreign origins itself, see admin/index.ts).
  const adminPrefix = `${API_PREFIX}/admin/`;
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith(apiPrefix) || request.url.startsWith(adminPrefix)) return done();
    // Public answers are cached by shared caches: they must keep each origin's answer apart.
    reply.header('Vary', 'Origin');
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return done();
    reply.header('Access-Control-Allow-Origin', origin);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply
        .header('Access-Control-Allow-Methods', 'GET, POST')
        .header('Access-Control-Allow-Headers', `Content-Type, ${IDEMPOTENCY_HEADER}`)
        .header('Access-Control-Max-Age', '600')
        .code(204)
        .send();
      return; // answered: the preflight goes no further
    }
    reply.header('Access-Control-Expose-Headers', 'Retry-After');
    done();
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
      // A page that needs more (a story page shows its images) sets its own, as strict otherwise.
      if (!reply.hasHeader('Content-Security-Policy')) {
        reply.header('Content-Security-Policy', request.url === '/' || request.url.startsWith('/?') ? pageCsp : serverPageCsp);
      }
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    } else if (request.url.startsWith(`${API_PREFIX}/`)) {
      // JSON is never rendered (its type plus nosniff): no CSP, no framing headers. Answers stay small, which
      // matters for the count every open page reads.
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    }
    done(null, payload);
  });
}, { name: 'compa-security' });
