import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str } from '../../core/msg.ts';
import { CompaElement } from '../../core/compa-element.ts';
import { currentLocale, loadLocale } from '../../core/locale.ts';
import { ApiError, apiBase, apiUrl, request, type NetworkError } from '../../core/api.ts';
import { hostStyles } from '../../core/theme.ts';
import type { Webinar, WebinarList } from '../../schemas/webinar.ts';
import { webinarStyles } from './webinar.styles.ts';
import { validZone, when } from './time.ts';

export type { WebinarList };

export type WebinarState =
  | 'loading'
  | 'load-error'
  | 'not-found'
  | 'list'
  | 'idle'
  | 'full'
  | 'submitting'
  | 'registered'
  | 'closed'
  | 'ended'
  | 'offline'
  | 'error'
  | 'rate-limited';

type RegisterModule = typeof import('./register.ts');
type Registrar = InstanceType<RegisterModule['Registrar']>;
let registerModule: Promise<RegisterModule> | undefined;
/**
 * The registration part (form, results, offline queue) is a chunk of its own, requested as soon as an element
 * connects: it loads while the webinar is fetched. A failed load is retried by the next call.
 */
const loadRegister = (): Promise<RegisterModule> =>
  (registerModule ??= import('./register.ts').catch((e: unknown) => {
    registerModule = undefined;
    throw e;
  }));

