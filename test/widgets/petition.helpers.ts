/**
 * Shared helpers of the `<compa-petition>` browser tests (not a test file itself). Each widget gets its own `api`
 * base, so a signature queued by one test is never flushed by another test's widget; `cleanUp()` (an `afterEach`)
 * drops what a test left behind: queued writes, the remembered supporter, a stubbed `EventSource`, URL params.
 */
import { fixture, html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import type { HttpHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import '../../src/widgets/petition/compa-petition.ts';
import type { CompaPetition, PetitionState } from '../../src/widgets/petition/compa-petition.ts';
import { SUPPORTER_KEY } from '../../src/widgets/petition/compa-petition.ts';
import { timing } from '../../src/widgets/petition/live.ts';
import { PENDING_PREFIX, type PendingAction } from '../../src/core/pending.ts';
import { API_PREFIX } from '../../src/schemas/limits.ts';
import type { Petition, PetitionCount } from '../../src/schemas/petition.ts';
import { requestLog, type RecordedRequest } from '../mocks/handlers.ts';
import { DEMO_SLUG, demoPetition, petitionScenarios } from '../mocks/petition-handlers.ts';

export type { CompaPetition, PetitionState };
export type Locale = 'en' | 'es' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'es', 'fr'];

let counter = 0;
const apis: string[] = [];
/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export function uniqueApi(): string {
  const api = `https://p${++counter}-${Math.random().toString(36).slice(2, 8)}.compa.test`;
  apis.push(api);
  return api;
}

export interface MountOptions {
  api?: string;
  campaign?: string | null;
  lang?: string;
  dir?: string;
  shareUrl?: string;
  noRemember?: boolean;
  compact?: boolean;
  headingLevel?: number;
  /** Set as the `data` property before connecting (no GET). */
  data?: Petition;
}

export function widgetTemplate(o: MountOptions = {}): TemplateResult {
  return html`<compa-petition
    api=${o.api ?? uniqueApi()}
    campaign=${o.campaign === null ? nothing : (o.campaign ?? DEMO_SLUG)}
    lang=${o.lang ?? nothing}
    dir=${o.dir ?? nothing}
    share-url=${o.shareUrl ?? nothing}
    heading-level=${o.headingLevel ?? nothing}
    ?no-remember=${!!o.noRemember}
    ?compact=${!!o.compact}
    .data=${o.data}
  ></compa-petition>`;
}

/** Mounts a widget and waits for `state` (default: the form is ready). `null`: don't wait. */
export async function mount(o: MountOptions = {}, state: PetitionState | null = 'idle'): Promise<CompaPetition> {
  const el = await fixture<CompaPetition>(widgetTemplate(o));
  if (state) await reach(el, state);
  return el;
}

/** Waits until `predicate` returns something truthy (a throw counts as not yet). */
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

/** Waits for the reflected `state` and the render that goes with it. */
export async function reach(el: CompaPetition, state: PetitionState, timeout = 5000): Promise<void> {
  await until(
    () => el.state === state && el.getAttribute('state') === state,
    () => `state "${state}" (it is "${el.state}")`,
    timeout,
  );
  await el.updateComplete;
}

/** Waits until the widget renders its messages in `locale` (the base part's `lang`). */
export async function speaks(el: CompaPetition, locale: string): Promise<void> {
  const lang = () => $(el, '[part~="base"]')?.getAttribute('lang');
  await until(() => lang() === locale, () => `lang="${locale}" on the base part (it is "${lang()}")`);
  await el.updateComplete;
}

export const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector) as T | null;
export const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
export function get<T extends Element = HTMLElement>(el: CompaPetition, selector: string): T {
  const found = $<T>(el, selector);
  if (!found) throw new Error(`No "${selector}" in the shadow root (state "${el.state}")`);
  return found;
}

export const base = (el: CompaPetition): HTMLElement => get(el, '[part~="base"]');
export const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
export const text = (el: CompaPetition, selector: string): string => norm(get(el, selector).textContent);
export const status = (el: CompaPetition): string => text(el, '[role="status"]');

/** Whether an element takes room on screen. */
export function isShown(node: Element): boolean {
  const r = node.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
}

/** The text a sighted supporter sees inside `root` (visually hidden and `display: none` text left out). */
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

/** The visible button whose text matches. */
export function button(el: CompaPetition, name: RegExp | string): HTMLButtonElement {
  const all = $$<HTMLButtonElement>(el, 'button').filter((b) => isShown(b));
  const found = all.find((b) => (typeof name === 'string' ? norm(b.textContent) === name : name.test(norm(b.textContent))));
  if (!found) throw new Error(`No visible button "${name}"; buttons: ${all.map((b) => `"${norm(b.textContent)}"`).join(', ')}`);
  return found;
}

