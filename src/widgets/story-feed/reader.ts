/**
 * The reader of `<compa-story-feed>`, a lazily loaded chunk (requested when the pointer or the focus enters the
 * list): a story opened in place of the list, with its full text. The text is the server's sanitised HTML, made
 * safe a second time here (`sanitize.ts`), and its third-party media are click-to-load placeholders: nothing is
 * requested from another site until the reader presses "Load media", and then only that player, sandboxed.
 * A story withdrawn meanwhile (404) disappears: the reader says it is no longer available, and it leaves the list.
 *
 * One reader per element; it renders below the (hidden) list, which stays as it was, loaded pages included.
 */
import { adoptStyles, html, nothing, type TemplateResult } from 'lit';
import { msg } from '../../core/msg.ts';
import { apiBase, apiUrl, request, type ApiError, type NetworkError } from '../../core/api.ts';
import type { Story, StoryDetail } from '../../schemas/story.ts';
import { both, safeUrl, type CompaStoryFeed } from './story-feed.ts';
import { readerStyles } from './reader.styles.ts';
import { loadEmbed, sanitize } from './sanitize.ts';

export class Reader {
  readonly #el: CompaStoryFeed;
  /** The story opened: the list's item, then its detail (with the body) once loaded. */
  #story?: Story | StoryDetail;
  /** `gone`: withdrawn (404); an error otherwise. */
  #status: 'loading' | 'ok' | 'gone' | 'error' = 'loading';
  #error?: ApiError;
  #ctl?: AbortController;
  /** The story's place in the list: the focus goes back there. */
  #index = 0;
  /** "Try again" was pressed: the focus goes back to the title (the button is gone). */
  #retried = false;
  /** The body made safe (DOM nodes), and the HTML it was made from. */
  #body?: [string, HTMLElement];

  constructor(el: CompaStoryFeed) {
    this.#el = el;
    adoptStyles(el.renderRoot as ShadowRoot, [...(el.constructor as typeof CompaStoryFeed).elementStyles, readerStyles]);
  }

  /** Opens `s`: what the list knows shows at once, the full text once fetched. */
  open(s: Story): void {
    this.#story = s;
    this.#index = this.#el.stories.indexOf(s);
    this.#body = undefined;
    void this.#load();
  }

  /** Closed (back to the list, or the list reloads): a request in flight is abandoned. */
  close(): void {
    this.#ctl?.abort();
    this.#story = undefined;
  }

  async #load(): Promise<void> {
    const el = this.#el;
    const s = this.#story!;
    this.#ctl?.abort();
    const ctl = (this.#ctl = new AbortController());
    this.#status = 'loading';
    el.requestUpdate();
    try {
      const d = await request<StoryDetail>(apiUrl(el, `/stories/${encodeURIComponent(s.id)}?lang=${el.locale}`), { signal: both(el, ctl) });
      if (ctl !== this.#ctl) return;
      this.#story = d;
      this.#status = 'ok';
    } catch (e) {
      const err = e as ApiError & NetworkError;
      if (ctl !== this.#ctl || err.reason === 'aborted') return;
      this.#error = err;
      this.#status = err.status === 404 ? 'gone' : 'error';
      // Withdrawn (a partner withdrew consent): nothing of it stays on screen, nor in the list.
      if (err.status === 404 && this.#index >= 0) el.stories.splice(this.#index, 1);
      el.emit('compa-error', { code: err.code ?? 'network', status: err.status ?? 0 });
    }
    // Withdrawn: its title is gone, the message takes the focus.
    el.go('reader', this.#status === 'gone' || this.#retried ? '#rt' : undefined);
    this.#retried = false;
  }

  /** Back to the list, on the link of the story that was open (or of the next one, if it was withdrawn). */
  #back = (): void => {
    this.close();
    const list = this.#el.stories;
    const s = list[Math.min(this.#index, list.length - 1)];
    this.#el.go(list.length ? 'list' : 'empty', s ? `#t-${s.id} a` : '[part~=message]');
  };

  #retry = (): void => {
    this.#retried = true;
    void this.#load();
  };

  /** "Load media": the placeholder becomes the player. */
  #click = (e: Event): void => loadEmbed(e.target as Element);

  render(locale: string): TemplateResult {
    const el = this.#el;
    const s = this.#story;
    const status = this.#status;
    const back = html`<button part="back" @click=${this.#back}>${msg('Back to stories', { desc: 'Button above a story opened in place: back to the list of stories.' })}</button>`;
    if (!s || status === 'gone') {
      return html`<div part="reader">
        ${back}
        <p part="message" id="rt" tabindex="-1">${msg('This story is no longer available.', { desc: 'Shown instead of a story that was withdrawn (e.g. a partner withdrew consent).' })}</p>
      </div>`;
    }
    const body = 'body' in s ? s.body : undefined;
    if (body !== undefined && this.#body?.[0] !== body) {
      this.#body = [body, sanitize(body, { level: el.level, origin: new URL(apiBase(el)).origin, locale })];
    }
    const img = s.image && safeUrl(s.image.url);
    const link = safeUrl(s.link);
    return html`<div part="reader">
      ${back}
      <article aria-labelledby="rt">
        <div part="title" id="rt" role="heading" aria-level=${el.level} tabindex="-1" lang=${s.lang} dir="auto">${s.title}</div>
        ${el.meta(s, locale)} ${img ? el.image(s, img, false) : nothing}
        ${status === 'loading'
          ? html`<p part="message">${msg('Loading the story…', { desc: 'Shown while the full text of a story opened in place loads.' })}</p>`
          : status === 'error'
            ? html`<p part="message" role="alert" class="alert">
                  ${this.#error!.status === 429
                    ? el.failure(this.#error!)
                    : msg('The story couldn’t load. Check your connection and try again.', { desc: 'Error when the full text of a story could not be fetched.' })}
                </p>
                <button part="button" @click=${this.#retry}>${msg('Try again', { desc: 'Button that retries a failed action.' })}</button>`
            : html`<div part="body" lang=${s.lang} dir="auto" @click=${this.#click}>${this.#body?.[1]}</div>`}
        ${link ? html`<a part="link" href=${link}>${msg('Open the full story', { desc: 'Link below a story opened in place, to the story’s own page.' })}</a>` : nothing}
      </article>
    </div>`;
  }
}
