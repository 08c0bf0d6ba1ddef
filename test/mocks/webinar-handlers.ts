/**
 * Mock Service Worker handlers for the webinar API, shared by the widget tests and Storybook (like
 * `petition-handlers.ts`, whose request log, error shape and idempotency memory they share through `handlers.ts`).
 *
 * The mocks ARE the contract: requests are validated with the real zod schemas from `src/schemas/webinar.ts`
 * (strict bodies and queries, `Content-Type`, size, `Idempotency-Key`), the per-webinar rules the server applies
 * are applied (answers checked against the webinar's questions: unknown ones, required ones, types, choices,
 * lengths; 409 `registration_closed` once started), and every response body is parsed with the response schemas
 * before it is sent. Every accepted registration gets the same neutral 202 `{status: 'check_email'}`, new or
 * repeated, with a place, waitlisted or awaiting approval: `acceptedRegistrations` says what the server did.
 * No answer ever carries a join link.
 *
 *   worker.use(...webinarScenarios.full());                         // a test
 *   parameters: { msw: webinarScenarios.series() }                 // a story
 *
 * Server state is per page; `resetWebinarState()` clears it (the `useMockApi()` of browser.ts does).
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import {
  API_PREFIX,
  CreateRegistrationBody,
  RegistrationAcceptedSchema,
  WebinarListQuerySchema,
  WebinarListSchema,
  WebinarParamsSchema,
  WebinarQuerySchema,
  WebinarSchema,
  type ErrorBody,
  type ErrorCode,
  type Question,
  type Webinar,
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

export const WEBINAR_URL = `*${API_PREFIX}/webinars/:slug`;
export const WEBINARS_URL = `*${API_PREFIX}/webinars`;
export const REGISTRATIONS_URL = `${WEBINAR_URL}/registrations`;
/** Speakers' photos, served by the Compa server itself (no third-party request). */
export const PHOTO_URL = '*/media/speakers/:file';

/** The demo webinar's slug, and the demo series'. */
export const DEMO_WEBINAR = 'defenders-under-threat';
export const DEMO_SERIES = 'accompaniment-talks';
export const DEMO_RECORDING_URL = 'https://video.ngo.example/w/defenders-under-threat';
export const DEMO_PHOTO_PATH = '/media/speakers/ana.svg';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Texts {
  title: string;
  description: string;
  organisation: string;
  /** Labels of the demo questions, by id; choices' options by id. */
  questions: Record<string, string>;
  options: Record<string, string>;
  /** The series' webinars' titles. */
  series: string[];
}

/** The demo's texts; a webinar published in fewer languages falls back to English, as the server does. */
export const DEMO_WEBINAR_TEXTS: Record<MockLocale, Texts> = {
  en: {
    title: 'Defenders under threat: how international accompaniment protects',
    description: 'Two accompaniment volunteers and a community leader from the Cauca valley talk about protection in practice.\nQuestions welcome.',
    organisation: 'Cauca Valley Farmers’ Association',
    questions: {
      organisation: 'Your organisation',
      role: 'How will you take part?',
      captions: 'I need live captions',
      recorded: 'I understand that the webinar is recorded',
      question: 'A question for the speakers',
    },
    options: { listen: 'I’ll listen', ask: 'I’d like to ask a question', press: 'I’m a journalist' },
    series: ['Accompaniment talks: the first year', 'Accompaniment talks: working with lawyers', 'Accompaniment talks: digital security', 'Accompaniment talks: after the peace deal'],
  },
  es: {
    title: 'Personas defensoras amenazadas: cómo protege el acompañamiento internacional',
    description: 'Dos personas voluntarias de acompañamiento y una lideresa del valle del Cauca hablan de la protección en la práctica.\nPreguntas bienvenidas.',
    organisation: 'Asociación Campesina del Valle del Cauca',
    questions: {
      organisation: 'Tu organización',
      role: '¿Cómo vas a participar?',
      captions: 'Necesito subtítulos en directo',
      recorded: 'Entiendo que el webinario se graba',
      question: 'Una pregunta para las personas ponentes',
    },
    options: { listen: 'Voy a escuchar', ask: 'Quiero hacer una pregunta', press: 'Soy periodista' },
    series: ['Charlas de acompañamiento: el primer año', 'Charlas de acompañamiento: trabajar con abogadas', 'Charlas de acompañamiento: seguridad digital', 'Charlas de acompañamiento: después del acuerdo de paz'],
  },
  fr: {
    title: 'Défenseur·es menacé·es : comment protège l’accompagnement international',
    description: 'Deux bénévoles d’accompagnement et une leader de la vallée du Cauca parlent de la protection en pratique.\nQuestions bienvenues.',
    organisation: 'Association paysanne de la vallée du Cauca',
    questions: {
      organisation: 'Votre organisation',
      role: 'Comment allez-vous participer ?',
      captions: 'J’ai besoin de sous-titres en direct',
      recorded: 'Je comprends que le webinaire est enregistré',
      question: 'Une question pour les intervenant·es',
    },
    options: { listen: 'J’écoute', ask: 'Je voudrais poser une question', press: 'Je suis journaliste' },
    series: ['Causeries de l’accompagnement : la première année', 'Causeries de l’accompagnement : avec les avocat·es', 'Causeries de l’accompagnement : sécurité numérique', 'Causeries de l’accompagnement : après l’accord de paix'],
  },
};

