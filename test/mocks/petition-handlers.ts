/**
 * Mock Service Worker handlers for the petition API, shared by the widget tests and Storybook (like `handlers.ts`
 * for the newsletter, whose request log, error shape and idempotency memory they share).
 *
 * The mocks ARE the contract: requests are validated with the real zod schemas from `src/schemas/petition.ts`
 * (strict bodies and queries, `Content-Type`, size, `Idempotency-Key`), the per-petition rules the server applies
 * (last-name mode, closed petitions, action tokens, "keep me informed" offered or not) are applied, and every
 * response body is parsed with the response schemas before it is sent. Like the server, a 202 carries the count
 * before the request, and a counted signature sends the new count to the open live streams.
 *
 *   worker.use(...petitionScenarios.closed({ outcome: '…' }));      // a test
 *   parameters: { msw: petitionScenarios.verify() }                // a story
 *
 * Server state (counts, signatures, live-stream clients) is per page; `resetPetitionState()` clears it (the
 * `useMockApi()` of browser.ts does). `pushCount()` sends a `count` event to every open stream of a petition.
 */
import { delay, http, HttpResponse, sse, type HttpHandler } from 'msw';
import {
  ActionSupporterQuery,
  ActionSupporterSchema,
  API_PREFIX,
  CreateSignatureBody,
  PetitionCountSchema,
  PetitionParamsSchema,
  PetitionQuerySchema,
  PetitionSchema,
  SignatureAcceptedSchema,
  type ErrorBody,
  type ErrorCode,
  type Petition,
  type PetitionCount,
} from '../../src/schemas/index.ts';
import {
  DEMO_ORGANISATION,
  DEMO_PRIVACY_POLICY_URL,
  checkIdempotency,
  errorResponse,
  failingGet,
  fieldsFromIssues,
  record,
  resolveMockLocale,
  validateJsonRequest,
  type MockLocale,
} from './handlers.ts';

export const PETITION_URL = `*${API_PREFIX}/petitions/:slug`;
export const COUNT_URL = `${PETITION_URL}/count`;
export const EVENTS_URL = `${PETITION_URL}/events`;
export const SUPPORTER_URL = `${PETITION_URL}/supporter`;
export const SIGNATURES_URL = `${PETITION_URL}/signatures`;

/** The demo petition's slug. */
export const DEMO_SLUG = 'protect-land-defenders';
export const DEMO_SHARE_URL = 'https://ngo.example/act/protect-land-defenders';
/** An action-link token the mock knows, and who it signs as. Any other token is expired or forged. */
export const VALID_TOKEN = 'tok_valid_ana';
export const TOKEN_NAME = 'Ana G.';

type Texts = Pick<Petition, 'title' | 'summary' | 'bodyHtml' | 'target' | 'shareText'> & {
  outcome: string;
  keepInformed: string;
};

/** The demo petition's texts; a petition published in fewer languages falls back to English, as the server does. */
export const DEMO_TEXTS: Record<MockLocale, Texts> = {
  en: {
    title: 'Protect the land defenders of the Cauca valley',
    summary: 'Three community leaders received death threats this week. Ask the minister to grant them protection now.',
    bodyHtml:
      '<p>Since January, <strong>three leaders</strong> of the Cauca valley have been threatened for defending their land.</p><ul><li>Grant collective protection measures.</li><li>Investigate the threats.</li></ul><p>Read the <a href="https://ngo.example/report">full report</a>.</p>',
    target: 'The Minister of the Interior of Colombia',
    shareText: 'Three land defenders are under threat. I signed for their protection; will you?',
    outcome: 'The ministry granted protection measures on 3 March. Thank you, everyone who signed.',
    keepInformed: 'Urgent actions',
  },
  es: {
    title: 'Protejan a las personas defensoras del territorio del valle del Cauca',
    summary: 'Tres líderes comunitarios recibieron amenazas de muerte esta semana. Pide al ministro que les proteja ya.',
    bodyHtml:
      '<p>Desde enero, <strong>tres líderes</strong> del valle del Cauca han sido amenazados por defender su territorio.</p><ul><li>Medidas de protección colectiva.</li><li>Investigar las amenazas.</li></ul><p>Lee el <a href="https://ngo.example/informe">informe completo</a>.</p>',
    target: 'El ministro del Interior de Colombia',
    shareText: 'Tres personas defensoras están amenazadas. Yo ya firmé por su protección, ¿y tú?',
    outcome: 'El ministerio otorgó medidas de protección el 3 de marzo. Gracias a todas las personas que firmaron.',
    keepInformed: 'Acciones urgentes',
  },
  fr: {
    title: 'Protégez les défenseur·es de la terre de la vallée du Cauca',
    summary: 'Trois leaders communautaires ont reçu des menaces de mort cette semaine. Demandez au ministre de les protéger.',
    bodyHtml:
      '<p>Depuis janvier, <strong>trois leaders</strong> de la vallée du Cauca sont menacés pour avoir défendu leur terre.</p><ul><li>Des mesures de protection collective.</li><li>Une enquête sur les menaces.</li></ul><p>Lisez le <a href="https://ngo.example/rapport">rapport complet</a>.</p>',
    target: 'Le ministre de l’Intérieur de Colombie',
    shareText: 'Trois défenseur·es de la terre sont menacé·es. J’ai signé pour leur protection, et vous ?',
    outcome: 'Le ministère a accordé des mesures de protection le 3 mars. Merci à toutes les personnes qui ont signé.',
    keepInformed: 'Actions urgentes',
  },
};