export interface FormInput {
  firstName?: string;
  lastName?: string;
  email?: string;
  country?: string;
  comment?: string;
  keepInformed?: boolean;
  remember?: boolean;
}

export const VALID: FormInput = { firstName: 'Ana', lastName: 'García', email: 'ana@example.org', country: 'CO' };

/** Fills in the form as a supporter would. */
export async function fill(el: CompaPetition, input: FormInput): Promise<void> {
  const set = (selector: string, value: string) => {
    const field = get<HTMLInputElement>(el, selector);
    field.focus();
    field.value = value;
    field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  };
  if (input.firstName !== undefined) set('#firstName', input.firstName);
  if (input.lastName !== undefined) set('#lastName', input.lastName);
  if (input.email !== undefined) set('#email', input.email);
  if (input.country !== undefined) set('#country', input.country);
  if (input.comment !== undefined) set('#comment', input.comment);
  if (input.keepInformed) get<HTMLInputElement>(el, '#keepInformed').click();
  if (input.remember) get<HTMLInputElement>(el, '#remember').click();
  await el.updateComplete;
}

export async function submit(el: CompaPetition): Promise<void> {
  get<HTMLButtonElement>(el, 'form button[type="submit"]').click();
  await el.updateComplete;
}

export async function fillAndSubmit(el: CompaPetition, input: FormInput = VALID): Promise<void> {
  await fill(el, input);
  await submit(el);
}

const ours = (method: string) => requestLog.filter((r) => r.method === method && apis.some((api) => r.url.startsWith(api + '/')));
export const posts = (): RecordedRequest[] => ours('POST');
export const gets = (path = ''): RecordedRequest[] => ours('GET').filter((r) => new URL(r.url).pathname.includes(path));
export const keyOf = (r: RecordedRequest): string | undefined => r.headers['idempotency-key'];

export function storedPending(): PendingAction[] {
  return Object.keys(localStorage)
    .filter((k) => k.startsWith(PENDING_PREFIX))
    .map((k) => JSON.parse(localStorage.getItem(k)!) as PendingAction);
}

/** Stores a queued signature as a previous visit would have left it. */
export function seedPending(api: string, body: unknown, key: string, slug = DEMO_SLUG): void {
  const action: PendingAction = {
    idempotencyKey: key,
    api: api + API_PREFIX,
    path: `/petitions/${slug}/signatures`,
    body,
    createdAt: Date.now(),
  };
  localStorage.setItem(PENDING_PREFIX + key, JSON.stringify(action));
}

export const remember = (s: { firstName: string; lastName?: string; email: string; country: string }): void =>
  localStorage.setItem(SUPPORTER_KEY, JSON.stringify(s));

const undo: Array<() => void> = [];

/** Records every `name` event that reaches `target` (until `cleanUp()`). */
export function record<T = unknown>(target: EventTarget, name: string): CustomEvent<T>[] {
  const seen: CustomEvent<T>[] = [];
  const listener = (e: Event) => seen.push(e as CustomEvent<T>);
  target.addEventListener(name, listener);
  undo.push(() => target.removeEventListener(name, listener));
  return seen;
}

/** Records the reflected states the widget goes through. */
export function stateHistory(el: CompaPetition): string[] {
  const seen: string[] = [];
  new MutationObserver((records) => {
    for (const r of records) seen.push((r.target as Element).getAttribute('state') ?? '');
  }).observe(el, { attributes: true, attributeFilter: ['state'] });
  return seen;
}

/** Makes `navigator.onLine` report false while `fn` runs. */
export async function whileDeviceOffline<T>(fn: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  try {
    return await fn();
  } finally {
    delete (navigator as { onLine?: boolean }).onLine;
  }
}

/** Replaces a property of `target` until `cleanUp()`. */
export function stub<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  const had = Object.prototype.hasOwnProperty.call(target, key);
  const before = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { configurable: true, writable: true, value });
  undo.push(() => {
    if (had && before) Object.defineProperty(target, key, before);
    else delete (target as Record<K, unknown>)[key];
  });
}

/**
 * A stand-in for `EventSource`, installed on `window` until `cleanUp()`: tests open, feed and fail streams
 * deterministically. `instances` lists every stream the widget created.
 */
