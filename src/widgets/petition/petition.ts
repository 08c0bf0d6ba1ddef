import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str } from '../../core/msg.ts';
import { CompaElement } from '../../core/compa-element.ts';
import { currentLocale, loadLocale } from '../../core/locale.ts';
import { ApiError, apiUrl, request, type NetworkError } from '../../core/api.ts';
import { hostStyles } from '../../core/theme.ts';
import type { Petition, PetitionCount } from '../../schemas/petition.ts';
import { petitionStyles } from './petition.styles.ts';
import { sanitize } from './sanitize.ts';

export type PetitionState =
  | 'loading'
  | 'load-error'
  | 'not-found'
  | 'idle'
  | 'one-click'
  | 'submitting'
  | 'signed'
  | 'check-inbox'
  | 'closed'
  | 'offline'
  | 'error'
  | 'rate-limited';

/** `localStorage` key (of the host page) of the supporter remembered with "Remember me on this device". */
export const SUPPORTER_KEY = 'compa:supporter';
/** Query parameter of the page URL that carries an action link's token. */
export const ACTION_PARAM = 'compa_action';
/** Query parameter naming the petition an action link is for (on pages with several petitions). */
export const CAMPAIGN_PARAM = 'compa_campaign';

type SignModule = typeof import('./sign.ts');
type Signer = InstanceType<SignModule['Signer']>;
let signModule: Promise<SignModule> | undefined;
/**
 * The signing part (form, one-click, results, live counter) is a chunk of its own, requested as soon as an
 * element connects: it loads while the petition is fetched. A failed load is retried by the next call.
 */
const loadSign = (): Promise<SignModule> =>
  (signModule ??= import('./sign.ts').catch((e: unknown) => {
    signModule = undefined;
    throw e;
  }));

/**
 * The action link's token, if the page's address has one for this petition (`compa_campaign`, when present,
 * names it; else the first widget that connects takes it). It is removed from the address bar at once (never
 * shared onward, nor left in the history).
 */
function takeActionToken(campaign: string): string | null {
  const url = new URL(location.href);
  const q = url.searchParams;
  const token = q.get(ACTION_PARAM);
  const forCampaign = q.get(CAMPAIGN_PARAM);
  if (token === null || (forCampaign !== null && forCampaign !== campaign)) return null;
  q.delete(ACTION_PARAM);
  q.delete(CAMPAIGN_PARAM);
  history.replaceState(history.state, '', url);
  return token;
}

const closedText = (): string => msg('This petition is closed.', { desc: 'Shown when the petition no longer accepts signatures.' });

/** The name of language `tag` in `locale` ("inglés"). */
const languageName = (locale: string, tag: string): string | undefined => new Intl.DisplayNames(locale, { type: 'language' }).of(tag);

