/**
 * Helpers shared by the browser tests of every widget (not a test file itself: the runner only picks `*.test.ts`):
 * the per-file hooks (`useWidgetPage`), waiting (`until`, `reach`, `speaks`), shadow-root queries, what a supporter
 * sees and clicks, the requests a test's own widgets sent, queued writes, recorded events, stubs, offline
 * devices, and the accessibility checks every widget passes (axe in every state, reflow at 320 px). What only one
 * widget has lives in its own helpers (`newsletter.helpers.ts`, `petition.helpers.ts`).
 *
 * Each widget gets its own `api` base (`newApi`), so a write queued by one test is never flushed by another test's
 * widget; `cleanUp()` (an `afterEach`, registered by `useWidgetPage`) undoes what a test left behind on the page.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { HttpHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import { PENDING_PREFIX, type PendingAction } from '../../src/core/pending.ts';
import { API_PREFIX } from '../../src/schemas/limits.ts';
import { useMockApi } from '../mocks/browser.ts';
import { requestLog, type RecordedRequest } from '../mocks/handlers.ts';

export type Locale = 'en' | 'es' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'es', 'fr'];

/** A widget element: a Lit element that reflects its `state`. */
export interface Widget extends HTMLElement {
  readonly state: string;
  readonly updateComplete: Promise<boolean>;
}

// --- API bases and requests ------------------------------------------------------------------------------------

let counter = 0;
/** The API bases handed out since the last `cleanUp()`: `posts()`/`gets()` only see requests to them. */
const apis: string[] = [];

/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export function newApi(prefix: string): string {
  const api = `https://${prefix}${++counter}-${Math.random().toString(36).slice(2, 8)}.compa.test`;
  apis.push(api);
  return api;
}

/**
 * This test's requests (to the API bases it created). A request of an earlier test's widget can still reach the
 * mock after the log was reset (an aborted `fetch` is still handled): filtering by base keeps tests apart.
 */
const ours = (method: string) => requestLog.filter((r) => r.method === method && apis.some((api) => r.url.startsWith(api + '/')));
export const posts = (): RecordedRequest[] => ours('POST');
/** This test's GET requests, to paths containing `path` (all of them by default). */
export const gets = (path = ''): RecordedRequest[] => ours('GET').filter((r) => new URL(r.url).pathname.includes(path));
export const keyOf = (r: RecordedRequest): string | undefined => r.headers['idempotency-key'];

/** Every queued write in `localStorage`. */
export function storedPending(): PendingAction[] {
  return Object.keys(localStorage)
    .filter((k) => k.startsWith(PENDING_PREFIX))
    .map((k) => JSON.parse(localStorage.getItem(k)!) as PendingAction);
}

/** Stores a queued write to `path` as a previous visit would have left it. */
export function storePending(api: string, path: string, body: unknown, key: string, createdAt = Date.now()): void {
  const action: PendingAction = { idempotencyKey: key, api: api + API_PREFIX, path, body, createdAt };
  localStorage.setItem(PENDING_PREFIX + key, JSON.stringify(action));
}

// --- Clean-up --------------------------------------------------------------------------------------------------

/** What the current test must undo (run in reverse order by `cleanUp()`). */
const undo: Array<() => void> = [];
/** What every `cleanUp()` does on top (registered once by a widget's helpers). */
const always: Array<() => void> = [];

/** Runs `fn` at the end of the current test (`cleanUp()`), after what was registered later. */
export function onCleanUp(fn: () => void): void {
  undo.push(fn);
}

/** Runs `fn` in every `cleanUp()`, for what a widget may leave behind in any test. */
export function onEveryCleanUp(fn: () => void): void {
  always.push(fn);
}

/** `afterEach`: what a test may leave behind on the page. */
export function cleanUp(): void {
  undo.splice(0).reverse().forEach((fn) => fn());
  apis.length = 0;
  for (const k of Object.keys(localStorage)) if (k.startsWith(PENDING_PREFIX)) localStorage.removeItem(k);
  always.forEach((fn) => fn());
  delete (navigator as { onLine?: boolean }).onLine;
}

export interface WidgetPage {
  /** The mock API, reset to its success scenarios before each test. */
  readonly worker: SetupWorker;
  /** Cleans up and starts afresh in the middle of a test, as between two tests. */
  reset(): Promise<void>;
}

/**
 * The hooks a widget test file starts with: before each test a fresh mock API (`worker`) and `setUp`; after
 * it `cleanUp()` and, with `restoreHtmlLang`, `<html lang>` put back as it was when the file loaded.
 *
 *   const mock = useWidgetPage();                 // at the top of the file
 *   mock.worker.use(...scenarios.offline());      // in a test
 */
