/**
 * Mock Service Worker handlers for the Compa REST API, shared by the widget tests (@web/test-runner) and Storybook.
 *
 * The mocks ARE the contract: every request is validated with the real zod schemas from `src/schemas/`, exactly as
 * the server does (unknown fields rejected, `Content-Type`, body size, `Idempotency-Key`), and every response body is
 * parsed with the response schemas before it is sent, so a mock cannot drift from the API.
 *
 * Scenarios are factories returning a fresh handler list:
 *
 *   worker.use(...scenarios.rateLimited({ retryAfter: 120 }));      // a test
 *   parameters: { msw: scenarios.slow() }                           // a story
 *
 * Paths match any origin (`* /api/v1/...`), so a widget pointed at `https://api.example.org` is mocked too.
 * Environment-neutral: imports `msw` (core) only, never `msw/browser` or `msw/node`.
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { z } from 'zod';
import {
  API_PREFIX,
  CreateSubscriptionBody,
  ErrorBodySchema,
  IDEMPOTENCY_HEADER,
  LIMITS,
  ListsQuerySchema,
  ListsResponseSchema,
  SubscriptionAcceptedSchema,
  type ErrorBody,
  type SubscriptionAccepted,
  type ErrorCode,
  type ListsResponse,
  type NewsletterList,
} from '../../src/schemas/index.ts';

/** The locales the demo organisation translates its lists into (English is the fallback). */
export const MOCK_LOCALES = ['en', 'es', 'fr'] as const;
export type MockLocale = (typeof MOCK_LOCALES)[number];

/** Request bodies larger than this get a 413 (a JSON subscription is well under 4 KiB). */
export const MOCK_BODY_LIMIT = 16 * 1024;

export const LISTS_URL = `*${API_PREFIX}/lists`;
export const SUBSCRIPTIONS_URL = `*${API_PREFIX}/subscriptions`;

export const DEMO_ORGANISATION = 'Brigadas de Acompañamiento (demo)';
export const DEMO_PRIVACY_POLICY_URL = 'https://example.org/privacy';

type Translations = Partial<Record<MockLocale, { name: string; description: string }>> & {
  en: { name: string; description: string };
};

/**
 * Demo lists. `field-reports` has no French translation on purpose: a French request gets it in English with
 * `locale: 'en'`, as the real server does, so widgets can mark it with `lang="en"`.
 */
export const DEMO_LISTS: ReadonlyArray<{ slug: string; translations: Translations }> = [
  {
    slug: 'monthly-bulletin',
    translations: {
      en: { name: 'Monthly bulletin', description: 'News from our accompaniment teams, once a month.' },
      es: { name: 'Boletín mensual', description: 'Noticias de nuestros equipos de acompañamiento, una vez al mes.' },
      fr: { name: 'Bulletin mensuel', description: "Des nouvelles de nos équipes d'accompagnement, une fois par mois." },
    },
  },
  {
    slug: 'urgent-actions',
    translations: {
      en: { name: 'Urgent actions', description: 'Alerts when a defender is at risk and your voice can help.' },
      es: { name: 'Acciones urgentes', description: 'Alertas cuando una persona defensora está en riesgo y tu voz puede ayudar.' },
      fr: { name: 'Actions urgentes', description: 'Des alertes quand un·e défenseur·e est en danger et que votre voix peut aider.' },
    },
  },
  {
    slug: 'field-reports',
    translations: {
      en: { name: 'Field reports', description: 'Longer reports from the regions where we work, a few times a year.' },
      es: { name: 'Informes de terreno', description: 'Informes extensos desde las regiones donde trabajamos, unas veces al año.' },
    },
  },
];

/** Resolves a BCP 47 tag (`es-CO`, `FR`) to a demo locale, falling back to English like the server. */
export function resolveMockLocale(tag: string | undefined): MockLocale {
  const primary = (tag ?? 'en').split('-')[0].toLowerCase();
  return (MOCK_LOCALES as readonly string[]).includes(primary) ? (primary as MockLocale) : 'en';
}