/**
 * An urgent-action petition signed with one click: the petition's text, a live counter toward its goal, a
 * deadline countdown, and a short form (first name, last name as the petition asks, email, country, optional
 * comment, unticked "keep me informed" and "remember me" boxes). A supporter remembered on this device, or one
 * arriving through an action link (`?compa_action=…`, with `&compa_campaign=<slug>` when the page holds several
 * petitions), signs with a single button. After signing: thanks and
 * sharing through plain links (no third-party script). Nothing is lost to a flaky network: a signature that
 * can't be sent is kept on the device and sent when the connection returns (or on the next visit).
 * Works with no page CSS, in `en`, `es` and `fr`, left to right and right to left, down to 320 px wide.
 *
 * @tag compa-petition
 * @summary Petition with one-click signing, live counter and sharing; localised per element, WCAG 2.2 AA.
 *
 * Server: the `api` attribute, else `<meta name="compa-api" content="https://act.example.org">`, else the origin
 * the script was loaded from. Routes (below `/api/v1/petitions/:slug`): `GET ?locale=…`, `GET /count`,
 * `GET /events` (Server-Sent Events, no credentials), `GET /supporter?t=…`, and `POST /signatures` with an
 * `Idempotency-Key` (the same key when retrying the same data). No cookies.
 *
 * Code: this module renders the petition (title, texts, counter, closed); `sign.ts` (form, one-click, results,
 * live counter and countdown) and `share.ts` (sharing, after signing) are lazily loaded chunks.
 *
 * @attr {string} campaign - The petition's slug (required).
 * @attr {string} api - Base URL of the Compa server (optional, see above).
 * @attr {string} lang - Language of the widget (`en`, `es`, `fr`; `es-CO` → `es`; anything else → `en`).
 *   Default: the closest ancestor's `lang`, then `<html lang>`, then the browser's languages, then English.
 * @attr {number} heading-level - Level of the title in the page's outline (default 2).
 * @attr {string} share-url - The page to share (http/https); default: the petition's `shareUrl`, else this page.
 * @attr {boolean} no-remember - Don't offer "Remember me on this device".
 * @attr {boolean} compact - Show neither the summary nor the text (title, target, counter and form only).
 * @attr {PetitionState} state - Reflects the state, read-only: `loading`, `load-error` (retry button),
 *   `not-found`, `idle` (the form), `one-click` ("Sign as Ana G."), `submitting`, `signed` (counted: thanks and
 *   sharing), `check-inbox` (counts once confirmed by email; sharing), `closed`, `offline` (saved on the device,
 *   sent when back online), `error` (generic; retry), `rate-limited` (says when to retry).
 *
 * @prop {Petition | undefined} data - The petition; set it before the element connects to skip the `GET`.
 * @prop {Petition | undefined} petition - The petition shown (`data`, else the server's), read-only.
 * @prop {string} locale - The resolved locale, read-only (`en`, `es`, `fr`).
 * @prop {string} version - Static: `CompaPetition.version`.
 *
 * @event {CustomEvent<CompaReadyDetail>} compa-ready - The petition loaded; `detail`: `{campaign}`.
 * @event {CustomEvent<CompaSignDetail>} compa-sign - The server accepted a signature; `detail`:
 *   `{campaign, status: 'counted' | 'pending_verification', locale}`. Also when a saved signature is sent later.
 * @event {CustomEvent<CompaShareDetail>} compa-share - A way to share was used; `detail`: `{campaign, channel}`.
 * @event {CustomEvent<CompaErrorDetail>} compa-error - A request failed; `detail`: `{code, status}` (`network`/0
 *   when the petition could not be loaded at all).
 * @event {CustomEvent<CompaQueuedDetail>} compa-queued - Offline: the signature was saved on the device and will
 *   be sent later; `detail`: `{action: 'sign'}`.
 * Every event bubbles and is composed; none carries personal data.
 *
 * @csspart base - The card around everything; carries `lang`.
 * @csspart heading - The petition's title.
 * @csspart note - "Not yet translated: shown in English."
 * @csspart summary - The summary.
 * @csspart target - "To: …".
 * @csspart body - The `<details>` holding the petition's text ("Read more").
 * @csspart counter - The counter: count, goal and progress bar.
 * @csspart count - The number of signatures.
 * @csspart goal - The goal (or the next one, once it is reached).
 * @csspart progress - The progress bar's track (`role="progressbar"`).
 * @csspart bar - The progress bar's filled part.
 * @csspart deadline - "Closes in 3 days (…)".
 * @csspart message - Loading, not found, closed, thanks, check-inbox, offline and expired-link texts.
 * @csspart outcome - What happened, once the petition is closed.
 * @csspart form - The `<form>`.
 * @csspart field - Wrapper of a field (label, input, error).
 * @csspart label - Field and checkbox labels.
 * @csspart input - Text fields, the country `<select>`, the comment `<textarea>`, the Mastodon server field.
 * @csspart checkbox - The "keep me informed" and "remember me" boxes.
 * @csspart hint - The hint under "Remember me on this device".
 * @csspart error - Field errors and the error box (`role="alert"`).
 * @csspart button - "Sign", "Sign as …", "Try again", "Try again now", "Share on Mastodon".
 * @csspart link - Buttons that look like links ("Not you?").
 * @csspart share - The sharing panel.
 * @csspart share-link - Each way to share (links and buttons).
 * @csspart status - The visually hidden live region (`role="status"`).
 *
 * @cssproperty --compa-petition-max-width - Maximum width of the card (default 36em).
 * @cssproperty --compa-petition-padding - Padding of the card (default 1.25 × --compa-space).
 * @cssproperty --compa-petition-border - Border of the card (default `1px solid #d0d7de`; `none` to drop it).
 * @cssproperty --compa-petition-heading-size - Title font size (default 1.375em).
 * @cssproperty --compa-petition-progress-color - Filled part of the progress bar (default: the primary colour).
 * @cssproperty --compa-petition-track-color - Empty part of the progress bar (default #e6e9ed).
 * And the tokens every Compa element uses: `--compa-font-family`, `--compa-line-height`, `--compa-color-*`,
 * `--compa-focus-ring-color`, `--compa-radius`, `--compa-space`.
 */
