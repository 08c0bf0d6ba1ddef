/**
 * Every event a Compa element dispatches. All bubble, are `composed` (they leave the shadow root) and carry
 * no personal data in `detail`: host pages use them for their own analytics.
 */

/** `compa-ready`: the element loaded what it needs from the server and is usable. */
export interface CompaReadyDetail {
  /** Slugs of the lists the element offers. */
  lists: string[];
}

/** `compa-subscribe`: the server accepted a subscription (202); a confirmation email is on its way. */
export interface CompaSubscribeDetail {
  /** Slugs of the lists subscribed to. */
  lists: string[];
  /** The locale the supporter used (the language of the consent text and of the emails). */
  locale: string;
}

/** `compa-error`: a request failed. `status` is 0 for network errors (offline, timeout). */
export interface CompaErrorDetail {
  /** An API error code (`invalid_body`, `rate_limited`, …) or `network`. */
  code: string;
  status: number;
}

/** `compa-queued`: a write could not reach the server and was saved on the device to be sent later. */
export interface CompaQueuedDetail {
  /** What was queued, e.g. `subscribe`. */
  action: string;
}

export interface CompaEventMap {
  'compa-ready': CustomEvent<CompaReadyDetail>;
  'compa-subscribe': CustomEvent<CompaSubscribeDetail>;
  'compa-error': CustomEvent<CompaErrorDetail>;
  'compa-queued': CustomEvent<CompaQueuedDetail>;
}

export type CompaEventName = keyof CompaEventMap;
export type CompaEventDetail<K extends CompaEventName> = CompaEventMap[K]['detail'];

declare global {
  /** `el.addEventListener('compa-subscribe', (e) => e.detail.lists)` is typed. */
  interface HTMLElementEventMap extends CompaEventMap {}
}