export interface PetitionMockOptions {
  /** Milliseconds before the petition's answer (0 by default), or `'infinite'`: never answers. */
  latency?: number | 'infinite';
  /** The languages the petition is published in (default all three); others get English with `fallback: true`. */
  locales?: MockLocale[];
  /** Fields that replace the demo's (status, goal, count, countThreshold, deadline, lastName, verification…). */
  petition?: Partial<Petition>;
  /** How the live stream behaves: `ok` (default), `unavailable` (503, as when the server has too many streams). */
  stream?: 'ok' | 'unavailable';
  /** What to answer to a valid signature (default: accept). */
  sign?: Outcome;
  /** Milliseconds before the signature's answer, or `'infinite'`. */
  signLatency?: number | 'infinite';
}

/** What to answer to a valid signature request. */
export type Outcome =
  | { kind: 'accept' }
  | { kind: 'error'; status: number; code: ErrorCode; message: string; fields?: Record<string, string>; retryAfter?: number }
  | { kind: 'network-error' };

const DAY = 24 * 60 * 60 * 1000;

/** The demo petition in `locale` (with the English fallback), checked against `PetitionSchema`. */
export function demoPetition(locale?: string, options: PetitionMockOptions = {}): Petition {
  const published = options.locales ?? ['en', 'es', 'fr'];
  const wanted = resolveMockLocale(locale);
  const used: MockLocale = published.includes(wanted) ? wanted : 'en';
  const t = DEMO_TEXTS[used];
  const base: Petition = {
    slug: DEMO_SLUG,
    locale: used,
    fallback: used !== wanted,
    locales: published,
    title: t.title,
    summary: t.summary,
    bodyHtml: t.bodyHtml,
    target: t.target,
    outcome: null,
    status: 'open',
    deadline: new Date(Date.now() + 3 * DAY + 2 * 60 * 60 * 1000).toISOString(),
    goal: 5000,
    count: 1234,
    countThreshold: 100,
    verification: 'none',
    lastName: 'optional',
    keepInformed: { list: 'urgent-actions', name: t.keepInformed },
    shareUrl: DEMO_SHARE_URL,
    shareText: t.shareText,
    privacyPolicyUrl: DEMO_PRIVACY_POLICY_URL,
    organisation: DEMO_ORGANISATION,
  };
  const merged = { ...base, ...options.petition };
  if (merged.status === 'closed' && options.petition?.outcome === undefined) merged.outcome = t.outcome;
  return PetitionSchema.parse(merged);
}

// ---------------------------------------------------------------------------------------------------------------
// Server state.

/** Signatures the mock counted or sent a confirmation for (honeypot hits excluded), in order. */
export const acceptedSignatures: CreateSignatureBody[] = [];
/** Current count per slug (starts at the petition's `count`). */
const counts = new Map<string, number>();
/** Emails (or tokens) that signed, per slug: a repeat gets the same answer and counts nothing. */
const signers = new Map<string, Set<string>>();
/** Petitions that closed after loading (a signature got 409): later reads say so. */
const closedNow = new Set<string>();
/** Open live streams per slug. */
const streams = new Map<string, Set<{ send: (count: PetitionCount) => void }>>();