export class CompaPetition extends CompaElement {
  static override styles = [hostStyles, petitionStyles];

  static override properties: PropertyDeclarations = {
    campaign: {},
    api: {},
    headingLevel: { type: Number, attribute: 'heading-level' },
    shareUrl: { attribute: 'share-url' },
    noRemember: { type: Boolean, attribute: 'no-remember' },
    compact: { type: Boolean },
    state: { reflect: true },
    data: { attribute: false },
    fetched: { state: true },
    tally: { state: true },
    note: { state: true },
  };

  declare campaign: string;
  declare api: string | undefined;
  declare headingLevel: number;
  declare shareUrl: string | undefined;
  declare noRemember: boolean;
  declare compact: boolean;
  declare state: PetitionState;
  declare data: Petition | undefined;

  /** What `GET /petitions/:slug` returned (`data` wins when set). */
  declare protected fetched: Petition | undefined;
  /** @internal The latest count, goal and status (the petition's, then the live stream's or a signature's). */
  declare tally: PetitionCount | undefined;
  /** @internal What the live region says instead of the state's own text (a function: rendered in the locale). */
  declare note: (() => string) | undefined;

  #url?: string;
  #body?: [source: string, element: HTMLElement];
  #signer?: Signer;
  /** The action link's token this element took from the page's address (`null`: none). */
  #token?: string | null;
  /** `compa-ready` was sent. */
  #ready = false;

  constructor() {
    super();
    this.headingLevel = 2;
    this.noRemember = this.compact = false;
    this.state = 'loading';
  }

  /** The petition shown: `data`, else what the server sent. */
  get petition(): Petition | undefined {
    return this.data ?? this.fetched;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-fetch when a move in the DOM interrupted the first load (the disconnect aborted it).
    if (!this.petition) this.#url = undefined;
    this.#token ??= takeActionToken(this.campaign);
    // The signing chunk loads meanwhile; its offline queue sends what an earlier visit left.
    this.#sign().catch(() => {});
  }

