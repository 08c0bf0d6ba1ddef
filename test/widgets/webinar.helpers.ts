/**
 * Helpers of the `<compa-webinar>` browser tests that only this widget has (not a test file itself): its markup,
 * its form, its queued registrations and its states. What every widget's tests share (hooks, waiting, queries,
 * requests, events, stubs) is in `common.helpers.ts`.
 */
import { html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import type { SetupWorker } from 'msw/browser';
import '../../src/widgets/webinar/compa-webinar.ts';
import type { CompaWebinar, WebinarList, WebinarState } from '../../src/widgets/webinar/compa-webinar.ts';
import type { Webinar } from '../../src/schemas/webinar.ts';
import { DEMO_SERIES, DEMO_WEBINAR, demoWebinar, webinarScenarios } from '../mocks/webinar-handlers.ts';
import { $, $$, driveInto, get, mountWidget, newApi, storePending, submit, text, typeInto, until, type Locale, type StateSpec, type Wrap } from './common.helpers.ts';

export type { CompaWebinar, WebinarState };

/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export const uniqueApi = (): string => newApi('w');

export interface MountOptions {
  api?: string;
  /** The webinar's slug (default the demo's; `null`: no attribute). */
  webinar?: string | null;
  series?: string;
  lang?: string;
  dir?: string;
  headingLevel?: number;
  timeZone?: string;
  /** Set as the `data` property before connecting (no GET). */
  data?: Webinar | WebinarList;
}

export function widgetTemplate(o: MountOptions = {}): TemplateResult {
  const webinar = o.series || o.webinar === null ? nothing : (o.webinar ?? DEMO_WEBINAR);
  return html`<compa-webinar
    api=${o.api ?? uniqueApi()}
    webinar=${webinar}
    series=${o.series ?? nothing}
    lang=${o.lang ?? nothing}
    dir=${o.dir ?? nothing}
    heading-level=${o.headingLevel ?? nothing}
    time-zone=${o.timeZone ?? nothing}
    .data=${o.data}
  ></compa-webinar>`;
}

/** Mounts a widget and waits for `state` (default: the form is ready). `null`: don't wait. */
export const mount = (o: MountOptions = {}, state: WebinarState | null = 'idle'): Promise<CompaWebinar> =>
  mountWidget<CompaWebinar>(widgetTemplate(o), state);

/** A webinar given as `data` (no GET), with the demo's fields replaced by `fields`. */
export const webinarData = (fields: Partial<Webinar> = {}, questions = false): Webinar => demoWebinar('en', { webinar: fields, questions });

export const status = (el: CompaWebinar): string => text(el, '[role="status"]');

export interface FormInput {
  name?: string;
  email?: string;
  /** Question id → text, a choice's option id, or `true` to tick a box. */
  answers?: Record<string, string | boolean>;
  consent?: boolean;
}

export const VALID: FormInput = { name: 'Ana García', email: 'ana@example.org', consent: true };
/** Valid answers to the demo questions. */
export const ANSWERS: Record<string, string | boolean> = { organisation: 'Peace Brigades', role: 'ask', recorded: true };

/** Fills in the form as a supporter would. */
export async function fill(el: CompaWebinar, input: FormInput): Promise<void> {
  const set = (selector: string, value: string) => typeInto(el, selector, value, { change: true });
  if (input.name !== undefined) set('#name', input.name);
  if (input.email !== undefined) set('#email', input.email);
  for (const [id, v] of Object.entries(input.answers ?? {})) {
    if (v === true) get<HTMLInputElement>(el, `#q-${id}`).click();
    else if ($(el, `#q-${id}-${v}`)) get<HTMLInputElement>(el, `#q-${id}-${v}`).click();
    else if (typeof v === 'string') set(`#q-${id}`, v);
  }
  if (input.consent) get<HTMLInputElement>(el, '#consent').click();
  await el.updateComplete;
}

export async function fillAndSubmit(el: CompaWebinar, input: FormInput = VALID): Promise<void> {
  await fill(el, input);
  await submit(el);
}

/** Stores a queued registration as a previous visit would have left it. */
export function seedPending(api: string, body: unknown, key: string, slug = DEMO_WEBINAR): void {
  storePending(api, `/webinars/${slug}/registrations`, body, key);
}

/** The ids of the shadow root's elements marked invalid. */
export const invalidIds = (el: CompaWebinar): string[] => $$(el, '[aria-invalid="true"]').map((n) => n.id);

/** Opens a series' webinar by its "Register" (or "Join the waitlist") button, and waits for its state. */
export async function openFromList(el: CompaWebinar, slug: string, state: WebinarState = 'idle'): Promise<void> {
  get(el, `#open-${slug}`).click();
  await until(() => el.state === state, () => `state ${state} (it is ${el.state})`);
  await el.updateComplete;
}

/** The states a supporter can see, how to get there (mocked API + actions), for the loops over every state. */
export const STATES: Record<string, StateSpec<CompaWebinar> & { mount?: MountOptions }> = {
  loading: { state: 'loading', msw: webinarScenarios.loadSlow },
  'load-error': { state: 'load-error', msw: webinarScenarios.loadFailure },
  'not-found': { state: 'not-found', msw: () => webinarScenarios.open(), mount: { webinar: 'no-such-webinar' } },
  list: { state: 'list', msw: () => webinarScenarios.series(), mount: { series: DEMO_SERIES } },
  idle: { state: 'idle', msw: () => webinarScenarios.nearlyFull({ questions: true }) },
  'idle-with-errors': {
    state: 'idle',
    msw: () => webinarScenarios.questions(),
    act: async (el) => {
      await submit(el);
      await until(() => $(el, '#email-error'), () => 'the field errors');
    },
  },
  full: { state: 'full', msw: () => webinarScenarios.full() },
  submitting: { state: 'submitting', msw: () => webinarScenarios.registerSlow(), act: (el) => fillAndSubmit(el) },
  registered: { state: 'registered', msw: () => webinarScenarios.open(), act: (el) => fillAndSubmit(el) },
  closed: { state: 'closed', msw: () => webinarScenarios.started() },
  ended: { state: 'ended', msw: () => webinarScenarios.ended() },
  offline: { state: 'offline', msw: () => webinarScenarios.offline(), act: (el) => fillAndSubmit(el) },
  error: { state: 'error', msw: () => webinarScenarios.serverError(), act: (el) => fillAndSubmit(el) },
  'rate-limited': { state: 'rate-limited', msw: () => webinarScenarios.rateLimited({ retryAfter: 120 }), act: (el) => fillAndSubmit(el) },
};

/** Mounts a widget (inside `wrap`, if given) and drives it into one of `STATES`, rendered in `locale`. */
export const inState = (
  worker: SetupWorker,
  name: keyof typeof STATES,
  locale: Locale,
  { wrap = (w) => w, ...options }: MountOptions & { wrap?: Wrap } = {},
): Promise<CompaWebinar> =>
  driveInto<CompaWebinar>(worker, STATES[name]!, locale, 'compa-webinar', () =>
    wrap(widgetTemplate({ timeZone: 'Europe/Madrid', ...options, ...STATES[name]!.mount, lang: locale })),
  );

export { DEMO_SERIES, DEMO_WEBINAR, demoWebinar };