/** The `GET /lists` body for a locale, checked against `ListsResponseSchema`. */
export function demoListsResponse(locale?: string): ListsResponse {
  const wanted = resolveMockLocale(locale);
  const lists: NewsletterList[] = DEMO_LISTS.map(({ slug, translations }) => {
    const found = translations[wanted];
    const used: MockLocale = found ? wanted : 'en';
    const text = found ?? translations.en;
    return { slug, name: text.name, description: text.description, locale: used };
  });
  return ListsResponseSchema.parse({
    lists,
    privacyPolicyUrl: DEMO_PRIVACY_POLICY_URL,
    organisation: DEMO_ORGANISATION,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Request log and idempotency memory (per page; reset between tests with `resetMockState()`).

export interface RecordedRequest {
  method: string;
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, the raw text otherwise, `undefined` for GET. */
  body: unknown;
  /** The status the mock answered with, `'network-error'`, or `'pending'` for a request that is never answered. */
  status: number | 'network-error' | 'pending';
}

/** Every request the mocks saw, in order: assert what a widget sent (body, headers, locale…). */
export const requestLog: RecordedRequest[] = [];

/** Idempotency-Key → canonical body of the first request that used it. */
const idempotencyKeys = new Map<string, string>();

/** Subscriptions the mock accepted (honeypot hits excluded): what the server would have stored. */
export const acceptedSubscriptions: CreateSubscriptionBody[] = [];

export function resetMockState(): void {
  requestLog.length = 0;
  acceptedSubscriptions.length = 0;
  idempotencyKeys.clear();
}

export function record(request: Request, body: unknown, status: RecordedRequest['status']): void {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  requestLog.push({ method: request.method, url: request.url, headers, body, status });
}

// ---------------------------------------------------------------------------------------------------------------
// Responses, always schema-checked.

export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  extra: { fields?: Record<string, string>; retryAfter?: number } = {},
): HttpResponse<ErrorBody> {
  const body = ErrorBodySchema.parse({ error: { code, message, ...extra } });
  const headers: Record<string, string> = {};
  if (extra.retryAfter !== undefined) headers['Retry-After'] = String(extra.retryAfter);
  return HttpResponse.json(body, { status, headers });
}

/** The API's `fields` map, as the server builds it: dotted path → first message, unknown keys named one by one. */
export function fieldsFromIssues(issues: ReadonlyArray<z.core.$ZodIssue>, root: 'body' | 'query'): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= 'Unknown field';
      continue;
    }
    const path = issue.path.length ? issue.path.join('.') : root;
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    fields[path] ??= missing ? 'Required' : issue.message;
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------------------------
// Request validation, as the server does it.

export type Validated<T = CreateSubscriptionBody> =
  | { ok: true; body: T; raw: unknown }
  | { ok: false; response: HttpResponse<ErrorBody>; body: unknown };

const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** Transport and body checks of a subscription, in the server's order: media type, size, JSON, schema. */
function validateSubscriptionRequest(request: Request): Promise<Validated> {
  return validateJsonRequest(request, CreateSubscriptionBody);
}

/** Transport and body checks of any JSON write, in the server's order: media type, size, JSON, `schema`. */
export async function validateJsonRequest<T>(request: Request, schema: z.ZodType<T>): Promise<Validated<T>> {
  const contentType = request.headers.get('content-type') ?? '';
  const text = await request.text();
  const refuse = (response: HttpResponse<ErrorBody>, body: unknown = text): Validated<T> => ({ ok: false, body, response });
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return refuse(errorResponse(415, 'unsupported_media_type', 'The body must be JSON (Content-Type: application/json)'));
  }
  if (new TextEncoder().encode(text).byteLength > MOCK_BODY_LIMIT) {
    return refuse(errorResponse(413, 'payload_too_large', 'The body is too large'));
  }
  if (text.trim() === '') return refuse(errorResponse(400, 'invalid_json', 'The body is empty; send a JSON object'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(errorResponse(400, 'invalid_json', 'The body is not valid JSON'));
  }
  if (/"(__proto__|constructor)"\s*:/.test(text)) {
    return refuse(errorResponse(400, 'invalid_json', 'The body is not valid JSON or contains forbidden keys'), json);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return refuse(
      errorResponse(400, 'invalid_body', 'The body has invalid fields', { fields: fieldsFromIssues(parsed.error.issues, 'body') }),
      json,
    );
  }
  return { ok: true, body: parsed.data, raw: json };
}

/** Lists that the demo organisation does not have, as the server words it. */
function unknownListsResponse(body: CreateSubscriptionBody): HttpResponse<ErrorBody> | null {
  const known = new Set(DEMO_LISTS.map((list) => list.slug));
  const unknown = body.lists.filter((slug) => !known.has(slug));
  if (unknown.length === 0) return null;
  return errorResponse(400, 'invalid_body', 'The body has invalid fields', {
    fields: { lists: `Unknown list: ${unknown.join(', ')}` },
  });
}

/**
 * `Idempotency-Key` as the server handles it: optional; when present 1–128 characters of `[A-Za-z0-9._:-]`; a retry
 * with the same key and body replays the answer (with `Idempotent-Replayed: true`); the same key with another body
 * is a 422 `idempotency_conflict`.
 */
export function checkIdempotency(request: Request, raw: unknown): { refused: HttpResponse<ErrorBody> } | { replayed: boolean } {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return { replayed: false };
  if (key.length === 0 || key.length > LIMITS.idempotencyKey || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return {
      refused: errorResponse(400, 'invalid_body', `Invalid ${IDEMPOTENCY_HEADER} header`, {
        fields: { [IDEMPOTENCY_HEADER]: `1 to ${LIMITS.idempotencyKey} characters: letters, digits, . _ : -` },
      }),
    };
  }
  const canonical = JSON.stringify(raw);
  const previous = idempotencyKeys.get(key);
  if (previous === undefined) {
    idempotencyKeys.set(key, canonical);
    return { replayed: false };
  }
  if (previous !== canonical) {
    return {
      refused: errorResponse(422, 'idempotency_conflict', `This ${IDEMPOTENCY_HEADER} was already used for a different request`),
    };
  }
  return { replayed: true };
}

function accepted(replayed = false): HttpResponse<SubscriptionAccepted> {
  const body = SubscriptionAcceptedSchema.parse({ status: 'pending_confirmation' });
  return HttpResponse.json(body, { status: 202, headers: replayed ? { 'Idempotent-Replayed': 'true' } : {} });
}

// ---------------------------------------------------------------------------------------------------------------
// Handler builders.

export interface ListsHandlerOptions {
  /** Milliseconds before answering (0 by default: tests stay fast), or `'infinite'`: never answers. */
  latency?: number | 'infinite';
  /** Replace the demo lists (for an "empty" or "one list" story). */
  respond?: (locale: string | undefined) => ListsResponse;
}

export function listsHandler(options: ListsHandlerOptions = {}): HttpHandler {
  return http.get(LISTS_URL, async ({ request }) => {
    const url = new URL(request.url);
    const query = ListsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) {
      const response = errorResponse(400, 'invalid_query', 'The query string has invalid fields', {
        fields: fieldsFromIssues(query.error.issues, 'query'),
      });
      record(request, undefined, 400);
      return response;
    }
    if (options.latency === 'infinite') record(request, undefined, 'pending');
    if (options.latency) await delay(options.latency);
    const body = options.respond
      ? ListsResponseSchema.parse(options.respond(query.data.locale))
      : demoListsResponse(query.data.locale);
    record(request, undefined, 200);
    return HttpResponse.json(body);
  });
}

