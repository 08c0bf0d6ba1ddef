/**
 * `<compa-newsletter>`: every state × English, Spanish and French, driven for real: the API is mocked by the
 * scenarios of `test/mocks/handlers.ts` (the same handlers as the widget tests, validated with the shared zod
 * schemas) and each story's `play` fills in and submits the form like a supporter would.
 *
 * Each story gives the widget its own `api` base (`https://demo.compa.test/<story id>`, never reached: the mock
 * service worker answers) so that a signup queued by the offline stories is never re-sent inside another story.
 */
import { html, nothing } from 'lit';
import type { HttpHandler } from 'msw';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../src/widgets/newsletter/compa-newsletter.ts';
import type { CompaNewsletter, NewsletterState } from '../src/widgets/newsletter/compa-newsletter.ts';
import { scenarios } from '../test/mocks/handlers.ts';
import { whileDeviceOffline } from '../test/mocks/device.ts';

interface NewsletterArgs {
  heading: string;
  headingLevel: number;
  hideFirstName: boolean;
  /** Comma-separated list slugs; empty: every public list. */
  lists: string;
  privacyUrl: string;
}

type Locale = 'en' | 'es' | 'fr';
type Story = StoryObj<NewsletterArgs>;
type PlayContext = Parameters<NonNullable<Story['play']>>[0];

const STORY_TIMEOUT = 10_000;

function widget(canvasElement: HTMLElement): CompaNewsletter {
  const el = canvasElement.querySelector('compa-newsletter');
  if (!el) throw new Error('<compa-newsletter> is not rendered');
  return el;
}

async function reach(el: CompaNewsletter, state: NewsletterState): Promise<void> {
  await waitFor(() => expect(el.state).toBe(state), { timeout: STORY_TIMEOUT });
}

/** Fills in the form as a supporter would (email, first list, consent) and submits it. */
async function fillAndSubmit({ canvasElement }: PlayContext): Promise<CompaNewsletter> {
  const el = widget(canvasElement);
  await reach(el, 'idle');
  await el.updateComplete;
  const root = el.shadowRoot!;
  await userEvent.type(root.querySelector<HTMLInputElement>('#email')!, 'ana@example.org');
  const firstList = root.querySelector<HTMLInputElement>('input[name="lists"]');
  if (firstList) await userEvent.click(firstList);
  await userEvent.click(root.querySelector<HTMLInputElement>('#consent')!);
  await userEvent.click(root.querySelector<HTMLButtonElement>('form button:not([type="button"])')!);
  return el;
}


interface StateSpec {
  /** What the supporter sees (documentation). */
  title: string;
  msw: () => HttpHandler[];
  play?: Story['play'];
}

/** Every state the widget can be in, with the mocked API that leads there and the supporter's actions. */
const STATES = {
  /** The lists never arrive: after the widget's own 10 s timeout it shows the load error, as in production. */
  loading: { title: 'Loading', msw: scenarios.listsSlow },
  'load-error': {
    title: 'Lists failed to load',
    msw: scenarios.listsFailure,
    play: async ({ canvasElement }) => reach(widget(canvasElement), 'load-error'),
  },
  idle: {
    title: 'Idle',
    msw: scenarios.success,
    play: async ({ canvasElement }) => reach(widget(canvasElement), 'idle'),
  },
  /** The server never answers: after the widget's own 15 s timeout the signup is kept on the device (offline). */
  submitting: {
    title: 'Submitting',
    msw: scenarios.slow,
    play: async (context) => reach(await fillAndSubmit(context), 'submitting'),
  },
  'check-inbox': {
    title: 'Check your inbox',
    msw: scenarios.success,
    play: async (context) => reach(await fillAndSubmit(context), 'check-inbox'),
  },
  /** A 400 naming `email`: the widget shows its own localised field error and stays `idle`. */
  invalid: {
    title: 'Refused by the server (400, field errors)',
    msw: scenarios.validationError,
    play: async (context) => {
      const el = await fillAndSubmit(context);
      await waitFor(() => expect(el.shadowRoot!.querySelector('#email[aria-invalid="true"]')).not.toBeNull(), {
        timeout: STORY_TIMEOUT,
      });
    },
  },
  error: {
    title: 'Error (server failure)',
    msw: scenarios.serverError,
    play: async (context) => reach(await fillAndSubmit(context), 'error'),
  },
  'rate-limited': {
    title: 'Rate limited',
    msw: () => scenarios.rateLimited({ retryAfter: 120 }),
    play: async (context) => reach(await fillAndSubmit(context), 'rate-limited'),
  },
  offline: {
    title: 'Offline (saved on the device)',
    msw: scenarios.offline,
    play: async (context) =>
      whileDeviceOffline(async () => reach(await fillAndSubmit(context), 'offline')),
  },
  unreachable: {
    title: 'Server unreachable (saved on the device)',
    msw: scenarios.offline,
    play: async (context) => reach(await fillAndSubmit(context), 'offline'),
  },
} satisfies Record<string, StateSpec>;