export function useWidgetPage({
  setUp,
  restoreHtmlLang = false,
}: { setUp?: () => void; restoreHtmlLang?: boolean } = {}): WidgetPage {
  const htmlLang = document.documentElement.getAttribute('lang');
  let worker: SetupWorker | undefined;
  const start = async () => {
    worker = await useMockApi();
    setUp?.();
  };
  const finish = () => {
    cleanUp();
    if (!restoreHtmlLang) return;
    if (htmlLang === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', htmlLang);
  };
  beforeEach(start);
  afterEach(finish);
  return {
    get worker() {
      if (!worker) throw new Error('The mock API starts in `beforeEach`: use `mock.worker` inside a test or hook');
      return worker;
    },
    async reset() {
      finish();
      await start();
    },
  };
}

// --- Waiting ---------------------------------------------------------------------------------------------------

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
export async function reach<E extends Widget>(el: E, state: E['state'], timeout = 5000): Promise<void> {
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
export async function speaks(el: Widget, locale: string): Promise<void> {
  const lang = () => $(el, '[part~="base"]')?.getAttribute('lang');
  await until(
    () => lang() === locale || lang() === null,
    () => `lang="${locale}" on the base part (it is "${lang()}")`,
  );
  if (lang() !== locale) throw new Error('The base part carries no lang attribute (WCAG 3.1.2)');
  await el.updateComplete;
}

/** Records the reflected states the widget goes through (attribute changes, in order). */
export function stateHistory(el: Element): string[] {
  const seen: string[] = [];
  new MutationObserver((records) => {
    for (const r of records) seen.push((r.target as Element).getAttribute('state') ?? '');
  }).observe(el, { attributes: true, attributeFilter: ['state'] });
  return seen;
}

// --- Mounting --------------------------------------------------------------------------------------------------

/** Mounts `template` and waits for `state` (`null`: don't wait). */
export async function mountWidget<E extends Widget>(template: TemplateResult, state: E['state'] | null): Promise<E> {
  const el = await fixture<E>(template);
  if (state) await reach(el, state);
  return el;
}

/** A state a supporter can see, and how to get there (mocked API, something to set up first, actions). */
export interface StateSpec<E extends Widget> {
  state: E['state'];
  msw: () => HttpHandler[];
  before?: () => void;
  act?: (el: E) => Promise<void>;
}

/** Puts the widget inside other markup (a page direction, a narrow column). */
export type Wrap = (widget: TemplateResult) => TemplateResult;

/**
 * Mounts what `render` returns (the widget `tag`, maybe wrapped) and drives the widget into `spec`'s state,
 * rendered in `locale`.
 */
export async function driveInto<E extends Widget>(
  worker: SetupWorker,
  spec: StateSpec<E>,
  locale: Locale,
  tag: string,
  render: () => TemplateResult,
): Promise<E> {
  worker.use(...spec.msw());
  spec.before?.();
  const root = await fixture<HTMLElement>(render());
  const el = (root.localName === tag ? root : root.querySelector(tag)) as E;
  await speaks(el, locale);
  if (spec.state !== 'loading') await reach(el, spec.act ? ('idle' as E['state']) : spec.state);
  if (spec.act) await spec.act(el);
  await reach(el, spec.state);
  return el;
}

// --- Queries ---------------------------------------------------------------------------------------------------

export const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector) as T | null;
export const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
/** Like `$`, but fails with a clear message when the element is missing. */
export function get<T extends Element = HTMLElement>(el: Widget, selector: string): T {
  const found = $<T>(el, selector);
  if (!found) throw new Error(`No "${selector}" in the shadow root (state "${el.state}")`);
  return found;
}

export const base = (el: Widget): HTMLElement => get(el, '[part~="base"]');
export const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
/** The text of the element `selector` finds, whitespace normalised. */
export const text = (el: Widget, selector: string): string => norm(get(el, selector).textContent);

/** The element the shadow root has focused (what a keyboard or screen-reader user is on). */
export const focused = (el: Widget): HTMLElement | null => el.shadowRoot!.activeElement as HTMLElement | null;

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

// --- Acting as a supporter -------------------------------------------------------------------------------------

/** The visible button whose text matches (buttons are found by what the supporter reads). */
export function button(el: Widget, name: RegExp | string): HTMLButtonElement {
  const all = $$<HTMLButtonElement>(el, 'button').filter((b) => isShown(b));
  const found = all.find((b) => (typeof name === 'string' ? norm(b.textContent) === name : name.test(norm(b.textContent))));
  if (!found) throw new Error(`No visible button "${name}"; buttons: ${all.map((b) => `"${norm(b.textContent)}"`).join(', ')}`);
  return found;
}

/** Types `value` into the field `selector` finds, as a supporter would (an `input` event; `change` too if asked). */
export function typeInto(el: Widget, selector: string, value: string, { change = false } = {}): void {
  const field = get<HTMLInputElement>(el, selector);
  field.focus();
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  if (change) field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** `tab()` presses Tab; `order` lists what got the focus each time (its id, or else its text). */
export function tabbing(el: Widget): { order: string[]; tab: () => Promise<void> } {
  const order: string[] = [];
  const tab = async () => {
    await sendKeys({ press: 'Tab' });
    const f = focused(el);
    order.push(f?.id || norm(f?.textContent));
  };
  return { order, tab };
}

/** Clicks the form's submit button. */
export async function submit(el: Widget): Promise<void> {
  get<HTMLButtonElement>(el, 'form button[type="submit"]').click();
  await el.updateComplete;
}

// --- Events, stubs, devices ------------------------------------------------------------------------------------

/** Records every `name` event that reaches `target` (until `cleanUp()`). */
export function record<T = unknown>(target: EventTarget, name: string): CustomEvent<T>[] {
  const seen: CustomEvent<T>[] = [];
  const listener = (e: Event) => seen.push(e as CustomEvent<T>);
  target.addEventListener(name, listener);
  onCleanUp(() => target.removeEventListener(name, listener));
  return seen;
}

/** Replaces a property of `target` until `cleanUp()`. */
export function stub<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  const had = Object.prototype.hasOwnProperty.call(target, key);
  const before = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { configurable: true, writable: true, value });
  onCleanUp(() => {
    if (had && before) Object.defineProperty(target, key, before);
    else delete (target as Record<K, unknown>)[key];
  });
}

