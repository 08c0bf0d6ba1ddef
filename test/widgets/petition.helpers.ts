/**
 * Helpers of the `<compa-petition>` browser tests that only this widget has (not a test file itself): its markup,
 * its form, its queued signatures and remembered supporter, a stand-in `EventSource`, the live counter's timers,
 * action links and its states. What every widget's tests share (hooks, waiting, queries, requests, events, stubs)
 * is in `common.helpers.ts`, whose `cleanUp()` also forgets, once this file is loaded, the supporter a test remembered.
 */
import { html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import type { SetupWorker } from 'msw/browser';
import '../../src/widgets/petition/compa-petition.ts';
import type { CompaPetition, PetitionState } from '../../src/widgets/petition/compa-petition.ts';
import { SUPPORTER_KEY } from '../../src/widgets/petition/compa-petition.ts';
import { timing } from '../../src/widgets/petition/live.ts';
import type { Petition, PetitionCount } from '../../src/schemas/petition.ts';
import { DEMO_SLUG, demoPetition, petitionScenarios } from '../mocks/petition-handlers.ts';
import {
  $,
  driveInto,
  get,
  mountWidget,
  newApi,
  onCleanUp,
  onEveryCleanUp,
  storePending,
  stub,
  submit,
  text,
  typeInto,
  until,
  type Locale,
  type StateSpec,
  type Wrap,
} from './common.helpers.ts';

export type { CompaPetition, PetitionState };

/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export const uniqueApi = (): string => newApi('p');

onEveryCleanUp(() => localStorage.removeItem(SUPPORTER_KEY));

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
export const mount = (o: MountOptions = {}, state: PetitionState | null = 'idle'): Promise<CompaPetition> =>
  mountWidget<CompaPetition>(widgetTemplate(o), state);

export const status = (el: CompaPetition): string => text(el, '[role="status"]');

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
  const set = (selector: string, value: string) => typeInto(el, selector, value, { change: true });
  if (input.firstName !== undefined) set('#firstName', input.firstName);
  if (input.lastName !== undefined) set('#lastName', input.lastName);
  if (input.email !== undefined) set('#email', input.email);
  if (input.country !== undefined) set('#country', input.country);
  if (input.comment !== undefined) set('#comment', input.comment);
  if (input.keepInformed) get<HTMLInputElement>(el, '#keepInformed').click();
  if (input.remember) get<HTMLInputElement>(el, '#remember').click();
  await el.updateComplete;
}

export async function fillAndSubmit(el: CompaPetition, input: FormInput = VALID): Promise<void> {
  await fill(el, input);
  await submit(el);
}

/** Stores a queued signature as a previous visit would have left it. */
export function seedPending(api: string, body: unknown, key: string, slug = DEMO_SLUG): void {
  storePending(api, `/petitions/${slug}/signatures`, body, key);
}

/** No share sheet button (present on some platforms only), for a deterministic layout and texts, until `cleanUp()`. */
export const withoutShareSheet = (): void => stub(navigator, 'share', undefined as unknown as Navigator['share']);

export const remember = (s: { firstName: string; lastName?: string; email: string; country: string }): void =>
  localStorage.setItem(SUPPORTER_KEY, JSON.stringify(s));

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
  onCleanUp(() => Object.assign(timing, before));
}

/** Sets the page URL's query (e.g. an action link) until `cleanUp()`. */
export function visit(search: string): void {
  const before = location.href;
  history.replaceState(history.state, '', location.pathname + search);
  onCleanUp(() => history.replaceState(history.state, '', before));
}

/** The states a supporter can see, how to get there (mocked API + actions), for the loops over every state. */
export const STATES: Record<string, StateSpec<CompaPetition>> = {
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
export const inState = (
  worker: SetupWorker,
  name: keyof typeof STATES,
  locale: Locale,
  { wrap = (w) => w, ...options }: MountOptions & { wrap?: Wrap } = {},
): Promise<CompaPetition> =>
  driveInto<CompaPetition>(worker, STATES[name], locale, 'compa-petition', () =>
    wrap(widgetTemplate({ ...options, lang: locale, campaign: name === 'not-found' ? 'no-such-petition' : options.campaign })),
  );

export { DEMO_SLUG, demoPetition };
