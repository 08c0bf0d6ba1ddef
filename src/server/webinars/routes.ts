import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  CreateRegistrationBody,
  RegistrationAcceptedSchema,
  WebinarListQuerySchema,
  WebinarListSchema,
  WebinarParamsSchema,
  WebinarQuerySchema,
  WebinarSchema,
  type RegistrationAccepted,
} from '../../schemas/webinar.ts';
import { ErrorBodySchema } from '../../schemas/errors.ts';
import { API_PREFIX } from '../../schemas/limits.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { idempotent } from '../http/idempotency.ts';
import { escapeHtml, page } from '../html.ts';
import type { WebinarRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import {
  REGISTRATION_RETENTION_MS,
  REPEAT_MAILS_PER_DAY,
  WEBINAR_MAIL_JOB,
  WEBINAR_REMINDER_JOB,
  checkAnswers,
  enqueueMail,
  enqueueMails,
  formatWhen,
  parseCancelSubject,
  mailFor,
  publicWebinar,
  sendReminder,
  sendWebinarMail,
  webinarText,
  type WebinarMail,
} from './service.ts';

const errors = {
  400: { description: 'Invalid input; `error.fields` names every bad field', schema: ErrorBodySchema },
  404: { description: 'No such webinar (or not published)', schema: ErrorBodySchema },
  429: { description: 'Too many requests; see Retry-After', schema: ErrorBodySchema, headers: { 'Retry-After': 'Seconds to wait' } },
};

const TokenQuery = z.strictObject({ t: z.string().max(512) });

/** Webinars: public texts and times, registration (places, waitlist, approval), cancel links. */
export async function webinarRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;

  ctx.jobs.register(WEBINAR_MAIL_JOB, (payload) => sendWebinarMail(ctx, payload as { registrationId: number; mail: WebinarMail }));
  ctx.jobs.register(WEBINAR_REMINDER_JOB, (payload) => sendReminder(ctx, payload as { registrationId: number; which: string }));
  // Keep as little as possible: a webinar's registrations lose names, addresses and answers 30 days after it
  // ended (sooner than COMPA_RETENTION_DAYS when that is longer); its figures stay.
  ctx.jobs.every('webinars.purge', 3_600_000, async () => {
    const n = await ctx.store.purgeRegistrations(new Date(ctx.now().getTime() - REGISTRATION_RETENTION_MS));
    if (n) app.log.info({ registrations: n }, 'purged registrations of past webinars');
  });

  const published = async (slug: string): Promise<WebinarRecord> => {
    const w = await ctx.store.getWebinar(slug);
    if (!w || w.status !== 'published') throw new HttpError(404, 'not_found', 'No such webinar');
    return w;
  };

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/webinars`,
    summary: 'The webinars of a series that have not ended yet, by start time, in the requested language',
    tags: ['webinars'],
    query: WebinarListQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'The series’ webinars (possibly none)', schema: WebinarListSchema }, 400: errors[400], 429: errors[429] },
    handler: async ({ query }, _request, reply) => {
      const now = ctx.now();
      const list = (await ctx.store.listWebinars({ series: query.series })).filter((w) => w.status === 'published' && w.end > now);
      const taken = await ctx.store.placesTaken(list.map((w) => w.id));
      reply.header('Cache-Control', 'public, max-age=10');
      return { webinars: list.map((w) => publicWebinar(ctx, w, taken.get(w.id) ?? 0, query.locale)) } satisfies z.infer<typeof WebinarListSchema>;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/webinars/:slug`,
    summary: 'A webinar, in the requested language (or its fallback): times, speakers, places left when few, questions',
    tags: ['webinars'],
    params: WebinarParamsSchema,
    query: WebinarQuerySchema,
    limit: 'read',
    responses: { 200: { description: 'The webinar (never its join link)', schema: WebinarSchema }, ...errors },
    handler: async ({ params, query }, _request, reply) => {
      const w = await published(params.slug);
      const taken = (await ctx.store.placesTaken([w.id])).get(w.id) ?? 0;
      reply.header('Cache-Control', 'public, max-age=10');
      return publicWebinar(ctx, w, taken, query.locale);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: `${API_PREFIX}/webinars/:slug/registrations`,
    summary: 'Register for a webinar: a place, the waitlist when full, or a request in approval mode; the answer is in the email',
    tags: ['webinars'],
    params: WebinarParamsSchema,
    body: CreateRegistrationBody,
    limit: 'write',
    idempotent: true,
    responses: {
      202: {
        description: 'Accepted: "check your email". The same answer for a new, repeated, waitlisted or pending registration.',
        schema: RegistrationAcceptedSchema,
      },
      ...errors,
      409: { description: '`registration_closed`: the webinar has started or ended, or the organisation closed registration', schema: ErrorBodySchema },
      413: { description: 'Body too large', schema: ErrorBodySchema },
      415: { description: 'Body is not JSON', schema: ErrorBodySchema },
      422: { description: 'Idempotency-Key reused with a different body', schema: ErrorBodySchema },
    },
    handler: async ({ params, body }, request, reply) => {
      const w = await published(params.slug);
      const now = ctx.now();
      if (now >= w.start) throw new HttpError(409, 'registration_closed', 'This webinar has started: registration is closed');
      if (await adminStore(ctx.store).closedAtOf('webinars', w.id)) throw new HttpError(409, 'registration_closed', 'Registration for this webinar is closed');
      const { fields, clean } = checkAnswers(w, body.answers);
      if (Object.keys(fields).length) throw new HttpError(400, 'invalid_body', 'The body has invalid fields', { fields });
      const accepted: RegistrationAccepted = { status: 'check_email' };
      if (body.website) {
        // Honeypot filled: a bot. The answer a person gets; nothing written, nothing sent.
        request.log.info('honeypot filled; registration dropped');
        return reply.code(202).send(accepted);
      }
      let enqueued = false;
      const result = await idempotent(ctx.store, `registrations:${w.id}`, request, reply, now, async (tx) => {
        const r = await tx.register({
          webinarId: w.id,
          email: body.email.trim().toLowerCase(),
          name: body.name,
          locale: ctx.messages.resolve(body.locale),
          answers: clean,
          consentText: body.consentText,
          consentLocale: body.locale,
          now,
          maxRepeatMailsPerDay: REPEAT_MAILS_PER_DAY,
        });
        // A new registration gets its status mail (and reminders with a place); a repeat gets the mail again
        // (the supporter may have lost it), within a small allowance.
        const mail = mailFor(r.status);
        if (mail && (r.kind === 'new' || r.mailAgain)) {
          if (r.kind === 'new') await enqueueMails(tx, w, [{ registrationId: r.registrationId, mail }], now);
          else await enqueueMail(tx, r.registrationId, mail, now);
          enqueued = true;
        }
        return { statusCode: 202, body: accepted };
      });
      if (enqueued) ctx.jobs.poke();
      return result;
    },
  });

  // The cancel link from the mails. A GET only shows a button (mail scanners follow links); the POST acts.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));

    const cancelPage = async (token: string, method: 'GET' | 'POST', acceptLanguage: string | undefined, reply: FastifyReply) => {
      const claims = ctx.tokens.verify(token, 'webinar-cancel', ctx.now());
      const subject = claims ? parseCancelSubject(claims.subject) : null;
      const found = subject ? await ctx.store.getRegistration(subject.id) : null;
      // A link from before a cancellation names an earlier revision: it cannot cancel the new registration.
      const r = found && found.revision === subject!.revision ? found : null;
      const w = r ? await ctx.store.getWebinarById(r.webinarId) : null;
      reply.type('text/html; charset=utf-8');
      if (!r || !w) {
        const locale = ctx.messages.fromAcceptLanguage(acceptLanguage);
        reply.code(400);
        return page({ locale, title: ctx.messages.t(locale, 'page.invalidLink.title'), body: `<p>${escapeHtml(ctx.messages.t(locale, 'page.webinar.invalid'))}</p>` });
      }
      const locale = ctx.messages.resolve(r.locale);
      const text = webinarText(w, locale);
      const t = (k: string) => ctx.messages.t(locale, k, { title: text.title, when: formatWhen(locale, w), organisation: ctx.config.organisation });
      const done = () => page({ locale, title: t('page.webinar.cancelled.title'), body: `<p>${escapeHtml(t('page.webinar.cancelled.body'))}</p>` });
      const ask = r.status === 'waitlisted' ? 'page.webinar.cancel.bodyWaitlist' : r.status === 'pending' ? 'page.webinar.cancel.bodyPending' : 'page.webinar.cancel.body';
      if (r.status === 'cancelled' || r.status === 'declined') return done();
      if (ctx.now() >= w.start) {
        return page({ locale, title: t('page.webinar.started.title'), body: `<p>${escapeHtml(t('page.webinar.started.body'))}</p>` });
      }
      if (method === 'GET') {
        return page({
          locale,
          title: t('page.webinar.cancel.title'),
          body: `<p>${escapeHtml(t(ask))}</p>\n<form method="post"><button type="submit">${escapeHtml(t('page.webinar.cancel.button'))}</button></form>`,
        });
      }
      const now = ctx.now();
      await ctx.store.transaction(async (tx) => {
        const { changed, promoted } = await tx.cancelRegistration(r.id, now);
        if (!changed) return;
        // The cancellation (its calendar file removes the entry) and the promoted person's place, together.
        await enqueueMails(tx, w, [{ registrationId: r.id, mail: 'cancelled' }, ...promoted.map((id) => ({ registrationId: id, mail: 'promoted' as const }))], now);
      });
      ctx.jobs.poke();
      return done();
    };

    defineRoute(scope, {
      method: 'GET',
      url: '/webinars/cancel',
      summary: 'Cancel link from webinar emails: shows a page with a button (a GET never cancels)',
      tags: ['pages'],
      query: TokenQuery,
      limit: 'read',
      responses: { 200: { description: 'HTML page with a button' }, 400: { description: 'HTML page: invalid link' } },
      handler: async ({ query }, request, reply) => cancelPage(query.t, 'GET', request.headers['accept-language'], reply),
    });
    defineRoute(scope, {
      method: 'POST',
      url: '/webinars/cancel',
      summary: 'Cancel a registration (its place goes to the first on the waitlist); idempotent',
      tags: ['pages'],
      query: TokenQuery,
      limit: 'read',
      responses: { 200: { description: 'HTML page: cancelled' }, 400: { description: 'HTML page: invalid link' } },
      handler: async ({ query }, request, reply) => cancelPage(query.t, 'POST', request.headers['accept-language'], reply),
    });
  });
}