/** The demo questions (labels in `t`'s language): required text, required choice, optional and required boxes, optional long text. */
export function demoQuestions(t: Texts = DEMO_WEBINAR_TEXTS.en): Question[] {
  const q = t.questions;
  return [
    { id: 'organisation', kind: 'text', label: q.organisation!, required: true, maxLength: 120 },
    {
      id: 'role',
      kind: 'choice',
      label: q.role!,
      required: true,
      options: ['listen', 'ask', 'press'].map((id) => ({ id, label: t.options[id]! })),
    },
    { id: 'captions', kind: 'checkbox', label: q.captions!, required: false },
    { id: 'recorded', kind: 'checkbox', label: q.recorded!, required: true },
    { id: 'question', kind: 'text', label: q.question!, required: false, maxLength: 1000 },
  ];
}

/** A start time some days ahead, on the hour (so that a story shows round times). */
const ahead = (days: number): number => Math.ceil(Date.now() / HOUR) * HOUR + days * DAY;

export interface WebinarMockOptions {
  /** Milliseconds before the GET's answer (0 by default), or `'infinite'`: never answers. */
  latency?: number | 'infinite';
  /** The languages the webinar is published in (default all three); others get English with `fallback: true`. */
  locales?: MockLocale[];
  /**
   * Fields that replace the demo webinar's (status, placesLeft, mode, start, end, timeZone, recordingUrl…), or a
   * function that gives them at each request (a status that follows the clock).
   */
  webinar?: Partial<Webinar> | (() => Partial<Webinar>);
  /** Give the demo webinar the demo questions (`demoQuestions`). */
  questions?: boolean;
  /** The demo series' webinars (default `demoSeries`), each with fields replacing the demo's; ended ones are left out of the list. */
  series?: Partial<Webinar>[];
  /** What to answer to a valid registration (default: accept). */
  register?: Outcome;
  /** Milliseconds before the registration's answer, or `'infinite'`. */
  registerLatency?: number | 'infinite';
}

/** What to answer to a valid registration request. */
export type Outcome =
  | { kind: 'accept' }
  | { kind: 'error'; status: number; code: ErrorCode; message: string; fields?: Record<string, string>; retryAfter?: number }
  | { kind: 'network-error' };

