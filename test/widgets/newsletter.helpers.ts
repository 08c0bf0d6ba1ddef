/**
 * Helpers of the `<compa-newsletter>` browser tests that only this widget has (not a test file itself: the runner
 * only picks `*.test.ts`): its markup, its form, its queued signups, a gated `GET /lists` and its states. What every
 * widget's tests share (hooks, waiting, queries, requests, events) is in `common.helpers.ts`.
 */
import { html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import '../../src/widgets/newsletter/compa-newsletter.ts';
import type { CompaNewsletter, NewsletterState } from '../../src/widgets/newsletter/compa-newsletter.ts';
import { LISTS_URL, demoListsResponse, scenarios } from '../mocks/handlers.ts';
import {
  $,
  driveInto,
  get,
  mountWidget,
  newApi,
  storePending,
  submit,
  text,
  typeInto,
  until,
  type Locale,
  type StateSpec,
  type Wrap,
} from './common.helpers.ts';

export type { CompaNewsletter, NewsletterState };

/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export const uniqueApi = (): string => newApi('t');

export interface MountOptions {
  api?: string;
  lang?: string;
  lists?: string;
  hideFirstName?: boolean;
  privacyUrl?: string;
  dir?: string;
}

/** The widget element, bound to the given attributes. */
export function widgetTemplate(o: MountOptions = {}): TemplateResult {
  return html`<compa-newsletter
    api=${o.api ?? uniqueApi()}
    lang=${o.lang ?? nothing}
    lists=${o.lists ?? nothing}
    ?hide-first-name=${!!o.hideFirstName}
    privacy-url=${o.privacyUrl ?? nothing}
    dir=${o.dir ?? nothing}
  ></compa-newsletter>`;
}

/** Mounts a widget and waits for `state` (default: the form is ready). `null`: don't wait. */
export const mount = (o: MountOptions = {}, state: NewsletterState | null = 'idle'): Promise<CompaNewsletter> =>
  mountWidget<CompaNewsletter>(widgetTemplate(o), state);

export const heading = (el: CompaNewsletter): string => text(el, '[part~="heading"]');

export interface FormInput {
  email?: string;
  firstName?: string;
  lists?: string[];
  consent?: boolean;
}

/** Fills in the form as a supporter would (values typed, boxes clicked). */
export async function fill(el: CompaNewsletter, input: FormInput): Promise<void> {
  if (input.email !== undefined) typeInto(el, '#email', input.email);
  if (input.firstName !== undefined) typeInto(el, '#firstName', input.firstName);
  for (const slug of input.lists ?? []) get<HTMLInputElement>(el, `#list-${slug}`).click();
  if (input.consent) get<HTMLInputElement>(el, '#consent').click();
  await el.updateComplete;
}

export const VALID: FormInput = { email: 'ana@example.org', firstName: 'Ana', lists: ['urgent-actions'], consent: true };

export async function fillAndSubmit(el: CompaNewsletter, input: FormInput = VALID): Promise<void> {
  await fill(el, input);
  await submit(el);
}

/** Stores a queued signup as a previous visit would have left it. */
export function seedPending(api: string, body: unknown, key: string, createdAt = Date.now()): void {
  storePending(api, '/subscriptions', body, key, createdAt);
}

/**
 * A `GET /lists` handler that answers only when the test says so: states in between are observed without
 * racing a timer. `requested` resolves when the request reached the mock (`urls`), `answered` once it was answered.
 */
export function gatedLists(): {
  handler: HttpHandler;
  open: () => void;
  requested: Promise<void>;
  answered: Promise<void>;
  urls: string[];
} {
  const urls: string[] = [];
  let open!: () => void;
  let onRequest!: () => void;
  let onAnswer!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const requested = new Promise<void>((resolve) => (onRequest = resolve));
  const answered = new Promise<void>((resolve) => (onAnswer = resolve));
  const handler = http.get(LISTS_URL, async ({ request }) => {
    urls.push(request.url);
    onRequest();
    await gate;
    const locale = new URL(request.url).searchParams.get('locale') ?? undefined;
    setTimeout(onAnswer);
    return HttpResponse.json(demoListsResponse(locale));
  });
  return { handler, open, requested, answered, urls };
}

/** The states a supporter can see, how to get there (mocked API + actions), for the loops over every state. */
export const STATES: Record<string, StateSpec<CompaNewsletter>> = {
  loading: { state: 'loading', msw: scenarios.listsSlow },
  'load-error': { state: 'load-error', msw: scenarios.listsFailure },
  idle: { state: 'idle', msw: scenarios.success },
  'idle-with-errors': {
    state: 'idle',
    msw: scenarios.success,
    act: async (el) => {
      await submit(el); // nothing filled in: email, lists and consent errors
      await until(() => $(el, '#email-error') && $(el, '#consent-error'), () => 'the field errors');
    },
  },
  submitting: { state: 'submitting', msw: () => scenarios.slow(), act: (el) => fillAndSubmit(el) },
  'check-inbox': { state: 'check-inbox', msw: scenarios.success, act: (el) => fillAndSubmit(el) },
  error: { state: 'error', msw: scenarios.serverError, act: (el) => fillAndSubmit(el) },
  'rate-limited': {
    state: 'rate-limited',
    msw: () => scenarios.rateLimited({ retryAfter: 120 }),
    act: (el) => fillAndSubmit(el),
  },
  offline: { state: 'offline', msw: scenarios.offline, act: (el) => fillAndSubmit(el) },
};

/** Mounts a widget (inside `wrap`, if given) and drives it into one of `STATES`, rendered in `locale`. */
export const inState = (
  worker: SetupWorker,
  name: keyof typeof STATES,
  locale: Locale,
  { wrap = (w) => w, ...options }: MountOptions & { wrap?: Wrap } = {},
): Promise<CompaNewsletter> =>
  driveInto<CompaNewsletter>(worker, STATES[name], locale, 'compa-newsletter', () => wrap(widgetTemplate({ ...options, lang: locale })));