/** What to answer to a valid subscription request. */
type Outcome =
  | { kind: 'accept' }
  | { kind: 'error'; status: number; code: ErrorCode; message: string; fields?: Record<string, string>; retryAfter?: number }
  | { kind: 'network-error' };

interface SubscriptionsHandlerOptions {
  latency?: number | 'infinite';
  outcome?: Outcome;
}

/**
 * `POST /subscriptions`. An invalid request always gets the real validation error, whatever the scenario: a widget
 * that breaks the contract fails in every test and story, not only in the "success" ones.
 */
export function subscriptionsHandler(options: SubscriptionsHandlerOptions = {}): HttpHandler {
  const outcome: Outcome = options.outcome ?? { kind: 'accept' };
  return http.post(SUBSCRIPTIONS_URL, async ({ request }) => {
    const checked = await validateSubscriptionRequest(request);
    if (!checked.ok) {
      record(request, checked.body, checked.response.status);
      return checked.response;
    }
    if (options.latency === 'infinite') {
      record(request, checked.body, 'pending');
      await delay('infinite');
    } else if (options.latency) {
      await delay(options.latency);
    }
    if (outcome.kind === 'network-error') {
      record(request, checked.body, 'network-error');
      return HttpResponse.error();
    }
    if (outcome.kind === 'error') {
      record(request, checked.body, outcome.status);
      const { status, code, message, fields, retryAfter } = outcome;
      return errorResponse(status, code, message, { fields, retryAfter });
    }
    // Honeypot filled: the server stores nothing but answers exactly as to a person (bots learn nothing).
    if (checked.body.website) {
      record(request, checked.body, 202);
      return accepted();
    }
    const refused = unknownListsResponse(checked.body);
    if (refused) {
      record(request, checked.body, refused.status);
      return refused;
    }
    const idempotency = checkIdempotency(request, checked.raw);
    if ('refused' in idempotency) {
      record(request, checked.body, idempotency.refused.status);
      return idempotency.refused;
    }
    if (!idempotency.replayed) acceptedSubscriptions.push(checked.body);
    record(request, checked.body, 202);
    return accepted(idempotency.replayed);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Named scenarios: each returns a fresh list of handlers (lists + subscriptions).

export interface ScenarioOptions {
  /** Milliseconds before each answer. Defaults to 0 (tests); stories may pass ~400 for realism. */
  latency?: number;
}

export const scenarios = {
  /** Lists load; a valid subscription is accepted with 202 `pending_confirmation` (→ check-inbox). */
  success: (options: ScenarioOptions = {}): HttpHandler[] => [
    listsHandler(options),
    subscriptionsHandler({ latency: options.latency }),
  ],

  /**
   * Lists load; the subscription answer takes `submitLatency` ms (→ submitting). Default: never answers, so a story
   * stays in the submitting state.
   */
  slow: (options: ScenarioOptions & { submitLatency?: number | 'infinite' } = {}): HttpHandler[] => [
    listsHandler(options),
    subscriptionsHandler({ latency: options.submitLatency ?? 'infinite' }),
  ],

  /** A request that passes the widget's own checks is refused by the server: 400 `invalid_body` with `fields` (→ error). */
  validationError: (
    options: ScenarioOptions & { fields?: Record<string, string> } = {},
  ): HttpHandler[] => [
    listsHandler(options),
    subscriptionsHandler({
      latency: options.latency,
      outcome: {
        kind: 'error',
        status: 400,
        code: 'invalid_body',
        message: 'The body has invalid fields',
        fields: options.fields ?? { email: 'This address cannot receive email' },
      },
    }),
  ],

  /** The server fails: 500 `internal` (→ error; an answer, so nothing stays queued: the form retries with the same idempotency key). */
  serverError: (options: ScenarioOptions = {}): HttpHandler[] => [
    listsHandler(options),
    subscriptionsHandler({
      latency: options.latency,
      outcome: { kind: 'error', status: 500, code: 'internal', message: 'Something went wrong on our side; please try again' },
    }),
  ],

  /** 429 `rate_limited` with `Retry-After` header and `retryAfter` in the body (→ rate-limited). */
  rateLimited: (options: ScenarioOptions & { retryAfter?: number } = {}): HttpHandler[] => {
    const retryAfter = options.retryAfter ?? 60;
    return [
      listsHandler(options),
      subscriptionsHandler({
        latency: options.latency,
        outcome: { kind: 'error', status: 429, code: 'rate_limited', message: 'Too many requests', retryAfter },
      }),
    ];
  },

  /** Lists load; the subscription request fails at the network level, as `fetch` does offline (→ offline). */
  offline: (options: ScenarioOptions = {}): HttpHandler[] => [
    listsHandler(options),
    subscriptionsHandler({ latency: options.latency, outcome: { kind: 'network-error' } }),
  ],

  /** `GET /lists` never answers (→ loading). */
  listsSlow: (): HttpHandler[] => [listsHandler({ latency: 'infinite' }), subscriptionsHandler()],

  /** `GET /lists` fails: a 500 `internal` error by default, or a network error. Subscriptions would succeed. */
  listsFailure: (options: ScenarioOptions & { kind?: 'server' | 'network' } = {}): HttpHandler[] => [
    http.get(LISTS_URL, async ({ request }) => {
      if (options.latency) await delay(options.latency);
      if (options.kind === 'network') {
        record(request, undefined, 'network-error');
        return HttpResponse.error();
      }
      record(request, undefined, 500);
      return errorResponse(500, 'internal', 'Something went wrong on our side; please try again');
    }),
    subscriptionsHandler({ latency: options.latency }),
  ],
} satisfies Record<string, (options?: never) => HttpHandler[]>;

export type ScenarioName = keyof typeof scenarios;

/** The default handlers: the success scenario. */
export const handlers: HttpHandler[] = scenarios.success();

/** A `GET` of `url` that fails with a 500, or a network error (→ a widget's load-error state); shared by the scenarios. */
export const failingGet = (url: string, o: { latency?: number | 'infinite'; kind?: 'server' | 'network' } = {}): HttpHandler =>
  http.get(url, async ({ request }) => {
    if (o.latency) await delay(o.latency as number);
    if (o.kind === 'network') {
      record(request, undefined, 'network-error');
      return HttpResponse.error();
    }
    record(request, undefined, 500);
    return errorResponse(500, 'internal', 'Something went wrong on our side; please try again');
  });