/** The demo webinar in `locale` (with the English fallback), checked against `WebinarSchema`. */
export function demoWebinar(locale?: string, options: Pick<WebinarMockOptions, 'locales' | 'webinar' | 'questions'> = {}): Webinar {
  const published = options.locales ?? ['en', 'es', 'fr'];
  const wanted = resolveMockLocale(locale);
  const used: MockLocale = published.includes(wanted) ? wanted : 'en';
  const t = DEMO_WEBINAR_TEXTS[used];
  const start = ahead(10);
  const base: Webinar = {
    slug: DEMO_WEBINAR,
    series: null,
    locale: used,
    fallback: used !== wanted,
    title: t.title,
    description: t.description,
    speakers: [
      { name: 'Ana Lucía Gómez', organisation: t.organisation, photoUrl: DEMO_PHOTO_PATH },
      { name: 'Jonas Weber', organisation: null, photoUrl: null },
    ],
    heldIn: 'es',
    interpretation: ['en', 'fr'],
    start: new Date(start).toISOString(),
    end: new Date(start + 90 * MINUTE).toISOString(),
    timeZone: 'America/Bogota',
    status: 'upcoming',
    placesLeft: null,
    mode: 'open',
    questions: options.questions ? demoQuestions(t) : [],
    recordingUrl: null,
    privacyPolicyUrl: DEMO_PRIVACY_POLICY_URL,
    organisation: DEMO_ORGANISATION,
  };
  const fields = typeof options.webinar === 'function' ? options.webinar() : options.webinar;
  return WebinarSchema.parse({ ...base, ...fields });
}

/** The demo series' webinars, as `options.series` takes them: started, open, nearly full, full. */
export function demoSeries(): Partial<Webinar>[] {
  const now = Date.now();
  return [
    { slug: 'talk-first-year', status: 'started', start: new Date(now - 10 * MINUTE).toISOString(), end: new Date(now + 50 * MINUTE).toISOString() },
    { slug: 'talk-lawyers', status: 'upcoming', start: new Date(ahead(14)).toISOString(), end: new Date(ahead(14) + HOUR).toISOString() },
    { slug: 'talk-digital-security', status: 'upcoming', placesLeft: 2, start: new Date(ahead(21)).toISOString(), end: new Date(ahead(21) + HOUR).toISOString() },
    { slug: 'talk-peace-deal', status: 'full', start: new Date(ahead(28)).toISOString(), end: new Date(ahead(28) + HOUR).toISOString() },
  ];
}

