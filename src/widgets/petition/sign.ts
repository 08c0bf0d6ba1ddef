/**
 * The signing part of `<compa-petition>`, a lazily loaded chunk (requested as soon as the element connects, so
 * it loads while the petition is fetched): the form, one-click signing (a supporter remembered on this device,
 * or an action link), the result panels (thanks, check your inbox, saved offline), the offline queue, and the
 * live counter and countdown (`live.ts`). Sharing (`share.ts`) is loaded on the first focus in the form.
 *
 * One controller per element; it drives the element's `state` and renders below the counter.
 */
import { adoptStyles, html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { msg, str } from '../../core/msg.ts';
import { currentLocale } from '../../core/locale.ts';
import { NetworkError, apiUrl, newKey, request, type ApiError } from '../../core/api.ts';
import { PendingController, type FlushRole, type PendingAction } from '../../core/pending.ts';
import { COMMENT_MAX, EMAIL_MAX, FIRST_NAME_MAX, LAST_NAME_MAX } from '../../schemas/limits.ts';
import type { ActionSupporter, CreateSignatureBody, Petition, SignatureAccepted } from '../../schemas/petition.ts';
import { SUPPORTER_KEY, type CompaPetition, type PetitionState } from './petition.ts';
import { signStyles } from './sign.styles.ts';
import { browserCountry, countries } from './countries.ts';
import { deadline, watch } from './live.ts';

type Field = 'firstName' | 'lastName' | 'email' | 'country' | 'comment';
/** Problems per field (client-side checks, or the server's 400 mapped to our own messages). */
export type PetitionErrors = Partial<Record<Field, 'missing' | 'invalid'>>;

/** The details "Remember me on this device" keeps (host page's `localStorage`, key `compa:supporter`). */
export interface Supporter {
  firstName: string;
  lastName?: string;
  email: string;
  country: string;
}

/** Who signs with one click: details remembered on this device, or an action link's token. */
export interface OneClick {
  /** First name and last initial, e.g. "Ana G." (null: an action link whose supporter data is sealed). */
  name: string | null;
  body: Supporter | { actionToken: string };
}

/** A plain shape check (`a@b.c`); the server validates for real and its answer maps to the same message. */
const EMAIL = /^\S+@\S+\.\S+$/;

type Share = typeof import('./share.ts');
let shareModule: Promise<Share> | undefined;
const loadShare = (): Promise<Share> =>
  (shareModule ??= import('./share.ts').catch((e: unknown) => {
    shareModule = undefined;
    throw e;
  }));

/** Runs `fn` on the host page's `localStorage`; nothing happens when storage is unavailable (blocked, sandboxed). */
function storage<T>(fn: (s: Storage) => T): T | undefined {
  try {
    return fn(localStorage);
  } catch {
    return undefined;
  }
}

type Control = (invalid: boolean, describedBy: string, required: boolean) => TemplateResult;


export class Signer implements ReactiveController {
  readonly #el: CompaPetition;
  readonly #pending: PendingController;
  #errors: PetitionErrors = {};
  /** The last failed request: a generic error, or a rate limit with the seconds to wait. */
  #failure?: { rate?: boolean; retryAfter?: number };
  #oneClick?: OneClick;
  /** The action link had expired: the form says so. */
  #expired = false;
  /** Body and idempotency key of the last unanswered attempt: retrying the same data reuses the key. */
  #attempt?: { json: string; key: string };
  /** Selector of the element to focus after the next render. */
  #focus?: string;
  #share?: Share;
  /** The country chosen, kept across renders (a language change re-sorts the list under the selection). */
  #country?: string;
  /** "Try again now" is sending the saved signature; `#answers` counts the answers that reached this element. */
  #retrying = false;
  #answers = 0;

  constructor(el: CompaPetition) {
    this.#el = el;
    el.addController(this);
    this.#pending = new PendingController(
      el,
      () => apiUrl(el, ''),
      (action, role, error, result) => this.#flushed(action, role, error, result as SignatureAccepted),
    );
    adoptStyles(el.renderRoot as ShadowRoot, [...(el.constructor as typeof CompaPetition).elementStyles, signStyles]);
  }

  #select(): HTMLSelectElement | null {
    return this.#el.renderRoot.querySelector('#country');
  }

  hostUpdate(): void {
    this.#country = this.#select()?.value;
  }

  hostUpdated(): void {
    const select = this.#select();
    if (select && this.#country !== undefined) select.value = this.#country;
    if (this.#focus) this.#el.renderRoot.querySelector<HTMLElement>(this.#focus)?.focus();
    this.#focus = undefined;
  }

  /** Keep the counter live (the petition is open). */
  watch(): void {
    watch(this.#el);
  }

  deadline(p: Petition, locale: string): TemplateResult | typeof nothing {
    return deadline(this.#el, p, locale);
  }

  #path(): string {
    return `/petitions/${encodeURIComponent(this.#el.campaign)}/`;
  }

  #set(state: PetitionState, focus?: string): void {
    this.#retrying = false;
    this.#el.state = state;
    this.#focus = focus;
    this.#el.requestUpdate();
  }

  /**
   * One-click signing: the supporter of the action link whose token the element took from the page's address
   * (if any), else the one remembered on this device. True when found.
   */
  async detect(p: Petition, actionToken: string | null | undefined): Promise<boolean> {
    if (actionToken) {
      try {
        const { displayName } = await request<ActionSupporter>(
          apiUrl(this.#el, this.#path() + 'supporter?t=' + encodeURIComponent(actionToken)),
          { signal: this.#el.signal },
        );
        this.#oneClick = { name: displayName, body: { actionToken } };
        return true;
      } catch (e) {
        const { code = 'network', status = 0, reason } = e as ApiError & NetworkError;
        this.#expired = code === 'invalid_token';
        if (reason !== 'aborted') this.#el.emit('compa-error', { code, status });
      }
    }
    const s = storage((l) => JSON.parse(l.getItem(SUPPORTER_KEY)!) as Partial<Supporter> | null);
    const { firstName, lastName, email, country } = s ?? {};
    const text = (v: unknown): v is string => typeof v == 'string' && !!v;
    const mode = p.lastName;
    if (text(firstName) && text(email) && text(country) && (text(lastName) || mode !== 'required')) {
      // Only the four fields (the server refuses unknown ones), and no last name where the petition asks none.
      const body: Supporter = { firstName, email, country };
      if (text(lastName) && mode !== 'hidden') body.lastName = lastName;
      this.#oneClick = { name: firstName + (text(lastName) ? ` ${[...lastName][0]}.` : ''), body };
      return true;
    }
    return false;
  }

  /** Start loading the sharing panel (first focus in the form, one-click): the thanks then appear at once. */
  readonly #prefetch = (): void => {
    loadShare().then(
      (m) => (this.#share = m),
      () => {},
    );
  };

  readonly #submit = (e: Event): void => {
    e.preventDefault();
    if (this.#el.state === 'submitting') return;
    const d = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => ((d.get(name) as string | null) ?? '').trim();
    const details: Supporter = { firstName: text('firstName'), email: text('email'), country: text('country') };
    const lastName = text('lastName');
    if (lastName) details.lastName = lastName;
    const errors: PetitionErrors = (this.#errors = {});
    if (!details.firstName) errors.firstName = 'missing';
    if (!lastName && this.#el.petition!.lastName === 'required') errors.lastName = 'missing';
    if (!details.email) errors.email = 'missing';
    else if (!EMAIL.test(details.email)) errors.email = 'invalid'; // (lengths: the fields' maxlength)
    if (!details.country) errors.country = 'missing';
    if (Object.keys(errors).length) return this.#set('idle', '[aria-invalid=true]');
    const body: CreateSignatureBody = {
      ...details,
      locale: (this.#el as unknown as { shownLocale: string }).shownLocale,
      website: text('website'),
    };
    const comment = text('comment');
    if (comment) body.comment = comment;
    if (d.has('keepInformed')) {
      // The consent text exactly as shown (screen-reader-only hints left out), whitespace normalised.
      const label = this.#el.renderRoot.querySelector('#keep-label')!.cloneNode(true) as Element;
      label.querySelectorAll('.vh').forEach((n) => n.remove());
      body.keepInformed = true;
      body.consentText = label.textContent!.replace(/\s+/g, ' ').trim();
    }
    void this.#sign(body, d.has('remember') ? details : undefined);
  };

  async #sign(body: CreateSignatureBody, remember?: Supporter): Promise<void> {
    const json = JSON.stringify(body);
    const key = this.#attempt?.json === json ? this.#attempt.key : newKey();
    this.#attempt = { json, key };
    this.#failure = undefined;
    this.#set('submitting');
    this.#prefetch();
    // Remembered only when ticked, and only once the signature is accepted or saved to be sent.
    const keep = () => remember && storage((l) => l.setItem(SUPPORTER_KEY, JSON.stringify(remember)));
    try {
      const result = await this.#pending.send<SignatureAccepted>(this.#path() + 'signatures', body, key);
      this.#attempt = undefined;
      keep();
      await this.#accepted(result, body.locale, true);
    } catch (e) {
      if (e instanceof NetworkError && e.reason !== 'aborted') keep();
      this.#failed(e);
    }
  }

  /** The server accepted a signature (now, or a saved one later). */
  async #accepted({ status, count }: SignatureAccepted, locale: string, focus: boolean): Promise<void> {
    // The thanks come with the sharing panel: wait for it (loading since the first focus in the form).
    this.#share = await loadShare().catch(() => undefined);
    const el = this.#el;
    this.#attempt = undefined;
    if (el.tally && count > el.tally.count) el.count({ ...el.tally, count });
    this.#failure = undefined;
    this.#errors = {};
    this.#set(status === 'counted' ? 'signed' : 'check-inbox', focus ? '#result' : undefined);
    el.emit('compa-sign', { campaign: el.campaign, status, locale });
  }

  #failed(e: unknown): void {
    const el = this.#el;
    if (e instanceof NetworkError) {
      if (e.reason === 'aborted') {
        // The element left the page: the signature stays queued, sent when it is back (or on the next visit);
        // if it is back already (moved in the page), its queue skipped the write still on its way out: send it now.
        if (el.state === 'submitting') el.state = 'offline';
        if (el.isConnected) void this.#pending.flush();
        return;
      }
      this.#set('offline', '#result');
      el.emit('compa-queued', { action: 'sign' });
      return;
    }
    const { status = 0, code = 'internal', fields = {}, retryAfter } = e as ApiError;
    const rate = status === 429;
    if (status < 500 && !rate) this.#attempt = undefined;
    el.emit('compa-error', { code, status });
    if (code === 'petition_closed') {
      el.closed(true); // from any state: a signature sent now, or one saved offline and sent later
      el.reload(); // for the outcome, if there is one
      return;
    }
    // Server-side field errors map to our own localised messages (never show the server's English text).
    const errors: PetitionErrors = (this.#errors = {});
    let other = status !== 400 || !Object.keys(fields).length;
    for (const path in fields) {
      const f = path.split('.')[0] as Field;
      if (/^(firstName|lastName|email|country|comment)$/.test(f)) errors[f] = 'invalid';
      else other = true;
    }
    const oneClick = this.#oneClick?.body;
    if (code === 'invalid_token' || (!other && oneClick)) {
      // An expired action link, or remembered details the server refuses: back to the form, filled in.
      this.#expired = code === 'invalid_token';
      this.#oneClick = undefined;
      other = false;
      void el.updateComplete.then(() => {
        for (const [k, v] of Object.entries(oneClick!)) {
          const input = el.renderRoot.querySelector<HTMLInputElement>('#' + k);
          if (input) input.value = v;
        }
      });
    }
    this.#failure = other ? { rate, retryAfter } : undefined;
    this.#set(
      rate ? 'rate-limited' : other ? 'error' : 'idle',
      other ? undefined : Object.keys(errors).length ? '[aria-invalid=true]' : '#firstName',
    );
  }

  /** A queued signature got an answer (on this page after `online`, or on a later page load). */
  #flushed(action: PendingAction, role: FlushRole, error?: ApiError, result?: SignatureAccepted): boolean | void {
    const el = this.#el;
    // Another widget's write, sent on its behalf: its element (if on the page) is told next.
    if (action.path !== this.#path() + 'signatures' || action.api !== apiUrl(el, '')) return false;
    // Sent by this element, then interrupted (it left the page and came back): still ours.
    if (action.idempotencyKey === this.#attempt?.key) role = 'mine';
    this.#answers++;
    const { locale } = action.body as CreateSignatureBody;
    if (error) {
      if (role === 'mine') this.#failed(error);
      else el.emit('compa-error', { code: error.code, status: error.status });
    } else if (role === 'mine' || /^(loading|idle|one-click)$/.test(el.state)) {
      // Queued here, or on an earlier visit and nothing else on screen: this supporter has signed.
      void this.#accepted(result!, locale, el.matches(':focus-within'));
    } else {
      el.emit('compa-sign', { campaign: el.campaign, status: result!.status, locale });
    }
  }

  /** "Try again now": says it is trying; if nothing gets through, the saved-signature text is said again. */
  readonly #retryNow = async (): Promise<void> => {
    if (this.#retrying) return;
    const answers = this.#answers;
    this.#retrying = true;
    this.#el.requestUpdate();
    await this.#pending.flush();
    // An answer changes the state itself (a render in between would say "saved" again just before the thanks).
    if (answers === this.#answers) this.#set(this.#el.state);
  };

  /** "Not you?": forget the remembered supporter (or the action link) and show the form. */
  readonly #notYou = (): void => {
    if (!('actionToken' in this.#oneClick!.body)) storage((l) => l.removeItem(SUPPORTER_KEY));
    this.#oneClick = undefined;
    this.#set('idle', '#firstName');
  };

  // ---------------------------------------------------------------- rendering

  /** What the live region says in the current state. */
  status(): string {
    const state = this.#el.state;
    return state === 'submitting' || (this.#retrying && state === 'offline')
      ? msg('Signing…', { desc: 'Status announced and button text while the signature is being sent.' })
      : state === 'signed'
        ? msg('Thank you! Your signature has been counted.', { desc: 'Shown and announced when the signature was counted.' })
        : state === 'check-inbox'
          ? msg('Almost done: we’ve sent you an email. Click the link in it to confirm your signature. It counts once confirmed.', {
              desc: 'Shown and announced when the signature must be confirmed through an emailed link.',
            })
          : state === 'offline'
            ? msg('We couldn’t send your signature yet. It’s saved on this device and will be sent as soon as possible.', {
                desc: 'Shown when the signature could not be sent (offline or server unreachable).',
              })
            : '';
  }

  /** Everything below the counter of an open petition: result panel, one-click, form. */
  render(p: Petition, state: PetitionState, status: string): TemplateResult {
    const done = state === 'signed' || state === 'check-inbox';
    const offline = state === 'offline';
    const oneClick = !done && !offline ? this.#oneClick : undefined;
    const submitting = state === 'submitting';
    const signing = msg('Signing…', { desc: 'Status announced and button text while the signature is being sent.' });
    return html`${done || offline
        ? html`<div class="panel">
            <p part="message" id="result" tabindex="-1">${this.status()}</p>
            ${offline
              ? navigator.onLine
                ? html`<button part="button" aria-disabled=${this.#retrying} @click=${this.#retryNow}>
                    ${this.#retrying ? signing : msg('Try again now', { desc: 'Button that tries to send a saved signup immediately.' })}
                  </button>`
                : nothing
              : (this.#share?.renderShare(this.#el, p) ?? nothing)}
          </div>`
        : nothing}
      ${oneClick
        ? html`<div class="actions">
              <button
                part="button"
                aria-disabled=${submitting}
                @click=${() => submitting || this.#sign({ ...oneClick.body, locale: (this.#el as unknown as { shownLocale: string }).shownLocale })}
              >
                ${submitting
                  ? signing
                  : oneClick.name
                    ? msg(str`Sign as ${oneClick.name}`, {
                        desc: 'One-click signing button; the placeholder is the remembered supporter’s first name and last initial, e.g. "Ana G.".',
                      })
                    : msg('Sign with one click', {
                        desc: 'One-click signing button of an action link when the server cannot show whose link it is (its supporter data is sealed).',
                      })}
              </button>
              <button part="link" @click=${this.#notYou}>
                ${msg('Not you?', { desc: 'Button that forgets the remembered supporter and shows the form.' })}
              </button>
            </div>
            ${this.#renderAlert()}`
        : nothing}
      ${this.#renderForm(p, done || offline || !!oneClick, submitting, signing)}`;
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
        : msg('Sorry, your signature was not sent. Please try again.', {
            desc: 'Generic error after a failed signature (server error or unexpected answer).',
          })}
    </p>`;
  }

  /** A labelled field with its error text, tied to the control by `aria-describedby`. */
  #field(field: Field, label: string, control: Control, optional = false): TemplateResult {
    const error = this.#errors[field];
    const id = field + '-error';
    return html`<div part="field">
      <label part="label" for=${field}
        >${label}
        ${optional ? html`<span class="opt">${msg('(optional)', { desc: 'Marks a field that may be left empty.' })}</span>` : nothing}</label
      >
      ${control(!!error, error ? id : '', !optional)}
      ${error
        ? html`<p part="error" id=${id}>
            ${error === 'invalid'
              ? field === 'email'
                ? msg('Enter a valid email address, like name@example.org.', {
                    desc: 'Error when the email address is not valid. Adapt the example address to the language (nombre@ejemplo.org).',
                  })
                : msg('Please check this field.', { desc: 'Error when the server refused a field (e.g. unusual characters).' })
              : field === 'firstName'
                ? msg('Enter your first name.', { desc: 'Error when the first name is empty.' })
                : field === 'lastName'
                  ? msg('Enter your last name.', { desc: 'Error when a required last name is empty.' })
                  : field === 'email'
                    ? msg('Enter your email address.', { desc: 'Error when the email field is empty.' })
                    : msg('Choose your country.', { desc: 'Error when no country is selected.' })}
          </p>`
        : nothing}
    </div>`;
  }

  #input(field: Field, autocomplete: string, max: number, type = 'text'): Control {
    return (invalid, describedBy, required) =>
      html`<input
        part="input"
        id=${field}
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${max}
        aria-required=${required || nothing}
        aria-invalid=${invalid}
        aria-describedby=${describedBy}
      />`;
  }

  #renderForm(p: Petition, hidden: boolean, submitting: boolean, signing: string): TemplateResult {
    const el = this.#el;
    const region = browserCountry();
    const mode = p.lastName;
    return html`<form part="form" novalidate aria-labelledby="heading" ?hidden=${hidden} @submit=${this.#submit} @focusin=${this.#prefetch}>
      ${this.#expired
        ? html`<p part="message">${msg('This link has expired. Please sign with the form.', { desc: 'Shown when a one-click action link is no longer valid.' })}</p>`
        : nothing}
      <div class="row">
        ${this.#field('firstName', msg('First name', { desc: 'Label of the optional first-name field.' }), this.#input('firstName', 'given-name', FIRST_NAME_MAX))}
        ${mode === 'hidden'
          ? nothing
          : this.#field(
              'lastName',
              msg('Last name', { desc: 'Label of the last-name field.' }),
              this.#input('lastName', 'family-name', LAST_NAME_MAX),
              mode === 'optional',
            )}
      </div>
      ${this.#field('email', msg('Email address', { desc: 'Label of the email field.' }), this.#input('email', 'email', EMAIL_MAX, 'email'))}
      ${this.#field(
        'country',
        msg('Country', { desc: 'Label of the country list.' }),
        (invalid, describedBy) =>
          html`<select part="input" id="country" name="country" autocomplete="country" aria-required="true" aria-invalid=${invalid} aria-describedby=${describedBy}>
            <option value=""></option>
            ${countries(currentLocale()).map(([code, name]) => html`<option value=${code} ?selected=${code === region}>${name}</option>`)}
          </select>`,
      )}
      ${this.#field(
        'comment',
        msg('Comment', { desc: 'Label of the optional comment field.' }),
        (invalid, describedBy) =>
          html`<textarea
            part="input"
            id="comment"
            name="comment"
            rows="3"
            maxlength=${COMMENT_MAX}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
          ></textarea>`,
        true,
      )}
      ${p.keepInformed
        ? html`<div class="check">
            <input part="checkbox" type="checkbox" id="keepInformed" name="keepInformed" />
            <label part="label" id="keep-label" for="keepInformed">${this.#renderKeep(p, p.keepInformed.name)}</label>
          </div>`
        : nothing}
      ${el.noRemember
        ? nothing
        : html`<div class="check">
            <input part="checkbox" type="checkbox" id="remember" name="remember" aria-describedby="remember-hint" />
            <label part="label" for="remember">
              ${msg('Remember me on this device', { desc: 'Checkbox: keep the supporter’s details in this browser to sign other petitions with one click.' })}
            </label>
            <p part="hint" class="hint" id="remember-hint">
              ${msg('To sign other petitions with one click. Not on a shared computer.', { desc: 'Hint under "Remember me on this device".' })}
            </p>
          </div>`}
      <div class="vh" aria-hidden="true">
        <label for="website">${msg('Leave this field empty', { desc: 'Label of an invisible anti-spam field that only robots fill in.' })}</label>
        <input id="website" name="website" tabindex="-1" autocomplete="off" />
      </div>
      ${this.#renderAlert()}
      <button part="button" type="submit" aria-disabled=${submitting}>
        ${submitting ? signing : msg('Sign', { desc: 'Submit button of the petition form.' })}
      </button>
    </form>`;
  }

  #renderKeep(p: Petition, list: string): TemplateResult | string {
    let url: URL | undefined;
    try {
      url = new URL(p.privacyPolicyUrl!, document.baseURI);
    } catch {
      /* not a URL: no link */
    }
    const org = p.organisation;
    // Only http(s) links (never `javascript:`).
    if (!p.privacyPolicyUrl || !url || !/^https?:$/.test(url.protocol)) {
      return msg(str`Keep me informed by email: “${list}” from ${org}.`, {
        desc: 'Unticked checkbox under a petition; stored as proof of consent. Placeholders: the newsletter’s name, the organisation.',
      });
    }
    const newTab = html`<span class="vh">${msg(' (opens in a new tab)', { desc: 'Screen-reader-only hint after a link that opens a new tab. Keep the leading space.' })}</span>`;
    return msg(
      html`Keep me informed by email: “${list}” from ${org} (<a href=${url} target="_blank" rel="noopener noreferrer">privacy policy${newTab}</a>).`,
      {
        desc: 'Unticked checkbox under a petition; stored as proof of consent. Placeholders: the newsletter’s name, the organisation; the link wraps "privacy policy".',
      },
    );
  }
}
