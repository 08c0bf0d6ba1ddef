/**
 * A story's body, made safe a second time in the browser (the server sanitises it first), as in the petition's
 * `sanitize.ts`: the HTML is parsed into an inert `<template>` (nothing in it runs or loads), then only an allowlist
 * of elements is copied, as new elements, into a detached `<div>`; no attribute is copied as such:
 * - links keep an `href` only when it is http(s) or mailto, and open in a new tab without opener or referrer;
 * - images are kept only when served by the Compa server itself (the API's origin), lazily, with their alt text
 *   and size;
 * - headings take their level below the story's title (`h2` → title + 1, `h3` → title + 2…);
 * - a third-party media placeholder (`<figure data-compa-embed="https://…">`: a video, an audio player…) becomes a
 *   click-to-load block: which site it would connect to, a "Load media" button, and the server's plain link to the
 *   media on its site ("Video: …"). Nothing is requested from that site until the button is pressed (`loadEmbed`); not https: no button.
 * Other elements are dropped with their content when they hold code, media or form controls, else replaced by
 * their content (text is never lost). Comments are dropped.
 */
import { msg, str } from '../../core/msg.ts';

const ALLOWED = /^(p|br|strong|em|b|i|u|s|q|cite|abbr|small|sub|sup|code|pre|ul|ol|li|a|blockquote|figure|figcaption|hr|h[1-6]|table|thead|tbody|tr|th|td)$/;
/** Elements whose content is not text to read, or that would load something. */
const DROPPED = /^(script|style|template|noscript|iframe|frame|object|embed|svg|math|video|audio|picture|source|canvas|map|select|textarea|input|title|button|form|link|meta|base)$/;

export interface SanitizeOptions {
  /** The level of the story's title (its headings are below). */
  level: number;
  /** The Compa server's origin: the only one images may come from. */
  origin: string;
  /** The widget's locale: the placeholders' own words are in it. */
  locale: string;
}

/** What the iframe of a media is allowed: its player's scripts, full screen, links opened in a new tab. */
export const EMBED_SANDBOX = 'allow-scripts allow-same-origin allow-presentation allow-popups';

/** A detached element holding the allowed part of `source`; insert the element itself (Lit renders nodes). */
export function sanitize(source: string, options: SanitizeOptions): HTMLDivElement {
  const template = document.createElement('template');
  template.innerHTML = source;
  const out = document.createElement('div');
  copy(template.content, out, options);
  return out;
}

const url = (value: string | null): URL | undefined => {
  try {
    return new URL(value!);
  } catch {
    return undefined; // relative, empty or broken
  }
};

let embeds = 0;

function copy(from: Node, to: Node, o: SanitizeOptions): void {
  for (const node of from.childNodes) {
    if (node.nodeType === 3) {
      to.appendChild(document.createTextNode(node.nodeValue!));
      continue;
    }
    if (!(node instanceof Element)) continue;
    const tag = node.localName;
    const src = tag === 'figure' ? url(node.getAttribute('data-compa-embed')) : tag === 'img' ? url(node.getAttribute('src')) : undefined;
    if (tag === 'img') {
      if (src?.origin === o.origin && /^https?:$/.test(src.protocol)) {
        const img = document.createElement('img');
        img.src = src.href;
        img.alt = node.getAttribute('alt') ?? '';
        for (const a of ['width', 'height']) if (/^\d+$/.test(node.getAttribute(a) ?? '')) img.setAttribute(a, node.getAttribute(a)!);
        img.loading = 'lazy';
        img.decoding = 'async';
        to.appendChild(img);
      }
      continue;
    }
    if (DROPPED.test(tag)) continue;
    if (!ALLOWED.test(tag)) {
      copy(node, to, o);
      continue;
    }
    const h = /^h(\d)$/.exec(tag);
    const el = document.createElement(h ? `h${Math.min(6, o.level + Math.max(1, +h[1]! - 1))}` : tag);
    // A table's cells keep their spans (numbers only).
    for (const a of ['colspan', 'rowspan']) if (/^t[dh]$/.test(tag) && /^\d{1,3}$/.test(node.getAttribute(a) ?? '')) el.setAttribute(a, node.getAttribute(a)!);
    if (tag === 'a') {
      const href = url(node.getAttribute('href'));
      if (href && /^(https?|mailto):$/.test(href.protocol)) {
        el.setAttribute('href', href.href);
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
    }
    if (src?.protocol === 'https:') {
      // A third-party media: a placeholder in the widget's language, then the server's link to it.
      const id = `embed-${++embeds}`;
      const what = document.createElement('p');
      what.id = id;
      what.lang = o.locale;
      what.textContent = msg(str`Media from ${src.host}: loading it connects to that site.`, {
        desc: 'Placeholder of a video or audio player embedded in a story, shown instead of the player until the reader asks for it. The placeholder is the site’s host name, e.g. "www.youtube-nocookie.com".',
      });
      const load = document.createElement('button');
      load.type = 'button';
      load.lang = o.locale;
      load.dataset.src = src.href;
      load.dataset.title = node.textContent!.trim();
      load.setAttribute('aria-describedby', id);
      load.textContent = msg('Load media', { desc: 'Button of a video or audio player embedded in a story: loads the player from the other site.' });
      el.setAttribute('part', 'embed');
      el.append(what, load);
    }
    copy(node, el, o);
    to.appendChild(el);
  }
}

/**
 * If `target` is (inside) a placeholder's "Load media" button: the player replaces the button and the text, in a
 * sandboxed iframe that sends no referrer, and takes the focus. Only https players are ever created.
 */
export function loadEmbed(target: Element): void {
  const button = target.closest?.<HTMLButtonElement>('button[data-src]');
  const src = url(button?.dataset.src ?? null);
  if (!button || src?.protocol !== 'https:') return;
  const frame = document.createElement('iframe');
  frame.title = button.dataset.title || src.host;
  frame.setAttribute('sandbox', EMBED_SANDBOX);
  frame.referrerPolicy = 'no-referrer';
  frame.allowFullscreen = true;
  frame.loading = 'lazy';
  frame.src = src.href;
  button.previousElementSibling?.remove();
  button.replaceWith(frame);
  frame.focus();
}