/** A state in a locale. (Storybook's indexer names it after the export, e.g. `CheckInboxFr` → "Check Inbox Fr".) */
function story(state: keyof typeof STATES, locale: Locale): Story {
  const spec: StateSpec = STATES[state];
  return {
    globals: { locale },
    parameters: { msw: spec.msw() },
    play: spec.play,
  };
}

const meta: Meta<NewsletterArgs> = {
  title: 'Widgets/Newsletter',
  component: 'compa-newsletter',
  args: { heading: '', headingLevel: 2, hideFirstName: false, lists: '', privacyUrl: '' },
  argTypes: {
    heading: { control: 'text', description: 'Replaces the default heading' },
    headingLevel: { control: { type: 'number', min: 1, max: 6 }, description: 'Level in the page outline' },
    hideFirstName: { control: 'boolean', description: "Don't ask for a first name" },
    lists: { control: 'text', description: 'Comma-separated list slugs (empty: every public list)' },
    privacyUrl: { control: 'text', description: "Privacy-policy URL; overrides the server's" },
  },
  render: (args, { id }) => html`<compa-newsletter
    api=${`https://demo.compa.test/${id}`}
    heading=${args.heading || nothing}
    heading-level=${args.headingLevel}
    ?hide-first-name=${args.hideFirstName}
    lists=${args.lists || nothing}
    privacy-url=${args.privacyUrl || nothing}
  ></compa-newsletter>`,
};
export default meta;

/** Follows the toolbar's locale; change the arguments in the Controls panel. */
export const Playground: Story = { parameters: { msw: scenarios.success({ latency: 400 }) } };

/** One list offered: no checkboxes, the list's description becomes the introduction. */
export const SingleList: Story = {
  args: { lists: 'urgent-actions', hideFirstName: true },
  parameters: { msw: scenarios.success({ latency: 400 }) },
};

export const LoadingEn = story('loading', 'en');
export const LoadingEs = story('loading', 'es');
export const LoadingFr = story('loading', 'fr');
export const LoadErrorEn = story('load-error', 'en');
export const LoadErrorEs = story('load-error', 'es');
export const LoadErrorFr = story('load-error', 'fr');
export const IdleEn = story('idle', 'en');
export const IdleEs = story('idle', 'es');
export const IdleFr = story('idle', 'fr');
export const SubmittingEn = story('submitting', 'en');
export const SubmittingEs = story('submitting', 'es');
export const SubmittingFr = story('submitting', 'fr');
export const CheckInboxEn = story('check-inbox', 'en');
export const CheckInboxEs = story('check-inbox', 'es');
export const CheckInboxFr = story('check-inbox', 'fr');
export const InvalidEn = story('invalid', 'en');
export const InvalidEs = story('invalid', 'es');
export const InvalidFr = story('invalid', 'fr');
export const ErrorEn = story('error', 'en');
export const ErrorEs = story('error', 'es');
export const ErrorFr = story('error', 'fr');
export const RateLimitedEn = story('rate-limited', 'en');
export const RateLimitedEs = story('rate-limited', 'es');
export const RateLimitedFr = story('rate-limited', 'fr');
export const OfflineEn = story('offline', 'en');
export const OfflineEs = story('offline', 'es');
export const OfflineFr = story('offline', 'fr');
export const UnreachableEn = story('unreachable', 'en');
export const UnreachableEs = story('unreachable', 'es');
export const UnreachableFr = story('unreachable', 'fr');
