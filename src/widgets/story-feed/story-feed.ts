import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str } from '../../core/msg.ts';
import { CompaElement } from '../../core/compa-element.ts';
import { currentLocale, loadLocale } from '../../core/locale.ts';
import { apiUrl, request, type ApiError, type NetworkError } from '../../core/api.ts';
import { hostStyles } from '../../core/theme.ts';
import type { Story, StoryFacet, StoryList } from '../../schemas/story.ts';
import { storyFeedStyles } from './story-feed.styles.ts';

export type { Story, StoryList };

export type StoryFeedState = 'loading' | 'error' | 'empty' | 'list' | 'reader';
export type StoryFeedLayout = 'grid' | 'list' | 'compact';

type ReaderModule = typeof import('./reader.ts');
type Reader = InstanceType<ReaderModule['Reader']>;
let readerModule: Promise<ReaderModule> | undefined;
/**
 * The reader (a story opened in place, its sanitiser and click-to-load embeds) is a chunk of its own, requested
 * when a reader shows interest in a story (pointer over the list, or focus in it). A failed load is retried later.
 */
const loadReader = (): Promise<ReaderModule> =>
  (readerModule ??= import('./reader.ts').catch((e: unknown) => {
    readerModule = undefined;
    throw e;
  }));

/** A request's signal: aborted when the element leaves the page or when `own` aborts (a newer request). */
export const both = (el: CompaElement, own: AbortController): AbortSignal => AbortSignal.any?.([el.signal, own.signal]) ?? el.signal;

