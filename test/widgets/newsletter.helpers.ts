/**
 * Shared helpers of the `<compa-newsletter>` browser tests (not a test file itself: the runner only picks
 * `*.test.ts`). Each widget gets its own `api` base, so a signup queued by one test is never flushed by another
 * test's widget; `cleanUp()` (an `afterEach`) also drops what a test left in `localStorage`.
 */
import { fixture, html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import '../../src/widgets/newsletter/compa-newsletter.ts';
import type { CompaNewsletter, NewsletterState } from '../../src/widgets/newsletter/compa-newsletter.ts';
import { PENDING_PREFIX, type PendingAction } from '../../src/core/pending.ts';
import { API_PREFIX } from '../../src/schemas/limits.ts';
import { LISTS_URL, demoListsResponse, requestLog, scenarios, type RecordedRequest } from '../mocks/handlers.ts';

export type { CompaNewsletter, NewsletterState };
export type Locale = 'en' | 'es' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'es', 'fr'];

let counter = 0;
/** The API bases handed out since the last `cleanUp()`: `posts()`/`gets()` only see requests to them. */
const apis: string[] = [];
/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export function uniqueApi(): string {
  const api = `https://t${++counter}-${Math.random().toString(36).slice(2, 8)}.compa.test`;
  apis.push(api);
  return api;
}

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
export async function mount(o: MountOptions = {}, state: NewsletterState | null = 'idle'): Promise<CompaNewsletter> {
  const el = await fixture<CompaNewsletter>(widgetTemplate(o));
  if (state) await reach(el, state);
  return el;
}

/**
 * Waits until `predicate` returns something truthy (a predicate that throws counts as not yet), with a message
 * that says what was seen instead.
 */
