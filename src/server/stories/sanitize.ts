/**
 * The HTML of a partner story, made safe to show inside the story widget: an allowlist of plain formatting tags
 * (sanitize-html), absolute links that open in a new tab, images only where Compa re-serves them, and embedded
 * players (iframes, video, audio, object, embed) turned into click-to-load placeholders. The people in these
 * stories may be at risk, so nothing in the result may make a reader's browser contact a third party on its own:
 * no live iframe, no remote image, no tracking pixel, no CSS, no script.
 */
import { randomBytes } from 'node:crypto';
import sanitizeHtml from 'sanitize-html';
import { parseDocument } from 'htmlparser2';
import { getAttributeValue, getOuterHTML, removeElement } from 'domutils';

export interface SanitizeOptions {
  /** Resolve relative href/src against it. */
  baseUrl: string;
  /** Maps an absolute image URL to the URL it is served from (by Compa), or null to drop the image. */
  image?: (absoluteUrl: string) => string | null; // default: drop every image
}

export interface SanitizedHtml {
  html: string;
  /** Plain text of `html`, without the placeholders’ labels (for excerpts and search). */
  text: string;
  words: number;
  /** How many click-to-load placeholders the html holds. */
  embeds: number;
}

type Element = Parameters<typeof getAttributeValue>[0];
type ParentNode = ReturnType<typeof parseDocument>;
type AnyNode = ParentNode['children'][number];

const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'b', 'i', 'u', 's', 'blockquote', 'q', 'cite', 'ul', 'ol', 'li',
  'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'figure', 'figcaption', 'img', 'hr', 'code', 'pre', 'sub', 'sup',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'abbr',
];

/**
 * Elements dropped together with everything inside them. Raw-text elements belong here (their text is markup a
 * browser may read differently), and so do noscript (tracking pixels live there), forms, SVG and MathML.
 */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'select', 'button', 'xmp', 'noscript', 'noembed', 'noframes',
  'plaintext', 'template', 'title', 'head', 'svg', 'math', 'form', 'iframe', 'frame', 'frameset', 'object',
  'embed', 'applet', 'video', 'audio', 'canvas', 'map', 'input', 'link', 'meta', 'base', 'param', 'source', 'track',
];

/** Elements that load a player or a document: they become click-to-load placeholders. */
const EMBED_TAGS = new Set(['iframe', 'video', 'audio', 'embed', 'object']);

/**
 * Images that exist only to tell a tracker that someone read the story. Matched on the host (the domain itself or
 * a subdomain of it) or, for path rules, on a whole path segment: `/pixel.gif` and `/track/open` are trackers,
 * `/pixel-art.jpg` is not. A query string such as `?utm_source=` is not a sign of tracking on its own.
 */