/** An http(s) URL, else undefined: never `javascript:` or `data:`. */
export function safeUrl(value: string | null | undefined): string | undefined {
  try {
    const url = new URL(value!);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The name of a language or country in `locale` ("español", "Colombie"); the code itself when unknown. */
const nameOf = (locale: string, type: 'language' | 'region', code: string): string => {
  try {
    return new Intl.DisplayNames(locale, { type }).of(code) ?? code;
  } catch {
    return code;
  }
};

const primary = (tag: string): string => tag.split('-')[0]!.toLowerCase();

/**
 * A feed of stories (testimonies, field reports) from the organisation and its partners, in the reader's language
 * where a story has it, else in another of its languages, labelled ("In Spanish") and marked with its `lang`.
 * Three layouts (a grid of cards, a list, a compact list of titles), filters by region, partner and tag, optional
 * topic chips, "Load more stories" (cursor pagination), and the loading, empty and error states. A click on a story
 * opens it in place (its body sanitised again in the browser; third-party media as click-to-load placeholders:
 * nothing is requested from another site until the reader asks); ctrl/cmd/middle-click, and every click with
 * `no-reader`, follow the story's link as usual. Works with no page CSS, in `en`, `es` and `fr`, left to right and
 * right to left, down to 320 px wide.
 *
 * @tag compa-story-feed
 * @summary Stories from the field, in the reader's language; cards, list or compact; localised, WCAG 2.2 AA.
 *
 * Server: the `api` attribute, else `<meta name="compa-api" content="https://act.example.org">`, else the origin
 * the script was loaded from. Routes: `GET /api/v1/stories?lang=&region=&partner=&tag=&limit=&cursor=`,
 * `GET /api/v1/stories/:id?lang=` (a withdrawn story answers 404: it disappears). No cookies.
 *
 * Code: this module renders the feed; `reader.ts` (the story opened in place, `sanitize.ts`, the embeds) is a
 * lazily loaded chunk, requested when the pointer or the focus enters the list.
 *
 * @attr {string} api - Base URL of the Compa server (optional, see above).
 * @attr {string} lang - Language of the widget (`en`, `es`, `fr`; `es-CO` → `es`; anything else → `en`).
 *   Default: the closest ancestor's `lang`, then `<html lang>`, then the browser's languages, then English.
 * @attr {StoryFeedLayout} layout - `grid` (cards, default), `list` (image beside the text) or `compact` (titles
 *   and one line of details: no image, no excerpt).
 * @attr {number} limit - Stories per page (1–50, default 6).
 * @attr {string} region - Only the stories of a region (its slug) or a country (`co`).
 * @attr {string} partner - Only the stories of a partner (its slug).
 * @attr {string} tag - Only the stories with a tag (its slug); with `filters`, the chip chosen first.
 * @attr {boolean} filters - Show topic chips ("All" and the tags of the stories), toggle buttons that filter the list.
 * @attr {number} heading-level - Level of each story's title in the page's outline (default 3); a story opened in
 *   place keeps that level (it takes the list's place), and the headings of its text are below it.
 * @attr {boolean} no-reader - A click on a story follows its link instead of opening it in place.
 * @attr {StoryFeedState} state - Reflects the state, read-only: `loading`, `error` (retry button; a 429 says when
 *   to retry), `empty` (no stories, or none match the filters), `list`, `reader` (a story opened in place).
 *
 * @prop {Story[]} stories - The stories loaded so far, in order (read-only).
 * @prop {string} locale - The resolved locale, read-only (`en`, `es`, `fr`).
 * @prop {string} version - Static: `CompaStoryFeed.version`.
 *
 * @event {CustomEvent<CompaReadyDetail>} compa-ready - The first page loaded; `detail`: `{stories}` (ids shown).
 * @event {CustomEvent<CompaStoryOpenDetail>} compa-story-open - Cancelable: a story is about to open in place;
 *   `detail`: `{id, link}`. `preventDefault()` keeps it from opening: the link is then followed as usual.
 * @event {CustomEvent<CompaErrorDetail>} compa-error - A request failed; `detail`: `{code, status}` (`not_found`/404
 *   for a withdrawn story, `rate_limited`/429…, `network`/0).
 * Every event bubbles and is composed; none carries personal data.
 *
 * @csspart base - The root; carries `lang` and the layout's class.
 * @csspart filters - The group of topic chips.
 * @csspart chip - A topic chip (a toggle button, `aria-pressed`).
 * @csspart list - The list of stories (`<ul>`).
 * @csspart card - A story (`<article>`).
 * @csspart image - A story's image.
 * @csspart title - A story's title (its link inside).
 * @csspart meta - Partner, place, date, reading time, language.
 * @csspart language - "In Spanish", when a story is not in the widget's language.
 * @csspart excerpt - A story's excerpt.
 * @csspart more - The "Load more stories" button.
 * @csspart message - Loading (the reader), empty, error, "no longer available".
 * @csspart error - The error beside "Load more stories".
 * @csspart button - "Try again".
 * @csspart reader - A story opened in place.
 * @csspart back - "Back to stories".
 * @csspart body - The story's text, in the reader.
 * @csspart embed - A third-party video: the click-to-load placeholder, then its player.
 * @csspart link - "Open the full story".
 * @csspart status - The visually hidden live region (`role="status"`).
 *
 * @cssproperty --compa-story-feed-gap - Space between the stories (default 1.25 × --compa-space).
 * @cssproperty --compa-story-feed-card-min-width - Narrowest column of the grid (default 16em).
 * @cssproperty --compa-story-feed-image-ratio - Shape of the images (default 3/2).
 * @cssproperty --compa-story-feed-title-size - Size of the stories' titles (default 1.125em).
 * @cssproperty --compa-story-feed-reader-width - Widest line of a story opened in place (default 40em).
 * And the tokens every Compa element uses: `--compa-font-family`, `--compa-line-height`, `--compa-color-*`,
 * `--compa-focus-ring-color`, `--compa-radius`, `--compa-space`.
 */
export class CompaStoryFeed extends CompaElement {
  static override styles = [hostStyles, storyFeedStyles];

  static override properties: PropertyDeclarations = {
    api: {},
    layout: {},
    limit: { type: Number },
    region: {},
    partner: {},
    tag: {},
    filters: { type: Boolean },
    headingLevel: { type: Number, attribute: 'heading-level' },
    noReader: { type: Boolean, attribute: 'no-reader' },
    state: { reflect: true },
  };

  declare api: string | undefined;
  declare layout: StoryFeedLayout;
  declare limit: number;
  declare region: string | undefined;
  declare partner: string | undefined;
  declare tag: string | undefined;
  declare filters: boolean;
  declare headingLevel: number;
  declare noReader: boolean;
  declare state: StoryFeedState;

  /** The URL of the first page on screen (or loading); a change of filter, language or API loads afresh. */
  #url?: string;
  /** The same without `tag`: the chips stay while a chip's choice reloads the list. */
  #facetsOf?: string;
  /** Aborts the list's request in flight (a newer one replaces it). */
  #ctl?: AbortController;
  #stories: Story[] = [];
  #next: string | null = null;
  #tags?: StoryFacet[];
  /** The chip chosen (`''`: "All"); undefined: the `tag` attribute rules. */
  #chosen?: string;
  /** The first page's failure, or "Load more"'s (`#more`: true while it loads). */
  #error?: ApiError & NetworkError;
  #moreError?: ApiError & NetworkError;
  #more = false;
  /** What the next first page does: `chip` announces the count, `retry` also moves the focus. */
  #after?: 'chip' | 'retry';
  /** The live region's text, rendered in the element's language. */
  #said?: () => string;
  #focus?: string;
  #ready = false;
  #reader?: Reader;

  constructor() {
    super();
    this.layout = 'grid';
    this.limit = 6;
    this.headingLevel = 3;
    this.state = 'loading';
  }

  /** The stories loaded so far. */
  get stories(): Story[] {
    return this.#stories;
  }

  /** @internal The level of the stories' titles (1–6). */
  get level(): number {
    return Math.min(6, Math.max(1, this.headingLevel || 3));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a move interrupted the first load (the disconnect aborted it): load again.
    if (this.state === 'loading') {
      this.#url = undefined;
      this.requestUpdate();
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('tag')) this.#chosen = undefined;
    const q = new URLSearchParams({ lang: this.locale });
    if (this.region) q.set('region', this.region);
    if (this.partner) q.set('partner', this.partner);
    const facets = `${this.api} ${q}`;
    const tag = this.#chosen ?? this.tag;
    if (tag) q.set('tag', tag);
    q.set('limit', String(Math.min(50, Math.max(1, Math.round(this.limit) || 6))));
    const url = apiUrl(this, '/stories?' + q);
    if (this.isConnected && url !== this.#url) {
      this.#url = url;
      if (facets !== this.#facetsOf) this.#tags = undefined;
      this.#facetsOf = facets;
      void this.#load();
    }
  }

  protected override updated(): void {
    const f = this.#focus;
    this.#focus = undefined;
    if (f) this.renderRoot.querySelector<HTMLElement>(f)?.focus();
  }

  /** @internal Go to `state`, and focus what `focus` selects after the render. */
  go(state: StoryFeedState, focus?: string): void {
    this.state = state;
    this.#focus = focus;
    this.requestUpdate();
  }

  /** Loads the first page of `#url`, or the next page after `cursor`. */
  async #load(cursor?: string): Promise<void> {
    const url = this.#url!;
    if (!cursor) {
      this.#ctl?.abort();
      this.#ctl = new AbortController();
      this.#reader?.close();
      this.#moreError = undefined;
      this.state = 'loading';
    }
    const ctl = this.#ctl!;
    this.#more = !!cursor;
    // Emptied first: the same words said again are heard again.
    this.#said = undefined;
    this.requestUpdate();
    try {
      const [d] = await Promise.all([
        request<StoryList>(cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : url, { signal: both(this, ctl) }),
        // The stories appear in the reader's language, never briefly in English.
        loadLocale(this.locale, this).catch(() => {}),
      ]);
      if (ctl !== this.#ctl) return; // superseded (a filter, the language or the API changed meanwhile)
      const known = new Set(this.#stories.map((s) => s.id));
      const added = cursor ? d.stories.filter((s) => !known.has(s.id)) : d.stories;
      const n = added.length;
      this.#next = d.nextCursor;
      this.#moreError = undefined;
      if (cursor) {
        this.#stories = [...this.#stories, ...added];
        // The first new story's link: the reader goes on from there.
        if (n) this.#focus = `#t-${added[0]!.id} a`;
        this.#said = () =>
          this.#plural(n)
            ? msg(str`${n} more story loaded`, { desc: 'Said after "Load more stories", singular form: the number of stories added.' })
            : msg(str`${n} more stories loaded`, { desc: 'Said after "Load more stories": the number of stories added.' });
      } else {
        this.#stories = added;
        this.#tags ??= d.tags;
        this.state = n ? 'list' : 'empty';
        if (this.#after === 'retry') this.#focus = '[part~=card] a,[part~=message]';
        if (this.#after) this.#said = () => this.#count();
        this.#after = undefined;
        if (!this.#ready) this.emit('compa-ready', { stories: added.map((s) => s.id) });
        this.#ready = true;
      }
    } catch (e) {
      const err = e as ApiError & NetworkError;
      if (ctl !== this.#ctl || err.reason === 'aborted') return;
      if (cursor) {
        this.#moreError = err;
        this.#said = () => this.failure(err, true);
      } else {
        this.#error = err;
        this.state = 'error';
      }
      this.emit('compa-error', { code: err.code ?? 'network', status: err.status ?? 0 });
    } finally {
      if (ctl === this.#ctl) this.#more = false;
      this.requestUpdate();
    }
  }

  /** Whether `n` takes the singular form in the element's language. */
  #plural(n: number): boolean {
    return new Intl.PluralRules(currentLocale()).select(n) === 'one';
  }

  /** "Showing 6 stories", or that none match. */
  #count(): string {
    const n = this.#stories.length;
    return !n
      ? this.#empty()
      : this.#plural(n)
        ? msg(str`Showing ${n} story`, { desc: 'Said after a topic was chosen, singular: the number of stories now shown.' })
        : msg(str`Showing ${n} stories`, { desc: 'Said after a topic was chosen (or the list loaded again): the number of stories now shown.' });
  }

  #empty(): string {
    return this.region || this.partner || (this.#chosen ?? this.tag)
      ? msg('No stories match this filter.', { desc: 'Shown when no story has the region, partner or topic chosen.' })
      : msg('No stories yet.', { desc: 'Shown when the organisation has published no story.' });
  }

  /** @internal The message of a failed request: a rate limit says when to retry ("in 2 minutes"). */
  failure(e: ApiError, more = false): string {
    const s = e.retryAfter || 60;
    const when = new Intl.RelativeTimeFormat(currentLocale()).format(s < 60 ? s : Math.ceil(s / 60), s < 60 ? 'second' : 'minute');
    return e.status === 429
      ? msg(str`Too many requests. Please try again ${when}.`, {
          desc: 'Error when the server limits the number of requests. The placeholder is a relative time written by the browser in the same language, e.g. "in 2 minutes", "dentro de 2 minutos", "dans 2 minutes".',
        })
      : more
        ? msg('More stories couldn’t load. Check your connection and try again.', { desc: 'Error beside "Load more stories" when the next page could not be fetched.' })
        : msg('The stories couldn’t load. Check your connection and try again.', { desc: 'Error when the list of stories could not be fetched.' });
  }

  #retry = (): void => {
    this.#after = 'retry';
    this.#url = undefined;
    this.requestUpdate();
  };

  #loadMore = (): void => {
    if (!this.#more && this.#next) void this.#load(this.#next);
  };

  #choose(tag: string): void {
    if (tag === (this.#chosen ?? this.tag ?? '')) return;
    this.#chosen = tag;
    this.#after = 'chip';
    this.requestUpdate();
  }

  #preload = (): void => {
    if (!this.noReader) loadReader().catch(() => {});
  };

  /** A plain click on a story's link opens it in place (unless `no-reader`, or the page cancels `compa-story-open`). */
  #open(e: MouseEvent, s: Story): void {
    if (this.noReader || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (!this.emit('compa-story-open', { id: s.id, link: s.link }, { cancelable: true })) return;
    e.preventDefault();
    const link = (e.currentTarget as HTMLAnchorElement).href;
    loadReader().then(
      (m) => {
        (this.#reader ??= new m.Reader(this)).open(s);
        this.go('reader', '#rt');
      },
      // The reader can't load (offline?): the story's own page.
      () => location.assign(link),
    );
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const locale = currentLocale();
    const state = this.state;
    const layout = /^(list|compact)$/.test(this.layout) ? this.layout : 'grid';
    const tag = this.#chosen ?? this.tag ?? '';
    const tags = this.filters && this.#tags;
    const chip = (slug: string, label: string) =>
      html`<button part="chip" aria-pressed=${slug === tag} @click=${() => this.#choose(slug)}>${label}</button>`;
    return html`<div part="base" lang=${locale} class=${layout}>
      <div part="status" role="status" aria-live="polite" class="vh">${this.#said?.() ?? ''}</div>
      <div class="feed" ?hidden=${state === 'reader'}>
        ${tags && tags.length
          ? html`<div part="filters" role="group" aria-label=${msg('Topics', { desc: 'Accessible name of the group of topic filters (toggle buttons).' })}>
              ${chip('', msg('All', { desc: 'The topic filter that shows every story.' }))} ${tags.map((t) => chip(t.slug, t.label))}
            </div>`
          : nothing}
        ${state === 'error'
          ? html`<p part="message" role="alert" class="alert" tabindex="-1">${this.failure(this.#error!)}</p>
              <button part="button" @click=${this.#retry}>${msg('Try again', { desc: 'Button that retries a failed action.' })}</button>`
          : state === 'empty'
            ? html`<p part="message" tabindex="-1">${this.#empty()}</p>`
            : this.#renderList(state === 'loading', layout, locale)}
      </div>
      ${state === 'reader' ? this.#reader?.render(locale) : nothing}
    </div>`;
  }

  #renderList(loading: boolean, layout: string, locale: string): TemplateResult {
    const err = this.#moreError;
    return html`<ul part="list" role="list" aria-busy=${loading} @pointerover=${this.#preload} @focusin=${this.#preload}>
        ${loading
          ? [1, 2, 3].map(() => html`<li class="sk" aria-hidden="true"></li>`)
          : this.#stories.map((s) => html`<li>${this.#renderCard(s, layout, locale)}</li>`)}
      </ul>
      ${loading ? html`<p class="vh">${msg('Loading stories…', { desc: 'Said (not shown) while the stories load.' })}</p>` : nothing}
      ${this.#next && !loading
        ? html`<div class="more">
            <button part="more" aria-disabled=${this.#more} aria-describedby=${err ? 'more-error' : nothing} @click=${this.#loadMore}>
              ${msg('Load more stories', { desc: 'Button below the stories that adds the next ones.' })}
            </button>
            ${err ? html`<p part="error" id="more-error">${this.failure(err, true)}</p>` : nothing}
          </div>`
        : nothing}`;
  }

  #renderCard(s: Story, layout: string, locale: string): TemplateResult {
    const img = layout !== 'compact' && s.image;
    const src = img && safeUrl(img.url);
    return html`<article part="card" class=${src ? 'i' : ''} aria-labelledby="t-${s.id}">
      <div part="title" id="t-${s.id}" role="heading" aria-level=${this.level} lang=${s.lang} dir="auto">
        <a href=${safeUrl(s.link) ?? '#'} @click=${(e: MouseEvent) => this.#open(e, s)}>${s.title}</a>
      </div>
      ${this.meta(s, locale)}
      ${layout === 'compact' ? nothing : html`<p part="excerpt" lang=${s.lang} dir="auto">${s.excerpt}</p>`}
      ${src ? this.image(s, src) : nothing}
    </article>`;
  }

  /** @internal A story's image, with its size (nothing jumps while it loads) and its alt text in the story's language. */
  image(s: Story, src: string, lazy = true): TemplateResult {
    const i = s.image!;
    return html`<img part="image" src=${src} width=${i.width} height=${i.height} alt=${i.alt} lang=${s.lang}
      loading=${lazy ? 'lazy' : 'eager'} decoding="async" />`;
  }

  /** @internal Partner, place, date, reading time, and the story's language when it is not the widget's. */
  meta(s: Story, locale: string): TemplateResult {
    const place = [s.region?.name, s.country && nameOf(locale, 'region', s.country.toUpperCase())].filter(Boolean).join(', ');
    const date = new Date(s.date);
    const m = s.readingMinutes;
    const time = m && new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute' }).format(m);
    const lang = primary(s.lang) !== primary(locale) && nameOf(locale, 'language', s.lang);
    return html`<p part="meta">
      ${s.partner ? html`<span dir="auto">${s.partner.name}</span>` : nothing} ${place ? html`<span dir="auto">${place}</span>` : nothing}
      ${isNaN(+date) ? nothing : html`<span><time datetime=${s.date}>${new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(date)}</time></span>`}
      ${time ? html`<span>${msg(str`${time} read`, { desc: 'Reading time of a story; the placeholder is a duration written by the browser, e.g. "4 min".' })}</span>` : nothing}
      ${lang
        ? html`<span part="language">${msg(str`In ${lang}`, {
            desc: 'Label of a story shown in another language than the widget’s; the placeholder is the language’s name written by the browser, e.g. "español", "anglais": Spanish "En inglés", French "En espagnol".',
          })}</span>`
        : nothing}
    </p>`;
  }
}
