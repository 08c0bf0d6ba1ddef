/**
 * `<compa-story-feed>`: every layout and state × English, Spanish and French, driven for real: the API is mocked by
 * the scenarios of `test/mocks/story-handlers.ts` (the same handlers as the widget tests, validated with the shared
 * zod schemas) and each story's `play` acts like a reader (choosing a topic, loading more, opening a story, loading
 * a player), then checks what the reader sees and where the focus is, in the story's language.
 *
 * Each story gives the widget its own `api` base (`https://demo.compa.test/<story id>`, never reached: the mock
 * service worker answers). The players of the demo story load from `www.youtube-nocookie.com` (never pressed here)
 * and `media.compa.test` (a host that never resolves: the "loaded" story shows the sandboxed frame, empty).
 */
import { html, nothing } from 'lit';
import { http, type HttpHandler } from 'msw';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../src/widgets/story-feed/compa-story-feed.ts';
import type { CompaStoryFeed, StoryFeedState } from '../src/widgets/story-feed/compa-story-feed.ts';
import { errorResponse, record, resetMockState } from '../test/mocks/handlers.ts';
import { DEMO_STORIES, STORIES_URL, TEST_EMBED, storyHandlers, storyScenarios } from '../test/mocks/story-handlers.ts';

interface FeedArgs {
  layout: 'grid' | 'list' | 'compact';
  limit: number;
  region: string;
  partner: string;
  tag: string;
  filters: boolean;
  headingLevel: number;
  noReader: boolean;
  /** `lang` of the element itself; empty: inherited from the story wrapper (the Locale toolbar). */
  lang: string;
  onCompaReady: (e: Event) => void;
  onCompaStoryOpen: (e: Event) => void;
  onCompaError: (e: Event) => void;
}

type Locale = 'en' | 'es' | 'fr';
type Story = StoryObj<FeedArgs>;
type PlayContext = Parameters<NonNullable<Story['play']>>[0];
type BeforeEach = NonNullable<Story['beforeEach']>;

const STORY_TIMEOUT = 10_000;
const [RIO, RADIO, WATER, AGUAN, GUERRERO, PEACE] = DEMO_STORIES.map((s) => s.id) as [string, string, string, string, string, string];