  #sign(): Promise<Signer> {
    return loadSign().then((m) => (this.#signer ??= new m.Signer(this)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('state')) this.note = undefined;
    const url = this.data ? '' : apiUrl(this, `/petitions/${encodeURIComponent(this.campaign)}?locale=${this.locale}`);
    if (this.isConnected && url !== this.#url) void this.#load((this.#url = url));
  }

  /** @internal Announce `text` through the live region (again, even when it is the same text). */
  async say(text: () => string): Promise<void> {
    this.note = undefined;
    await this.updateComplete;
    this.note = text;
  }

  /** @internal A new count (live stream, polling, or a signature's answer). */
  count(c: PetitionCount): void {
    const before = this.tally;
    this.tally = c;
    if (before && before.count < c.goal && c.count >= c.goal) {
      void this.say(() => msg('We reached the goal!', { desc: 'Announced (screen readers) when the counter reaches the goal.' }));
    }
    if (c.status === 'closed') this.closed();
  }

  /**
   * @internal The petition closed (live count, a signature refused with 409; `always`: from any state): the form
   * goes, the count freezes. Said through the live region; focus that was in the form moves to the message.
   */
  closed(always?: boolean): void {
    if (always || /^(idle|one-click|submitting|error|rate-limited)$/.test(this.state)) {
      const focus = this.matches(':focus-within');
      this.state = 'closed';
      void this.say(closedText).then(() => focus && this.renderRoot.querySelector<HTMLElement>('#closed')?.focus());
    }
    if (this.tally) this.tally = { ...this.tally, status: 'closed' };
  }

  /** (Re)load the petition. A reload (language change, 409) keeps what is on screen while it runs. */
  async #load(url: string): Promise<void> {
    try {
      if (!this.campaign) throw new ApiError(404, { error: { code: 'not_found', message: '' } }, null);
      const [p] = await Promise.all([
        this.data ?? request<Petition>(url, { signal: this.signal, timeout: 1e4 }),
        // The petition appears in the supporter's language, never briefly in English.
        loadLocale(this.locale, this).catch(() => {}),
      ]);
      // An open petition needs the signing chunk (requested at connect) before it shows.
      const signer = p.status === 'open' ? await this.#sign() : undefined;
      const oneClick = /^lo/.test(this.state) && (await signer?.detect(p, this.#token));
      if (url !== this.#url) return; // superseded (language, campaign or api changed meanwhile)
      this.fetched = p;
      // A petition seen closed stays closed (a reload may come from a cache older than the 409).
      this.tally = this.tally?.status === 'closed' ? { ...p, status: 'closed' } : p;
      // Still loading (not, meanwhile, thanking for a signature saved on an earlier visit and sent now).
      if (/^lo/.test(this.state)) this.state = p.status === 'closed' ? 'closed' : oneClick ? 'one-click' : 'idle';
      if (!this.#ready) this.emit('compa-ready', { campaign: this.campaign });
      this.#ready = true;
      signer?.watch();
    } catch (e) {
      const { code = 'network', status = 0, reason } = e as ApiError & NetworkError;
      if (url !== this.#url || reason === 'aborted') return;
      if (/^lo/.test(this.state)) this.state = status === 404 ? 'not-found' : 'load-error';
      this.emit('compa-error', { code, status });
    }
  }

  /** @internal Load the petition again (after a 409, for its outcome; "Try again" after a load error). */
  reload(): void {
    this.#url = undefined;
    this.requestUpdate();
  }

  #retry(): void {
    this.state = 'loading';
    this.reload();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#heading')?.focus());
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const p = this.petition;
    const state = this.state;
    const locale = currentLocale();
    const s = this.#signer;
    const status = this.note?.() ?? s?.status() ?? '';
    return html`<div part="base" lang=${locale}>
      <div part="status" role="status" aria-live="polite" class="vh">${status}</div>
      <div part="heading" id="heading" role="heading" aria-level=${this.headingLevel} tabindex="-1" lang=${p?.locale ?? locale} dir="auto">
        ${p?.title ?? msg('Petition', { desc: 'Heading while the petition loads or when it cannot be shown.' })}
      </div>
      ${!p || state === 'not-found'
        ? state === 'load-error'
          ? html`<p part="error" role="alert" class="alert">
                ${msg('The petition couldn’t load. Check your connection and try again.', {
                  desc: 'Error when the petition could not be fetched from the server.',
                })}
              </p>
              <button part="button" @click=${this.#retry}>
                ${msg('Try again', { desc: 'Button that retries a failed action.' })}
              </button>`
          : html`<p part="message">
              ${state === 'not-found'
                ? msg('This petition doesn’t exist or is no longer online.', { desc: 'Shown when the petition is unknown.' })
                : msg('Loading…', { desc: 'Shown while the signup form loads.' })}
            </p>`
        : this.#renderPetition(p, state, locale, s, status)}
    </div>`;
  }

  #renderPetition(p: Petition, state: PetitionState, locale: string, s: Signer | undefined, status: string): TemplateResult {
    const lang = p.locale;
    if (this.#body?.[0] !== p.bodyHtml) this.#body = [p.bodyHtml, sanitize(p.bodyHtml)];
    // The texts carry their language (3.1.2) and their own direction (English shown in a right-to-left widget).
    Object.assign(this.#body![1], { lang, dir: 'auto' });
    return html`${p.fallback
        ? html`<p part="note">
            ${msg(str`Not yet translated: shown in ${languageName(locale, lang)}.`, {
              desc: 'Shown when the petition has no translation in the widget’s language. The placeholder is the name of the language shown, written by the browser (e.g. "inglés").',
            })}
          </p>`
        : nothing}
      ${this.compact ? nothing : html`<p part="summary" lang=${lang} dir="auto">${p.summary}</p>`}
      <p part="target">
        ${msg('To:', { desc: 'Before the name of whom the petition addresses (e.g. "To: the Minister of the Interior").' })}
        <span lang=${lang} dir="auto">${p.target}</span>
      </p>
      ${this.compact
        ? nothing
        : html`<details part="body">
            <summary>${msg('Read more', { desc: 'Opens the full text of the petition.' })}</summary>
            ${this.#body![1]}
          </details>`}
      ${this.#renderCounter(p, locale)} ${s?.deadline(p, locale)}
      ${state === 'closed'
        ? html`<p part="message" id="closed" tabindex="-1"><strong>${closedText()}</strong></p>
            ${p.outcome ? html`<p part="outcome" lang=${lang} dir="auto">${p.outcome}</p>` : nothing}`
        : s?.render(p, state, status)}`;
  }

  #renderCounter(p: Petition, locale: string): TemplateResult | typeof nothing {
    const { count, goal, status } = this.tally ?? p;
    const open = status === 'open';
    const n = new Intl.NumberFormat(locale);
    // Once the goal is passed, the next milestone (the goal doubled until it is ahead again), while it is open.
    let next = goal;
    while (open && next <= count) next *= 2;
    const g = n.format(next);
    if (count < (p.countThreshold ?? 0)) {
      // A low count stays hidden; a closed petition asks for nothing.
      return open
        ? html`<p part="counter">
            ${msg(str`Help us reach ${g} signatures.`, { desc: 'Shown instead of the counter while the count is still low. The placeholder is the goal.' })}
          </p>`
        : nothing;
    }
    const c = n.format(count);
    return html`<div part="counter">
      <span
        ><strong part="count">${c}</strong>
        ${new Intl.PluralRules(locale).select(count) === 'one'
          ? msg('signature', { desc: 'After the count when the count is singular (e.g. "1 signature"; in French also 0).' })
          : msg('signatures', { desc: 'After the count when the count is plural (e.g. "1,234 signatures").' })}</span
      >
      <span part="goal" id="goal"
        >${next > goal
          ? msg(str`Goal reached! Next goal: ${g}`, { desc: 'Shown once the goal is passed; the placeholder is the next milestone.' })
          : msg(str`Goal: ${g}`, { desc: 'The number of signatures the petition aims for.' })}</span
      >
      <div
        part="progress"
        role="progressbar"
        aria-labelledby="goal"
        aria-valuemin="0"
        aria-valuemax=${next}
        aria-valuenow=${Math.min(count, next)}
        aria-valuetext=${msg(str`${c} of ${g} signatures`, { desc: 'What screen readers say about the progress bar, e.g. "1,234 of 5,000 signatures".' })}
      >
        <div part="bar" .style=${`inline-size:${Math.min(100, (100 * count) / next)}%`}></div>
      </div>
    </div>`;
  }
}