export { whileDeviceOffline } from '../mocks/device.ts';

// --- Accessibility and layout ----------------------------------------------------------------------------------

/**
 * Inside a `describe`: one test per state of `states` × locale (`${name}, ${locale}`), each driving the widget
 * into that state and checking that it carries its own `lang` (3.1.2) and passes axe.
 */
export function itPassesAxeInEveryState<E extends Widget>(
  mock: WidgetPage,
  states: Record<string, unknown>,
  inState: (worker: SetupWorker, name: string, locale: Locale) => Promise<E>,
): void {
  for (const name of Object.keys(states)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(mock.worker, name, locale);
        expect(base(el).getAttribute('lang'), 'the widget’s own lang (3.1.2)').to.equal(locale);
        await expect(el).to.be.accessible();
      });
    }
  }
}

/** The two ways a widget ends up right to left: its own `dir`, or the page's. */
export const RTL_VARIANTS: Record<string, { dir?: string; wrap?: Wrap }> = {
  'dir="rtl" on the element': { dir: 'rtl' },
  'dir="rtl" on the page': { wrap: (w) => html`<div dir="rtl">${w}</div>` },
};

/** Puts the widget in a column 320 px wide (reflow, 1.4.10). */
export const narrow: Wrap = (w) => html`<div style="width:320px">${w}</div>`;

/** The elements `selector` finds that a supporter can operate: shown, and not inside an `aria-hidden` part. */
export const operable = (el: Widget, selector: string): HTMLElement[] =>
  $$(el, selector).filter((c) => isShown(c) && !c.closest('[aria-hidden="true"]'));

/**
 * A widget in a column 320 px wide: no horizontal overflow, and every control inside the card and at least
 * 24 × 24 px (2.5.8), except the ones `exempt` says are links inside a sentence (inline targets).
 */
export function expectReflowAt320(el: Widget, controls: Element[], exempt: (control: Element) => boolean): void {
  const b = base(el);
  expect(b.scrollWidth, 'the content fits its card').to.be.at.most(b.clientWidth);
  expect(el.getBoundingClientRect().width, 'the card fits 320 px').to.be.at.most(320);
  const card = b.getBoundingClientRect();
  for (const control of controls) {
    const r = control.getBoundingClientRect();
    const what = `${control.localName}#${control.id || norm(control.textContent)}`;
    expect(r.left >= card.left - 0.5 && r.right <= card.right + 0.5, `${what} is inside the card`).to.equal(true);
    if (exempt(control)) continue;
    expect(r.width, `${what} width`).to.be.at.least(24);
    expect(r.height, `${what} height`).to.be.at.least(24);
  }
}

/**
 * Creates a `tag` widget with `attributes` in a column 320 px wide at 200 % text size (a page with a 32 px base
 * font), waits for its form, and checks nothing overflows.
 */
export async function expectFitsAt200Percent(tag: string, attributes: Record<string, string>): Promise<void> {
  const wrapper = await fixture<HTMLDivElement>(html`<div style="width:320px;font-size:32px"></div>`);
  const el = document.createElement(tag) as Widget;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  wrapper.append(el);
  await reach(el, 'idle');
  expect(base(el).scrollWidth).to.be.at.most(base(el).clientWidth);
}