export function resetPetitionState(): void {
  acceptedSignatures.length = 0;
  counts.clear();
  signers.clear();
  streams.clear();
  closedNow.clear();
}

/** The number of live streams open to the mock for `slug`. */
export const openStreams = (slug = DEMO_SLUG): number => streams.get(slug)?.size ?? 0;

/** Sends a `count` event to every open stream of `slug` (and sets the mock's count). */
export function pushCount(update: Partial<PetitionCount> & { count: number }, slug = DEMO_SLUG): void {
  counts.set(slug, update.count);
  for (const client of streams.get(slug) ?? []) {
    client.send(PetitionCountSchema.parse({ goal: 5000, status: 'open', ...update }));
  }
}

const currentCount = (p: Petition): number => counts.get(p.slug) ?? p.count;

// ---------------------------------------------------------------------------------------------------------------
// Handlers.

/** Resolves the petition of a request, or the API's 400/404 answer. */
function find(
  request: Request,
  params: Record<string, unknown>,
  options: PetitionMockOptions,
  locale?: string,
): { petition: Petition } | { refused: HttpResponse<ErrorBody> } {
  const checked = PetitionParamsSchema.safeParse({ slug: params.slug }); // (`*` in the path adds a param "0")
  if (!checked.success) {
    return { refused: errorResponse(400, 'invalid_params', 'The path has invalid parts', { fields: fieldsFromIssues(checked.error.issues, 'query') }) };
  }
  const closed = closedNow.has(checked.data.slug);
  const p = demoPetition(locale, closed ? { ...options, petition: { ...options.petition, status: 'closed' } } : options);
  if (checked.data.slug !== p.slug) return { refused: errorResponse(404, 'not_found', 'No such petition') };
  return { petition: p };
}