export class FakeEventSource extends EventTarget {
  static instances: FakeEventSource[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials: boolean;
  readyState = 0;
  onerror: ((e: Event) => void) | null = null;
  onopen: ((e: Event) => void) | null = null;
  closed = false;
  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    this.url = String(url);
    this.withCredentials = !!init?.withCredentials;
    FakeEventSource.instances.push(this);
  }
  open(): void {
    this.readyState = 1;
    const e = new Event('open');
    this.onopen?.(e);
    this.dispatchEvent(e);
  }
  count(c: Partial<PetitionCount> & { count: number }): void {
    if (this.readyState !== 1) this.open();
    this.dispatchEvent(new MessageEvent('count', { data: JSON.stringify({ goal: 5000, status: 'open', ...c }) }));
  }
  /** A failure: `final` (HTTP error, CLOSED) or a dropped connection the browser retries (CONNECTING). */
  fail(final = true): void {
    this.readyState = final ? 2 : 0;
    const e = new Event('error');
    this.onerror?.(e);
    this.dispatchEvent(e);
  }
  close(): void {
    this.readyState = 2;
    this.closed = true;
  }
}

export function useFakeEventSource(): typeof FakeEventSource {
  FakeEventSource.instances = [];
  stub(window, 'EventSource', FakeEventSource as unknown as typeof EventSource);
  return FakeEventSource;
}

/** Shortens the live counter's timings until `cleanUp()`. */
export function fastTimers(t: Partial<typeof timing>): void {
  const before = { ...timing };
  Object.assign(timing, t);
  undo.push(() => Object.assign(timing, before));
}

/** Sets the page URL's query (e.g. an action link) until `cleanUp()`. */
export function visit(search: string): void {
  const before = location.href;
  history.replaceState(history.state, '', location.pathname + search);
  undo.push(() => history.replaceState(history.state, '', before));
}

/** `afterEach`: what a test may leave behind on the page. */
export function cleanUp(): void {
  undo.splice(0).reverse().forEach((fn) => fn());
  apis.length = 0;
  for (const k of Object.keys(localStorage)) if (k.startsWith(PENDING_PREFIX) || k === SUPPORTER_KEY) localStorage.removeItem(k);
  delete (navigator as { onLine?: boolean }).onLine;
}

/** The states a supporter can see, how to get there (mocked API + actions), for the loops over every state. */
export const STATES: Record<
  string,
  { state: PetitionState; msw: () => HttpHandler[]; before?: () => void; act?: (el: CompaPetition) => Promise<void> }
> = {
  loading: { state: 'loading', msw: petitionScenarios.loadSlow },
  'load-error': { state: 'load-error', msw: petitionScenarios.loadFailure },
  'not-found': { state: 'not-found', msw: () => petitionScenarios.open() },
  idle: { state: 'idle', msw: petitionScenarios.open },
  'idle-with-errors': {
    state: 'idle',
    msw: petitionScenarios.open,
    act: async (el) => {
      await submit(el);
      await until(() => $(el, '#email-error'), () => 'the field errors');
    },
  },
  'one-click': {
    state: 'one-click',
    msw: petitionScenarios.open,
    before: () => remember({ firstName: 'Ana', lastName: 'García', email: 'ana@example.org', country: 'CO' }),
  },
  submitting: { state: 'submitting', msw: () => petitionScenarios.signSlow(), act: (el) => fillAndSubmit(el) },
  signed: { state: 'signed', msw: petitionScenarios.open, act: (el) => fillAndSubmit(el) },
  'check-inbox': { state: 'check-inbox', msw: petitionScenarios.verify, act: (el) => fillAndSubmit(el) },
  closed: { state: 'closed', msw: () => petitionScenarios.closed() },
  offline: { state: 'offline', msw: petitionScenarios.offline, act: (el) => fillAndSubmit(el) },
  error: { state: 'error', msw: petitionScenarios.serverError, act: (el) => fillAndSubmit(el) },
  'rate-limited': { state: 'rate-limited', msw: () => petitionScenarios.rateLimited({ retryAfter: 120 }), act: (el) => fillAndSubmit(el) },
};

/** Mounts a widget (inside `wrap`, if given) and drives it into one of `STATES`, rendered in `locale`. */
export async function inState(
  worker: SetupWorker,
  name: keyof typeof STATES,
  locale: Locale,
  { wrap = (w) => w, ...options }: MountOptions & { wrap?: (widget: TemplateResult) => TemplateResult } = {},
): Promise<CompaPetition> {
  const spec = STATES[name];
  worker.use(...spec.msw());
  spec.before?.();
  const root = await fixture<HTMLElement>(
    wrap(widgetTemplate({ ...options, lang: locale, campaign: name === 'not-found' ? 'no-such-petition' : options.campaign })),
  );
  const el = (root.localName === 'compa-petition' ? root : root.querySelector('compa-petition')) as CompaPetition;
  await speaks(el, locale);
  if (spec.state !== 'loading') await reach(el, spec.act ? 'idle' : spec.state);
  if (spec.act) await spec.act(el);
  await reach(el, spec.state);
  return el;
}

export { DEMO_SLUG, demoPetition };
