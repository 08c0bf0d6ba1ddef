import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminStore } from '../store/admin-store.ts';
import fp from 'fastify-plugin';
import { z } from 'zod';
import {
  ActionSupporterQuery,
  ActionSupporterSchema,
  CreateSignatureBody,
  PetitionCountSchema,
  PetitionParamsSchema,
  PetitionQuerySchema,
  PetitionSchema,
  SignatureAcceptedSchema,
  type Petition,
} from '../../schemas/petition.ts';
import { ErrorBodySchema } from '../../schemas/errors.ts';
import { API_PREFIX } from '../../schemas/limits.ts';
import { defineRoute, routeRegistry, type AnyRouteSpec } from '../http/route.ts';
import { HttpError, fieldsFromZod } from '../http/errors.ts';
import { idempotencyConflict, idempotencyOf } from '../http/idempotency.ts';
import { clientKey } from '../http/client-key.ts';
import { escapeHtml, page } from '../html.ts';
import type { PetitionRecord, SignInput } from '../store/store.ts';
import { KEEP_INFORMED_JOB, RECEIPT_JOB } from '../store/sign-batch.ts';
import { CONFIRM_MAIL_JOB, listText } from '../newsletter/service.ts';
import { PetitionHub, effectiveStatus, type LiveCount } from './hub.ts';
import { SignatureWriter } from './writer.ts';
import { SIGN_CONFIRM_TTL_MS, petitionText, sanitizedPetition, sendReceipts, verifyActionToken } from './service.ts';

const errors = {
  400: { description: 'Invalid input; `error.fields` names every bad field', schema: ErrorBodySchema },
  404: { description: 'No such petition (or not published)', schema: ErrorBodySchema },
  429: { description: 'Too many requests; see Retry-After', schema: ErrorBodySchema, headers: { 'Retry-After': 'Seconds to wait' } },
};

const TokenQuery = z.strictObject({ t: z.string().max(512) });

declare module 'fastify' {
  interface FastifyInstance {
    petitions: { hub: PetitionHub; writer: SignatureWriter; forget: (slug?: string) => void; fastLane: { count: number } };
  }
}