export function petitionHandlers(options: PetitionMockOptions = {}): HttpHandler[] {
  return [
    http.get(PETITION_URL, async ({ request, params }) => {
      const query = PetitionQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!query.success) {
        record(request, undefined, 400);
        return errorResponse(400, 'invalid_query', 'The query string has invalid fields', {
          fields: fieldsFromIssues(query.error.issues, 'query'),
        });
      }
      if (options.latency === 'infinite') record(request, undefined, 'pending');
      if (options.latency) await delay(options.latency);
      const found = find(request, params, options, query.data.locale);
      if ('refused' in found) {
        record(request, undefined, found.refused.status);
        return found.refused;
      }
      record(request, undefined, 200);
      return HttpResponse.json({ ...found.petition, count: currentCount(found.petition) });
    }),

    http.get(COUNT_URL, ({ request, params }) => {
      const found = find(request, params, options);
      if ('refused' in found) {
        record(request, undefined, found.refused.status);
        return found.refused;
      }
      const p = found.petition;
      record(request, undefined, 200);
      return HttpResponse.json(PetitionCountSchema.parse({ count: currentCount(p), goal: p.goal, status: p.status }), {
        headers: { 'Cache-Control': 'public, max-age=5' },
      });
    }),

    options.stream === 'unavailable'
      ? http.get(EVENTS_URL, ({ request }) => {
          record(request, undefined, 503);
          return errorResponse(503, 'unavailable', 'Too many live streams; poll /count instead');
        })
      : sse<{ count: PetitionCount }>(EVENTS_URL, ({ request, params, client }) => {
          const found = find(request, params, options);
          record(request, undefined, 'refused' in found ? found.refused.status : 200);
          if ('refused' in found) return client.error();
          const p = found.petition;
          const entry = {
            send: (c: PetitionCount) => {
              try {
                client.send({ event: 'count', data: c });
              } catch {
                streams.get(p.slug)?.delete(entry); // the stream was closed by the page
              }
            },
          };
          const open = streams.get(p.slug) ?? new Set();
          streams.set(p.slug, open.add(entry));
          request.signal.addEventListener('abort', () => open.delete(entry));
          entry.send(PetitionCountSchema.parse({ count: currentCount(p), goal: p.goal, status: p.status }));
        }),

    http.get(SUPPORTER_URL, ({ request, params }) => {
      const query = ActionSupporterQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!query.success) {
        record(request, undefined, 400);
        return errorResponse(400, 'invalid_query', 'The query string has invalid fields', {
          fields: fieldsFromIssues(query.error.issues, 'query'),
        });
      }
      const found = find(request, params, options);
      if ('refused' in found) {
        record(request, undefined, found.refused.status);
        return found.refused;
      }
      if (query.data.t !== VALID_TOKEN) {
        record(request, undefined, 400);
        return errorResponse(400, 'invalid_token', 'This link has expired or is not valid', { fields: { t: 'Invalid or expired' } });
      }
      record(request, undefined, 200);
      return HttpResponse.json(ActionSupporterSchema.parse({ displayName: TOKEN_NAME }));
    }),

    http.post(SIGNATURES_URL, async ({ request, params }) => {
      const checked = await validateJsonRequest(request, CreateSignatureBody);
      if (!checked.ok) {
        record(request, checked.body, checked.response.status);
        return checked.response;
      }
      const body = checked.body;
      const refuse = (response: HttpResponse<ErrorBody>) => {
        record(request, body, response.status);
        return response;
      };
      const found = find(request, params, options, body.locale);
      if ('refused' in found) return refuse(found.refused);
      const p = found.petition;
      // Per-petition rules, as the server checks them.
      const fields: Record<string, string> = {};
      if (!body.actionToken && p.lastName === 'required' && !body.lastName) fields.lastName = 'Required';
      if (body.keepInformed && !p.keepInformed) fields.keepInformed = 'Not offered by this petition';
      if (Object.keys(fields).length) return refuse(errorResponse(400, 'invalid_body', 'The body has invalid fields', { fields }));
      if (options.signLatency === 'infinite') {
        record(request, body, 'pending');
        await delay('infinite');
      } else if (options.signLatency) {
        await delay(options.signLatency);
      }
      const outcome = options.sign ?? { kind: 'accept' };
      if (outcome.kind === 'network-error') {
        record(request, body, 'network-error');
        return HttpResponse.error();
      }
      if (outcome.kind === 'error') {
        const { status, code, message, fields: f, retryAfter } = outcome;
        if (code === 'petition_closed') closedNow.add(p.slug);
        return refuse(errorResponse(status, code, message, { fields: f, retryAfter }));
      }
      if (p.status === 'closed') return refuse(errorResponse(409, 'petition_closed', 'This petition is closed'));
      if (body.actionToken !== undefined && body.actionToken !== VALID_TOKEN) {
        return refuse(errorResponse(400, 'invalid_token', 'This link has expired or is not valid', { fields: { actionToken: 'Invalid or expired' } }));
      }
      const status = p.verification === 'none' || body.actionToken ? 'counted' : 'pending_verification';
      // The public count before this request: the same answer for a new and a known address (no enumeration).
      const before = currentCount(p);
      const answer = (replayed: boolean) => {
        record(request, body, 202);
        return HttpResponse.json(SignatureAcceptedSchema.parse({ status, count: before }), {
          status: 202,
          headers: replayed ? { 'Idempotent-Replayed': 'true' } : {},
        });
      };
      // Honeypot filled: nothing is stored, and the answer is the usual one (bots learn nothing).
      if (body.website) return answer(false);
      const idempotency = checkIdempotency(request, checked.raw);
      if ('refused' in idempotency) return refuse(idempotency.refused);
      if (idempotency.replayed) return answer(true);
      const who = (body.email ?? body.actionToken ?? '').toLowerCase();
      const seen = signers.get(p.slug) ?? new Set<string>();
      signers.set(p.slug, seen);
      // A repeat signature gets the same answer as the first and counts nothing (no enumeration).
      if (!seen.has(who)) {
        seen.add(who);
        acceptedSignatures.push(body);
        // A new count goes to every open stream, as the server's hub does.
        if (status === 'counted') pushCount({ count: before + 1, goal: p.goal, status: p.status }, p.slug);
      }
      return answer(false);
    }),
  ];
}

export interface ScenarioOptions {
  /** Milliseconds before each answer. Defaults to 0 (tests); stories may pass ~400 for realism. */
  latency?: number;
}

