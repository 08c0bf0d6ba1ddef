/**
 * Helpers of the `<compa-story-feed>` browser tests that only this widget has (not a test file itself): its markup,
 * its cards, the reader, and its states. What every widget's tests share (hooks, waiting, queries, requests,
 * events, stubs) is in `common.helpers.ts`.
 */
import { html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import type { HttpHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import '../../src/widgets/story-feed/compa-story-feed.ts';
import type { CompaStoryFeed, StoryFeedState } from '../../src/widgets/story-feed/compa-story-feed.ts';
import { DEMO_STORIES, TEST_EMBED, storyScenarios } from '../mocks/story-handlers.ts';
import { $, $$, button, get, mountWidget, newApi, norm, onCleanUp, reach, speaks, until, type Locale, type Wrap } from './common.helpers.ts';

export type { CompaStoryFeed, StoryFeedState };

/** A base URL no other test uses (the mock answers any origin; nothing is ever reached). */
export const uniqueApi = (): string => newApi('s');

export interface MountOptions {
  api?: string;
  lang?: string;
  dir?: string;
  layout?: string;
  limit?: number;
  region?: string;
  partner?: string;
  tag?: string;
  filters?: boolean;
  headingLevel?: number;
  noReader?: boolean;
}

export function widgetTemplate(o: MountOptions = {}): TemplateResult {
  return html`<compa-story-feed
    api=${o.api ?? uniqueApi()}
    lang=${o.lang ?? nothing}
    dir=${o.dir ?? nothing}
    layout=${o.layout ?? nothing}
    limit=${o.limit ?? nothing}
    region=${o.region ?? nothing}
    partner=${o.partner ?? nothing}
    tag=${o.tag ?? nothing}
    heading-level=${o.headingLevel ?? nothing}
    ?filters=${o.filters}
    ?no-reader=${o.noReader}
  ></compa-story-feed>`;
}

/** Mounts a feed and waits for `state` (default: the list). `null`: don't wait. */
export const mount = (o: MountOptions = {}, state: StoryFeedState | null = 'list'): Promise<CompaStoryFeed> =>
  mountWidget<CompaStoryFeed>(widgetTemplate(o), state);

/** The ids of the stories shown, in order. */
export const shownIds = (el: CompaStoryFeed): string[] => $$(el, '[part~="card"]').map((c) => c.getAttribute('aria-labelledby')!.slice(2));
/** The titles of the stories shown, in order. */
export const titles = (el: CompaStoryFeed): string[] => $$(el, '[part~="card"] [part~="title"]').map((t) => norm(t.textContent));
/** The card of story `id`. */
export const card = (el: CompaStoryFeed, id: string): HTMLElement => get(el, `[part~="card"][aria-labelledby="t-${id}"]`);
/** The link in the title of story `id`. */
export const storyLink = (el: CompaStoryFeed, id: string): HTMLAnchorElement => get<HTMLAnchorElement>(el, `#t-${id} a`);

/** The live region's text. */
export const status = (el: CompaStoryFeed): string => norm(get(el, '[role="status"]').textContent);

/** Clicks "Load more stories" and waits until the request is answered (the button usable again, or gone). */
export async function loadMore(el: CompaStoryFeed): Promise<void> {
  get(el, '[part~="more"]').click();
  await el.updateComplete;
  const more = () => $(el, '[part~="more"]');
  await until(
    () => more()?.getAttribute('aria-disabled') !== 'true',
    () => `the next page, or an error (${$$(el, '[part~="card"]').length} cards)`,
  );
  await el.updateComplete;
}

/** The reader's state: its title shown, and its body, message or error once the story's request is answered. */
export async function read(el: CompaStoryFeed, id: string, { loaded = true } = {}): Promise<void> {
  storyLink(el, id).click();
  await reach(el, 'reader');
  if (loaded) {
    await until(
      () => $(el, '[part~="reader"] [part~="body"], [part~="reader"] [role="alert"], [part~="reader"] #rt:not([role])'),
      () => `the story’s body (reader: "${norm($(el, '[part~="reader"]')?.textContent)}")`,
    );
  }
  await el.updateComplete;
}

/** Presses "Load media" in the placeholder of `src` (default: the test player on a `.test` host). */
export function loadMedia(el: CompaStoryFeed, src = TEST_EMBED): void {
  const b = $$<HTMLButtonElement>(el, '[part~="embed"] button').find((x) => x.dataset.src === src);
  if (!b) throw new Error(`No "Load media" button for ${src}`);
  b.click();
}

/**
 * Records whether clicks reaching the document would follow their link (not cancelled), and cancels them
 * afterwards so that the test page stays (what the browser would have done is what is recorded).
 */
export function followedClicks(): boolean[] {
  const seen: boolean[] = [];
  const listener = (e: Event) => {
    if ((e.composedPath()[0] as Element).closest?.('a[href]')) {
      seen.push(!e.defaultPrevented);
      e.preventDefault();
    }
  };
  window.addEventListener('click', listener);
  onCleanUp(() => window.removeEventListener('click', listener));
  return seen;
}

export { button };

/** A state a reader can see, how to get there (mocked API, options, actions). */
export interface FeedStateSpec {
  /** The state reached (reflected). */
  state: StoryFeedState;
  msw: () => HttpHandler[];
  mount?: MountOptions;
  /** The state to wait for before `act` (default: `list`). */
  from?: StoryFeedState;
  act?: (el: CompaStoryFeed) => Promise<void>;
}

const RADIO = DEMO_STORIES[1]!.id;

/** The states a reader can see, how to get there (mocked API + actions), for the loops over every state. */
export const STATES: Record<string, FeedStateSpec> = {
  loading: { state: 'loading', msw: storyScenarios.loadSlow },
  grid: { state: 'list', msw: () => storyScenarios.feed() },
  list: { state: 'list', msw: () => storyScenarios.feed(), mount: { layout: 'list' } },
  compact: { state: 'list', msw: () => storyScenarios.feed(), mount: { layout: 'compact' } },
  filters: {
    state: 'list',
    msw: () => storyScenarios.feed(),
    mount: { filters: true },
    act: async (el) => {
      button(el, /^(Land|Tierra|Terre)$/).click();
      await until(() => el.state === 'list' && el.stories.length === 5, () => 'the stories tagged "land"');
    },
  },
  empty: { state: 'empty', msw: () => storyScenarios.empty() },
  'empty-filtered': { state: 'empty', msw: () => storyScenarios.feed(), mount: { region: 'pe' } },
  error: { state: 'error', msw: () => storyScenarios.loadFailure() },
  'rate-limited': { state: 'error', msw: () => storyScenarios.rateLimited() },
  'load-more': { state: 'list', msw: () => storyScenarios.feed(), act: loadMore },
  'load-more-error': { state: 'list', msw: () => storyScenarios.pageFailure(), act: loadMore },
  reader: { state: 'reader', msw: () => storyScenarios.feed(), act: (el) => read(el, DEMO_STORIES[0]!.id) },
  'reader-loading': { state: 'reader', msw: storyScenarios.detailSlow, act: (el) => read(el, DEMO_STORIES[0]!.id, { loaded: false }) },
  'reader-embed': { state: 'reader', msw: () => storyScenarios.feed(), act: (el) => read(el, RADIO) },
  'reader-embed-loaded': {
    state: 'reader',
    msw: () => storyScenarios.feed(),
    act: async (el) => {
      await read(el, RADIO);
      loadMedia(el);
      await until(() => $(el, '[part~="embed"] iframe'), () => 'the player');
    },
  },
  'reader-error': { state: 'reader', msw: () => storyScenarios.detailFailure(), act: (el) => read(el, DEMO_STORIES[0]!.id) },
  'reader-not-found': { state: 'reader', msw: () => storyScenarios.withdrawn(), act: (el) => read(el, DEMO_STORIES[0]!.id) },
};

/** Mounts a feed (inside `wrap`, if given) and drives it into one of `STATES`, rendered in `locale`. */
export async function inState(
  worker: SetupWorker,
  name: string,
  locale: Locale,
  { wrap = (w) => w, ...options }: MountOptions & { wrap?: Wrap } = {},
): Promise<CompaStoryFeed> {
  const spec = STATES[name]!;
  worker.use(...spec.msw());
  const el = await mountWidget<CompaStoryFeed>(wrap(widgetTemplate({ ...options, ...spec.mount, lang: locale })), null).then(
    (root) => (root.localName === 'compa-story-feed' ? root : root.querySelector('compa-story-feed')!) as CompaStoryFeed,
  );
  await speaks(el, locale);
  if (spec.state !== 'loading') await reach(el, spec.act ? (spec.from ?? 'list') : spec.state);
  await spec.act?.(el);
  await reach(el, spec.state);
  return el;
}

export { DEMO_STORIES, RADIO };