/** The series' webinars in `locale`, checked against `WebinarSchema` (all of them, ended ones included). */
function seriesWebinars(locale: string | undefined, options: WebinarMockOptions): Webinar[] {
  const titles = DEMO_WEBINAR_TEXTS[demoWebinar(locale, options).locale as MockLocale].series;
  return (options.series ?? demoSeries()).map((s, i) =>
    demoWebinar(locale, { ...options, webinar: { series: DEMO_SERIES, title: titles[i % titles.length], ...s } }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Server state.

export interface AcceptedRegistration {
  slug: string;
  body: CreateRegistrationBody;
  /** What the server decided (said in the email only): a place, the waitlist, or awaiting approval. */
  outcome: 'place' | 'waitlist' | 'approval';
}

/** Registrations the mock stored (honeypot hits and repeats excluded), in order. */
export const acceptedRegistrations: AcceptedRegistration[] = [];

export function resetWebinarState(): void {
  acceptedRegistrations.length = 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers.

/** Resolves the webinar of a request (the demo one, or one of the demo series), or the API's 400/404 answer. */
function find(
  params: Record<string, unknown>,
  options: WebinarMockOptions,
  locale?: string,
): { webinar: Webinar } | { refused: HttpResponse<ErrorBody> } {
  const checked = WebinarParamsSchema.safeParse({ slug: params.slug }); // (`*` in the path adds a param "0")
  if (!checked.success) {
    return { refused: errorResponse(400, 'invalid_params', 'The path has invalid parts', { fields: fieldsFromIssues(checked.error.issues, 'query') }) };
  }
  const w = [demoWebinar(locale, options), ...seriesWebinars(locale, options)].find((x) => x.slug === checked.data.slug);
  return w ? { webinar: w } : { refused: errorResponse(404, 'not_found', 'No such webinar') };
}

/** The answers' problems against the webinar's questions, keyed `answers.<id>`, as the server words them. */
function checkAnswers(w: Webinar, answers: Record<string, string | boolean>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const id of Object.keys(answers)) {
    if (!w.questions.some((q) => q.id === id)) fields[`answers.${id}`] = 'Unknown question';
  }
  for (const q of w.questions) {
    const v = answers[q.id];
    const key = `answers.${q.id}`;
    if (v === undefined) {
      if (q.required) fields[key] = 'Required';
    } else if (q.kind === 'checkbox') {
      if (typeof v !== 'boolean') fields[key] = 'Must be true or false';
      else if (q.required && !v) fields[key] = 'Required';
    } else if (typeof v !== 'string') {
      fields[key] = 'Must be a string';
    } else if (q.required && !v.trim()) {
      fields[key] = 'Required';
    } else if (q.kind === 'choice' && !q.options?.some((o) => o.id === v)) {
      fields[key] = 'Not one of the options';
    } else if (v.length > (q.maxLength ?? 500)) {
      fields[key] = 'Too long';
    }
  }
  return fields;
}

export function webinarHandlers(options: WebinarMockOptions = {}): HttpHandler[] {
  const invalidQuery = (request: Request, issues: Parameters<typeof fieldsFromIssues>[0]) => {
    record(request, undefined, 400);
    return errorResponse(400, 'invalid_query', 'The query string has invalid fields', { fields: fieldsFromIssues(issues, 'query') });
  };
  const wait = async (request: Request) => {
    if (options.latency === 'infinite') record(request, undefined, 'pending');
    if (options.latency) await delay(options.latency);
  };
  return [
    http.get(WEBINARS_URL, async ({ request }) => {
      const query = WebinarListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!query.success) return invalidQuery(request, query.error.issues);
      await wait(request);
      // Those not yet ended, sorted by start; an unknown series has none (200, as the server answers).
      const webinars = (query.data.series === DEMO_SERIES ? seriesWebinars(query.data.locale, options) : [])
        .filter((w) => w.status !== 'ended')
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      record(request, undefined, 200);
      return HttpResponse.json(WebinarListSchema.parse({ webinars }));
    }),

    http.get(WEBINAR_URL, async ({ request, params }) => {
      const query = WebinarQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!query.success) return invalidQuery(request, query.error.issues);
      await wait(request);
      const found = find(params, options, query.data.locale);
      if ('refused' in found) {
        record(request, undefined, found.refused.status);
        return found.refused;
      }
      record(request, undefined, 200);
      return HttpResponse.json(found.webinar);
    }),

    http.post(REGISTRATIONS_URL, async ({ request, params }) => {
      const checked = await validateJsonRequest(request, CreateRegistrationBody);
      if (!checked.ok) {
        record(request, checked.body, checked.response.status);
        return checked.response;
      }
      const body = checked.body;
      const refuse = (response: HttpResponse<ErrorBody>) => {
        record(request, body, response.status);
        return response;
      };
      const found = find(params, options, body.locale);
      if ('refused' in found) return refuse(found.refused);
      const w = found.webinar;
      // Per-webinar rules, as the server checks them.
      const fields = checkAnswers(w, body.answers);
      if (Object.keys(fields).length) return refuse(errorResponse(400, 'invalid_body', 'The body has invalid fields', { fields }));
      if (options.registerLatency === 'infinite') {
        record(request, body, 'pending');
        await delay('infinite');
      } else if (options.registerLatency) {
        await delay(options.registerLatency);
      }
      const outcome = options.register ?? { kind: 'accept' };
      if (outcome.kind === 'network-error') {
        record(request, body, 'network-error');
        return HttpResponse.error();
      }
      if (outcome.kind === 'error') {
        const { status, code, message, fields: f, retryAfter } = outcome;
        return refuse(errorResponse(status, code, message, { fields: f, retryAfter }));
      }
      if (w.status === 'started' || w.status === 'ended') return refuse(errorResponse(409, 'registration_closed', 'Registration closed when the webinar started'));
      // The same neutral answer to every accepted registration (no enumeration, no join link).
      const answer = (replayed: boolean) => {
        record(request, body, 202);
        return HttpResponse.json(RegistrationAcceptedSchema.parse({ status: 'check_email' }), {
          status: 202,
          headers: replayed ? { 'Idempotent-Replayed': 'true' } : {},
        });
      };
      // Honeypot filled: nothing is stored, and the answer is the usual one (bots learn nothing).
      if (body.website) return answer(false);
      const idempotency = checkIdempotency(request, checked.raw);
      if ('refused' in idempotency) return refuse(idempotency.refused);
      if (idempotency.replayed) return answer(true);
      const email = body.email.toLowerCase();
      if (!acceptedRegistrations.some((r) => r.slug === w.slug && r.body.email.toLowerCase() === email)) {
        // In approval mode every registration awaits the organisers' decision, full or not (as the server does).
        acceptedRegistrations.push({ slug: w.slug, body, outcome: w.mode === 'approval' ? 'approval' : w.status === 'full' ? 'waitlist' : 'place' });
      }
      return answer(false);
    }),

    http.get(PHOTO_URL, ({ request }) => {
      record(request, undefined, 200);
      return new HttpResponse(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" cy="24" r="24" fill="#8fa3bf"/></svg>',
        { headers: { 'Content-Type': 'image/svg+xml' } },
      );
    }),
  ];
}

export interface ScenarioOptions {
  /** Milliseconds before each answer. Defaults to 0 (tests); stories may pass ~400 for realism. */
  latency?: number;
}

type WithWebinar = ScenarioOptions & { webinar?: Partial<Webinar>; questions?: boolean };

const withLatency = (o: ScenarioOptions, more: WebinarMockOptions = {}): WebinarMockOptions => ({
  latency: o.latency,
  registerLatency: o.latency,
  ...more,
});
const error = (status: number, code: ErrorCode, message: string, more: { fields?: Record<string, string>; retryAfter?: number } = {}): Outcome => ({
  kind: 'error',
  status,
  code,
  message,
  ...more,
});

/** Named scenarios, each a fresh handler list (stories and tests). `webinar` replaces fields of the demo webinar. */
export const webinarScenarios = {
  /** Open to all, places available (→ idle; registering → registered). */
  open: (o: WithWebinar = {}): HttpHandler[] => webinarHandlers(withLatency(o, { webinar: o.webinar, questions: o.questions })),
  /** Few places left: `placesLeft` 3 (default). */
  nearlyFull: (o: WithWebinar & { placesLeft?: number } = {}): HttpHandler[] =>
    webinarHandlers(withLatency(o, { webinar: { placesLeft: o.placesLeft ?? 3, ...o.webinar }, questions: o.questions })),
  /** Full: the form puts the supporter on the waitlist (→ full). */
  full: (o: WithWebinar = {}): HttpHandler[] => webinarHandlers(withLatency(o, { webinar: { status: 'full', placesLeft: 0, ...o.webinar }, questions: o.questions })),
  /** The organisers approve each registration. */
  approval: (o: WithWebinar = {}): HttpHandler[] => webinarHandlers(withLatency(o, { webinar: { mode: 'approval', ...o.webinar }, questions: o.questions })),
  /** With the demo questions (required text, required choice, optional and required checkboxes, optional long text). */
  questions: (o: WithWebinar = {}): HttpHandler[] => webinarHandlers(withLatency(o, { webinar: o.webinar, questions: true })),
  /** Started 10 minutes ago: no registration (→ closed); a registration gets 409. */
  started: (o: WithWebinar = {}): HttpHandler[] => {
    const now = Date.now();
    return webinarHandlers(
      withLatency(o, { webinar: { status: 'started', start: new Date(now - 10 * MINUTE).toISOString(), end: new Date(now + 80 * MINUTE).toISOString(), ...o.webinar } }),
    );
  },
  /** Ended yesterday, with its recording (or `recording: null`, or another URL) (→ ended). */
  ended: (o: WithWebinar & { recording?: string | null } = {}): HttpHandler[] => {
    const start = Date.now() - DAY;
    return webinarHandlers(
      withLatency(o, {
        webinar: {
          status: 'ended',
          start: new Date(start).toISOString(),
          end: new Date(start + 90 * MINUTE).toISOString(),
          recordingUrl: o.recording === undefined ? DEMO_RECORDING_URL : o.recording,
          ...o.webinar,
        },
      }),
    );
  },
  /**
   * From `start` to `end` (ms since the epoch; by default in 5 s, for 10 s), the status following the clock as
   * the server's does: `upcoming`, `started` (a registration gets 409), then `ended`, with the recording (or
   * `recording: null`) sent only from then on.
   */
  timed: (o: ScenarioOptions & { start?: number; end?: number; recording?: string | null; webinar?: Partial<Webinar> } = {}): HttpHandler[] => {
    const start = o.start ?? Date.now() + 5000;
    const end = o.end ?? start + 10_000;
    return webinarHandlers(
      withLatency(o, {
        webinar: () => {
          const now = Date.now();
          return {
            ...o.webinar,
            start: new Date(start).toISOString(),
            end: new Date(end).toISOString(),
            status: now >= end ? 'ended' : now >= start ? 'started' : (o.webinar?.status ?? 'upcoming'),
            recordingUrl: now >= end ? (o.recording === undefined ? DEMO_RECORDING_URL : o.recording) : null,
          };
        },
      }),
    );
  },
  /** Published in English and Spanish only: French readers get English with `fallback: true`. */
  fallback: (o: ScenarioOptions = {}): HttpHandler[] => webinarHandlers(withLatency(o, { locales: ['en', 'es'] })),
  /** The demo series (`series="accompaniment-talks"`): started, open, nearly full, full (→ list). */
  series: (o: ScenarioOptions & { series?: Partial<Webinar>[] } = {}): HttpHandler[] => webinarHandlers(withLatency(o, { series: o.series })),
  /** The demo series with nothing coming up (its webinars have ended) (→ list, empty). */
  emptySeries: (o: ScenarioOptions = {}): HttpHandler[] =>
    webinarHandlers(withLatency(o, { series: demoSeries().map((s) => ({ ...s, status: 'ended' as const })) })),
  /** `GET` never answers (→ loading). */
  loadSlow: (): HttpHandler[] => webinarHandlers({ latency: 'infinite' }),
  /** `GET` fails with a 500, or a network error (→ load-error). */
  loadFailure: (o: ScenarioOptions & { kind?: 'server' | 'network' } = {}): HttpHandler[] => [
    failingGet(WEBINAR_URL, o),
    ...webinarHandlers(),
  ],
  /** The registration never gets an answer (→ submitting), or after `registerLatency` ms. */
  registerSlow: (o: WithWebinar & { registerLatency?: number | 'infinite' } = {}): HttpHandler[] =>
    webinarHandlers({ latency: o.latency, registerLatency: o.registerLatency ?? 'infinite', webinar: o.webinar, questions: o.questions }),
  /** A registration that passes the widget's checks is refused: 400 `invalid_body` with `fields`. */
  validationError: (o: WithWebinar & { fields?: Record<string, string> } = {}): HttpHandler[] =>
    webinarHandlers(
      withLatency(o, {
        webinar: o.webinar,
        questions: o.questions,
        register: error(400, 'invalid_body', 'The body has invalid fields', { fields: o.fields ?? { email: 'Must be a valid email address' } }),
      }),
    ),
  /** The webinar starts between loading and registering: 409 `registration_closed` (→ closed). */
  closesOnRegister: (o: WithWebinar = {}): HttpHandler[] =>
    webinarHandlers(withLatency(o, { webinar: o.webinar, questions: o.questions, register: error(409, 'registration_closed', 'Registration closed when the webinar started') })),
  /** 500 `internal` (→ error; the form retries with the same idempotency key). */
  serverError: (o: WithWebinar = {}): HttpHandler[] =>
    webinarHandlers(withLatency(o, { webinar: o.webinar, register: error(500, 'internal', 'Something went wrong on our side; please try again') })),
  /** 429 `rate_limited` with `Retry-After` (→ rate-limited). */
  rateLimited: (o: WithWebinar & { retryAfter?: number } = {}): HttpHandler[] =>
    webinarHandlers(withLatency(o, { webinar: o.webinar, register: error(429, 'rate_limited', 'Too many requests', { retryAfter: o.retryAfter ?? 60 }) })),
  /** The registration fails at the network level, as `fetch` does offline (→ offline, queued). */
  offline: (o: WithWebinar = {}): HttpHandler[] =>
    webinarHandlers(withLatency(o, { webinar: o.webinar, questions: o.questions, register: { kind: 'network-error' } })),
} satisfies Record<string, (options?: never) => HttpHandler[]>;

export type WebinarScenarioName = keyof typeof webinarScenarios;
