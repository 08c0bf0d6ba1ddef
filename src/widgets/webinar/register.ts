/**
 * The registration part of `<compa-webinar>`, a lazily loaded chunk (requested as soon as the element connects,
 * so it loads while the webinar is fetched): the form (name, email, the webinar's questions, consent), its checks,
 * the result panels (check your email, saved offline) and the offline queue.
 *
 * One controller per element; it drives the element's `state` and renders below the webinar's details.
 */
import { adoptStyles, html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '../../core/msg.ts';
import { currentLocale } from '../../core/locale.ts';
import { NetworkError, apiBase, apiUrl, newKey, type ApiError } from '../../core/api.ts';
import { PendingController, type FlushRole, type PendingAction } from '../../core/pending.ts';
import { EMAIL_MAX, FIRST_NAME_MAX, LAST_NAME_MAX } from '../../schemas/limits.ts';
import type { CreateRegistrationBody, Question, Webinar } from '../../schemas/webinar.ts';
import type { CompaWebinar, WebinarState } from './webinar.ts';
import { registerStyles } from './register.styles.ts';

/**
 * Problems per field (client-side checks, or the server's 400 mapped to our own messages), by the field's id:
 * `name`, `email`, `consent`, `q-<question id>`.
 */
export type RegistrationErrors = Record<string, 'missing' | 'invalid'>;

/** A plain shape check (`a@b.c`); the server validates for real and its answer maps to the same message. */
const EMAIL = /^\S+@\S+\.\S+$/;

const path = (slug: string): string => `/webinars/${encodeURIComponent(slug)}/registrations`;

/**
 * Whether a registration for `w` goes to its waitlist when no place is left: a full webinar in open mode. In
 * approval mode every registration awaits the organisers' decision (full or not): there is no waitlist to join.
 */
const waitlist = (w: Webinar | undefined): boolean => w?.status === 'full' && w.mode !== 'approval';

/** The form's state for webinar `w` (the waitlist's when it is full). */
const formState = (w: Webinar): WebinarState => (waitlist(w) ? 'full' : 'idle');

export class Registrar {
  readonly #el: CompaWebinar;
  readonly #pending: PendingController;
  #errors: RegistrationErrors = {};
  /** The name and email typed in a form that is gone (a series: the next webinar's form starts with them). */
  #kept: Record<string, string> = {};
  /** The last failed request: a generic error, or a rate limit with the seconds to wait. */
  #failure?: { rate?: boolean; retryAfter?: number };
  /** Body and idempotency key of the last unanswered attempt: retrying the same data reuses the key. */
  #attempt?: { json: string; key: string };
  /** "Try again now" is sending the saved registration; `#answers` counts the answers that reached this element. */
  #retrying = false;
  #answers = 0;
  /**
   * The result panel took focus: a screen reader reads it there, so the live region stays quiet (said once, not
   * twice). Without focus (a saved registration sent later, "Try again now" that fails), the live region says it.
   */
  #focused = false;

  constructor(el: CompaWebinar) {
    this.#el = el;
    this.#pending = new PendingController(el, () => apiUrl(el, ''), (action, role, error) => this.#flushed(action, role, error));
    adoptStyles(el.renderRoot as ShadowRoot, [...(el.constructor as typeof CompaWebinar).elementStyles, registerStyles]);
  }

  /** Another webinar is opened (or the list shown again): a new form, with the name and email typed so far. */
  reset(): void {
    for (const k of ['name', 'email']) {
      const v = this.#el.renderRoot.querySelector<HTMLInputElement>('#' + k)?.value;
      if (v !== undefined) this.#kept[k] = v;
    }
    this.#errors = {};
    this.#failure = this.#attempt = undefined;
  }

  /** Whether the webinar `slug` is the one on screen (or, while loading, the one the element is for). */
  #shown(slug: string): boolean {
    const el = this.#el;
    return el.current ? el.current.slug === slug : !el.series && el.webinar === slug;
  }

  readonly #submit = (e: Event): void => {
    e.preventDefault();
    const el = this.#el;
    const w = el.current!;
    if (el.state === 'submitting') return;
    const d = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => ((d.get(name) as string | null) ?? '').trim();
    const errors: RegistrationErrors = (this.#errors = {});
    const name = text('name');
    const email = text('email');
    if (!name) errors.name = 'missing';
    if (!email) errors.email = 'missing';
    else if (!EMAIL.test(email)) errors.email = 'invalid'; // (lengths: the fields' maxlength)
    // Text and choices: a string (left out when empty); checkboxes: a boolean.
    const answers: Record<string, string | boolean> = {};
    for (const q of w.questions) {
      const id = 'q-' + q.id;
      const v = q.kind === 'checkbox' ? d.has(id) : text(id);
      if (v !== '') answers[q.id] = v;
      if (q.required && !v) errors[id] = 'missing';
    }
    if (!d.has('consent')) errors.consent = 'missing';
    if (Object.keys(errors).length) {
      this.#failure = undefined;
      return el.go(formState(w), '[aria-invalid=true]');
    }
    // The consent text exactly as shown (screen-reader-only hints left out), whitespace normalised.
    const label = el.renderRoot.querySelector('#consent-label')!.cloneNode(true) as Element;
    label.querySelectorAll('.vh').forEach((n) => n.remove());
    void this.#register(w, {
      name,
      email,
      answers,
      locale: (el as unknown as { shownLocale: string }).shownLocale,
      consent: true,
      consentText: label.textContent!.replace(/\s+/g, ' ').trim(),
      website: text('website'),
    });
  };

  async #register(w: Webinar, body: CreateRegistrationBody): Promise<void> {
    const json = JSON.stringify(body);
    const key = this.#attempt?.json === json ? this.#attempt.key : newKey();
    this.#attempt = { json, key };
    this.#failure = undefined;
    this.#retrying = false;
    this.#el.go('submitting');
    try {
      await this.#pending.send(path(w.slug), body, key);
      this.#accepted(w.slug, body.locale, true);
    } catch (e) {
      this.#failed(e, w);
    }
  }

  /** The server accepted a registration (now, or a saved one later). */
  #accepted(slug: string, locale: string, focus: boolean): void {
    const el = this.#el;
    if (this.#shown(slug)) {
      this.#attempt = this.#failure = undefined;
      this.#errors = {};
      this.#retrying = false;
      this.#focused = focus;
      el.go('registered', focus ? '#result' : undefined);
    }
    el.emit('compa-register', { webinar: slug, waitlist: waitlist(el.webinars.find((w) => w.slug === slug)), locale });
  }

  #failed(e: unknown, w: Webinar): void {
    const el = this.#el;
    this.#retrying = false;
    if (e instanceof NetworkError) {
      if (e.reason === 'aborted') {
        // The element left the page: the registration stays queued, sent when it is back (or on the next visit);
        // if it is back already (moved in the page), its queue skipped the write still on its way out: send it now.
        if (el.state === 'submitting') el.state = 'offline';
        if (el.isConnected) void this.#pending.flush();
        return;
      }
      el.emit('compa-queued', { action: 'register' });
      if (this.#shown(w.slug)) {
        this.#focused = true;
        el.go('offline', '#result');
      }
      return;
    }
    const { status = 0, code = 'internal', fields = {}, retryAfter } = e as ApiError;
    const rate = status === 429;
    if (status < 500 && !rate) this.#attempt = undefined;
    el.emit('compa-error', { code, status });
    // From any state: a registration sent now, or one saved offline and sent later.
    if (code === 'registration_closed') return el.closed(w.slug);
    if (!this.#shown(w.slug)) return;
    // Server-side field errors map to our own localised messages (never show the server's English text).
    const errors: RegistrationErrors = (this.#errors = {});
    let other = status !== 400 || !Object.keys(fields).length;
    for (const p in fields) {
      const [f, q] = p.split('.');
      if (f === 'answers' && w.questions.some((x) => x.id === q)) errors['q-' + q] = 'invalid';
      else if (f === 'name' || f === 'email') errors[f] = 'invalid';
      else if (/^consent/.test(f!)) errors.consent = 'missing';
      else other = true;
    }
    this.#failure = other ? { rate, retryAfter } : undefined;
    el.go(rate ? 'rate-limited' : other ? 'error' : formState(w), other ? undefined : '[aria-invalid=true]');
  }

  /** A queued registration got an answer (on this page after `online`, or on a later page load). */
  #flushed(action: PendingAction, role: FlushRole, error?: ApiError): boolean | void {
    const el = this.#el;
    const slug = decodeURIComponent(/^\/webinars\/([^/]+)\/registrations$/.exec(action.path)?.[1] ?? '');
    const w = el.webinars.find((x) => x.slug === slug);
    // Another widget's write, or another webinar's: its element (if on the page) is told next.
    if (!slug || action.api !== apiUrl(el, '') || (role !== 'mine' && !w && !this.#shown(slug))) return false;
    // Sent by this element, then interrupted (it left the page and came back): still ours.
    if (action.idempotencyKey === this.#attempt?.key) role = 'mine';
    this.#answers++;
    const { locale } = action.body as CreateRegistrationBody;
    if (error) {
      if (role === 'mine' && w) this.#failed(error, w);
      else el.emit('compa-error', { code: error.code, status: error.status });
    } else if (role === 'mine' || (this.#shown(slug) && /^(loading|idle|full)$/.test(el.state))) {
      // Queued here, or on an earlier visit and nothing else on screen: this supporter has registered.
      this.#accepted(slug, locale, el.matches(':focus-within'));
    } else {
      el.emit('compa-register', { webinar: slug, waitlist: waitlist(w), locale });
    }
  }

  /** "Try again now": says it is trying; if nothing gets through, the saved-registration text is said again. */
  readonly #retryNow = async (): Promise<void> => {
    if (this.#retrying) return;
    const answers = this.#answers;
    this.#retrying = true;
    // Focus is on the button: what happens next is said through the live region.
    this.#focused = false;
    this.#el.requestUpdate();
    await this.#pending.flush();
    if (answers === this.#answers) {
      this.#retrying = false;
      this.#el.go(this.#el.state);
    }
  };

  // ---------------------------------------------------------------- rendering

  /** What the live region says in the current state: the result panel's text, unless the panel has focus. */
  status(): string {
    return this.#focused && !this.#retrying && /^(registered|offline)$/.test(this.#el.state) ? '' : this.#message();
  }

  /** What the result panel shows (and, in the other states, the live region says). */
  #message(): string {
    const el = this.#el;
    const state = el.state;
    const w = el.current;
    return state === 'submitting' || (this.#retrying && state === 'offline')
      ? msg('Registering…', { desc: 'Status announced and button text while the registration is being sent.' })
      : state === 'registered'
        ? w?.mode === 'approval'
          ? msg('Check your email: the organisers review each registration and will confirm by email whether you have a place.', {
              desc: 'Shown after registering for a webinar whose registrations the organisers approve (full or not).',
            })
          : waitlist(w)
            ? msg(
                'Check your email: it says whether you have a place or are on the waitlist. If you are on the waitlist, we’ll write to you only if a place frees up.',
                { desc: 'Shown after registering for a full webinar (the server decides: a place, or the waitlist).' },
              )
            : msg('Check your email: we’ve sent you the details of your registration. Not there in a few minutes? Check your spam folder.', {
                desc: 'Shown after registering for a webinar open to all.',
              })
        : state === 'offline'
          ? msg('We couldn’t send your registration yet. It’s saved on this device and will be sent as soon as possible.', {
              desc: 'Shown when the registration could not be sent (offline or server unreachable).',
            })
          : '';
  }

  /** Everything below the webinar's details while registration is open: result panel, waitlist note, form. */
  render(w: Webinar): TemplateResult {
    const state = this.#el.state;
    const offline = state === 'offline';
    const panel = offline || state === 'registered';
    const registering = msg('Registering…', { desc: 'Status announced and button text while the registration is being sent.' });
    return html`${panel
        ? html`<div class="panel">
            <p part="message" id="result" tabindex="-1">${this.#message()}</p>
            ${offline && navigator.onLine
              ? html`<button part="button" aria-disabled=${this.#retrying} @click=${this.#retryNow}>
                  ${this.#retrying ? registering : msg('Try again now', { desc: 'Button that tries to send a saved signup immediately.' })}
                </button>`
              : nothing}
          </div>`
        : nothing}
      ${this.#renderForm(w, panel, state === 'submitting', registering)}`;
  }

  #renderAlert(): TemplateResult | typeof nothing {
    const f = this.#failure;
    if (!f) return nothing;
    // A rate limit says when to retry, in the element's language ("in 2 minutes").
    const s = f.retryAfter || 60;
    const when = new Intl.RelativeTimeFormat(currentLocale()).format(s < 60 ? s : Math.ceil(s / 60), s < 60 ? 'second' : 'minute');
    return html`<p part="error" role="alert" class="alert">
      ${f.rate
        ? msg(str`Too many attempts. Please try again ${when}.`, {
            desc: 'Error when the server limits the number of requests. The placeholder is a relative time written by the browser in the same language, e.g. "in 2 minutes", "dentro de 2 minutos", "dans 2 minutes".',
          })
        : msg('Sorry, your registration was not sent. Please try again.', {
            desc: 'Generic error after a failed registration (server error or unexpected answer).',
          })}
    </p>`;
  }

  /** The error text of field `id` (tied to it by `aria-describedby`), if any. */
  #error(id: string, missing: () => string): TemplateResult | typeof nothing {
    const e = this.#errors[id];
    return e
      ? html`<p part="error" id="${id}-error">
          ${e === 'missing'
            ? missing()
            : id === 'email'
              ? msg('Enter a valid email address, like name@example.org.', {
                  desc: 'Error when the email address is not valid. Adapt the example address to the language (nombre@ejemplo.org).',
                })
              : msg('Please check this field.', { desc: 'Error when the server refused a field (e.g. unusual characters).' })}
        </p>`
      : nothing;
  }

  /** `aria-invalid` and `aria-describedby` of field `id`. */
  #aria(id: string): [invalid: boolean, describedBy: string] {
    return this.#errors[id] ? [true, id + '-error'] : [false, ''];
  }

  #optional(): TemplateResult {
    return html`<span class="opt">${msg('(optional)', { desc: 'Marks a field that may be left empty.' })}</span>`;
  }

  #text(id: string, label: TemplateResult | string, autocomplete: string, max: number, missing: () => string, type = 'text'): TemplateResult {
    const [invalid, by] = this.#aria(id);
    return html`<div part="field">
      <label part="label" for=${id}>${label}</label>
      <input
        part="input"
        id=${id}
        name=${id}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${max}
        value=${this.#kept[id] ?? nothing}
        aria-required="true"
        aria-invalid=${invalid}
        aria-describedby=${by}
      />
      ${this.#error(id, missing)}
    </div>`;
  }

  /** A question of the webinar's form: text (an input, or a text area for long answers), choice, checkbox. */
  #question(q: Question, lang: string): TemplateResult {
    const id = 'q-' + q.id;
    const [invalid, by] = this.#aria(id);
    const label = html`<span lang=${lang} dir="auto">${q.label}</span>`;
    const required = q.required || nothing;
    if (q.kind === 'checkbox') {
      return html`<div class="check">
        <input part="checkbox" type="checkbox" id=${id} name=${id} aria-required=${required} aria-invalid=${invalid} aria-describedby=${by} />
        <label part="label" for=${id}
          >${label}
          ${q.required ? html`<span class="opt">${msg('(required)', { desc: 'Marks a checkbox that must be ticked to register.' })}</span>` : nothing}</label
        >
        ${this.#error(id, () => msg('Tick this box to continue.', { desc: 'Error when a required checkbox question is not ticked.' }))}
      </div>`;
    }
    if (q.kind === 'choice') {
      return html`<fieldset part="choices" id=${id} role="radiogroup" aria-labelledby="${id}-legend" aria-required=${required} aria-invalid=${invalid} aria-describedby=${by}>
        <legend part="label" id="${id}-legend">${label} ${q.required ? nothing : this.#optional()}</legend>
        ${this.#error(id, () => msg('Choose an answer.', { desc: 'Error when a required choice question has no answer.' }))}
        ${(q.options ?? []).map(
          (o) => html`<div class="check">
            <input part="radio" type="radio" id="${id}-${o.id}" name=${id} value=${o.id} />
            <label part="label" for="${id}-${o.id}" lang=${lang} dir="auto">${o.label}</label>
          </div>`,
        )}
      </fieldset>`;
    }
    const max = q.maxLength ?? 500; // (the server's default; it sends the value)
    return html`<div part="field">
      <label part="label" for=${id}>${label} ${q.required ? nothing : this.#optional()}</label>
      ${max > 200
        ? html`<textarea part="input" id=${id} name=${id} rows="3" maxlength=${max} aria-required=${required} aria-invalid=${invalid} aria-describedby=${by}></textarea>`
        : html`<input part="input" id=${id} name=${id} maxlength=${max} aria-required=${required} aria-invalid=${invalid} aria-describedby=${by} />`}
      ${this.#error(id, () => msg('Answer this question.', { desc: 'Error when a required text question is empty.' }))}
    </div>`;
  }

  #renderForm(w: Webinar, hidden: boolean, submitting: boolean, registering: string): TemplateResult {
    const full = waitlist(w);
    const [invalid, by] = this.#aria('consent');
    return html`<form part="form" novalidate aria-labelledby="heading" ?hidden=${hidden} @submit=${this.#submit}>
      ${full
        ? html`<p part="message">
            ${msg('This webinar is full. You can join the waitlist: we’ll email you if a place frees up.', {
              desc: 'Shown above the form of a full webinar.',
            })}
          </p>`
        : nothing}
      ${this.#text('name', msg('Name', { desc: 'Label of the name field of the webinar registration.' }), 'name', FIRST_NAME_MAX + LAST_NAME_MAX, () =>
        msg('Enter your name.', { desc: 'Error when the name field is empty.' }),
      )}
      ${this.#text('email', msg('Email address', { desc: 'Label of the email field.' }), 'email', EMAIL_MAX, () => msg('Enter your email address.', { desc: 'Error when the email field is empty.' }), 'email')}
      ${w.questions.map((q) => this.#question(q, w.locale))}
      <div part="consent" class="check">
        <input part="checkbox" type="checkbox" id="consent" name="consent" aria-required="true" aria-invalid=${invalid} aria-describedby=${by} />
        <label part="label" id="consent-label" for="consent">${this.#renderConsent(w)}</label>
        ${this.#error('consent', () => msg('To register, tick this box to agree.', { desc: 'Error when the consent checkbox of the webinar registration is not ticked.' }))}
      </div>
      <div class="vh" aria-hidden="true">
        <label for="website">${msg('Leave this field empty', { desc: 'Label of an invisible anti-spam field that only robots fill in.' })}</label>
        <input id="website" name="website" tabindex="-1" autocomplete="off" />
      </div>
      ${this.#renderAlert()}
      <button part="button" type="submit" aria-disabled=${submitting}>
        ${submitting
          ? registering
          : full
            ? msg('Join the waitlist', { desc: 'Button of a full webinar: register on its waitlist.' })
            : msg('Register', { desc: 'Button that registers for the webinar (the form’s, and a list’s).' })}
      </button>
    </form>`;
  }

  #renderConsent(w: Webinar): TemplateResult | string {
    let url: URL | undefined;
    try {
      // A relative address is the Compa server's (like the photos' and the recording's), not the page's.
      url = new URL(w.privacyPolicyUrl!, apiBase(this.#el) + '/');
    } catch {
      /* not a URL: no link */
    }
    const org = w.organisation;
    // Only http(s) links (never `javascript:`).
    if (!w.privacyPolicyUrl || !url || !/^https?:$/.test(url.protocol)) {
      return msg(str`I agree that ${org} uses my details to organise this webinar.`, {
        desc: 'Consent checkbox of a webinar registration, when there is no privacy policy to link to; stored as proof of consent. The placeholder is the organisation.',
      });
    }
    const newTab = html`<span class="vh">${msg(' (opens in a new tab)', { desc: 'Screen-reader-only hint after a link that opens a new tab. Keep the leading space.' })}</span>`;
    return msg(
      html`I agree that ${org} uses my details to organise this webinar, and accept its <a href=${url} target="_blank" rel="noopener noreferrer">privacy policy${newTab}</a>.`,
      {
        desc: 'Consent checkbox of a webinar registration; stored as proof of consent. The placeholder is the organisation; the link wraps "privacy policy".',
      },
    );
  }
}
