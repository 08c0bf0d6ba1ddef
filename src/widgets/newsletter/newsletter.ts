import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str } from '../../core/msg.ts';
import { CompaElement } from '../../core/compa-element.ts';
import { currentLocale, loadLocale } from '../../core/locale.ts';
import { ApiError, NetworkError, apiUrl, newKey, request } from '../../core/api.ts';
import type { FlushRole, PendingAction, PendingController } from '../../core/pending.ts';
import { hostStyles } from '../../core/theme.ts';
import { EMAIL_MAX, FIRST_NAME_MAX } from '../../schemas/limits.ts';
import type { CreateSubscriptionBody, ListsResponse, NewsletterList } from '../../schemas/newsletter.ts';
import { newsletterStyles } from './newsletter.styles.ts';

export type NewsletterState =
  | 'loading'
  | 'load-error'
  | 'idle'
  | 'submitting'
  | 'check-inbox'
  | 'error'
  | 'rate-limited'
  | 'offline';

type Field = 'email' | 'lists' | 'consent';
/** Problems per field (client-side checks, or the server's 400 mapped to our own messages). The first name
 * needs none: its `maxlength` matches the server's limit. */
export type NewsletterErrors = Partial<Record<Field, 'missing' | 'invalid'>>;

/** A plain shape check (`a@b.c`); the server validates for real and its answer maps to the same message. */
const EMAIL = /^\S+@\S+\.\S+$/;