/** Whitespace-normalised text (French uses U+202F before `:`: `\s` covers it). */
const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** What the reader should read, per locale (from `locales/*.xlf`, the demo's stories and the browser's `Intl`). */
const TEXT = {
  en: {
    loading: 'Loading stories…',
    more: 'Load more stories',
    moreLoaded: '3 more stories loaded',
    showingLand: 'Showing 5 stories',
    empty: 'No stories yet.',
    emptyFiltered: 'No stories match this filter.',
    loadError: 'The stories couldn’t load. Check your connection and try again.',
    moreError: 'More stories couldn’t load. Check your connection and try again.',
    storyError: 'The story couldn’t load. Check your connection and try again.',
    tryAgain: 'Try again',
    rateLimited: 'Too many requests. Please try again in 2 minutes.',
    topics: 'Topics',
    chips: ['All', 'Land', 'Threats', 'Free press', 'Migration', 'Peace', 'Water', 'Women defenders'],
    back: 'Back to stories',
    fullStory: 'Open the full story',
    gone: 'This story is no longer available.',
    loadingStory: 'Loading the story…',
    media: 'Media from www.youtube-nocookie.com: loading it connects to that site.',
    loadMedia: 'Load media',
    /** A story shown in another language: which, and its label. */
    other: [RADIO, 'In Spanish'],
    rioMeta: 'Consejo Comunitario de Río Verde Chocó, Colombia November 2, 2026 4 min read',
    title: 'Back on their land: Río Verde’s leaders return home',
  },
  es: {
    loading: 'Cargando historias…',
    more: 'Ver más historias',
    moreLoaded: 'Se cargaron 3 historias más',
    showingLand: 'Se muestran 5 historias',
    empty: 'Todavía no hay historias.',
    emptyFiltered: 'Ninguna historia coincide con este filtro.',
    loadError: 'No se pudieron cargar las historias. Comprueba tu conexión e inténtalo de nuevo.',
    moreError: 'No se pudieron cargar más historias. Comprueba tu conexión e inténtalo de nuevo.',
    storyError: 'No se pudo cargar la historia. Comprueba tu conexión e inténtalo de nuevo.',
    tryAgain: 'Intentar de nuevo',
    rateLimited: 'Demasiadas solicitudes. Vuelve a intentarlo dentro de 2 minutos.',
    topics: 'Temas',
    chips: ['Todos', 'Tierra', 'Amenazas', 'Prensa libre', 'Agua', 'Migración', 'Mujeres defensoras', 'Paz'],
    back: 'Volver a las historias',
    fullStory: 'Leer la historia completa',
    gone: 'Esta historia ya no está disponible.',
    loadingStory: 'Cargando la historia…',
    media: 'Contenido de www.youtube-nocookie.com: al cargarlo, te conectas a ese sitio.',
    loadMedia: 'Cargar contenido',
    other: [PEACE, 'En inglés'],
    rioMeta: 'Consejo Comunitario de Río Verde Chocó, Colombia 2 de noviembre de 2026 4 min de lectura',
    title: 'De vuelta a su tierra: las lideresas de Río Verde regresan a casa',
  },
  fr: {
    loading: 'Chargement des récits…',
    more: 'Afficher plus de récits',
    moreLoaded: '3 récits supplémentaires chargés',
    showingLand: '5 récits affichés',
    empty: 'Aucun récit pour l’instant.',
    emptyFiltered: 'Aucun récit ne correspond à ce filtre.',
    loadError: 'Les récits n’ont pas pu se charger. Vérifiez votre connexion et réessayez.',
    moreError: 'Les récits suivants n’ont pas pu se charger. Vérifiez votre connexion et réessayez.',
    storyError: 'Le récit n’a pas pu se charger. Vérifiez votre connexion et réessayez.',
    tryAgain: 'Réessayer',
    rateLimited: 'Trop de requêtes. Veuillez réessayer dans 2 minutes.',
    topics: 'Thèmes',
    chips: ['Tous', 'Terre', 'Menaces', 'Presse libre', 'Défenseures', 'Eau', 'Migration', 'Paix'],
    back: 'Retour aux récits',
    fullStory: 'Lire le récit complet',
    gone: 'Ce récit n’est plus disponible.',
    loadingStory: 'Chargement du récit…',
    media: 'Contenu de www.youtube-nocookie.com : le charger vous connecte à ce site.',
    loadMedia: 'Charger le contenu',
    other: [RADIO, 'En espagnol'],
    rioMeta: 'Consejo Comunitario de Río Verde Chocó, Colombie 2 novembre 2026 4 min de lecture',
    title: 'De retour sur leurs terres : les dirigeantes de Río Verde rentrent chez elles',
  },
} satisfies Record<Locale, Record<string, string | string[]>>;

type Texts = (typeof TEXT)[Locale];

// ----------------------------------------------------------------------------------------------- play helpers

function widget(canvasElement: HTMLElement): CompaStoryFeed {
  const el = canvasElement.querySelector('compa-story-feed');
  if (!el) throw new Error('<compa-story-feed> is not rendered');
  return el;
}

/** The locale the story shows: the element's own `lang` argument, else the Locale toolbar's. */
function localeOf({ args, globals }: PlayContext): Locale {
  const tag = (args.lang || globals.locale || 'en').toLowerCase().split('-')[0];
  return tag === 'es' || tag === 'fr' ? tag : 'en';
}

const $ = <T extends Element = HTMLElement>(el: CompaStoryFeed, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: CompaStoryFeed, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];

function get<T extends Element = HTMLElement>(el: CompaStoryFeed, selector: string): T {
  const found = $<T>(el, selector);
  if (!found) throw new Error(`No "${selector}" in <compa-story-feed> (state "${el.state}")`);
  return found;
}

const textOf = (el: CompaStoryFeed, selector: string): string => norm(get(el, selector).textContent);
const until = (check: () => unknown): Promise<unknown> => waitFor(check, { timeout: STORY_TIMEOUT });