export async function until(predicate: () => unknown, describe: () => string, timeout = 5000): Promise<void> {
  const end = performance.now() + timeout;
  for (;;) {
    try {
      if (predicate()) return;
    } catch {
      /* not rendered yet */
    }
    if (performance.now() > end) throw new Error(`Timed out after ${timeout} ms waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits for the reflected `state` and for the render that goes with it. */
export async function reach(el: CompaNewsletter, state: NewsletterState, timeout = 5000): Promise<void> {
  await until(
    () => el.state === state && el.getAttribute('state') === state,
    () => `state "${state}" (it is "${el.state}")`,
    timeout,
  );
  await el.updateComplete;
}

/**
 * Waits until the widget renders its messages in `locale` (the locale's chunk loads lazily): the base part's
 * `lang` says which locale is on screen. Fails at once if the base part has no `lang` at all.
 */
export async function speaks(el: CompaNewsletter, locale: string): Promise<void> {
  const lang = () => $(el, '[part~="base"]')?.getAttribute('lang');
  await until(
    () => lang() === locale || lang() === null,
    () => `lang="${locale}" on the base part (it is "${lang()}")`,
  );
  if (lang() !== locale) throw new Error('The base part carries no lang attribute (WCAG 3.1.2)');
  await el.updateComplete;
}

export const $ = <T extends Element = HTMLElement>(el: CompaNewsletter, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector) as T | null;
export const $$ = <T extends Element = HTMLElement>(el: CompaNewsletter, selector: string): T[] => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
/** Like `$`, but fails with a clear message when the element is missing. */
export function get<T extends Element = HTMLElement>(el: CompaNewsletter, selector: string): T {
  const found = $<T>(el, selector);
  if (!found) throw new Error(`No "${selector}" in the shadow root (state "${el.state}")`);
  return found;
}

export const base = (el: CompaNewsletter): HTMLElement => get(el, '[part~="base"]');
export const heading = (el: CompaNewsletter): string => norm(get(el, '[part~="heading"]').textContent);
export const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** Whether an element takes room on screen (not `display: none`, not clipped to the 1 px visually-hidden box). */
export function isShown(node: Element): boolean {
  const r = node.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
}

/**
 * The text a sighted supporter sees inside `root`: text nodes inside visually hidden boxes (1×1 px) or
 * `display: none` elements are left out. Whitespace normalised.
 */
export function visibleText(root: Element): string {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let out = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    let hidden = false;
    for (let p = n.parentElement; p && p !== root.parentElement; p = p.parentElement) {
      if (!isShown(p)) hidden = true;
    }
    if (!hidden) out += n.textContent;
  }
  return norm(out);
}

/** The visible button whose text matches (buttons are found by what the supporter reads). */
export function button(el: CompaNewsletter, name: RegExp | string): HTMLButtonElement {
  const all = $$<HTMLButtonElement>(el, 'button').filter((b) => isShown(b));
  const found = all.find((b) => (typeof name === 'string' ? norm(b.textContent) === name : name.test(norm(b.textContent))));
  if (!found) throw new Error(`No visible button "${name}"; buttons: ${all.map((b) => `"${norm(b.textContent)}"`).join(', ')}`);
  return found;
}

export interface FormInput {
  email?: string;
  firstName?: string;
  lists?: string[];
  consent?: boolean;
}

/** Fills in the form as a supporter would (values typed, boxes clicked). */
export async function fill(el: CompaNewsletter, input: FormInput): Promise<void> {
  const type = (selector: string, value: string) => {
    const field = get<HTMLInputElement>(el, selector);
    field.focus();
    field.value = value;
    field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  };
  if (input.email !== undefined) type('#email', input.email);
  if (input.firstName !== undefined) type('#firstName', input.firstName);
  for (const slug of input.lists ?? []) get<HTMLInputElement>(el, `#list-${slug}`).click();
  if (input.consent) get<HTMLInputElement>(el, '#consent').click();
  await el.updateComplete;
}

/** Clicks the form's submit button. */
export async function submit(el: CompaNewsletter): Promise<void> {
  get<HTMLButtonElement>(el, 'form button[type="submit"]').click();
  await el.updateComplete;
}

export const VALID: FormInput = { email: 'ana@example.org', firstName: 'Ana', lists: ['urgent-actions'], consent: true };

export async function fillAndSubmit(el: CompaNewsletter, input: FormInput = VALID): Promise<void> {
  await fill(el, input);
  await submit(el);
}

/**
 * This test's requests (to the API bases it created). A request of an earlier test's widget can still reach the
 * mock after the log was reset (an aborted `fetch` is still handled): filtering by base keeps tests apart.
 */
const ours = (method: string) =>
  requestLog.filter((r) => r.method === method && apis.some((api) => r.url.startsWith(api + '/')));
export const posts = (): RecordedRequest[] => ours('POST');
export const gets = (): RecordedRequest[] => ours('GET');
export const keyOf = (r: RecordedRequest): string | undefined => r.headers['idempotency-key'];

/** Every queued write in `localStorage`. */
export function storedPending(): PendingAction[] {
  return Object.keys(localStorage)
    .filter((k) => k.startsWith(PENDING_PREFIX))
    .map((k) => JSON.parse(localStorage.getItem(k)!) as PendingAction);
}

/** Stores a queued signup as a previous visit would have left it. */
export function seedPending(api: string, body: unknown, key: string, createdAt = Date.now()): void {
  const action: PendingAction = { idempotencyKey: key, api: api + API_PREFIX, path: '/subscriptions', body, createdAt };
  localStorage.setItem(PENDING_PREFIX + key, JSON.stringify(action));
}

const listeners: Array<() => void> = [];

/** Records every `name` event that reaches `target` (until `cleanUp()`). */
export function record<T = unknown>(target: EventTarget, name: string): CustomEvent<T>[] {
  const seen: CustomEvent<T>[] = [];
  const listener = (e: Event) => seen.push(e as CustomEvent<T>);
  target.addEventListener(name, listener);
  listeners.push(() => target.removeEventListener(name, listener));
  return seen;
}

/** Records the reflected states the widget goes through (attribute changes, in order). */
export function stateHistory(el: CompaNewsletter): string[] {
  const seen: string[] = [];
  new MutationObserver((records) => {
    for (const r of records) seen.push((r.target as Element).getAttribute('state') ?? '');
  }).observe(el, { attributes: true, attributeFilter: ['state'] });
  return seen;
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

/** Makes `navigator.onLine` report false while `fn` runs (a device without a connection). */
export async function whileDeviceOffline<T>(fn: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  try {
    return await fn();
  } finally {
    delete (navigator as { onLine?: boolean }).onLine;
  }
}

/** `afterEach`: what a test may leave behind on the page. */
export function cleanUp(): void {
  listeners.splice(0).forEach((remove) => remove());
  apis.length = 0;
  for (const k of Object.keys(localStorage)) if (k.startsWith(PENDING_PREFIX)) localStorage.removeItem(k);
  delete (navigator as { onLine?: boolean }).onLine;
}

/** The states a supporter can see, how to get there (mocked API + actions), for the loops over every state. */
export const STATES: Record<
  string,
  { state: NewsletterState; msw: () => HttpHandler[]; act?: (el: CompaNewsletter) => Promise<void> }
> = {
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
export async function inState(
  worker: SetupWorker,
  name: keyof typeof STATES,
  locale: Locale,
  { wrap = (w) => w, ...options }: MountOptions & { wrap?: (widget: TemplateResult) => TemplateResult } = {},
): Promise<CompaNewsletter> {
  const spec = STATES[name];
  worker.use(...spec.msw());
  const root = await fixture<HTMLElement>(wrap(widgetTemplate({ ...options, lang: locale })));
  const el = (root.localName === 'compa-newsletter' ? root : root.querySelector('compa-newsletter')) as CompaNewsletter;
  await speaks(el, locale);
  if (spec.state !== 'loading') await reach(el, spec.act ? 'idle' : spec.state);
  if (spec.act) await spec.act(el);
  await reach(el, spec.state);
  return el;
}