/**
 * Newsletter signup with double opt-in: the supporter enters an address, ticks an explicit (never pre-ticked)
 * consent box and receives an email with a confirmation link. Nothing is lost to a flaky network: a signup
 * that can't be sent is kept on the device and sent when the connection returns (or on the next visit).
 * Works with no page CSS, in `en`, `es` and `fr`, left to right and right to left, down to 320 px wide.
 *
 * @tag compa-newsletter
 * @summary Newsletter signup (double opt-in), localised per element, WCAG 2.2 AA.
 *
 * Server: the `api` attribute, else the page-level `<meta name="compa-api" content="https://act.example.org">`,
 * else the origin the script was loaded from. Routes: `GET /api/v1/lists?locale=…`, then
 * `POST /api/v1/subscriptions` with an `Idempotency-Key` (the same key when retrying the same data).
 * The request sends no cookies and no personal data beyond the form's.
 *
 * @attr {string} api - Base URL of the Compa server (`https://act.example.org`; relative URLs resolve against
 *   the page). Optional, see above.
 * @attr {string} lang - Language of the widget (`en`, `es`, `fr`; `es-CO` → `es`; anything else → `en`).
 *   Default: the closest ancestor's `lang` (across shadow roots), then `<html lang>`, then the browser's
 *   languages, then English. Changes (here or on `<html>`) apply at once.
 * @attr {string} lists - Comma-separated slugs of the lists to offer (`lists="monthly,alerts"`). Default: every
 *   public list of the server. With a single list there is nothing to choose: no checkboxes, and its
 *   description is shown as the introduction.
 * @attr {boolean} hide-first-name - Don't ask for a first name.
 * @attr {string} privacy-url - Privacy-policy URL linked from the consent text (http/https only); overrides the
 *   server's `privacyPolicyUrl`. Without any, the consent text has no link.
 * @attr {string} heading - Replaces the default heading ("Subscribe to our newsletter"); not translated.
 * @attr {number} heading-level - Level of the heading in the page's outline (default 2).
 * @attr {NewsletterState} state - Reflects the state, read-only (drive it with a mocked API, as the stories do):
 *   `loading` (fetching the lists), `load-error` (lists unavailable; retry button), `idle`,
 *   `submitting`, `check-inbox` (accepted; resend or use another address), `error` (generic; the form retries),
 *   `rate-limited` (says when to retry), `offline` (saved on the device, sent when back online).
 *
 * @prop {ListsResponse | undefined} data - `{lists, privacyPolicyUrl, organisation}`. Set it before the element
 *   connects to skip `GET /lists` (stories, tests, pages that already have the data); it wins over fetched data.
 * @prop {string} locale - The resolved locale, read-only (`en`, `es`, `fr`).
 * @prop {NewsletterList[]} offered - The lists on offer (server lists filtered by `lists`), read-only.
 * @prop {string} version - Static: `CompaNewsletter.version`, the kit's version (`0.1.0`).
 *
 * @event {CustomEvent<CompaReadyDetail>} compa-ready - The lists were loaded; `detail`: `{lists}` (offered slugs).
 * @event {CustomEvent<CompaSubscribeDetail>} compa-subscribe - The server accepted a signup (202) and sends a
 *   confirmation email; `detail`: `{lists, locale}`. Also when a signup saved offline is sent later; not for
 *   "Resend the email".
 * @event {CustomEvent<CompaErrorDetail>} compa-error - A request failed; `detail`: `{code, status}`: the API's
 *   error code and HTTP status (`rate_limited`/429, `invalid_body`/400…), or `network`/0 when the lists
 *   could not be loaded at all.
 * @event {CustomEvent<CompaQueuedDetail>} compa-queued - Offline or server unreachable: the signup was saved on
 *   the device and will be sent later; `detail`: `{action: 'subscribe'}`.
 * Every event bubbles and is composed; none carries personal data (no email, no name).
 *
 * @csspart base - The card around everything; carries `lang`.
 * @csspart heading - The heading (it changes with the state: form, check-inbox, offline).
 * @csspart message - Text: the single list's description, "Loading…", the check-inbox and offline texts.
 * @csspart form - The `<form>`.
 * @csspart field - Wrapper of a text field (label, input, error).
 * @csspart label - Field labels, the lists' legend and labels, the consent label.
 * @csspart input - The email and first-name inputs.
 * @csspart lists - The `<fieldset>` of list checkboxes (only when there is a choice).
 * @csspart checkbox - List and consent checkboxes.
 * @csspart consent - The consent row (checkbox, text with the privacy-policy link, error).
 * @csspart error - Every error text: per-field errors and the error box (`role="alert"`).
 * @csspart button - Submit, "Try again", "Resend the email", "Try again now".
 * @csspart link - "Use a different email address" (a button that looks like a link).
 * @csspart status - The visually hidden live region (`role="status"`).
 *
 * @cssproperty --compa-font-family - Font (default: inherited from the page).
 * @cssproperty --compa-line-height - Line height (default 1.5).
 * @cssproperty --compa-color-primary - Buttons, links, checkboxes (default #1d4ed8).
 * @cssproperty --compa-color-on-primary - Text on primary buttons (default #fff).
 * @cssproperty --compa-color-text - Text (default #1f2328).
 * @cssproperty --compa-color-muted - Hints and "(optional)" (default #5c6670).
 * @cssproperty --compa-color-surface - Background of the card and the inputs (default #fff).
 * @cssproperty --compa-color-border - Input borders, keep ≥ 3:1 against the surface (default #6b7480).
 * @cssproperty --compa-color-danger - Error texts and borders (default #b3261e).
 * @cssproperty --compa-color-danger-surface - Background of the error box (default #fdecea).
 * @cssproperty --compa-focus-ring-color - Focus outline, 3px, offset 2px (default: the primary colour).
 * @cssproperty --compa-radius - Corner radius (default .375em).
 * @cssproperty --compa-space - Spacing unit (default 1em).
 * @cssproperty --compa-newsletter-max-width - Maximum width of the card (default 34em).
 * @cssproperty --compa-newsletter-padding - Padding of the card (default 1.25 × --compa-space).
 * @cssproperty --compa-newsletter-border - Border of the card (default `1px solid #d0d7de`; `none` to drop it).
 * @cssproperty --compa-newsletter-heading-size - Heading font size (default 1.25em).
 */
export class CompaNewsletter extends CompaElement {
  static override styles = [hostStyles, newsletterStyles];

  static override properties: PropertyDeclarations = {
    api: {},
    lists: {},
    hideFirstName: { type: Boolean, attribute: 'hide-first-name' },
    privacyUrl: { attribute: 'privacy-url' },
    heading: {},
    headingLevel: { type: Number, attribute: 'heading-level' },
    state: { reflect: true },
    data: { attribute: false },
    fetched: { state: true },
    errors: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  declare api: string | undefined;
  declare lists: string | undefined;
  declare hideFirstName: boolean;
  declare privacyUrl: string | undefined;
  declare heading: string | undefined;
  declare headingLevel: number;
  declare state: NewsletterState;
  declare data: ListsResponse | undefined;

  /** What `GET /lists` returned (`data` wins when set). */
  declare protected fetched: ListsResponse | undefined;
  /** Problems per field, shown under each field. */
  declare protected errors: NewsletterErrors;
  /** The last failed request: a generic error, or a rate limit with the seconds to wait. */
  declare protected failure: { rate?: boolean; retryAfter?: number } | undefined;
  /** A write is on its way (submit, resend, retry). */
  declare protected busy: boolean;

  /** Body and idempotency key of the form's last unanswered attempt: retrying the same data reuses the key. */
  #attempt?: { json: string; key: string };
  /** The body the server accepted, for "Resend the email". */
  #sent?: CreateSubscriptionBody;
  #listsUrl?: string;
  /** Selector of the element to focus after the next render. */
  #focus?: string;

  /**
   * The offline queue (`core/pending.ts`), a chunk of its own: requested when the element connects (it then
   * flushes what an earlier visit left), so it is there before anyone submits. A failed load is retried on use.
   */
  #pending?: Promise<PendingController>;
  #queue(): Promise<PendingController> {
    return (this.#pending ??= import('../../core/pending.ts').then(
      ({ PendingController }) => new PendingController(this, () => apiUrl(this, ''), (action, role, error) => this.#flushed(action, role, error)),
      (e: unknown) => {
        this.#pending = undefined;
        throw e;
      },
    ));
  }