/** Waits for the reflected state, with its messages rendered in `locale` (their chunk loads first). */
async function reach(el: CompaStoryFeed, state: StoryFeedState, locale: Locale): Promise<void> {
  await until(() => {
    expect(el.state).toBe(state);
    expect(el.getAttribute('state')).toBe(state);
    expect(get(el, '[part~="base"]').getAttribute('lang')).toBe(locale);
  });
  await el.updateComplete;
}

/** The visible button whose text is `name`. */
function button(el: CompaStoryFeed, name: string): HTMLButtonElement {
  const all = $$<HTMLButtonElement>(el, 'button').filter((b) => b.getBoundingClientRect().height > 1);
  const found = all.find((b) => norm(b.textContent) === norm(name));
  if (!found) throw new Error(`No visible button "${name}"; buttons: ${all.map((b) => `"${norm(b.textContent)}"`).join(', ')}`);
  return found;
}

const status = (el: CompaStoryFeed): string => textOf(el, '[role="status"]');
const ids = (el: CompaStoryFeed): string[] => $$(el, '[part~="card"]').map((c) => c.getAttribute('aria-labelledby')!.slice(2));
const link = (el: CompaStoryFeed, id: string): HTMLAnchorElement => get<HTMLAnchorElement>(el, `#t-${id} a`);
const focused = (el: CompaStoryFeed): Element | null => el.shadowRoot!.activeElement;

/** Opens story `id` with a click, and waits for its full text (or what says why there is none). */
async function open(el: CompaStoryFeed, id: string, locale: Locale, loaded = true): Promise<void> {
  await userEvent.click(link(el, id));
  await reach(el, 'reader', locale);
  if (loaded) await until(() => expect($(el, '[part~="reader"] :is([part~="body"], [role="alert"], p#rt)')).not.toBeNull());
}

/** The list's first page answers 500 while this is true; the retry story turns it off. */
let serverDown = false;
const flakyList = (): HttpHandler[] => [
  http.get(STORIES_URL, ({ request }) => {
    if (!serverDown) return undefined; // the next handler answers
    record(request, undefined, 500);
    return errorResponse(500, 'internal', 'Something went wrong on our side; please try again');
  }),
  ...storyHandlers(),
];

/** Before every story: a fresh mock server (its request log). */
const resetPage: BeforeEach = () => {
  resetMockState();
  serverDown = false;
};

// ----------------------------------------------------------------------------------------------- the states

interface StateSpec {
  /** What the reader sees (documentation). */
  title: string;
  msw: () => HttpHandler[];
  args?: Partial<FeedArgs>;
  beforeEach?: BeforeEach;
  play?: (context: PlayContext, t: Texts, locale: Locale) => Promise<void>;
}

/** Every card has a title, details and (but compact) an excerpt; images where the story has one. */
async function expectCards(el: CompaStoryFeed, t: Texts, locale: Locale, layout: 'grid' | 'list' | 'compact'): Promise<void> {
  await reach(el, 'list', locale);
  expect(get(el, '[part~="base"]').className).toBe(layout);
  expect(ids(el)).toEqual(DEMO_STORIES.slice(0, 6).map((s) => s.id));
  expect(textOf(el, `#t-${RIO}`)).toBe(t.title);
  expect(norm(get(el, `[aria-labelledby="t-${RIO}"] [part~="meta"]`).textContent)).toBe(t.rioMeta);
  expect($$(el, '[part~="excerpt"]')).toHaveLength(layout === 'compact' ? 0 : 6);
  expect($$(el, '[part~="image"]')).toHaveLength(layout === 'compact' ? 0 : 5);
  const [id, label] = t.other as [string, string];
  expect(textOf(el, `[aria-labelledby="t-${id}"] [part~="language"]`)).toBe(label);
  expect(get(el, `#t-${id}`).getAttribute('lang')).not.toBe(locale);
  expect(textOf(el, '[part~="more"]')).toBe(t.more);
}