const withLatency = (o: ScenarioOptions, more: PetitionMockOptions = {}): PetitionMockOptions => ({
  latency: o.latency,
  signLatency: o.latency,
  ...more,
});

/** Named scenarios, each a fresh handler list (stories and tests). */
export const petitionScenarios = {
  /** An open petition (count 1,234 of 5,000, threshold 100, deadline in 3 days); signatures are counted. */
  open: (o: ScenarioOptions & { petition?: Partial<Petition> } = {}): HttpHandler[] =>
    petitionHandlers(withLatency(o, { petition: o.petition })),
  /** Signatures count once confirmed by email (→ check-inbox). */
  verify: (o: ScenarioOptions = {}): HttpHandler[] => petitionHandlers(withLatency(o, { petition: { verification: 'email' } })),
  /** The petition is closed, with an outcome (frozen count, no form). */
  closed: (o: ScenarioOptions & { outcome?: string | null } = {}): HttpHandler[] =>
    petitionHandlers(withLatency(o, { petition: { status: 'closed', deadline: null, count: 6021, ...(o.outcome !== undefined ? { outcome: o.outcome } : {}) } })),
  /** The petition closes between loading and signing: the signature gets 409 `petition_closed`. */
  closesOnSign: (o: ScenarioOptions = {}): HttpHandler[] =>
    petitionHandlers(withLatency(o, { sign: { kind: 'error', status: 409, code: 'petition_closed', message: 'This petition is closed' } })),
  /** Published in English and Spanish only: French readers get English with `fallback: true`. */
  fallback: (o: ScenarioOptions = {}): HttpHandler[] => petitionHandlers(withLatency(o, { locales: ['en', 'es'] })),
  /** `GET` never answers (→ loading). */
  loadSlow: (): HttpHandler[] => petitionHandlers({ latency: 'infinite' }),
  /** `GET` fails with a 500, or a network error (→ load-error). */
  loadFailure: (o: ScenarioOptions & { kind?: 'server' | 'network' } = {}): HttpHandler[] => [
    failingGet(PETITION_URL, o),
    ...petitionHandlers(),
  ],
  /** The signature never gets an answer (→ submitting), or after `signLatency` ms. */
  signSlow: (o: ScenarioOptions & { signLatency?: number | 'infinite' } = {}): HttpHandler[] =>
    petitionHandlers({ latency: o.latency, signLatency: o.signLatency ?? 'infinite' }),
  /** A signature that passes the widget's checks is refused: 400 `invalid_body` with `fields`. */
  validationError: (o: ScenarioOptions & { fields?: Record<string, string> } = {}): HttpHandler[] =>
    petitionHandlers(
      withLatency(o, {
        sign: { kind: 'error', status: 400, code: 'invalid_body', message: 'The body has invalid fields', fields: o.fields ?? { email: 'Must be a valid email address' } },
      }),
    ),
  /** 500 `internal` (→ error; the form retries with the same idempotency key). */
  serverError: (o: ScenarioOptions = {}): HttpHandler[] =>
    petitionHandlers(withLatency(o, { sign: { kind: 'error', status: 500, code: 'internal', message: 'Something went wrong on our side; please try again' } })),
  /** 429 `rate_limited` with `Retry-After` (→ rate-limited). */
  rateLimited: (o: ScenarioOptions & { retryAfter?: number } = {}): HttpHandler[] =>
    petitionHandlers(
      withLatency(o, { sign: { kind: 'error', status: 429, code: 'rate_limited', message: 'Too many requests', retryAfter: o.retryAfter ?? 60 } }),
    ),
  /** The signature fails at the network level, as `fetch` does offline (→ offline, queued). */
  offline: (o: ScenarioOptions = {}): HttpHandler[] => petitionHandlers(withLatency(o, { sign: { kind: 'network-error' } })),
  /** The live stream is refused with 503: the widget polls `/count`. */
  streamUnavailable: (o: ScenarioOptions = {}): HttpHandler[] => petitionHandlers(withLatency(o, { stream: 'unavailable' })),
} satisfies Record<string, (options?: never) => HttpHandler[]>;

export type PetitionScenarioName = keyof typeof petitionScenarios;