  constructor() {
    super();
    this.hideFirstName = false;
    this.headingLevel = 2;
    this.state = 'loading';
    this.errors = {};
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-fetch when a move in the DOM interrupted the first load (the disconnect aborted it).
    if (!this.fetched) this.#listsUrl = undefined;
    this.requestUpdate();
    this.#queue().catch(() => {});
  }

  /** The lists this element offers: the server's public lists, filtered by the `lists` attribute. */
  get offered(): NewsletterList[] {
    const all = (this.data ?? this.fetched)?.lists ?? [];
    const wanted = this.lists && this.lists.split(',').map((s) => s.trim());
    return wanted ? all.filter((l) => wanted.includes(l.slug)) : all;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.data) {
      if (this.state === 'loading') this.state = 'idle';
    } else if (this.isConnected) {
      const url = apiUrl(this, '/lists?locale=' + this.locale);
      if (url !== this.#listsUrl) void this.#loadLists((this.#listsUrl = url));
    }
  }

  protected override updated(): void {
    if (this.#focus) this.renderRoot.querySelector<HTMLElement>(this.#focus)?.focus();
    this.#focus = undefined;
  }

  /** (Re)load the lists. A reload after a language change keeps the form on screen while it runs. */
  async #loadLists(url: string): Promise<void> {
    try {
      const data = await request<ListsResponse>(url, { signal: this.signal, timeout: 1e4 });
      // The form appears in the supporter's language, never briefly in English (the chunk loads meanwhile).
      await loadLocale(this.locale, this).catch(() => {});
      if (url !== this.#listsUrl) return; // superseded (language or api changed meanwhile)
      this.fetched = data;
      const lists = this.offered.map((l) => l.slug);
      if (/^load/.test(this.state)) this.state = lists.length ? 'idle' : 'load-error'; // loading, load-error
      if (lists.length) this.emit('compa-ready', { lists });
    } catch (e) {
      // An ApiError carries code and status; a NetworkError neither.
      const { code = 'network', status = 0, reason } = e as ApiError & NetworkError;
      if (url !== this.#listsUrl || reason === 'aborted') return;
      // No automatic retry: "Try again" (or a language or api change) fetches again.
      if (this.state === 'loading') this.state = 'load-error';
      this.emit('compa-error', { code, status });
    }
  }

  #retryLists(): void {
    this.#listsUrl = undefined;
    this.state = 'loading';
    this.#focus = '#heading';
  }

  async #submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const d = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => ((d.get(name) as string | null) ?? '').trim();
    const email = text('email');
    const firstName = text('firstName');
    const offered = this.offered;
    const lists = offered.length > 1 ? (d.getAll('lists') as string[]) : offered.map((l) => l.slug);
    const errors: NewsletterErrors = {};
    if (!email) errors.email = 'missing';
    else if (!EMAIL.test(email)) errors.email = 'invalid'; // (length: the field's maxlength)
    if (!lists.length) errors.lists = 'missing';
    if (!d.has('consent')) errors.consent = 'missing';
    this.errors = errors;
    if (Object.keys(errors).length) {
      this.#focus = '[aria-invalid=true]';
      return;
    }
    // The consent text exactly as shown (screen-reader-only hints left out), whitespace normalised.
    const label = this.renderRoot.querySelector('#consent-label')!.cloneNode(true) as Element;
    label.querySelectorAll('.vh').forEach((n) => n.remove());
    const body: CreateSubscriptionBody = {
      email,
      ...(firstName ? { firstName } : {}),
      lists,
      locale: this.shownLocale,
      consent: true,
      consentText: label.textContent!.replace(/\s+/g, ' ').trim(),
      website: text('website'),
    };
    const json = JSON.stringify(body);
    const key = this.#attempt?.json === json ? this.#attempt.key : newKey();
    this.#attempt = { json, key };
    this.failure = undefined;
    this.state = 'submitting';
    await this.#post(body, key, true);
  }