const STATES = {
  /** The first page never arrives: placeholders, busy (after the widget's own 15 s timeout, the error). */
  loading: {
    title: 'Loading (placeholder cards)',
    msw: storyScenarios.loadSlow,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'loading', locale);
      expect(get(el, '[part~="list"]').getAttribute('aria-busy')).toBe('true');
      expect($$(el, '.sk').length).toBeGreaterThan(0);
      expect(textOf(el, 'p.vh')).toBe(t.loading);
      expect(status(el)).toBe('');
    },
  },
  grid: {
    title: 'Grid (default): cards with image, title, details, excerpt; one story in another language, labelled',
    msw: () => storyScenarios.feed({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await expectCards(el, t, locale, 'grid');
      await expect(context.args.onCompaReady).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { stories: DEMO_STORIES.slice(0, 6).map((s) => s.id) } }),
      );
    },
  },
  list: {
    title: 'List: the image beside the text',
    msw: () => storyScenarios.feed({ latency: 300 }),
    args: { layout: 'list' },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await expectCards(el, t, locale, 'list');
      const img = get(el, `[aria-labelledby="t-${RIO}"] [part~="image"]`).getBoundingClientRect();
      const title = get(el, `#t-${RIO}`).getBoundingClientRect();
      expect(Math.abs(img.top - title.top)).toBeLessThan(2);
    },
  },
  compact: {
    title: 'Compact: titles and one line of details',
    msw: () => storyScenarios.feed({ latency: 300 }),
    args: { layout: 'compact' },
    play: async (context, t, locale) => expectCards(widget(context.canvasElement), t, locale, 'compact'),
  },
  /** `filters`: "All" and the first page's tags; choosing one reloads the list and says how many. */
  filters: {
    title: 'Topic chips: choosing one',
    msw: () => storyScenarios.feed({ latency: 300 }),
    args: { filters: true },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      expect(get(el, '[part~="filters"]').getAttribute('aria-label')).toBe(t.topics);
      expect($$(el, '[part~="chip"]').map((c) => norm(c.textContent))).toEqual(t.chips);
      const land = button(el, t.chips[1]!);
      await userEvent.click(land);
      await until(() => expect(status(el)).toBe(t.showingLand));
      expect(land.getAttribute('aria-pressed')).toBe('true');
      expect(button(el, t.chips[0]!).getAttribute('aria-pressed')).toBe('false');
      expect(ids(el)).toEqual([RIO, WATER, AGUAN, DEMO_STORIES[6]!.id, DEMO_STORIES[7]!.id]);
      expect(focused(el), 'the focus stays on the chip').toBe(land);
    },
  },
  'load-more': {
    title: '"Load more stories": the next page appended, focus on its first story',
    msw: () => storyScenarios.feed({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await userEvent.click(button(el, t.more));
      await until(() => expect(ids(el)).toHaveLength(9));
      await until(() => expect(focused(el)).toBe(link(el, DEMO_STORIES[6]!.id)));
      expect(status(el)).toBe(t.moreLoaded);
      expect($(el, '[part~="more"]'), 'the last page').toBeNull();
    },
  },
  'load-more-error': {
    title: '"Load more stories" fails: the stories stay, the error beside the button',
    msw: () => storyScenarios.pageFailure({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await userEvent.click(button(el, t.more));
      await until(() => expect(textOf(el, '[part~="error"]')).toBe(t.moreError));
      expect(ids(el)).toHaveLength(6);
      expect(get(el, '[part~="more"]').getAttribute('aria-describedby')).toBe('more-error');
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { code: 'internal', status: 500 } }));
    },
  },
  empty: {
    title: 'Empty: no stories yet',
    msw: () => storyScenarios.empty({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'empty', locale);
      expect(textOf(el, '[part~="message"]')).toBe(t.empty);
    },
  },
  'empty-filtered': {
    title: 'Empty: no story matches the filter (region="pe")',
    msw: () => storyScenarios.feed({ latency: 300 }),
    args: { region: 'pe' },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'empty', locale);
      expect(textOf(el, '[part~="message"]')).toBe(t.emptyFiltered);
    },
  },
  error: {
    title: 'The stories failed to load (500), with a retry button',
    msw: flakyList,
    beforeEach: () => {
      serverDown = true;
    },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'error', locale);
      expect(textOf(el, '[role="alert"]')).toBe(t.loadError);
      expect(button(el, t.tryAgain)).toBeTruthy();
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { code: 'internal', status: 500 } }));
    },
  },
  /** The server is back: "Try again" loads the stories, and the focus goes to the first one. */
  'error-retry': {
    title: 'Load error, then "Try again" once the server is back',
    msw: flakyList,
    beforeEach: () => {
      serverDown = true;
    },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'error', locale);
      serverDown = false;
      await userEvent.click(button(el, t.tryAgain));
      await reach(el, 'list', locale);
      await until(() => expect(focused(el)).toBe(link(el, RIO)));
      expect($(el, '[role="alert"]')).toBeNull();
    },
  },
  'rate-limited': {
    title: 'Rate limited (429, retry in 2 minutes)',
    msw: () => storyScenarios.rateLimited({ retryAfter: 120 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'error', locale);
      expect(textOf(el, '[role="alert"]')).toBe(t.rateLimited);
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { code: 'rate_limited', status: 429 } }));
    },
  },
  /** A click opens the story in place (title focused); "Back to stories" returns to its link. */
  reader: {
    title: 'A story opened in place, and back',
    msw: () => storyScenarios.feed({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await open(el, RIO, locale);
      await expect(context.args.onCompaStoryOpen).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { id: RIO, link: link(el, RIO).href } }));
      await until(() => expect(focused(el)?.id).toBe('rt'));
      expect(textOf(el, '#rt')).toBe(t.title);
      expect(textOf(el, '[part~="link"]')).toBe(t.fullStory);
      expect(get(el, '[part~="body"]').querySelectorAll('p').length).toBeGreaterThan(0);
      await userEvent.click(button(el, t.back));
      await reach(el, 'list', locale);
      await until(() => expect(focused(el)).toBe(link(el, RIO)));
    },
  },
  'reader-loading': {
    title: 'A story opened in place, its text loading',
    msw: storyScenarios.detailSlow,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await open(el, RIO, locale, false);
      expect(textOf(el, '[part~="reader"] [part~="message"]')).toBe(t.loadingStory);
      expect(textOf(el, '#rt')).toBe(t.title);
    },
  },
  /** The demo story with two players: nothing is requested from their sites until "Load media". */
  'reader-media': {
    title: 'A story with embedded players (click to load)',
    msw: () => storyScenarios.feed({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await open(el, RADIO, locale);
      const embeds = $$(el, '[part~="embed"]');
      expect(embeds).toHaveLength(2);
      expect(norm(embeds[0]!.querySelector('p')!.textContent)).toBe(t.media);
      expect(norm(embeds[0]!.querySelector('button')!.textContent)).toBe(t.loadMedia);
      expect($$(el, 'iframe')).toHaveLength(0);
      expect(performance.getEntriesByType('resource').filter((e) => /youtube|media\.compa\.test/.test(e.name))).toHaveLength(0);
    },
  },
  'reader-media-loaded': {
    title: 'A player loaded on request (sandboxed, no referrer)',
    msw: () => storyScenarios.feed({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await open(el, RADIO, locale);
      const load = $$<HTMLButtonElement>(el, '[part~="embed"] button').find((b) => b.dataset.src === TEST_EMBED)!;
      expect(norm(load.textContent)).toBe(t.loadMedia);
      await userEvent.click(load);
      const frames = $$<HTMLIFrameElement>(el, 'iframe');
      expect(frames.map((f) => [f.src, f.getAttribute('referrerpolicy')])).toEqual([[TEST_EMBED, 'no-referrer']]);
      await until(() => expect(focused(el)).toBe(frames[0]));
    },
  },
  'reader-error': {
    title: 'A story that fails to load (500)',
    msw: () => storyScenarios.detailFailure({ latency: 300 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await open(el, GUERRERO, locale);
      expect(textOf(el, '[part~="reader"] [role="alert"]')).toBe(t.storyError);
      expect(button(el, t.tryAgain)).toBeTruthy();
    },
  },
  /** A partner withdrew consent meanwhile (404): nothing of the story stays, and it leaves the list. */
  'reader-withdrawn': {
    title: 'A story withdrawn meanwhile (404)',
    msw: () => storyScenarios.withdrawn({ latency: 300, ids: [RIO] }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await open(el, RIO, locale);
      expect(textOf(el, '[part~="reader"]')).toBe(norm(`${t.back} ${t.gone}`));
      await until(() => expect(focused(el)?.id).toBe('rt'));
      await userEvent.click(button(el, t.back));
      await reach(el, 'list', locale);
      expect(ids(el)).not.toContain(RIO);
      await until(() => expect(focused(el)).toBe(link(el, RADIO)));
    },
  },
} satisfies Record<string, StateSpec>;

/** A state in a locale. (Storybook's indexer names it after the export, e.g. `ReaderMediaFr` → "Reader Media Fr".) */
function story(state: keyof typeof STATES, locale: Locale): Story {
  const spec: StateSpec = STATES[state];
  const play = spec.play;
  return {
    globals: { locale },
    args: spec.args,
    parameters: { msw: spec.msw(), docs: { description: { story: spec.title } } },
    beforeEach: spec.beforeEach,
    play: play && ((context) => play(context, TEXT[localeOf(context)], localeOf(context))),
  };
}

const meta: Meta<FeedArgs> = {
  title: 'Widgets/Story feed',
  component: 'compa-story-feed',
  beforeEach: resetPage,
  args: {
    layout: 'grid',
    limit: 6,
    region: '',
    partner: '',
    tag: '',
    filters: false,
    headingLevel: 3,
    noReader: false,
    lang: '',
    onCompaReady: fn(),
    onCompaStoryOpen: fn(),
    onCompaError: fn(),
  },
  argTypes: {
    layout: { control: 'inline-radio', options: ['grid', 'list', 'compact'], description: 'Cards, a list, or titles only', table: { category: 'attributes' } },
    limit: { control: { type: 'number', min: 1, max: 50 }, description: 'Stories per page (1–50)', table: { category: 'attributes' } },
    region: {
      control: 'select',
      options: ['', 'co', 'gt', 'mx', 'choco', 'cauca', 'pe'],
      labels: { '': '(all)', pe: 'pe (none)' },
      description: 'A region’s slug or a country code',
      table: { category: 'attributes' },
    },
    partner: {
      control: 'select',
      options: ['', 'consejo-rio-verde', 'voces-del-cauca', 'casa-del-migrante'],
      labels: { '': '(all)' },
      description: 'A partner’s slug',
      table: { category: 'attributes' },
    },
    tag: {
      control: 'select',
      options: ['', 'land', 'threats', 'media', 'water', 'peace', 'women', 'migration'],
      labels: { '': '(all)' },
      description: 'A tag’s slug (with `filters`, the chip chosen first)',
      table: { category: 'attributes' },
    },
    filters: { control: 'boolean', description: 'Topic chips from the first page’s tags', table: { category: 'attributes' } },
    headingLevel: {
      name: 'heading-level',
      control: { type: 'number', min: 1, max: 6 },
      description: 'Level of each story’s title (the reader keeps it)',
      table: { category: 'attributes' },
    },
    noReader: { name: 'no-reader', control: 'boolean', description: 'A click follows the story’s link instead of opening it in place', table: { category: 'attributes' } },
    lang: {
      control: 'select',
      options: ['', 'en', 'es', 'fr', 'es-CO', 'fr-CA', 'de'],
      labels: { '': '(inherited: Locale toolbar)', 'es-CO': 'es-CO (→ es)', 'fr-CA': 'fr-CA (→ fr)', de: 'de (→ en)' },
      description: 'Language of the widget; default: the closest `lang`',
      table: { category: 'attributes' },
    },
    onCompaReady: { name: 'compa-ready', description: 'The first page loaded; `detail`: `{stories}` (ids shown)', table: { category: 'events' } },
    onCompaStoryOpen: {
      name: 'compa-story-open',
      description: 'Cancelable: a story is about to open in place; `detail`: `{id, link}`',
      table: { category: 'events' },
    },
    onCompaError: { name: 'compa-error', description: 'A request failed; `detail`: `{code, status}`', table: { category: 'events' } },
  },
  render: (args, { id }) => html`<compa-story-feed
    api=${`https://demo.compa.test/${id}`}
    layout=${args.layout}
    limit=${args.limit}
    region=${args.region || nothing}
    partner=${args.partner || nothing}
    tag=${args.tag || nothing}
    heading-level=${args.headingLevel}
    lang=${args.lang || nothing}
    ?filters=${args.filters}
    ?no-reader=${args.noReader}
    @compa-ready=${args.onCompaReady}
    @compa-story-open=${args.onCompaStoryOpen}
    @compa-error=${args.onCompaError}
  ></compa-story-feed>`,
};
export default meta;

/** Follows the toolbar's locale; change the attributes in the Controls panel. Answers take 400 ms. */
export const Playground: Story = {
  args: { filters: true },
  parameters: { msw: storyScenarios.feed({ latency: 400 }) },
};

export const LoadingEn = story('loading', 'en');
export const LoadingEs = story('loading', 'es');
export const LoadingFr = story('loading', 'fr');
export const GridEn = story('grid', 'en');
export const GridEs = story('grid', 'es');
export const GridFr = story('grid', 'fr');
export const ListEn = story('list', 'en');
export const ListEs = story('list', 'es');
export const ListFr = story('list', 'fr');
export const CompactEn = story('compact', 'en');
export const CompactEs = story('compact', 'es');
export const CompactFr = story('compact', 'fr');
export const FiltersEn = story('filters', 'en');
export const FiltersEs = story('filters', 'es');
export const FiltersFr = story('filters', 'fr');
export const LoadMoreEn = story('load-more', 'en');
export const LoadMoreEs = story('load-more', 'es');
export const LoadMoreFr = story('load-more', 'fr');
export const LoadMoreErrorEn = story('load-more-error', 'en');
export const LoadMoreErrorEs = story('load-more-error', 'es');
export const LoadMoreErrorFr = story('load-more-error', 'fr');
export const EmptyEn = story('empty', 'en');
export const EmptyEs = story('empty', 'es');
export const EmptyFr = story('empty', 'fr');
export const EmptyFilteredEn = story('empty-filtered', 'en');
export const EmptyFilteredEs = story('empty-filtered', 'es');
export const EmptyFilteredFr = story('empty-filtered', 'fr');
export const ErrorEn = story('error', 'en');
export const ErrorEs = story('error', 'es');
export const ErrorFr = story('error', 'fr');
export const ErrorRetryEn = story('error-retry', 'en');
export const ErrorRetryEs = story('error-retry', 'es');
export const ErrorRetryFr = story('error-retry', 'fr');
export const RateLimitedEn = story('rate-limited', 'en');
export const RateLimitedEs = story('rate-limited', 'es');
export const RateLimitedFr = story('rate-limited', 'fr');
export const ReaderEn = story('reader', 'en');
export const ReaderEs = story('reader', 'es');
export const ReaderFr = story('reader', 'fr');
export const ReaderLoadingEn = story('reader-loading', 'en');
export const ReaderLoadingEs = story('reader-loading', 'es');
export const ReaderLoadingFr = story('reader-loading', 'fr');
export const ReaderMediaEn = story('reader-media', 'en');
export const ReaderMediaEs = story('reader-media', 'es');
export const ReaderMediaFr = story('reader-media', 'fr');
export const ReaderMediaLoadedEn = story('reader-media-loaded', 'en');
export const ReaderMediaLoadedEs = story('reader-media-loaded', 'es');
export const ReaderMediaLoadedFr = story('reader-media-loaded', 'fr');
export const ReaderErrorEn = story('reader-error', 'en');
export const ReaderErrorEs = story('reader-error', 'es');
export const ReaderErrorFr = story('reader-error', 'fr');
export const ReaderWithdrawnEn = story('reader-withdrawn', 'en');
export const ReaderWithdrawnEs = story('reader-withdrawn', 'es');
export const ReaderWithdrawnFr = story('reader-withdrawn', 'fr');
