import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  CreateSubscriptionBody,
  ListsQuerySchema,
  ListsResponseSchema,
  SubscriptionAcceptedSchema,
} from '../../schemas/newsletter.ts';
import { ErrorBodySchema } from '../../schemas/errors.ts';
import { API_PREFIX } from '../../schemas/limits.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { idempotent } from '../http/idempotency.ts';
import { escapeHtml, page } from '../html.ts';
import type { ListRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import { parseConfirmSubject, CONFIRM_MAIL_JOB, CONFIRM_TTL_MS, listText, sendConfirmMail } from './service.ts';

const errors = {
  400: { description: 'Invalid input; `error.fields` names every bad field', schema: ErrorBodySchema },
  413: { description: 'Body too large', schema: ErrorBodySchema },
  415: { description: 'Body is not JSON', schema: ErrorBodySchema },
  429: { description: 'Too many requests; see Retry-After', schema: ErrorBodySchema, headers: { 'Retry-After': 'Seconds to wait' } },
};

const TokenQuery = z.strictObject({ t: z.string().max(512) });

/** Newsletter: public lists, double opt-in subscriptions, confirm and one-click unsubscribe. */
export async function newsletterRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  // Public lists are read on every page that embeds a widget: keep them a few seconds in memory
  // (per-locale answers are cheap to build from them; a change shows within LISTS_TTL_MS).
  const LISTS_TTL_MS = 5_000;
  let publicLists: { at: number; lists: Promise<ListRecord[]> } | null = null;
  const getPublicLists = () => {
    const t = Date.now();
    if (!publicLists || t - publicLists.at > LISTS_TTL_MS) {
      // Closed lists (admin API) take no new subscriptions: they are not offered.
      const lists = Promise.all([ctx.store.listLists({ publicOnly: true }), adminStore(ctx.store).closedAt('newsletter_lists')]).then(([all, closed]) =>
        all.filter((l) => !closed.has(l.id)),
      );
      publicLists = { at: t, lists };
      lists.catch(() => (publicLists = null));
    }
    return publicLists.lists;
  };
  ctx.jobs.register(CONFIRM_MAIL_JOB, (payload) => sendConfirmMail(ctx, payload as { subscriberId: number; listIds: number[] }));
  // Keep as little as possible: unconfirmed signups go when their link expires; replay records after a day.
  ctx.jobs.every('newsletter.purge', 3_600_000, async () => {
    const now = ctx.now().getTime();
    const unconfirmed = await ctx.store.purgeUnconfirmed(new Date(now - CONFIRM_TTL_MS));
    const keys = await ctx.store.purgeIdempotent(new Date(now - 86_400_000));
    const jobs = await ctx.store.purgeJobs(new Date(now - 7 * 86_400_000));
    if (unconfirmed + keys + jobs) app.log.info({ unconfirmed, keys, jobs }, 'purged expired records');
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/lists`,
    summary: 'The organisation’s public newsletter lists, in the requested language',
    tags: ['newsletter'],
    query: ListsQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'Public lists', schema: ListsResponseSchema }, 400: errors[400], 429: errors[429] },
    handler: async ({ query }, _request, reply) => {
      const locale = ctx.messages.resolve(query.locale);
      const lists = await getPublicLists();
      reply.header('Cache-Control', 'public, max-age=60');
      return {
        lists: lists.map((l) => ({ slug: l.slug, ...listText(l, locale) })),
        privacyPolicyUrl: ctx.config.privacyPolicyUrl,
        organisation: ctx.config.organisation,
      } satisfies z.infer<typeof ListsResponseSchema>;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: `${API_PREFIX}/subscriptions`,
    summary: 'Subscribe an address to lists (double opt-in: a confirmation email is sent)',
    tags: ['newsletter'],
    body: CreateSubscriptionBody,
    limit: 'write',
    idempotent: true,
    responses: {
      202: {
        description: 'Accepted. The same answer whether the address is new, pending or already confirmed.',
        schema: SubscriptionAcceptedSchema,
      },
      ...errors,
      409: { description: '`list_closed`: a list asked for is closed to new subscriptions', schema: ErrorBodySchema },
      422: { description: 'Idempotency-Key reused with a different body', schema: ErrorBodySchema },
    },
    handler: async ({ body }, request, reply) => {
      const accepted = { status: 'pending_confirmation' as const };
      if (body.website) {
        // Honeypot filled: a bot. Same answer as a person gets, nothing written, nothing sent.
        request.log.info('honeypot filled; subscription dropped');
        return reply.code(202).send(accepted);
      }
      const lists = await ctx.store.listLists({ publicOnly: true });
      const bySlug = new Map(lists.map((l) => [l.slug, l]));
      const unknown = body.lists.filter((s) => !bySlug.has(s));
      if (unknown.length > 0) {
        throw new HttpError(400, 'invalid_body', 'The body has invalid fields', {
          fields: { lists: `Unknown list: ${unknown.join(', ')}` },
        });
      }
      const closedLists = await adminStore(ctx.store).closedAt('newsletter_lists');
      const closed = body.lists.filter((s) => closedLists.has(bySlug.get(s)!.id));
      if (closed.length > 0) {
        throw new HttpError(409, 'list_closed', `This list is closed and takes no new subscriptions: ${[...new Set(closed)].join(', ')}`);
      }
      const now = ctx.now();
      let enqueued = false;
      const result = await idempotent(ctx.store, 'subscriptions', request, reply, now, async (tx) => {
        const r = await tx.subscribe({
          email: body.email.trim().toLowerCase(),
          firstName: body.firstName || null,
          locale: ctx.messages.resolve(body.locale),
          listIds: [...new Set(body.lists)].map((s) => bySlug.get(s)!.id),
          consentText: body.consentText,
          consentLocale: body.locale,
          now,
        });
        // Always one job, even for an address already confirmed on every list: the same write (and the same
        // time on disk) for every accepted request, so timing reveals nothing. The job re-checks what is pending.
        await tx.enqueueJob(CONFIRM_MAIL_JOB, { subscriberId: r.subscriberId, listIds: r.pendingListIds }, now, now);
        enqueued = true;
        return { statusCode: 202, body: accepted };
      });
      if (enqueued) ctx.jobs.poke();
      return result;
    },
  });

  // Pages reached from links in mail (HTML, in the supporter's language).
  defineRoute(app, {
    method: 'GET',
    url: '/newsletter/confirm',
    summary: 'Confirm link from the double opt-in email (shows a page)',
    tags: ['pages'],
    query: TokenQuery,
    limit: 'read',
    responses: { 200: { description: 'HTML page: confirmed' }, 400: { description: 'HTML page: invalid or expired link' } },
    handler: async ({ query }, request, reply) => {
      const claims = ctx.tokens.verify(query.t, 'confirm', ctx.now());
      const target = claims ? parseConfirmSubject(claims.subject) : null;
      const sub = target ? await ctx.store.getSubscriber(target.subscriberId) : null;
      reply.type('text/html; charset=utf-8');
      if (!sub) return invalidLink(request.headers['accept-language'], reply);
      const locale = ctx.messages.resolve(sub.locale);
      const slugs = await ctx.store.confirm(sub.id, target!.listIds, ctx.now());
      const lists = (await ctx.store.listLists({ publicOnly: false })).filter((l) => slugs.includes(l.slug));
      const names = ctx.messages.list(locale, lists.map((l) => listText(l, locale).name));
      const t = (k: string) => ctx.messages.t(locale, k, { lists: names, organisation: ctx.config.organisation });
      return page({
        locale,
        title: t('page.confirmed.title'),
        body: `<p>${escapeHtml(slugs.length ? t('page.confirmed.body') : t('page.confirmed.nothing'))}</p>`,
      });
    },
  });

  // The one-click POST (RFC 8058) comes from mail programs as multipart/form-data or urlencoded (or empty).
  // The signed token is the only authority, so this scope accepts any small body and ignores it.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
    const unsubscribePage = async (token: string, method: 'GET' | 'POST', acceptLanguage: string | undefined, reply: import('fastify').FastifyReply) => {
      const claims = ctx.tokens.verify(token, 'unsubscribe', ctx.now());
      const sub = claims ? await ctx.store.getSubscriber(Number(claims.subject)) : null;
      reply.type('text/html; charset=utf-8');
      if (!sub) return invalidLink(acceptLanguage, reply);
      const locale = ctx.messages.resolve(sub.locale);
      const t = (k: string) => ctx.messages.t(locale, k, { organisation: ctx.config.organisation });
      if (method === 'GET') {
        // A mail scanner's GET must not unsubscribe: show a button that POSTs.
        return page({
          locale,
          title: t('page.unsubscribe.title'),
          body: `<p>${escapeHtml(t('page.unsubscribe.body'))}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t('page.unsubscribe.button'))}</button></form>`,
        });
      }
      await ctx.store.unsubscribe(sub.id, ctx.now());
      return page({ locale, title: t('page.unsubscribed.title'), body: `<p>${escapeHtml(t('page.unsubscribed.body'))}</p>` });
    };
    defineRoute(scope, {
      method: 'GET',
      url: '/newsletter/unsubscribe',
      summary: 'Unsubscribe link from any email: shows a page with a button (a GET never unsubscribes)',
      tags: ['pages'],
      query: TokenQuery,
      limit: 'read',
      responses: { 200: { description: 'HTML page with an unsubscribe button' }, 400: { description: 'HTML page: invalid link' } },
      handler: async ({ query }, request, reply) => unsubscribePage(query.t, 'GET', request.headers['accept-language'], reply),
    });
    defineRoute(scope, {
      method: 'POST',
      url: '/newsletter/unsubscribe',
      summary: 'One-click unsubscribe (RFC 8058 List-Unsubscribe-Post); idempotent',
      tags: ['pages'],
      query: TokenQuery,
      // No per-address limit: mail providers send every one-click unsubscribe from a few shared addresses,
      // and the signed token already authenticates the request. A refused unsubscribe would keep mailing.
      responses: { 200: { description: 'HTML page: unsubscribed' }, 400: { description: 'HTML page: invalid link' } },
      handler: async ({ query }, request, reply) => unsubscribePage(query.t, 'POST', request.headers['accept-language'], reply),
    });
  });

  function invalidLink(acceptLanguage: string | undefined, reply: import('fastify').FastifyReply) {
    const locale = ctx.messages.fromAcceptLanguage(acceptLanguage);
    reply.code(400);
    return page({
      locale,
      title: ctx.messages.t(locale, 'page.invalidLink.title'),
      body: `<p>${escapeHtml(ctx.messages.t(locale, 'page.invalidLink.body'))}</p>`,
    });
  }
}
