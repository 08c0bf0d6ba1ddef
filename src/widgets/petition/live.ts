/**
 * The live parts of `<compa-petition>`, loaded lazily after the petition: the counter's updates and the deadline
 * countdown.
 *
 * Counter: an `EventSource` on `GET …/events` (no credentials), whose `count` events carry
 * `{count, goal, status}`. When `EventSource` is missing, when the stream fails for good (an HTTP error such as
 * a 503, `readyState` CLOSED), or when it does not open (or reopen) within 10 s, it falls back to polling
 * `GET …/count` every 20 s, skipped while the page is hidden. Everything stops when the element leaves the page
 * and when the petition closes (the count freezes).
 *
 * Countdown: "Closes in 3 days (21 November 2026, 18:00 GMT+1)", re-rendered once a minute, never announced.
 */
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { msg } from '../../core/msg.ts';
import { apiUrl, request } from '../../core/api.ts';
import type { Petition, PetitionCount } from '../../schemas/petition.ts';
import type { CompaPetition } from './petition.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Timings in milliseconds (tests shorten them). */
export const timing = {
  /** Polling period when there is no stream. */
  poll: 20_000,
  /** How long the stream may take to open (or to reopen after an error) before polling takes over. */
  open: 10_000,
  /** How often the countdown is re-rendered. */
  tick: MINUTE,
};

const watched = new WeakMap<CompaPetition, Live>();

/** Keep `el`'s counter live (once per element; idempotent). */
export function watch(el: CompaPetition): void {
  if (!watched.has(el)) watched.set(el, new Live(el));
}

class Live implements ReactiveController {
  readonly #el: CompaPetition;
  #es?: EventSource;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #polling = false;

  constructor(el: CompaPetition) {
    this.#el = el;
    el.addController(this); // calls hostConnected() at once when connected
  }

  hostConnected(): void {
    if (this.#closed()) return;
    this.#stream();
    // The countdown changes at most once a minute; past the deadline, ask whether the petition closed.
    const deadline = Date.parse(this.#el.petition?.deadline ?? '');
    if (deadline) {
      this.#timers.push(
        setInterval(() => {
          this.#el.requestUpdate();
          if (Date.now() >= deadline) this.#fetch();
        }, timing.tick),
      );
    }
  }

  hostDisconnected(): void {
    this.#stop();
  }

  hostUpdated(): void {
    if (this.#closed()) this.#stop();
  }

  #closed(): boolean {
    return this.#el.tally?.status === 'closed';
  }

  #url(route: string): string {
    return apiUrl(this.#el, `/petitions/${encodeURIComponent(this.#el.campaign)}/${route}`);
  }

  #stream(): void {
    const ES = globalThis.EventSource;
    if (!ES) return this.#poll();
    const es = (this.#es = new ES(this.#url('events')));
    const fallback = () => {
      if (this.#es !== es || es.readyState === 1) return;
      es.close();
      this.#es = undefined;
      this.#poll();
    };
    const deadline = () => this.#timers.push(setTimeout(fallback, timing.open));
    deadline();
    es.addEventListener('count', (e) => {
      try {
        this.#el.count(JSON.parse((e as MessageEvent<string>).data) as PetitionCount);
      } catch {
        /* not the API's JSON: ignored */
      }
    });
    // CLOSED: failed for good (an HTTP error, e.g. 503). CONNECTING: the browser retries; poll if that lasts.
    es.onerror = () => (es.readyState === 2 ? fallback() : deadline());
  }

  #poll(): void {
    if (this.#polling) return;
    this.#polling = true;
    const tick = () => document.hidden || this.#fetch();
    tick();
    this.#timers.push(setInterval(tick, timing.poll));
  }

  #fetch(): void {
    request<PetitionCount>(this.#url('count'), { signal: this.#el.signal }).then(
      (c) => this.#el.isConnected && this.#el.count(c),
      () => {
        /* try again at the next tick */
      },
    );
  }

  #stop(): void {
    this.#es?.close();
    this.#es = undefined;
    this.#timers.splice(0).forEach((t) => clearTimeout(t));
    this.#polling = false;
  }
}

/**
 * "Closes in 3 days (…)" with the absolute date and time in a `<time>`, or nothing (no deadline, closed). Days and
 * hours are rounded (2 days 20 hours: "in 3 days"), minutes rounded up; the date names the supporter's time zone.
 */
export function deadline(el: CompaPetition, p: Petition, locale: string): TemplateResult | typeof nothing {
  const end = new Date(p.deadline ?? NaN);
  const left = end.getTime() - Date.now();
  if (!(left > 0) || el.tally?.status === 'closed') return nothing;
  const [n, unit]: [number, Intl.RelativeTimeFormatUnit] =
    left >= DAY ? [Math.round(left / DAY), 'day'] : left >= HOUR ? [Math.round(left / HOUR), 'hour'] : [Math.ceil(left / MINUTE), 'minute'];
  const when = new Intl.RelativeTimeFormat(locale).format(n, unit);
  const date = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(end);
  const time = html`<time datetime=${end.toISOString()}>${date}</time>`;
  return html`<p part="deadline">
    ${msg(html`Closes ${when} (${time})`, {
      desc: 'Deadline of the petition. First placeholder: a relative time written by the browser ("in 3 days", "dentro de 3 días", "dans 3 jours"); second: the date and time.',
    })}
  </p>`;
}