const TRACKING_HOSTS = [
  'stats.wp.com', 'pixel.wp.com', 'feeds.feedburner.com', 'feedproxy.google.com', 'feedsportal.com',
  'doubleclick.net', 'google-analytics.com', 'googletagmanager.com', 'scorecardresearch.com', 'quantserve.com',
  'pixel.quantserve.com', 'pixel.facebook.com', 'analytics.twitter.com', 'bat.bing.com', 'ct.pinterest.com',
];
const TRACKING_HOST_LABEL = /^(pixel|pixels|beacon|beacons|tracking|tracker|track|stats)\./i;
const TRACKING_PATH = /\/(pixel|pixels|beacon|beacons|track|tracking|tracker|1x1|spacer|blank|__utm|open)(\.(gif|png|jpe?g|webp|php|aspx?))?(\/|$)/i;
const TRACKING_HOST_PATH: Array<[string, RegExp]> = [
  ['facebook.com', /^\/tr\/?$/i],
  ['list-manage.com', /^\/track\//i],
];

function hostIs(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Whether an absolute image URL looks like a tracking pixel (see TRACKING_HOSTS). */
export function isTrackingUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (TRACKING_HOSTS.some((d) => hostIs(host, d))) return true;
  if (TRACKING_HOST_LABEL.test(host)) return true;
  if (TRACKING_HOST_PATH.some(([d, path]) => hostIs(host, d) && path.test(url.pathname))) return true;
  return TRACKING_PATH.test(url.pathname);
}

/** An absolute URL with one of the given protocols, resolved against `base`, or null. */
function absolute(raw: string | undefined, base: string, protocols: readonly string[]): URL | null {
  if (raw === undefined) return null;
  const value = raw.trim();
  if (!value) return null;
  try {
    const url = new URL(value, base);
    if (!protocols.includes(url.protocol)) return null;
    if (url.username || url.password) return null; // credentials have no place in a public story
    return url;
  } catch {
    return null;
  }
}

const HTTP = ['http:', 'https:'] as const;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A numeric width/height attribute (`"640"`, `"1px"` → 1), or null. */
function dimension(value: string | undefined): number | null {
  const m = value === undefined ? null : /^\s*(\d{1,6})(?:px)?\s*$/i.exec(value);
  return m ? Number(m[1]) : null;
}

/** The image URL an `<img>` really shows: lazy-loading plugins put a placeholder in `src` and the image elsewhere. */
function imageSource(attribs: Record<string, string>, base: string): URL | null {
  const src = attribs.src?.trim() ?? '';
  if (src && !/^data:/i.test(src)) return absolute(src, base, HTTP);
  for (const name of ['data-src', 'data-lazy-src', 'data-original']) {
    const url = absolute(attribs[name], base, HTTP);
    if (url) return url;
  }
  return null;
}

interface Embed {
  /** The https URL the widget loads when the reader asks for it. */
  src: string;
  host: string;
  /** Where the link of the placeholder goes: the player's own page when known. */
  page: string;
  label: string;
}

const YOUTUBE_HOSTS = ['youtube.com', 'youtube-nocookie.com'];
const VIDEO_HOSTS = ['youtube.com', 'youtube-nocookie.com', 'vimeo.com', 'dailymotion.com', 'peertube.tv'];
const AUDIO_HOSTS = ['soundcloud.com', 'spotify.com', 'anchor.fm', 'podbean.com'];

/**
 * The placeholder for an embedded player, or null when it cannot be shown safely (not https, no source).
 * YouTube moves to its no-cookie domain and Vimeo gets `dnt=1` (do not track); other hosts are kept as they
 * are, and the reader is told which host the player comes from before loading it.
 */
function embedOf(el: Element, base: string): Embed | null {
  const tag = el.name;
  let raw: string | undefined = tag === 'object' ? el.attribs.data : el.attribs.src;
  if (!raw && tag === 'iframe') raw = el.attribs['data-src'];
  if (!raw && (tag === 'video' || tag === 'audio')) {
    const source = findDescendant(el, (e) => e.name === 'source' && !!e.attribs.src);
    raw = source?.attribs.src;
  }
  const url = absolute(raw, base, HTTP);
  if (!url) return null;
  const host = url.hostname.toLowerCase();
  let page = url.href;
  const youtube = YOUTUBE_HOSTS.some((d) => hostIs(host, d)) ? /^\/(?:embed|v)\/([A-Za-z0-9_-]{6,20})\/?$/.exec(url.pathname) : null;
  if (youtube) {
    const id = youtube[1]!;
    const next = new URL(`https://www.youtube-nocookie.com/embed/${id}`);
    for (const keep of ['start', 'end']) {
      const v = url.searchParams.get(keep);
      if (v && /^\d+$/.test(v)) next.searchParams.set(keep, v);
    }
    page = `https://www.youtube.com/watch?v=${id}`;
    url.href = next.href;
  } else if (host === 'player.vimeo.com') {
    url.protocol = 'https:';
    url.searchParams.set('dnt', '1');
    const id = /^\/video\/(\d+)/.exec(url.pathname);
    page = id ? `https://vimeo.com/${id[1]}` : url.href;
  }
  if (url.protocol !== 'https:') return null; // a player over http would be mixed content, and readable in transit
  const kind =
    tag === 'video' || VIDEO_HOSTS.some((d) => hostIs(url.hostname, d)) ? 'Video'
    : tag === 'audio' || AUDIO_HOSTS.some((d) => hostIs(url.hostname, d)) ? 'Audio'
    : 'Embedded content';
  const title = plainText(el.attribs.title ?? '').slice(0, 120).trim();
  return { src: url.href, host: url.hostname, page, label: `${kind}: ${title || url.hostname}` };
}

function findDescendant(el: Element, test: (e: Element) => boolean): Element | null {
  for (const child of el.children) {
    if (child.type !== 'tag') continue;
    const e = child as Element;
    if (test(e)) return e;
    const found = findDescendant(e, test);
    if (found) return found;
  }
  return null;
}

/**
 * Before sanitize-html: embedded players become marker elements whose tag name holds a random nonce, so that
 * only markers created here, never anything written in the feed, turn into placeholders afterwards. Elements
 * dropped with their content go now, so their raw text is never serialised back into markup.
 */
function markEmbeds(nodes: AnyNode[], base: string, marker: string, embeds: Embed[]): void {
  for (const node of [...nodes]) {
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const el = node as Element;
    if (EMBED_TAGS.has(el.name)) {
      const embed = embedOf(el, base);
      if (!embed) {
        removeElement(el);
        continue;
      }
      el.name = marker;
      el.attribs = { 'data-i': String(embeds.length) };
      el.children = [];
      embeds.push(embed);
    } else if (DROP_WITH_CONTENT.includes(el.name)) {
      removeElement(el);
    } else {
      markEmbeds(el.children, base, marker, embeds);
    }
  }
}

function placeholder(e: Embed): string {
  return (
    `<figure data-compa-embed="${escapeHtml(e.src)}" data-compa-host="${escapeHtml(e.host)}">` +
    `<a href="${escapeHtml(e.page)}" rel="noopener noreferrer nofollow" target="_blank">${escapeHtml(e.label)}</a></figure>`
  );
}

export function sanitizeStoryHtml(html: string, opts: SanitizeOptions): SanitizedHtml {
  const base = opts.baseUrl;
  const mapImage = opts.image ?? (() => null);
  const marker = `compa-embed-${randomBytes(8).toString('hex')}`;
  const embeds: Embed[] = [];

  const doc = parseDocument(html, { decodeEntities: true });
  markEmbeds(doc.children, base, marker, embeds);
  const prepared = getOuterHTML(doc.children, { encodeEntities: 'utf8' });

  const cleaned = sanitizeHtml(prepared, {
    allowedTags: [...ALLOWED_TAGS, marker],
    allowedAttributes: {
      a: ['href', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      abbr: ['title'],
      [marker]: ['data-i'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    enforceHtmlBoundary: false,
    parseStyleAttributes: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
    transformTags: {
      h1: 'h2',
      a: (_tag, attribs) => {
        const url = absolute(attribs.href, base, ['http:', 'https:', 'mailto:']);
        const kept: Record<string, string> = url ? { href: url.href, rel: 'noopener noreferrer nofollow', target: '_blank' } : {};
        return { tagName: 'a', attribs: kept };
      },
      img: (_tag, attribs) => {
        // Renaming a void tag to drop it trips sanitize-html (a stray end tag follows): an img without src is
        // removed by exclusiveFilter instead.
        const drop = { tagName: 'img', attribs: {} };
        const url = imageSource(attribs, base);
        if (!url) return drop;
        const width = dimension(attribs.width);
        const height = dimension(attribs.height);
        if ((width !== null && width <= 2) || (height !== null && height <= 2) || isTrackingUrl(url)) return drop;
        const src = mapImage(url.href);
        if (src === null) return drop;
        const kept: Record<string, string> = { src, alt: attribs.alt ?? '' };
        if (width) kept.width = String(width);
        if (height) kept.height = String(height);
        return { tagName: 'img', attribs: kept };
      },
      td: cellTransform,
      th: cellTransform,
    },
  });

  let count = 0;
  const anyMarker = new RegExp(`</?${marker}[^>]*>`, 'g');
  const markerRe = new RegExp(`(?:<p>\\s*)?<${marker} data-i="(\\d+)"></${marker}>(?:\\s*</p>)?`, 'g');
  const out = cleaned
    .replace(markerRe, (whole, i: string) => {
      const e = embeds[Number(i)];
      if (!e) return '';
      count++;
      const inner = placeholder(e);
      // A figure cannot sit inside a paragraph: unwrap `<p><iframe></p>`, the usual WordPress shape.
      const opens = whole.startsWith('<p>');
      const closes = whole.endsWith('</p>');
      return opens && closes ? inner : opens ? `<p>${inner}` : closes ? `${inner}</p>` : inner;
    })
    .replace(anyMarker, '')
    .trim();
  // The story's own words: placeholder labels ("Video: …") are not part of its text, excerpt or word count.
  const text = plainText(cleaned.replace(anyMarker, ' '));
  return { html: out, text, words: countWords(text), embeds: count };
}

function cellTransform(tag: string, attribs: Record<string, string>) {
  const kept: Record<string, string> = {};
  for (const name of ['colspan', 'rowspan']) {
    const v = attribs[name];
    if (v && /^\d{1,3}$/.test(v.trim()) && Number(v) > 0) kept[name] = String(Number(v));
  }
  return { tagName: tag, attribs: kept };
}

/**
 * The absolute http(s) URLs of the images the sanitised body would keep (not tracking pixels), in order,
 * de-duplicated. The importer downloads these, then calls sanitizeStoryHtml with an `image` map.
 */
export function storyImageUrls(html: string, baseUrl: string): string[] {
  const seen = new Set<string>();
  sanitizeStoryHtml(html, {
    baseUrl,
    image: (url) => {
      seen.add(url);
      return url;
    },
  });
  return [...seen];
}

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
const NO_TEXT = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'head', 'title',
  'textarea', 'select', 'xmp', 'noembed', 'noframes',
]);

function collectText(nodes: AnyNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type === 'text') out.push(node.data);
    else if (node.type === 'cdata') collectText(node.children, out);
    else if (node.type === 'tag') {
      const el = node as Element;
      if (NO_TEXT.has(el.name)) continue;
      const block = BLOCK.has(el.name);
      if (block) out.push(' ');
      collectText(el.children, out);
      if (block) out.push(' ');
    }
  }
}

/** Plain text of an HTML fragment (entities decoded, tags removed, whitespace collapsed), for excerpts and titles. */
export function plainText(html: string): string {
  if (!html) return '';
  const out: string[] = [];
  collectText(parseDocument(html, { decodeEntities: true }).children, out);
  return out
    .join('')
    .replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Words of a plain text: runs separated by whitespace that hold a letter or a digit ("&" and "—" are not words),
 * each CJK character counted as one word (roughly).
 */
function countWords(text: string): number {
  const spaced = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu, ' x ');
  return spaced.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** A plain-text excerpt: the first `max` characters cut at a word boundary with "…" (the "…" counts in `max`). */
export function excerpt(text: string, max = 280): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  let cut = t.slice(0, Math.max(1, max - 1));
  if (t[cut.length] !== ' ') {
    const space = cut.lastIndexOf(' ');
    // back to the last word boundary, unless that would lose half the excerpt (a huge word, or text without spaces)
    if (space >= cut.length / 2) cut = cut.slice(0, space);
  }
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}