  async #post(body: CreateSubscriptionBody, key: string, fromForm: boolean): Promise<void> {
    this.busy = true;
    try {
      // A resend is worth sending only now: the signup itself is already stored, so it is never queued.
      await (await this.#queue()).send('/subscriptions', body, key, { queue: fromForm });
      this.#attempt = undefined;
      // A resend stays on the panel and is no new subscription for the page's analytics.
      if (fromForm) this.#accepted(body, true);
    } catch (e) {
      this.#failed(e, fromForm);
    } finally {
      this.busy = false;
    }
  }

  #resend(): void {
    if (this.busy) return;
    this.failure = undefined;
    void this.#post(this.#sent!, newKey(), false);
  }

  #accepted(body: CreateSubscriptionBody, focus: boolean): void {
    this.#sent = body;
    this.failure = undefined;
    this.errors = {};
    this.state = 'check-inbox';
    if (focus) this.#focus = '#heading';
    this.emit('compa-subscribe', { lists: body.lists, locale: body.locale });
  }

  #failed(e: unknown, fromForm: boolean): void {
    if (e instanceof NetworkError) {
      if (e.reason === 'aborted') return; // the element left the page; the signup stays queued
      if (!fromForm) {
        this.failure = {}; // a resend that could not go out: say so on the panel; the button tries again
        return;
      }
      this.state = 'offline';
      this.#focus = '#heading';
      this.emit('compa-queued', { action: 'subscribe' });
      return;
    }
    const { status = 0, code = 'internal', fields = {}, retryAfter } = e as ApiError;
    const rate = status === 429;
    if (status < 500 && !rate) this.#attempt = undefined;
    this.emit('compa-error', { code, status });
    // Server-side field errors map to our own localised messages (never show the server's English text).
    const errors: NewsletterErrors = {};
    let other = status !== 400 || !Object.keys(fields).length;
    for (const path in fields) {
      const f = path.split('.')[0];
      if (f === 'email') errors[f] = 'invalid';
      else if ((f === 'lists' && this.offered.length > 1) || f === 'consent') errors[f] = 'missing';
      else other = true;
    }
    this.failure = other || !fromForm ? { rate, retryAfter } : undefined;
    if (!fromForm) return;
    this.errors = errors;
    this.state = rate ? 'rate-limited' : other ? 'error' : 'idle';
    if (!other) this.#focus = '[aria-invalid=true]';
  }

  /** A queued signup got an answer (on this page after `online`, or on a later page load). */
  #flushed(action: PendingAction, role: FlushRole, error?: ApiError): boolean | void {
    if (action.path !== '/subscriptions' || action.api !== apiUrl(this, '')) return false; // another widget's write: its element is told
    const body = action.body as CreateSubscriptionBody;
    const waiting = role === 'mine';
    if (error) {
      if (waiting) this.#failed(error, true);
      else this.emit('compa-error', { code: error.code, status: error.status });
    } else if (waiting || !this.renderRoot.querySelector<HTMLInputElement>('#email')?.value) {
      // Show the confirmation unless the form holds an address (being typed, or the one just confirmed).
      this.#accepted(body, this.matches(':focus-within'));
    } else {
      this.emit('compa-subscribe', { lists: body.lists, locale: body.locale });
    }
  }

  async #retryNow(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    await (await this.#queue()).flush().catch(() => {});
    this.busy = false;
  }

  #differentAddress(): void {
    this.renderRoot.querySelector('form')!.reset();
    this.failure = undefined;
    this.state = 'idle';
    this.#focus = '#email';
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const state = this.state;
    const done = state === 'check-inbox';
    const panel = done || state === 'offline';
    // Offline, or online but the server is unreachable (re-rendered after every retry).
    const offline = !navigator.onLine;
    // The text of the result panels, also announced through the live region.
    const message = done
      ? msg(
          'We’ve sent you an email. Click the link in it to confirm your subscription. Not there in a few minutes? Check your spam folder.',
          { desc: 'Text shown after a successful signup (double opt-in).' },
        )
      : offline
        ? msg('You’re offline. We saved your signup and will send it when you’re back online.', {
            desc: 'Shown when the signup could not be sent because the device is offline.',
          })
        : msg('We couldn’t reach our server. We saved your signup on this device and will send it as soon as possible.', {
            desc: 'Shown when the server could not be reached although the device seems online.',
          });
    const sending = msg('Sending…', { desc: 'Status announced and button text while the signup is being sent.' });
    // After a resend or a retry, the status returns to the panel's text: announced again, as confirmation.
    const status = this.busy ? sending : panel ? message : '';
    const heading = done
      ? msg('Check your inbox', { desc: 'Heading shown after a successful signup.' })
      : panel
        ? msg('Your signup is saved', { desc: 'Heading shown when the signup was saved to be sent later.' })
        : this.heading || msg('Subscribe to our newsletter', { desc: 'Default heading of the newsletter signup form.' });
    return html`<div part="base" lang=${currentLocale()}>
      <div part="status" role="status" aria-live="polite" class="vh">${status}</div>
      <div part="heading" id="heading" role="heading" aria-level=${this.headingLevel} tabindex="-1">
        ${heading}
      </div>
      ${state === 'loading'
        ? html`<p part="message">${msg('Loading…', { desc: 'Shown while the signup form loads.' })}</p>`
        : state === 'load-error'
          ? html`<p part="error" role="alert" class="alert">
                ${msg('The form couldn’t load. Check your connection and try again.', {
                  desc: 'Error when the list of newsletters could not be fetched from the server.',
                })}
              </p>
              <button part="button" @click=${this.#retryLists}>
                ${msg('Try again', { desc: 'Button that retries a failed action.' })}
              </button>`
          : this.#renderForm(panel, sending)}
      ${panel
        ? html`<p part="message">${message}</p>
            ${this.#renderAlert()}
            ${done
              ? html`<div class="actions">
                  <button part="button" class="secondary" aria-disabled=${this.busy} @click=${this.#resend}>
                    ${this.busy ? sending : msg('Resend the email', { desc: 'Button that sends the confirmation email again.' })}
                  </button>
                  <button part="link" @click=${this.#differentAddress}>
                    ${msg('Use a different email address', {
                      desc: 'Button that goes back to the form to sign up with another address.',
                    })}
                  </button>
                </div>`
              : offline
                ? nothing
                : html`<button part="button" aria-disabled=${this.busy} @click=${this.#retryNow}>
                    ${this.busy ? sending : msg('Try again now', { desc: 'Button that tries to send a saved signup immediately.' })}
                  </button>`}`
        : nothing}
    </div>`;
  }

  #renderAlert(): TemplateResult | typeof nothing {
    const f = this.failure;
    if (!f) return nothing;
    // A rate limit says when to retry, in the element's language ("in 2 minutes", "dans 2 minutes").
    // The API always sends retryAfter on 429s; a minute is the fallback.
    const s = f.retryAfter || 60;
    const when = new Intl.RelativeTimeFormat(currentLocale()).format(s < 60 ? s : Math.ceil(s / 60), s < 60 ? 'second' : 'minute');
    return html`<p part="error" role="alert" class="alert">
      ${f.rate
        ? msg(str`Too many attempts. Please try again ${when}.`, {
            desc: 'Error when the server limits the number of requests. The placeholder is a relative time written by the browser in the same language, e.g. "in 2 minutes", "dentro de 2 minutos", "dans 2 minutes".',
          })
        : msg('Sorry, your signup was not sent. Please try again.', {
            desc: 'Generic error after a failed signup (server error or unexpected answer).',
          })}
    </p>`;
  }

  /** ARIA attributes and error text of a field (`aria-invalid="false"` and an empty id list are valid ARIA). */
  #invalid(field: Field) {
    return !!this.errors[field];
  }
  #describedBy(field: Field) {
    return this.errors[field] ? field + '-error' : '';
  }
  #error(field: Field, text: string): TemplateResult | typeof nothing {
    return this.errors[field] ? html`<p part="error" id="${field}-error">${text}</p>` : nothing;
  }

  #renderForm(hidden: boolean, sending: string): TemplateResult {
    const offered = this.offered;
    const data = this.data ?? this.fetched;
    const intro = offered.length === 1 ? offered[0] : undefined;
    const submitting = this.state === 'submitting';
    return html`<form part="form" novalidate aria-labelledby="heading" ?hidden=${hidden} @submit=${this.#submit}>
      ${intro?.description ? html`<p part="message" lang=${intro.locale}>${intro.description}</p>` : nothing}
      <div part="field">
        <label part="label" for="email">${msg('Email address', { desc: 'Label of the email field.' })}</label>
        <input
          part="input"
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          required
          maxlength=${EMAIL_MAX}
          aria-invalid=${this.#invalid('email')}
          aria-describedby=${this.#describedBy('email')}
        />
        ${this.#error(
          'email',
          this.errors.email === 'missing'
            ? msg('Enter your email address.', { desc: 'Error when the email field is empty.' })
            : msg('Enter a valid email address, like name@example.org.', {
                desc: 'Error when the email address is not valid. Adapt the example address to the language (nombre@ejemplo.org).',
              }),
        )}
      </div>
      ${this.hideFirstName
        ? nothing
        : html`<div part="field">
            <label part="label" for="firstName">
              ${msg('First name', { desc: 'Label of the optional first-name field.' })}
              <span class="opt">${msg('(optional)', { desc: 'Marks a field that may be left empty.' })}</span>
            </label>
            <input
              part="input"
              id="firstName"
              name="firstName"
              autocomplete="given-name"
              maxlength=${FIRST_NAME_MAX}
            />
          </div>`}
      ${offered.length > 1
        ? html`<fieldset part="lists" aria-describedby=${this.#describedBy('lists')}>
            <legend part="label">
              ${msg('What would you like to receive?', { desc: 'Legend above the newsletters to choose from.' })}
            </legend>
            ${this.#error('lists', msg('Choose at least one newsletter.', { desc: 'Error when no newsletter is ticked.' }))}
            ${offered.map(
              (l) => html`<div class="check">
                <input
                  part="checkbox"
                  type="checkbox"
                  id="list-${l.slug}"
                  name="lists"
                  value=${l.slug}
                  aria-invalid=${this.#invalid('lists')}
                  aria-describedby="${this.#describedBy('lists')} ${l.description ? `hint-${l.slug}` : ''}"
                />
                <label part="label" for="list-${l.slug}" lang=${l.locale}>${l.name}</label>
                ${l.description ? html`<p class="hint" id="hint-${l.slug}" lang=${l.locale}>${l.description}</p>` : nothing}
              </div>`,
            )}
          </fieldset>`
        : nothing}
      <div part="consent" class="check">
        <input
          part="checkbox"
          type="checkbox"
          id="consent"
          name="consent"
          required
          aria-invalid=${this.#invalid('consent')}
          aria-describedby=${this.#describedBy('consent')}
        />
        <label part="label" id="consent-label" for="consent">${this.#renderConsent(data?.organisation ?? '', data?.privacyPolicyUrl)}</label>
        ${this.#error('consent', msg('To subscribe, tick this box to agree.', { desc: 'Error when the consent checkbox is not ticked.' }))}
      </div>
      <div class="vh" aria-hidden="true">
        <label for="website">${msg('Leave this field empty', { desc: 'Label of an invisible anti-spam field that only robots fill in.' })}</label>
        <input id="website" name="website" tabindex="-1" autocomplete="off" />
      </div>
      ${this.#renderAlert()}
      <button part="button" type="submit" aria-disabled=${submitting}>
        ${submitting
          ? sending
          : msg('Subscribe', { desc: 'Submit button of the newsletter signup form.' })}
      </button>
    </form>`;
  }

  #renderConsent(org: string, serverUrl: string | null | undefined): TemplateResult | string {
    let url: URL | undefined;
    try {
      url = new URL(this.privacyUrl || serverUrl || '', document.baseURI);
    } catch {
      /* not a URL: no link */
    }
    // Only http(s) links (never `javascript:`); an empty value resolves to the page itself: no link either.
    if (!url || !/^https?:$/.test(url.protocol) || url.href === document.baseURI) {
      return msg(str`I agree to receive emails from ${org}.`, {
        desc: 'Consent checkbox label when there is no privacy policy to link to. The placeholder is the organisation name.',
      });
    }
    const newTab = html`<span class="vh">${msg(' (opens in a new tab)', { desc: 'Screen-reader-only hint after a link that opens a new tab. Keep the leading space.' })}</span>`;
    return msg(
      html`I agree to receive emails from ${org} and accept its <a href=${url} target="_blank" rel="noopener noreferrer">privacy policy${newTab}</a>.`,
      {
        desc: 'Consent checkbox label; it is stored as proof of consent. The first placeholder is the organisation name; the link wraps "privacy policy".',
      },
    );
  }
}
