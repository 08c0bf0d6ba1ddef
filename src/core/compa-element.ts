import { LitElement, type CSSResultGroup, type PropertyDeclarations, type PropertyValues } from 'lit';
import { hostStyles } from './theme.ts';
import { isLocaleLoaded, loadLocale, renderIn, resolveLocale, sourceLocale } from './locale.ts';
import type { CompaEventDetail, CompaEventMap, CompaEventName } from './events.ts';

/** The kit's version, also available as `CompaElement.version` and on every element's constructor. */
export const VERSION = '0.1.0';

/**
 * Connected elements, re-resolved when any `lang` attribute in the document changes. The observer is created
 * with the first element and then kept (a `lang` change is rare and cheap to handle).
 */
const connected = new Set<CompaElement>();
let langObserver: MutationObserver | undefined;

/**
 * The base of every Compa element (never extend `LitElement` directly).
 *
 * - `static define(tag)` is safe when the script is embedded twice.
 * - Shared host styles and design tokens (`hostStyles`).
 * - Per-element locale: `locale` resolves from `lang` (own, ancestors through shadow roots, `<html>`),
 *   then the browser's languages; messages render in English (or the previous locale) until the locale's
 *   chunk of the element's widget (tag `compa-<widget>`: only that widget's messages) has loaded, then
 *   re-render. Render `lang=${currentLocale()}` on the widget root.
 * - `emit()` dispatches typed `CustomEvent`s that bubble and are composed.
 * - `signal` aborts when the element is disconnected: pass it to every request.
 */
export class CompaElement extends LitElement {
  static version = VERSION;

  static override styles: CSSResultGroup = hostStyles;

  static override properties: PropertyDeclarations = {
    lang: { reflect: true },
    locale: { attribute: false },
  };

  /** Language of the element (BCP 47). Optional: by default the page's language is used. */
  declare lang: string;
  /** The resolved locale (`en`, `es`, `fr`), read-only. */
  declare locale: string;

  /** The locale whose messages are on screen (lags behind `locale` while its chunk loads). */
  protected shownLocale: string = sourceLocale;
  #aborter?: AbortController;

  /** Define the element under `tag` unless a definition exists already (the script may be embedded twice). */
  static define(tag: string): void {
    if (!customElements.get(tag)) customElements.define(tag, this as unknown as CustomElementConstructor);
  }

  constructor() {
    super();
    this.locale = sourceLocale;
  }

  /** Aborted when the element leaves the document. */
  get signal(): AbortSignal {
    return (this.#aborter ??= new AbortController()).signal;
  }

  override connectedCallback(): void {
    if (this.#aborter?.signal.aborted) this.#aborter = undefined;
    super.connectedCallback();
    connected.add(this);
    if (!langObserver) {
      (langObserver = new MutationObserver(() => connected.forEach((el) => el.resolveLocale()))).observe(
        document.documentElement,
        { attributes: true, attributeFilter: ['lang'], subtree: true },
      );
    }
    this.resolveLocale();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#aborter?.abort();
    connected.delete(this);
  }

  /** Re-resolve the locale (after a `lang` change here or above) and load its messages. */
  resolveLocale(): void {
    const locale = resolveLocale(this);
    this.locale = locale;
    if (!isLocaleLoaded(locale, this)) {
      loadLocale(locale, this).then(
        () => this.requestUpdate(),
        () => {
          // Chunk unreachable (offline?): keep rendering the previous locale; a later change retries.
        },
      );
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') && this.isConnected) this.resolveLocale();
  }

  protected override update(changed: PropertyValues<this>): void {
    if (isLocaleLoaded(this.locale, this)) this.shownLocale = this.locale;
    renderIn(this.shownLocale, () => super.update(changed));
  }

  /** Dispatch a typed event that bubbles and leaves the shadow root. Returns false if a listener cancelled it. */
  emit<K extends CompaEventName>(name: K, detail: CompaEventDetail<K>, options: { cancelable?: boolean } = {}): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: !!options.cancelable }) as CompaEventMap[K],
    );
  }
}