/** The name of language `tag` in `locale` ("inglés"); the tag itself when the browser has no name for it. */
function languageName(locale: string, tag: string): string {
  try {
    return new Intl.DisplayNames(locale, { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** An http(s) URL (relative ones resolved against `base`), else undefined: never `javascript:` or `data:`. */
function safeUrl(value: string | null, base: string): string | undefined {
  try {
    const url = new URL(value!, base);
    return value && /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A webinar's page in a widget: title, speakers, language (held in, interpretation), the time in the supporter's
 * own time zone, naming it (and in the event's zone when they differ), places left when few are, and the
 * registration form (name, email, the webinar's questions, consent). After registering: "check your email" (the
 * answer is the same whether a place was given, the registration awaits approval or went to the waitlist: the
 * email says which). A full webinar offers its waitlist (in approval mode, a registration awaits the organisers'
 * decision, as always: no waitlist is offered); a started one is closed to registration; an ended one links its
 * recording. The state follows the clock too: at the start, registration closes (a registration being sent or
 * answered keeps its outcome on screen); at the end, the webinar is fetched again for its recording. With
 * `series`, the widget lists a series' upcoming webinars and opens one in place.
 * Nothing is lost to a flaky network: a registration that can't be sent is kept on the device and sent when the
 * connection returns (or on the next visit). The join link is never shown: it is in the registrant's email only.
 * Works with no page CSS, in `en`, `es` and `fr`, left to right and right to left, down to 320 px wide.
 *
 * @tag compa-webinar
 * @summary Webinar registration (or a series' list) with times in the supporter's zone; localised, WCAG 2.2 AA.
 *
 * Server: the `api` attribute, else `<meta name="compa-api" content="https://act.example.org">`, else the origin
 * the script was loaded from. Routes: `GET /api/v1/webinars/:slug?locale=…`, `GET /api/v1/webinars?series=…&locale=…`,
 * `POST /api/v1/webinars/:slug/registrations` with an `Idempotency-Key` (the same key when retrying the same
 * data). No cookies.
 *
 * Code: this module renders the webinar (or the list) and the closed and ended states; `register.ts` (form,
 * results, offline queue) is a lazily loaded chunk, requested when the element connects.
 *
 * @attr {string} webinar - The webinar's slug (or use `series`).
 * @attr {string} series - A series' slug: lists its upcoming webinars, each with a "Register" button.
 * @attr {string} api - Base URL of the Compa server (optional, see above).
 * @attr {string} lang - Language of the widget (`en`, `es`, `fr`; `es-CO` → `es`; anything else → `en`).
 *   Default: the closest ancestor's `lang`, then `<html lang>`, then the browser's languages, then English.
 * @attr {number} heading-level - Level of the title in the page's outline (default 2; a list's items are one below).
 * @attr {string} time-zone - IANA time zone to show times in (`Europe/Madrid`); default (and when invalid): the browser's.
 * @attr {WebinarState} state - Reflects the state, read-only: `loading`, `load-error` (retry button), `not-found`,
 *   `list` (a series' webinars), `idle` (the form), `full` (the waitlist form; not in approval mode), `submitting`,
 *   `registered` (check your email), `closed` (started: no registration), `ended` (the recording, if any), `offline`
 *   (saved on the device, sent when back online), `error` (generic; the form retries), `rate-limited` (says when to
 *   retry). `closed` and `ended` follow the clock.
 *
 * @prop {Webinar | WebinarList | undefined} data - The webinar (or a series' `{webinars}`); set it before the
 *   element connects to skip the `GET`.
 * @prop {Webinar | undefined} current - The webinar shown (read-only; none while a series' list is shown).
 * @prop {Webinar[]} webinars - Every webinar loaded: the one, or the series' (read-only).
 * @prop {string} locale - The resolved locale, read-only (`en`, `es`, `fr`).
 * @prop {string} version - Static: `CompaWebinar.version`.
 *
 * @event {CustomEvent<CompaReadyDetail>} compa-ready - Loaded; `detail`: `{webinars}` (the slugs shown).
 * @event {CustomEvent<CompaRegisterDetail>} compa-register - The server accepted a registration; `detail`:
 *   `{webinar, waitlist, locale}`. Also when a saved registration is sent later.
 * @event {CustomEvent<CompaErrorDetail>} compa-error - A request failed; `detail`: `{code, status}`
 *   (`registration_closed`/409, `rate_limited`/429…, `network`/0 when nothing could be loaded).
 * @event {CustomEvent<CompaQueuedDetail>} compa-queued - Offline: the registration was saved on the device and
 *   will be sent later; `detail`: `{action: 'register'}`.
 * Every event bubbles and is composed; none carries personal data.
 *
 * @csspart base - The card around everything; carries `lang`.
 * @csspart heading - The webinar's title (or "Upcoming webinars").
 * @csspart note - "Not yet translated: shown in English."
 * @csspart description - The webinar's description.
 * @csspart time - When: the supporter's time, naming the zone.
 * @csspart event-time - The event's own time, when it differs.
 * @csspart language - The language it is held in, and interpretation.
 * @csspart speakers - The list of speakers.
 * @csspart speaker - A speaker (photo, name, organisation).
 * @csspart photo - A speaker's photo.
 * @csspart places - "Only 3 places left".
 * @csspart list - A series' list of webinars.
 * @csspart item - A webinar in the list.
 * @csspart item-title - Its title.
 * @csspart item-status - Its status ("Registration open", "Full: waitlist open"…).
 * @csspart message - Loading, not found, closed, ended, check your email, saved offline, the waitlist explanation.
 * @csspart recording - The link to the recording.
 * @csspart form - The `<form>`.
 * @csspart field - Wrapper of a field (label, input, error).
 * @csspart label - Field labels, a choice question's legend, checkbox labels.
 * @csspart input - Text fields and text areas.
 * @csspart choices - A choice question's `<fieldset>`.
 * @csspart radio - A choice's radio button.
 * @csspart checkbox - Checkbox questions and the consent box.
 * @csspart consent - The consent row (checkbox, text with the privacy-policy link, error).
 * @csspart error - Field errors and the error box (`role="alert"`).
 * @csspart button - "Register", "Join the waitlist", "Try again", "Try again now".
 * @csspart link - Buttons that look like links ("All webinars").
 * @csspart status - The visually hidden live region (`role="status"`).
 *
 * @cssproperty --compa-webinar-max-width - Maximum width of the card (default 36em).
 * @cssproperty --compa-webinar-padding - Padding of the card (default 1.25 × --compa-space).
 * @cssproperty --compa-webinar-border - Border of the card (default `1px solid #d0d7de`; `none` to drop it).
 * @cssproperty --compa-webinar-heading-size - Title font size (default 1.375em).
 * @cssproperty --compa-webinar-photo-size - Speakers' photos (default 3em).
 * And the tokens every Compa element uses: `--compa-font-family`, `--compa-line-height`, `--compa-color-*`,
 * `--compa-focus-ring-color`, `--compa-radius`, `--compa-space`.
 */
export class CompaWebinar extends CompaElement {
  static override styles = [hostStyles, webinarStyles];

  static override properties: PropertyDeclarations = {
    webinar: {},
    series: {},
    api: {},
    headingLevel: { type: Number, attribute: 'heading-level' },
    timeZone: { attribute: 'time-zone' },
    state: { reflect: true },
    data: { attribute: false },
    fetched: { state: true },
    selected: { state: true },
  };

  declare webinar: string | undefined;
  declare series: string | undefined;
  declare api: string | undefined;
  declare headingLevel: number;
  declare timeZone: string | undefined;
  declare state: WebinarState;
  declare data: Webinar | WebinarList | undefined;

  /** What the `GET` returned (`data` wins when set). */
  declare protected fetched: Webinar | WebinarList | undefined;
  /** In a series: the slug of the webinar opened from the list. */
  declare protected selected: string | undefined;

  #url?: string;
  #registrar?: Registrar;
  /** `compa-ready` was sent. */
  #ready = false;
  /** Webinars found started since they loaded (a registration got 409). */
  #started = new Set<string>();
  /** Selector of the element to focus after the next render. */
  #focus?: string;
  /** The timer to the next start or end of a webinar loaded (one at a time), and that instant. */
  #timer?: ReturnType<typeof setTimeout>;
  #at = 0;

  constructor() {
    super();
    this.headingLevel = 2;
    this.state = 'loading';
  }

  /** The webinar shown: the one, or the one opened from a series' list. */
  get current(): Webinar | undefined {
    const d = this.data ?? this.fetched;
    return d && ('webinars' in d ? d.webinars.find((w) => w.slug === this.selected) : d);
  }

  /** Every webinar loaded: the one, or the series'. */
  get webinars(): Webinar[] {
    const d = this.data ?? this.fetched;
    return d ? ('webinars' in d ? d.webinars : [d]) : [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-fetch when a move in the DOM interrupted the first load (the disconnect aborted it).
    if (!this.webinars.length) this.#url = undefined;
    // The registration chunk loads meanwhile; its offline queue sends what an earlier visit left.
    this.#register().catch(() => {});
    // Back in the page (moved): the clock may have passed a start or an end meanwhile.
    this.#sync();
    this.#arm();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One timer, to the next start or end of a webinar loaded. `setTimeout` takes at most 2^31 - 1 ms (24.8 days):
   * a later instant is reached in several steps.
   */
  #arm(): void {
    const now = Date.now();
    let next = Infinity;
    for (const w of this.webinars) {
      for (const t of [Date.parse(w.start), Date.parse(w.end)]) if (t > now && t < next) next = t;
    }
    if (next === this.#at && this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = next;
    if (next < Infinity && this.isConnected) this.#timer = setTimeout(() => this.#tick(), Math.min(next - now, 2 ** 31 - 1));
  }

  /** A start or an end is reached: the state follows; at the end of the webinar shown, its recording is fetched. */
  #tick(): void {
    this.#timer = undefined;
    if (Date.now() < this.#at) return this.#arm(); // (a step of a long wait)
    const w = this.current;
    if (w && !this.data && w.status !== 'ended' && Date.now() >= Date.parse(w.end)) void this.#refetch(w);
    this.#sync();
    this.requestUpdate(); // (a list's statuses; `updated` arms the next)
  }

  /** The webinar `w` again (the server sends the recording once it has ended); kept as it was when that fails. */
  async #refetch(w: Webinar): Promise<void> {
    try {
      const d = await request<Webinar>(apiUrl(this, `/webinars/${encodeURIComponent(w.slug)}?locale=${this.locale}`), { signal: this.signal, timeout: 1e4 });
      const f = this.fetched;
      if (f) this.fetched = 'webinars' in f ? { webinars: f.webinars.map((x) => (x.slug === d.slug ? d : x)) } : f.slug === d.slug ? d : f;
    } catch {
      /* ended, without its recording */
    }
  }

  /**
   * The state the webinar shown is in now (its status, the clock): the form's (`idle` or `full`), `closed` or
   * `ended`; a registration being sent, or its outcome (`registered`, `offline`), stays until the end. Focus in a
   * form that goes moves to the message.
   */
  #sync(): void {
    const w = this.current;
    const s = this.state;
    const to = w && this.#stateOf(w);
    // (Not while loading: the webinar appears in the supporter's language, once its messages have loaded.)
    if (to && to !== s && (to === 'ended' ? !/^(lo|sub)/.test(s) : to === 'closed' ? /^(idle|full|error|rate-limited)$/.test(s) : /^(idle|full)$/.test(s))) {
      this.go(to, (this.renderRoot as ShadowRoot).activeElement?.closest('form') ? '#closed' : undefined);
    }
  }

  #register(): Promise<Registrar> {
    return loadRegister().then((m) => (this.#registrar ??= new m.Registrar(this)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.hasUpdated && (changed.has('webinar') || changed.has('series'))) {
      // Another webinar or series: start afresh.
      this.state = 'loading';
      this.fetched = this.selected = undefined;
    }
    const q = `locale=${this.locale}`;
    const url = this.data
      ? ''
      : apiUrl(this, this.series ? `/webinars?series=${encodeURIComponent(this.series)}&${q}` : `/webinars/${encodeURIComponent(this.webinar ?? '')}?${q}`);
    if (this.isConnected && url !== this.#url) void this.#load((this.#url = url));
  }

  protected override updated(): void {
    const root = this.renderRoot;
    // What is gone (a webinar's button, once it started): the heading.
    const target = this.#focus ? (root.querySelector<HTMLElement>(this.#focus) ?? root.querySelector<HTMLElement>('#heading')) : null;
    this.#focus = undefined;
    // A choice question: its first radio button.
    (target && target.localName === 'fieldset' ? target.querySelector('input') : target)?.focus();
    this.#arm();
  }

  /** @internal Go to `state`, and focus what `focus` selects after the render. */
  go(state: WebinarState, focus?: string): void {
    this.state = state;
    this.#focus = focus;
    this.requestUpdate();
  }

  /** The state a webinar's status (and the clock) puts the widget in. */
  #stateOf(w: Webinar): WebinarState {
    const s = this.#status(w);
    return s === 'upcoming' ? 'idle' : s === 'full' ? 'full' : s === 'started' ? 'closed' : 'ended';
  }

  /**
   * The webinar's status, from the server's and the clock (the server's was true when it was fetched). In approval
   * mode a full webinar is `upcoming`: every registration awaits the organisers' decision, none goes to a waitlist.
   */
  #status(w: Webinar): Webinar['status'] {
    const now = Date.now();
    const s = w.status;
    return s === 'ended' || now >= Date.parse(w.end)
      ? 'ended'
      : s === 'started' || this.#started.has(w.slug) || now >= Date.parse(w.start)
        ? 'started'
        : s === 'full' && w.mode === 'approval'
          ? 'upcoming'
          : s;
  }

  /** @internal The webinar `slug` has started (a registration was refused with 409): registration closes. */
  closed(slug: string): void {
    this.#started.add(slug);
    if (this.current?.slug === slug) this.go('closed', '#closed');
    else this.requestUpdate();
  }

  /** (Re)load. A reload (language change) keeps what is on screen while it runs. */
  async #load(url: string): Promise<void> {
    try {
      if (!this.data && !this.webinar && !this.series) throw new ApiError(404, undefined, null);
      const [d] = await Promise.all([
        this.data ?? request<Webinar | WebinarList>(url, { signal: this.signal, timeout: 1e4 }),
        // The webinar appears in the supporter's language, never briefly in English.
        loadLocale(this.locale, this).catch(() => {}),
      ]);
      const list = 'webinars' in d;
      // A list, or a webinar open to registration, needs the registration chunk (requested at connect).
      if (list || /^(upcoming|full)$/.test(d.status)) await this.#register();
      if (url !== this.#url) return; // superseded (language, slug or api changed meanwhile)
      this.fetched = d;
      if (/^lo/.test(this.state) || (list && !this.current && this.selected)) {
        // Loaded; or the webinar opened from the list is no longer in it (a reload after a language change).
        this.selected = undefined;
        this.state = list ? 'list' : this.#stateOf(d);
      } else {
        // A reload (language change): the webinar may have filled up, started or ended meanwhile.
        this.#sync();
      }
      if (!this.#ready) this.emit('compa-ready', { webinars: this.webinars.map((w) => w.slug) });
      this.#ready = true;
    } catch (e) {
      const { code = 'network', status = 0, reason } = e as ApiError & NetworkError;
      if (url !== this.#url || reason === 'aborted') return;
      if (/^lo/.test(this.state)) this.state = status === 404 ? 'not-found' : 'load-error';
      this.emit('compa-error', { code: status === 404 ? 'not_found' : code, status });
    }
  }

  #retry(): void {
    this.#url = undefined;
    this.go('loading', '#heading');
  }

  /** Opens a webinar of the series' list in place. */
  #open(w: Webinar): void {
    this.selected = w.slug;
    this.#registrar?.reset();
    this.go(this.#stateOf(w), '#heading');
  }

  /** Back to the series' list, on the webinar's button. */
  #back(): void {
    const slug = this.selected;
    this.selected = undefined;
    this.#registrar?.reset();
    this.go('list', `#open-${slug}`);
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const w = this.current;
    const state = this.state;
    const locale = currentLocale();
    const d = this.data ?? this.fetched;
    const list = d && 'webinars' in d ? d.webinars : undefined;
    return html`<div part="base" lang=${locale}>
      <div part="status" role="status" aria-live="polite" class="vh">${this.#registrar?.status() ?? ''}</div>
      ${list && w
        ? html`<button part="link" id="back" @click=${this.#back}>
            ${msg('All webinars', { desc: 'Button above a webinar opened from a series’ list: back to the list.' })}
          </button>`
        : nothing}
      <div part="heading" id="heading" role="heading" aria-level=${this.headingLevel} tabindex="-1" lang=${w?.locale ?? locale} dir="auto">
        ${w?.title ??
        (list || this.series
          ? msg('Upcoming webinars', { desc: 'Heading of a series’ list of webinars.' })
          : msg('Webinar', { desc: 'Heading while the webinar loads or when it cannot be shown.' }))}
      </div>
      ${w
        ? this.#renderWebinar(w, state, locale)
        : list
          ? this.#renderList(list, locale)
          : state === 'load-error'
            ? html`<p part="error" role="alert" class="alert">
                  ${msg('The webinar couldn’t load. Check your connection and try again.', {
                    desc: 'Error when the webinar (or the list of webinars) could not be fetched from the server.',
                  })}
                </p>
                <button part="button" @click=${this.#retry}>${msg('Try again', { desc: 'Button that retries a failed action.' })}</button>`
            : html`<p part="message">
                ${state === 'not-found'
                  ? msg('This webinar doesn’t exist or is no longer online.', { desc: 'Shown when the webinar (or the series) is unknown.' })
                  : msg('Loading…', { desc: 'Shown while the signup form loads.' })}
              </p>`}
    </div>`;
  }

  /** When: the supporter's time (naming the zone) and the event's own, in `<time>` elements. */
  #renderTime(w: Webinar, locale: string): TemplateResult {
    const zone = validZone(this.timeZone) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const [mine, theirs] = when(w.start, w.end, w.timeZone, zone, locale);
    return html`<p part="time">
      <time datetime=${w.start}>${mine}</time>
      ${theirs
        ? html`<span part="event-time"
            >${msg(html`(<time datetime=${w.start}>${theirs}</time>, local time of the event)`, {
              desc: 'After the time in the supporter’s time zone, when the event’s own zone differs. The placeholder is the time there, naming the zone, e.g. "10:00 – 11:30 AM Colombia Standard Time".',
            })}</span
          >`
        : nothing}
    </p>`;
  }

  /** "Only 3 places left", "Only one place left", when the server says few are left. */
  #renderPlaces(w: Webinar, locale: string): TemplateResult | typeof nothing {
    const n = w.placesLeft;
    if (!n || this.#status(w) !== 'upcoming') return nothing;
    const c = new Intl.NumberFormat(locale).format(n);
    return html`<p part="places">
      ${n === 1
        ? msg('Only one place left', { desc: 'Shown when exactly one place is left (in words, e.g. "Il ne reste qu’une place").' })
        : new Intl.PluralRules(locale).select(n) === 'one'
          ? msg(str`Only ${c} place left`, {
              desc: 'Shown when few places are left and the number takes the singular form in the language (not 1: e.g. 21 in Russian). Unused in English, Spanish and French: translate as the singular.',
            })
          : msg(str`Only ${c} places left`, { desc: 'Shown when few places are left (plural), e.g. "Only 3 places left".' })}
    </p>`;
  }

  #renderWebinar(w: Webinar, state: WebinarState, locale: string): TemplateResult {
    const lang = w.locale;
    const held = languageName(locale, w.heldIn);
    const list = new Intl.ListFormat(locale).format(
      w.interpretation.map((tag) => {
        const name = languageName(locale, tag);
        return msg(str`${name}`, {
          desc: 'A language of the list after "Interpretation into", as the list needs it; the placeholder is its name, written by the browser. English: the name alone ("French"); Spanish "al francés"; French "en français".',
        });
      }),
    );
    const base = apiBase(this) + '/';
    const recording = state === 'ended' && safeUrl(w.recordingUrl, base);
    return html`${w.fallback
        ? html`<p part="note">
            ${msg(str`Not yet translated: shown in ${languageName(locale, lang)}.`, {
              id: 'webinar-not-translated',
              desc: 'Shown when the webinar has no translation in the widget’s language. The placeholder is the name of the language shown, written by the browser (e.g. "inglés").',
            })}
          </p>`
        : nothing}
      ${this.#renderTime(w, locale)}
      <p part="language">
        ${msg(str`Language: ${held}`, { desc: 'The language the webinar is held in; the placeholder is its name, written by the browser (e.g. "español").' })}
        ${w.interpretation.length
          ? html`<br />${msg(str`Interpretation into ${list}`, {
                desc: 'The languages interpreted into; the placeholder is a list written by the browser of the items of the message "<language>" (English "English and French", Spanish "al inglés y al francés", French "en anglais et en français"): Spanish "Interpretación <list>", French "Interprétation <list>".',
              })}`
          : nothing}
      </p>
      ${w.description ? html`<p part="description" lang=${lang} dir="auto">${w.description}</p>` : nothing}
      ${w.speakers.length
        ? html`<ul part="speakers" aria-label=${msg('Speakers', { desc: 'Accessible name of the list of speakers.' })}>
            ${w.speakers.map((s) => {
              const photo = safeUrl(s.photoUrl, base);
              return html`<li part="speaker">
                ${photo ? html`<img part="photo" src=${photo} alt="" loading="lazy" />` : nothing}
                <span
                  ><strong lang=${lang} dir="auto">${s.name}</strong>${s.organisation
                    ? html`<br /><span lang=${lang} dir="auto">${s.organisation}</span>`
                    : nothing}</span
                >
              </li>`;
            })}
          </ul>`
        : nothing}
      ${this.#renderPlaces(w, locale)}
      ${state === 'closed'
        ? html`<p part="message" id="closed" tabindex="-1">
            <strong>${msg('Registration is closed: this webinar has started.', { desc: 'Shown once the webinar has started.' })}</strong>
            ${msg('Registered? The link to join is in your email.', { desc: 'Shown once the webinar has started, after "Registration is closed".' })}
          </p>`
        : state === 'ended'
          ? html`<p part="message">${msg('This webinar has ended.', { desc: 'Shown once the webinar is over.' })}</p>
              ${recording
                ? html`<a part="recording" href=${recording} target="_blank" rel="noopener noreferrer"
                    >${msg('Watch the recording', { desc: 'Link to the recording of a webinar that has ended.' })}<span class="vh"
                      >${msg(' (opens in a new tab)', { desc: 'Screen-reader-only hint after a link that opens a new tab. Keep the leading space.' })}</span
                    ></a
                  >`
                : nothing}`
          : this.#registrar?.render(w)}`;
  }

  #renderList(all: Webinar[], locale: string): TemplateResult {
    // Those not yet ended (the server's list leaves out those that had ended when it was fetched).
    const list = all.filter((w) => this.#status(w) !== 'ended');
    if (!list.length) {
      return html`<p part="message">${msg('No upcoming webinars for now.', { desc: 'Shown when a series has no upcoming webinar.' })}</p>`;
    }
    const level = Math.min(this.headingLevel + 1, 6);
    return html`<ul part="list">
      ${list.map((w) => {
        const s = this.#status(w);
        const open = s === 'upcoming' || s === 'full';
        return html`<li part="item">
          <div part="item-title" id="title-${w.slug}" role="heading" aria-level=${level} lang=${w.locale} dir="auto">${w.title}</div>
          ${this.#renderTime(w, locale)}
          <p part="item-status">
            ${s === 'upcoming'
              ? msg('Registration open', { desc: 'Status of a webinar in a series’ list.' })
              : s === 'full'
                ? msg('Full: waitlist open', { desc: 'Status of a full webinar in a series’ list.' })
                : msg('Started: registration closed', { desc: 'Status of a webinar that has started, in a series’ list.' })}
          </p>
          ${this.#renderPlaces(w, locale)}
          ${open
            ? html`<button part="button" id="open-${w.slug}" aria-describedby="title-${w.slug}" @click=${() => this.#open(w)}>
                ${s === 'full'
                  ? msg('Join the waitlist', { desc: 'Button of a full webinar: register on its waitlist.' })
                  : msg('Register', { desc: 'Button that registers for the webinar (the form’s, and a list’s).' })}
              </button>`
            : nothing}
        </li>`;
      })}
    </ul>`;
  }
}
