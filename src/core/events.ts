/**
 * Every event a Compa element dispatches. All bubble, are `composed` (they leave the shadow root) and carry
 * no personal data in `detail`: host pages use them for their own analytics.
 */

/** `compa-ready`: the element loaded what it needs from the server and is usable. */
export interface CompaReadyDetail {
  /** `<compa-newsletter>`: slugs of the lists the element offers. */
  lists?: string[];
  /** `<compa-petition>`: the petition's slug. */
  campaign?: string;
  /** `<compa-webinar>`: the slugs of the webinars shown (one, or a series' upcoming ones). */
  webinars?: string[];
  /** `<compa-story-feed>`: the ids of the stories shown (the first page). */
  stories?: string[];
}

/** `compa-subscribe`: the server accepted a subscription (202); a confirmation email is on its way. */
export interface CompaSubscribeDetail {
  /** Slugs of the lists subscribed to. */
  lists: string[];
  /** The locale the supporter used (the language of the consent text and of the emails). */
  locale: string;
}

/** `compa-sign`: the server accepted a signature (also when a signature saved on the device is sent later). */
export interface CompaSignDetail {
  /** The petition's slug. */
  campaign: string;
  /** `counted` at once, or `pending_verification` until the supporter uses the emailed confirm link. */
  status: 'counted' | 'pending_verification';
  /** The locale the supporter signed in. */
  locale: string;
}

/** `compa-register`: the server accepted a webinar registration (202); the answer is in an email on its way. */
export interface CompaRegisterDetail {
  /** The webinar's slug. */
  webinar: string;
  /** True when the widget offered the waitlist (the webinar was full): the email says whether a place was given. */
  waitlist: boolean;
  /** The locale the supporter registered in (the language of the emails). */
  locale: string;
}

/** `compa-share`: the supporter chose a way to share (a link opened, the link copied, the device's share sheet). */
export interface CompaShareDetail {
  /** The petition's slug. */
  campaign: string;
  /** `native`, `whatsapp`, `telegram`, `signal`, `bluesky`, `mastodon`, `x`, `facebook`, `email` or `copy`. */
  channel: string;
}

/**
 * `compa-story-open` (cancelable): a reader clicked a story of `<compa-story-feed>`, which is about to open it in
 * place. Cancel it (`preventDefault()`) to keep the widget from opening it: the link is then followed as usual.
 */
export interface CompaStoryOpenDetail {
  /** The story's id. */
  id: string;
  /** The full story's address (its `<a href>`). */
  link: string;
}

/** `compa-error`: a request failed. `status` is 0 for network errors (offline, timeout). */
export interface CompaErrorDetail {
  /** An API error code (`invalid_body`, `rate_limited`, …) or `network`. */
  code: string;
  status: number;
}

/** `compa-queued`: a write could not reach the server and was saved on the device to be sent later. */
export interface CompaQueuedDetail {
  /** What was queued: `subscribe`, `sign`, `register`. */
  action: string;
}

export interface CompaEventMap {
  'compa-ready': CustomEvent<CompaReadyDetail>;
  'compa-subscribe': CustomEvent<CompaSubscribeDetail>;
  'compa-sign': CustomEvent<CompaSignDetail>;
  'compa-share': CustomEvent<CompaShareDetail>;
  'compa-register': CustomEvent<CompaRegisterDetail>;
  'compa-error': CustomEvent<CompaErrorDetail>;
  'compa-queued': CustomEvent<CompaQueuedDetail>;
  'compa-story-open': CustomEvent<CompaStoryOpenDetail>;
}

export type CompaEventName = keyof CompaEventMap;
export type CompaEventDetail<K extends CompaEventName> = CompaEventMap[K]['detail'];

declare global {
  /** `el.addEventListener('compa-subscribe', (e) => e.detail.lists)` is typed. */
  interface HTMLElementEventMap extends CompaEventMap {}
}