/** Petitions: public texts, the live count (JSON and Server-Sent Events), signing, confirm and "It wasn't me". */
export const petitionRoutes = fp(async function petitionRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const hub = new PetitionHub(ctx.store, ctx.now, app.log, ctx.config.sseMaxStreams, ctx.config.sseMaxStreamsPerClient);
  const writer = new SignatureWriter(ctx.store, ctx.now, (outcomes, items) => {
    let jobs = 0;
    const touched = new Map<number, number>();
    outcomes.forEach((o, i) => {
      if (o.kind !== 'signed') return;
      jobs += o.jobs;
      touched.set(items[i]!.petitionId, Math.max(touched.get(items[i]!.petitionId) ?? 0, o.committedCount));
    });
    for (const [id, count] of touched) hub.setCount(id, count);
    if (jobs > 0) ctx.jobs.poke();
  });

  // Petitions are read on every page view and every signature: keep them a moment in memory.
  const CACHE_MS = 2_000;
  const cache = new Map<string, { at: number; p: Promise<PetitionRecord | null>; value?: PetitionRecord | null }>();
  const getPetition = (slug: string): Promise<PetitionRecord | null> => {
    const t = Date.now();
    let hit = cache.get(slug);
    if (!hit || t - hit.at > CACHE_MS) {
      if (cache.size > 1000) cache.clear();
      const entry: { at: number; p: Promise<PetitionRecord | null>; value?: PetitionRecord | null } = {
        at: t,
        p: ctx.store.getPetition(slug).then((p) => (entry.value = p ? sanitizedPetition(p) : null)),
      };
      hit = entry;
      cache.set(slug, hit);
      hit.p.catch(() => cache.delete(slug));
    }
    return hit.p;
  };
  /** The petition if the cache holds a fresh answer for the slug (null: no such petition), else undefined. */
  const cachedPetition = (slug: string): PetitionRecord | null | undefined => {
    const hit = cache.get(slug);
    return hit && Date.now() - hit.at <= CACHE_MS ? hit.value : undefined;
  };
  /** A petition the public may see (not a draft), with its effective status. */
  const publicPetition = async (slug: string) => {
    const p = await getPetition(slug);
    const status = p ? effectiveStatus(p, ctx.now()) : 'draft';
    if (!p || status === 'draft') throw new HttpError(404, 'not_found', 'No such petition');
    return { p, status: status as 'open' | 'closed' };
  };
  const fastLaneServed = { count: 0 };
  app.decorate('petitions', { hub, writer, forget: (slug?: string) => (slug ? cache.delete(slug) : cache.clear()), fastLane: fastLaneServed });

  ctx.jobs.register(RECEIPT_JOB, (payload) => sendReceipts(ctx, payload as { signatureIds: number[] }));
  ctx.jobs.register(KEEP_INFORMED_JOB, async (payload) => {
    // "Keep me informed" goes through the newsletter's double opt-in: nothing is sent but its confirm mail.
    const sig = await ctx.store.getSignature((payload as { signatureId: number }).signatureId);
    if (!sig?.keepInformed || !sig.consentText || !sig.email) return; // erased or sealed meanwhile: no address to subscribe
    const petition = await ctx.store.getPetitionById(sig.petitionId);
    if (!petition?.newsletterListId) return;
    if (await adminStore(ctx.store).closedAtOf('newsletter_lists', petition.newsletterListId)) return; // closed since: no new subscriptions
    const now = ctx.now();
    await ctx.store.transaction(async (tx) => {
      const r = await tx.subscribe({
        email: sig.email,
        firstName: null,
        locale: ctx.messages.resolve(sig.locale),
        listIds: [petition.newsletterListId!],
        consentText: sig.consentText!,
        consentLocale: sig.consentLocale ?? sig.locale,
        now,
      });
      await tx.enqueueJob(CONFIRM_MAIL_JOB, { subscriberId: r.subscriberId, listIds: r.pendingListIds }, now, now);
    });
    ctx.jobs.poke();
  });
  ctx.jobs.every('petitions.purge', 3_600_000, async () => {
    const n = await ctx.store.purgePendingSignatures(new Date(ctx.now().getTime() - SIGN_CONFIRM_TTL_MS));
    if (n) app.log.info({ signatures: n }, 'purged unconfirmed signatures');
  });
  app.addHook('onReady', async () => hub.start());
  app.addHook('preClose', async () => {
    hub.close();
    await writer.drain();
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/petitions/:slug`,
    summary: 'A petition, in the requested language (or its fallback), with its count',
    tags: ['petitions'],
    params: PetitionParamsSchema,
    query: PetitionQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'The petition', schema: PetitionSchema }, ...errors },
    handler: async ({ params, query }, _request, reply) => {
      const { p, status } = await publicPetition(params.slug);
      const text = petitionText(p, query.locale);
      // A list closed since (admin API) is no longer offered: "keep me informed" disappears from the form.
      const offered = p.newsletterListId && !(await adminStore(ctx.store).closedAtOf('newsletter_lists', p.newsletterListId));
      const list = offered ? (await ctx.store.listLists({ publicOnly: false })).find((l) => l.id === p.newsletterListId) : undefined;
      reply.header('Cache-Control', 'public, max-age=30');
      return {
        slug: p.slug,
        locale: text.locale,
        fallback: text.fallback,
        locales: Object.keys(p.texts),
        title: text.title,
        summary: text.summary,
        bodyHtml: text.body,
        target: text.target,
        outcome: text.outcome,
        status,
        deadline: p.deadline?.toISOString() ?? null,
        goal: p.goal,
        count: hub.get(p).count,
        countThreshold: p.countThreshold,
        verification: p.verification,
        lastName: p.lastName,
        keepInformed: list ? { list: list.slug, name: listText(list, text.locale).name } : null,
        shareUrl: p.shareUrl,
        shareText: ctx.messages.t(ctx.messages.resolve(text.locale), 'share.text', { title: text.title, target: text.target }),
        privacyPolicyUrl: ctx.config.privacyPolicyUrl,
        organisation: ctx.config.organisation,
      } satisfies Petition;
    },
  });

  // The count is read by every open page, all the time: a synchronous handler on the cached petition and a
  // serialised answer kept per count (no promise, no JSON.stringify per request). Documented like the others.
  const countSpec = {
    method: 'GET' as const,
    url: `${API_PREFIX}/petitions/:slug/count`,
    summary: 'The public count and goal (cheap, cacheable for a second; never names)',
    tags: ['petitions'],
    params: PetitionParamsSchema,
    // No per-client limit: a memory read that caches and answers 304s is cheaper than counting requests.
    responses: { 200: { description: 'The count', schema: PetitionCountSchema }, 304: { description: 'Not modified' }, ...errors },
  };
  if (!routeRegistry.some((r) => r.url === countSpec.url)) routeRegistry.push({ ...countSpec, handler: async () => undefined } as AnyRouteSpec);
  const serialised = new WeakMap<LiveCount, { etag: string; body: string }>();
  const answerCount = (p: PetitionRecord, request: FastifyRequest, reply: FastifyReply) => {
    const live = hub.get(p);
    let out = serialised.get(live);
    if (!out) serialised.set(live, (out = { etag: `W/"${live.count}-${live.goal}-${live.status}"`, body: JSON.stringify(live) }));
    reply.header('Cache-Control', 'public, max-age=1').header('ETag', out.etag);
    if (request.headers['if-none-match'] === out.etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(out.body);
  };
  // The fast lane (see `buildApp`): the same answer as the route below, for a petition already in memory, with
  // the headers every API answer gets (nosniff, Vary, CORS for the embedding sites). Anything else (unknown or
  // expired cache entry, a query string, HEAD…) goes through Fastify.
  const allowed = new Set(ctx.config.allowedOrigins);
  const COUNT_PATH = /^\/api\/v1\/petitions\/([a-z0-9]+(?:-[a-z0-9]+)*)\/count$/;
  ctx.fastLane = (req, res) => {
    if (req.method !== 'GET') return false;
    const m = COUNT_PATH.exec(req.url ?? '');
    const p = m ? cachedPetition(m[1]!) : undefined;
    if (!p || effectiveStatus(p, ctx.now()) === 'draft') return false;
    const live = hub.get(p);
    let out = serialised.get(live);
    if (!out) serialised.set(live, (out = { etag: `W/"${live.count}-${live.goal}-${live.status}"`, body: JSON.stringify(live) }));
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=1',
      etag: out.etag,
      vary: 'Origin',
      'x-content-type-options': 'nosniff',
    };
    const origin = req.headers.origin;
    if (origin !== undefined && allowed.has(origin)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-expose-headers'] = 'Retry-After';
    }
    fastLaneServed.count++;
    if (req.headers['if-none-match'] === out.etag) {
      res.writeHead(304, headers);
      res.end();
    } else {
      headers['content-length'] = String(Buffer.byteLength(out.body));
      res.writeHead(200, headers);
      res.end(out.body);
    }
    return true;
  };

  app.get(countSpec.url, (request, reply) => {
    const { slug } = request.params as { slug: string };
    const hit = cachedPetition(slug);
    if (hit !== undefined) {
      if (hit === null || effectiveStatus(hit, ctx.now()) === 'draft') throw new HttpError(404, 'not_found', 'No such petition');
      return answerCount(hit, request, reply);
    }
    const params = PetitionParamsSchema.safeParse(request.params);
    if (!params.success) {
      throw new HttpError(400, 'invalid_params', 'The path has invalid fields', { fields: fieldsFromZod(params.error, 'params') });
    }
    return publicPetition(params.data.slug).then(({ p }) => answerCount(p, request, reply));
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/petitions/:slug/events`,
    summary: 'Server-Sent Events: `count` events with {count, goal, status}, at once and on every change (coalesced)',
    tags: ['petitions'],
    params: PetitionParamsSchema,
    responses: { 200: { description: '`text/event-stream`' }, 503: { description: 'Too many streams: poll /count instead', schema: ErrorBodySchema }, ...errors },
    handler: async ({ params }, request, reply) => {
      const { p } = await publicPetition(params.slug);
      const client = clientKey(request.ip);
      if (!hub.hasRoom(client)) {
        reply.header('Retry-After', '60');
        throw new HttpError(503, 'unavailable', 'Too many live streams; poll the count instead');
      }
      reply.hijack();
      const res = reply.raw;
      const headers = {
        ...(reply.getHeaders() as Record<string, string>),
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
      };
      res.writeHead(200, headers);
      request.raw.socket.setNoDelay(true);
      hub.subscribe(p, res, client);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/petitions/:slug/supporter`,
    summary: 'Who a one-click action link signs as ("Sign as Ana G.")',
    tags: ['petitions'],
    params: PetitionParamsSchema,
    query: ActionSupporterQuery,
    limit: 'read',
    responses: { 200: { description: 'The supporter', schema: ActionSupporterSchema }, ...errors },
    handler: async ({ params, query }, _request, reply) => {
      const { p } = await publicPetition(params.slug);
      const subscriberId = verifyActionToken(ctx, query.t, p.id);
      const sub = subscriberId ? await ctx.store.getSubscriber(subscriberId) : null;
      // An erased subscriber has neither an address nor a sealed one: the link is dead.
      if (!sub || (!sub.email && !sub.sealed)) throw new HttpError(400, 'invalid_token', 'This action link is not valid (expired, altered or for another petition)', { fields: { t: 'Invalid or expired token' } });
      reply.header('Cache-Control', 'private, no-store');
      return { displayName: sub.sealed ? sub.firstName : (sub.firstName ?? maskEmail(sub.email)) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: `${API_PREFIX}/petitions/:slug/signatures`,
    summary: 'Sign a petition (durable before the answer; the same answer for a repeat signature)',
    tags: ['petitions'],
    params: PetitionParamsSchema,
    body: CreateSignatureBody,
    limit: 'write',
    idempotent: true,
    responses: {
      202: { description: 'Signed: `counted`, or `pending_verification` (a confirm link was emailed). Same answer for a repeat.', schema: SignatureAcceptedSchema },
      ...errors,
      409: { description: '`petition_closed`: past the deadline or closed', schema: ErrorBodySchema },
      413: { description: 'Body too large', schema: ErrorBodySchema },
      415: { description: 'Body is not JSON', schema: ErrorBodySchema },
      422: { description: 'Idempotency-Key reused with a different body', schema: ErrorBodySchema },
    },
    handler: async ({ params, body }, request, reply) => {
      const { p, status } = await publicPetition(params.slug);
      const idem = idempotencyOf(request);
      if (idem) {
        // A retry gets its first answer whatever changed since (the petition closed, the link expired…).
        const saved = await ctx.store.getIdempotent(`signatures:${p.id}`, idem.key);
        if (saved) {
          if (saved.requestHash !== idem.requestHash) throw idempotencyConflict();
          return reply.header('Idempotent-Replayed', 'true').code(saved.statusCode).send(saved.body);
        }
      }
      if (status === 'closed') throw new HttpError(409, 'petition_closed', 'This petition is closed and no longer takes signatures');
      const fields: Record<string, string> = {};
      if (p.lastName === 'required' && body.actionToken === undefined && !body.lastName) fields.lastName = 'Required';
      if (body.keepInformed && (!p.newsletterListId || (await adminStore(ctx.store).closedAtOf('newsletter_lists', p.newsletterListId)))) {
        fields.keepInformed = 'This petition offers no newsletter';
      }
      let subscriber = null;
      if (body.actionToken !== undefined) {
        const id = verifyActionToken(ctx, body.actionToken, p.id);
        subscriber = id ? await ctx.store.getSubscriber(id) : null;
        if (!subscriber || (!subscriber.email && !subscriber.sealed)) {
          throw new HttpError(400, 'invalid_token', 'This action link is not valid (expired, altered or for another petition)', {
            fields: { actionToken: 'Invalid or expired token' },
          });
        }
      }
      if (Object.keys(fields).length) throw new HttpError(400, 'invalid_body', 'The body has invalid fields', { fields });
      const answerStatus = p.verification === 'email' && !subscriber ? 'pending_verification' : 'counted';
      if (body.website) {
        // Honeypot filled: a bot. The answer a person would get, nothing written, nothing sent.
        request.log.info('honeypot filled; signature dropped');
        return reply.code(202).send({ status: answerStatus, count: hub.get(p).count });
      }
      const item: SignInput = {
        petitionId: p.id,
        email: (subscriber?.email ?? body.email!).trim().toLowerCase(),
        firstName: subscriber ? (subscriber.firstName ?? '') : body.firstName!,
        lastName: subscriber || p.lastName === 'hidden' ? null : body.lastName || null,
        country: body.country ?? null,
        comment: body.comment || null,
        locale: ctx.messages.resolve(body.locale),
        // An action link was mailed to this very address: it is verified already.
        verification: subscriber ? 'none' : p.verification,
        source: subscriber ? 'link' : 'form',
        keepInformed: body.keepInformed === true,
        consentText: body.keepInformed ? body.consentText! : null,
        consentLocale: body.keepInformed ? body.locale : null,
        idempotency: idem ? { scope: `signatures:${p.id}`, ...idem } : null,
        // Sealed mode: the server can't read this subscriber's address any more; the signature keeps their sealed
        // values (and no receipt can be mailed).
        ...(subscriber?.sealed ? { sealed: { emailHash: subscriber.emailHash, ...subscriber.sealed } } : {}),
      };
      const outcome = await writer.sign(item);
      switch (outcome.kind) {
        case 'replay':
          return reply.header('Idempotent-Replayed', 'true').code(outcome.statusCode).send(outcome.body);
        case 'conflict':
          throw idempotencyConflict();
        case 'error':
          throw outcome.error;
        case 'signed':
          return reply.code(202).send({ status: outcome.status, count: outcome.count });
      }
    },
  });

  // Pages reached from links in mail. A GET only shows a button (mail scanners follow links); the POST acts.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));

    const signaturePage = async (
      purpose: 'sign-confirm' | 'sign-remove',
      token: string,
      method: 'GET' | 'POST',
      acceptLanguage: string | undefined,
      reply: FastifyReply,
    ) => {
      const claims = ctx.tokens.verify(token, purpose, ctx.now());
      const sig = claims ? await ctx.store.getSignature(Number(claims.subject)) : null;
      const petition = sig ? await ctx.store.getPetitionById(sig.petitionId) : null;
      reply.type('text/html; charset=utf-8');
      if (!sig || !petition) {
        const locale = ctx.messages.fromAcceptLanguage(acceptLanguage);
        // A removed signature's links are spent: say so plainly (the same page for any invalid link).
        reply.code(400);
        return page({ locale, title: ctx.messages.t(locale, 'page.invalidLink.title'), body: `<p>${escapeHtml(ctx.messages.t(locale, 'page.sign.invalid'))}</p>` });
      }
      const locale = ctx.messages.resolve(sig.locale);
      const text = petitionText(petition, locale);
      const t = (k: string) => ctx.messages.t(locale, k, { title: text.title, organisation: ctx.config.organisation });
      const k = purpose === 'sign-confirm' ? 'page.sign.confirm' : 'page.sign.remove';
      if (purpose === 'sign-confirm' && sig.status === 'counted') {
        return page({ locale, title: t('page.sign.confirmed.title'), body: `<p>${escapeHtml(t('page.sign.confirmed.body'))}</p>` });
      }
      if (purpose === 'sign-confirm' && effectiveStatus(petition, ctx.now()) !== 'open') {
        return page({ locale, title: t('page.sign.closed.title'), body: `<p>${escapeHtml(t('page.sign.closed.body'))}</p>` });
      }
      if (method === 'GET') {
        return page({
          locale,
          title: t(`${k}.title`),
          body: `<p>${escapeHtml(t(`${k}.body`))}</p>\n<form method="post"><button type="submit">${escapeHtml(t(`${k}.button`))}</button></form>`,
        });
      }
      if (purpose === 'sign-confirm') {
        const r = await ctx.store.confirmSignature(sig.id, ctx.now());
        if (r) hub.setCount(petition.id, r.count);
        return page({ locale, title: t('page.sign.confirmed.title'), body: `<p>${escapeHtml(t('page.sign.confirmed.body'))}</p>` });
      }
      const r = await ctx.store.removeSignature(sig.id);
      if (r.removed && r.petitionId) hub.setCount(r.petitionId, r.count);
      return page({ locale, title: t('page.sign.removed.title'), body: `<p>${escapeHtml(t('page.sign.removed.body'))}</p>` });
    };

    for (const [path, purpose, what] of [
      ['/petitions/confirm', 'sign-confirm', 'Confirm a signature (verify before counting)'],
      ['/petitions/not-me', 'sign-remove', '"It wasn\'t me": remove a signature'],
    ] as const) {
      defineRoute(scope, {
        method: 'GET',
        url: path,
        summary: `${what}: shows a page with a button (a GET never acts)`,
        tags: ['pages'],
        query: TokenQuery,
        limit: 'read',
        responses: { 200: { description: 'HTML page with a button' }, 400: { description: 'HTML page: invalid link' } },
        handler: async ({ query }, request, reply) => signaturePage(purpose, query.t, 'GET', request.headers['accept-language'], reply),
      });
      defineRoute(scope, {
        method: 'POST',
        url: path,
        summary: `${what}; idempotent`,
        tags: ['pages'],
        query: TokenQuery,
        limit: 'read',
        responses: { 200: { description: 'HTML page: done' }, 400: { description: 'HTML page: invalid link' } },
        handler: async ({ query }, request, reply) => signaturePage(purpose, query.t, 'POST', request.headers['accept-language'], reply),
      });
    }
  });
});

/** `a•••@example.org`: enough for a supporter to recognise their address, not enough to read it off a screen. */
function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}
