/**
 * Reads an organisation's own feed of stories: RSS 2.0 (and 0.9x), RSS 1.0 (RDF), Atom 1.0 (and 0.3) and JSON
 * Feed 1.0/1.1, into one shape. Pure: no network, no database. The HTML it returns is as the feed wrote it and
 * must go through sanitizeStoryHtml before anyone sees it; titles, categories and authors are plain text.
 *
 * Nothing in a feed is trusted: sizes are capped, dates that do not parse are null, URLs that are not absolute
 * http(s) after resolving are null, and a document that is not a feed throws FeedError saying why.
 */
import { createHash } from 'node:crypto';
import { DomHandler, Parser } from 'htmlparser2';
import { getAttributeValue, getOuterHTML, textContent } from 'domutils';
import { plainText } from './sanitize.ts';

export interface ParsedItem {
  /** RSS <guid> || <link> || a hash of title and date; Atom <id> || link; JSON Feed `id`. */
  guid: string;
  /** Plain text, '' if none. */
  title: string;
  /** Absolute http(s) URL of the story's own page, else null. */
  link: string | null;
  summaryHtml: string | null;
  contentHtml: string | null;
  published: Date | null;
  updated: Date | null;
  /** Normalised like "es", "pt-BR"; the item's own, else the feed's. */
  language: string | null;
  categories: string[];
  author: string | null;
  image: { url: string; alt: string | null } | null;
  /**
   * What relative URLs in summaryHtml/contentHtml resolve against (pass it to sanitizeStoryHtml as `baseUrl`):
   * an explicit xml:base, else the item's link, else the feed's link, else the feed's URL.
   */
  baseUrl: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  title: string | null;
  link: string | null;
  language: string | null;
  items: ParsedItem[];
  /**
   * The XML document ended before its root element was closed (a cut-off download): `items` holds only the
   * items that were complete, so an item missing from it may still be in the feed.
   */
  truncated: boolean;
}

/** The document is not a feed, or is too broken to read. The message says what is wrong. */
export class FeedError extends Error {
  override name = 'FeedError';
}

export const MAX_ITEMS = 500;
export const MAX_TITLE = 300;
export const MAX_CATEGORIES = 20;
export const MAX_CATEGORY = 64;
const MAX_AUTHOR = 200;
const MAX_GUID = 500;
const MAX_URL = 2048;
const MAX_ALT = 300;

type Element = Parameters<typeof getAttributeValue>[0];
type AnyNode = Element['children'][number];

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rss2a: 'http://backend.userland.com/rss2',
  rss2b: 'http://blogs.law.harvard.edu/tech/rss',
} as const;

/** The namespaces an unextended element of each format may be in (null: none declared, as most feeds do). */
const CORE_NS: Record<'rss' | 'atom', Array<string | null>> = {
  rss: [null, NS.rss1, NS.rss090, NS.rss2a, NS.rss2b],
  atom: [null, NS.atom, NS.atom03],
};

export function parseFeed(body: string, opts: { contentType?: string | null; url: string }): ParsedFeed {
  const text = body.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (!start) throw new FeedError('not a feed: empty document');
  const type = (opts.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const jsonType = type === 'application/feed+json' || type === 'application/json' || type.endsWith('+json');
  if (start.startsWith('{') || (jsonType && !start.startsWith('<'))) return parseJsonFeed(text, opts.url);
  return parseXmlFeed(text, opts.url);
}

// ---------------------------------------------------------------------------------------------------------------
// XML: RSS, RDF, Atom

/** A DOM handler that remembers which elements the document never closed itself (the parser closed them). */
class TrackingHandler extends DomHandler {
  readonly unclosed = new Set<Element>();
  override onclosetag(_name?: string, implied?: boolean): void {
    const el = this.tagStack[this.tagStack.length - 1];
    super.onclosetag();
    if (implied && el && el.type === 'tag') this.unclosed.add(el as Element);
  }
}

/**
 * htmlparser2 is lenient and never fails, so "malformed" is decided here:
 * - no element at the top level, or none that is rss / feed / rdf:RDF → not a feed (text before the root is
 *   tolerated: WordPress sites print PHP warnings before the XML);
 * - an item the document did not close itself (cut off, or closed by an ancestor's end tag) is dropped;
 * - a document cut off before its root's end tag keeps its complete items and says `truncated`, unless none
 *   of them is complete: then it is too broken to use.
 * DOCTYPE and entity declarations are never expanded (htmlparser2 only knows the XML built-in entities), so a
 * "billion laughs" document costs nothing: its entity references stay as literal text.
 */
function parseXmlFeed(body: string, url: string): ParsedFeed {
  const handler = new TrackingHandler(undefined, { xmlMode: true });
  const parser = new Parser(handler, { xmlMode: true, decodeEntities: true, recognizeCDATA: true });
  parser.end(body);
  const tops = handler.root.children.filter(isElement);
  if (!tops.length) throw new FeedError('not a feed: no XML root element');
  const root = tops.find((e) => ['rss', 'feed', 'rdf'].includes(localName(e)));
  if (!root) throw new FeedError(`not a feed: <${tops[0]!.name}> root`);
  const truncated = handler.unclosed.has(root);
  const complete = (e: Element) => !handler.unclosed.has(e);

  const kind = localName(root) === 'feed' ? 'atom' : 'rss';
  const core = CORE_NS[kind];
  let channel: Element = root;
  let entries: Element[];
  if (kind === 'atom') {
    entries = elements(root).filter((e) => isCore(e, 'entry', core));
  } else {
    const ch = elements(root).find((e) => isCore(e, 'channel', core));
    // RSS 2.0 nests items in <channel>; RSS 1.0 and some 0.9x feeds put them next to it.
    entries = [...(ch ? elements(ch) : []), ...elements(root)].filter((e) => isCore(e, 'item', core));
    if (!ch && !entries.length) throw new FeedError(`malformed ${localName(root) === 'rss' ? 'RSS' : 'RDF'}: no <channel> and no <item>`);
    if (ch) channel = ch;
  }
  const usable = entries.filter(complete);
  if (entries.length && !usable.length) throw new FeedError('malformed XML: no item is complete');
  if (truncated && !usable.length) throw new FeedError('malformed XML: the document ends before its first complete item');

  const feed = kind === 'atom' ? atomFeedInfo(root, url) : rssFeedInfo(channel, url);
  const items: ParsedItem[] = [];
  for (const el of usable) {
    if (items.length >= MAX_ITEMS) break;
    const item = kind === 'atom' ? atomItem(el, feed, url) : rssItem(el, feed, url);
    if (item) items.push(item);
  }
  return { format: kind, title: feed.title, link: feed.link, language: feed.language, items, truncated };
}

interface FeedInfo {
  title: string | null;
  link: string | null;
  language: string | null;
  author: string | null;
}

function rssFeedInfo(channel: Element, url: string): FeedInfo {
  const kids = elements(channel);
  const core = CORE_NS.rss;
  const base = baseOf(channel, url);
  const titleEl = kids.find((e) => isCore(e, 'title', core));
  const linkEl = kids.find((e) => isCore(e, 'link', core));
  const atomAlt = kids.find((e) => isExt(e, NS.atom, 'link', 'atom') && (attr(e, 'rel') ?? 'alternate') === 'alternate');
  const langEl = kids.find((e) => isCore(e, 'language', core)) ?? kids.find((e) => isExt(e, NS.dc, 'language', 'dc'));
  return {
    title: titleEl ? cap(plainText(textOf(titleEl)), MAX_TITLE) || null : null,
    link: (linkEl && httpUrl(textOf(linkEl), base)) ?? (atomAlt ? httpUrl(attr(atomAlt, 'href'), base) : null),
    language: normalizeLanguage(langEl ? textOf(langEl) : inheritedLang(channel)),
    author: null,
  };
}

function rssItem(el: Element, feed: FeedInfo, url: string): ParsedItem | null {
  const core = CORE_NS.rss;
  const kids = elements(el);
  const one = (name: string) => kids.find((e) => isCore(e, name, core));
  const ext = (ns: string, name: string, prefix: string) => kids.filter((e) => isExt(e, ns, name, prefix));
  const base = baseOf(el, feed.link ?? url);

  const title = one('title');
  const guidEl = one('guid');
  const guidText = guidEl ? textOf(guidEl).trim() : '';
  const about = attr(el, 'rdf:about')?.trim() || '';
  const atomAlt = ext(NS.atom, 'link', 'atom').find((e) => (attr(e, 'rel') ?? 'alternate') === 'alternate');
  const linkEl = one('link');
  const link =
    (linkEl ? httpUrl(textOf(linkEl), base) : null) ??
    // a guid is the permalink unless it says otherwise, but only when it is a URL on its own
    (guidText && attr(guidEl!, 'isPermaLink')?.trim().toLowerCase() !== 'false' ? httpUrl(guidText, null) : null) ??
    (atomAlt ? httpUrl(attr(atomAlt, 'href'), base) : null) ??
    (about ? httpUrl(about, null) : null);

  const description = one('description');
  const encoded = ext(NS.content, 'encoded', 'content')[0];
  const pubDate = one('pubdate') ?? ext(NS.dc, 'date', 'dc')[0] ?? ext(NS.atom, 'published', 'atom')[0];
  const updated = ext(NS.atom, 'updated', 'atom')[0];
  const langEl = ext(NS.dc, 'language', 'dc')[0];
  const creators = ext(NS.dc, 'creator', 'dc').map((e) => plainText(textOf(e))).filter(Boolean);
  const authorEl = one('author');

  return finishItem({
    guid: guidText || about,
    title: title ? plainText(textOf(title)) : '',
    link,
    summaryHtml: description ? htmlOf(description) : null,
    contentHtml: encoded ? htmlOf(encoded) : null,
    published: pubDate ? parseFeedDate(textOf(pubDate)) : null,
    updated: updated ? parseFeedDate(textOf(updated)) : null,
    language: normalizeLanguage(attr(el, 'xml:lang') ?? (langEl ? textOf(langEl) : null)) ?? feed.language,
    categories: [...kids.filter((e) => isCore(e, 'category', core)), ...ext(NS.dc, 'subject', 'dc')].map((e) => textOf(e)),
    author: creators.length ? creators.join(', ') : authorEl ? rssAuthor(textOf(authorEl)) : null,
    image: rssImage(kids, base),
    baseUrl: explicitBase(encoded ?? el, url) ?? link ?? feed.link ?? url,
  });
}

/** RSS <author> is "email (Name)" by the spec; the name is what a reader wants. */
function rssAuthor(raw: string): string | null {
  const text = plainText(raw);
  const m = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  return (m ? m[1]!.trim() : text) || null;
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|avif)(\?|#|$)/i;

/** The story's picture from enclosures and Media RSS (also inside <media:group>). */
function rssImage(kids: Element[], base: string): ParsedItem['image'] {
  const media = (name: string) => {
    const found: Element[] = [];
    for (const e of kids) {
      if (isExt(e, NS.media, name, 'media')) found.push(e);
      else if (isExt(e, NS.media, 'group', 'media')) found.push(...elements(e).filter((g) => isExt(g, NS.media, name, 'media')));
    }
    return found;
  };
  const isImage = (e: Element, urlAttr: string) => {
    const type = attr(e, 'type')?.toLowerCase();
    const medium = attr(e, 'medium')?.toLowerCase();
    if (type) return type.startsWith('image/');
    if (medium) return medium === 'image';
    return IMAGE_EXT.test(attr(e, urlAttr) ?? '');
  };
  const candidates: Array<{ url: string | null | undefined; alt: string | null }> = [
    ...kids.filter((e) => isCore(e, 'enclosure', CORE_NS.rss) && isImage(e, 'url')).map((e) => ({ url: attr(e, 'url'), alt: null })),
    ...kids.filter((e) => isExt(e, NS.atom, 'link', 'atom') && attr(e, 'rel') === 'enclosure' && isImage(e, 'href')).map((e) => ({ url: attr(e, 'href'), alt: null })),
    ...media('content').filter((e) => isImage(e, 'url')).map((e) => ({ url: attr(e, 'url'), alt: mediaAlt(e) })),
    ...media('thumbnail').map((e) => ({ url: attr(e, 'url'), alt: null })),
  ];
  return firstImage(candidates, base);
}

function mediaAlt(el: Element): string | null {
  const d = elements(el).find((e) => isExt(e, NS.media, 'description', 'media') || isExt(e, NS.media, 'title', 'media'));
  return d ? cap(plainText(textOf(d)), MAX_ALT) || null : null;
}

function firstImage(candidates: Array<{ url: string | null | undefined; alt: string | null }>, base: string): ParsedItem['image'] {
  for (const c of candidates) {
    const url = httpUrl(c.url, base);
    if (url) return { url, alt: c.alt };
  }
  return null;
}

function atomFeedInfo(root: Element, url: string): FeedInfo {
  const core = CORE_NS.atom;
  const kids = elements(root);
  const title = kids.find((e) => isCore(e, 'title', core));
  return {
    title: title ? cap(atomText(title), MAX_TITLE) || null : null,
    link: atomLink(kids, url),
    language: normalizeLanguage(inheritedLang(root)),
    author: atomAuthors(kids),
  };
}

function atomItem(el: Element, feed: FeedInfo, url: string): ParsedItem | null {
  const core = CORE_NS.atom;
  const kids = elements(el);
  const one = (name: string) => kids.find((e) => isCore(e, name, core));
  const id = one('id');
  const title = one('title');
  const summary = one('summary');
  const content = one('content');
  const published = one('published') ?? one('issued') ?? one('created');
  const updated = one('updated') ?? one('modified');
  const link = atomLink(kids, url);
  const source = one('source');
  const langEl = kids.find((e) => isExt(e, NS.dc, 'language', 'dc'));
  const base = baseOf(el, url);
  const enclosures = kids
    .filter((e) => isCore(e, 'link', core) && attr(e, 'rel') === 'enclosure' && (attr(e, 'type') ?? '').toLowerCase().startsWith('image/'))
    .map((e) => ({ url: attr(e, 'href'), alt: null }));
  return finishItem({
    guid: id ? textOf(id).trim() : '',
    title: title ? atomText(title) : '',
    link,
    summaryHtml: summary ? atomHtml(summary) : null,
    contentHtml: content ? atomHtml(content) : null,
    published: parseFeedDate(textOf(published ?? updated)),
    updated: parseFeedDate(textOf(updated)),
    language: normalizeLanguage(attr(el, 'xml:lang') ?? (langEl ? textOf(langEl) : null)) ?? normalizeLanguage(inheritedLang(el)) ?? feed.language,
    categories: kids
      .filter((e) => isCore(e, 'category', core))
      .map((e) => attr(e, 'label')?.trim() || attr(e, 'term') || textOf(e)),
    author: atomAuthors(kids) ?? (source ? atomAuthors(elements(source)) : null) ?? feed.author,
    image: firstImage(enclosures, base) ?? rssImage(kids, base),
    baseUrl: explicitBase(content ?? el, url) ?? link ?? feed.link ?? url,
  });
}

/** The alternate (HTML) link among Atom <link>s: rel="alternate" or no rel, text/html preferred. */
function atomLink(kids: Element[], url: string): string | null {
  const links = kids.filter((e) => isCore(e, 'link', CORE_NS.atom) && (attr(e, 'rel') ?? 'alternate').trim() === 'alternate');
  links.sort((a, b) => Number(isHtmlType(b)) - Number(isHtmlType(a)));
  for (const l of links) {
    const href = httpUrl(attr(l, 'href'), baseOf(l, url));
    if (href) return href;
  }
  return null;
}

function isHtmlType(el: Element): boolean {
  const type = attr(el, 'type')?.toLowerCase();
  return !type || type === 'text/html' || type === 'application/xhtml+xml';
}

function atomAuthors(kids: Element[]): string | null {
  const names = kids
    .filter((e) => isCore(e, 'author', CORE_NS.atom))
    .map((a) => elements(a).find((e) => isCore(e, 'name', CORE_NS.atom)))
    .map((n) => (n ? plainText(textOf(n)) : ''))
    .filter(Boolean);
  return names.length ? names.join(', ') : null;
}

/** An Atom text construct (title) as plain text. */
function atomText(el: Element): string {
  const type = (attr(el, 'type') ?? 'text').trim().toLowerCase();
  if (type === 'html' || type === 'text/html') return plainText(textOf(el));
  return collapse(textOf(el)); // text, or xhtml: the text of its markup
}

/** An Atom text construct (summary, content) as HTML; null for out-of-line (src) or binary content. */
function atomHtml(el: Element): string | null {
  if (attr(el, 'src')) return null;
  const type = (attr(el, 'type') ?? 'text').trim().toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') {
    const div = elements(el).find((e) => localName(e) === 'div');
    return nonEmpty(serializeHtml(div ? div.children : el.children));
  }
  if (type === 'html' || type === 'text/html') return htmlOf(el);
  if (type === 'text' || type.startsWith('text/')) return textToHtml(textOf(el));
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Feed

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

function parseJsonFeed(body: string, url: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new FeedError('malformed JSON');
  }
  if (!isObject(data)) throw new FeedError('not a feed: JSON that is not an object');
  const version = data.version;
  if (typeof version !== 'string' || !/^https?:\/\/jsonfeed\.org\/version\//.test(version)) {
    throw new FeedError('not a feed: JSON without a JSON Feed version');
  }
  if (!Array.isArray(data.items)) throw new FeedError('JSON Feed without items');
  const feed: FeedInfo = {
    title: str(data.title) ? cap(plainText(str(data.title)!), MAX_TITLE) || null : null,
    link: httpUrl(str(data.home_page_url), url),
    language: normalizeLanguage(data.language),
    author: jsonAuthors(data),
  };
  const items: ParsedItem[] = [];
  for (const raw of data.items) {
    if (items.length >= MAX_ITEMS) break;
    if (!isObject(raw)) continue;
    const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : (str(raw.id)?.trim() ?? '');
    const link = httpUrl(str(raw.url), url) ?? httpUrl(str(raw.external_url), url);
    const item = finishItem({
      guid: id,
      title: str(raw.title) ? plainText(str(raw.title)!) : '',
      link,
      summaryHtml: str(raw.summary) ? textToHtml(str(raw.summary)!) : null,
      contentHtml: str(raw.content_html) ?? (str(raw.content_text) ? textToHtml(str(raw.content_text)!) : null),
      published: parseFeedDate(str(raw.date_published)),
      updated: parseFeedDate(str(raw.date_modified)),
      language: normalizeLanguage(raw.language) ?? feed.language,
      categories: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [],
      author: jsonAuthors(raw) ?? feed.author,
      image: firstImage([{ url: str(raw.image), alt: null }, { url: str(raw.banner_image), alt: null }], url),
      baseUrl: link ?? feed.link ?? url,
    });
    if (item) items.push(item);
  }
  return { format: 'json', title: feed.title, link: feed.link, language: feed.language, items, truncated: false };
}

/** JSON Feed 1.1 `authors`, else 1.0 `author`. */
function jsonAuthors(o: Json): string | null {
  const list = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : [];
  const names = list.map((a) => (isObject(a) && str(a.name) ? plainText(str(a.name)!) : '')).filter(Boolean);
  return names.length ? cap(names.join(', '), MAX_AUTHOR) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// The parts every format shares

/** Applies the caps and the guid fallback; null for an item with nothing to show. */
function finishItem(item: ParsedItem): ParsedItem | null {
  const title = cap(item.title, MAX_TITLE);
  const summaryHtml = nonEmpty(item.summaryHtml);
  const contentHtml = nonEmpty(item.contentHtml);
  if (!title && !item.link && !summaryHtml && !contentHtml) return null;
  let guid = item.guid.trim() || item.link || '';
  if (!guid) {
    const date = item.published?.toISOString() ?? '';
    guid = `sha256:${sha256(title || date ? `${title}\n${date}` : `${summaryHtml ?? ''}\n${contentHtml ?? ''}`)}`;
  } else if (guid.length > MAX_GUID) {
    guid = `sha256:${sha256(guid)}`;
  }
  const author = item.author ? cap(item.author, MAX_AUTHOR) || null : null;
  return { ...item, guid, title, summaryHtml, contentHtml, author, categories: cleanCategories(item.categories) };
}

function cleanCategories(raw: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of raw) {
    const name = cap(plainText(c), MAX_CATEGORY);
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
    if (out.length >= MAX_CATEGORIES) break;
  }
  return out;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The first `max` characters (never half a surrogate pair), trimmed. */
function cap(s: string, max: number): string {
  let out = s.length > max ? s.slice(0, max) : s;
  if (out.length === max && /[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out.trim();
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function nonEmpty(s: string | null | undefined): string | null {
  return s && s.trim() ? s.trim() : null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text as HTML: paragraphs at blank lines, line breaks kept. */
function textToHtml(text: string): string | null {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paragraphs.length) return null;
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/[ \t]*\n[ \t]*/g, '<br>')}</p>`).join('');
}

/** An absolute http(s) URL (resolved against `base` when given), or null. */
function httpUrl(raw: string | null | undefined, base: string | null): string | null {
  const value = raw?.trim();
  if (!value) return null;
  try {
    const url = base ? new URL(value, base) : new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password) return null;
    return url.href.length <= MAX_URL ? url.href : null;
  } catch {
    return null;
  }
}

/** The base URL at `el`: its and its ancestors' xml:base, outermost first, resolved against `start`. */
function baseOf(el: Element, start: string): string {
  return explicitBase(el, start) ?? start;
}

/** Like baseOf, but null when no xml:base applies. */
function explicitBase(el: Element, start: string): string | null {
  const chain: string[] = [];
  for (let e: Element | null = el; e; e = parentElement(e)) {
    const b = e.attribs['xml:base'];
    if (b !== undefined) chain.unshift(b);
  }
  let base: string | null = null;
  for (const b of chain) base = httpUrl(b, base ?? start) ?? base;
  return base;
}

function inheritedLang(el: Element): string | null {
  for (let e: Element | null = el; e; e = parentElement(e)) {
    const lang = e.attribs['xml:lang'];
    if (lang !== undefined) return lang;
  }
  return null;
}

/**
 * A language tag as "es", "pt-BR", "zh-Hant-TW" (lowercase language, title-case script, uppercase region),
 * dropping variants and extensions; null when it is not a language tag ("english", "").
 */
export function normalizeLanguage(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^\s*([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?(?:[-_][a-z0-9]{1,8})*\s*$/i.exec(raw);
  if (!m) return null;
  let tag = m[1]!.toLowerCase();
  if (tag === 'und' || tag === 'mul' || tag === 'zxx') return null;
  if (m[2]) tag += `-${m[2][0]!.toUpperCase()}${m[2].slice(1).toLowerCase()}`;
  if (m[3]) tag += `-${m[3].toUpperCase()}`;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Zone names of RFC 822, and a few others found in the wild; any other name is taken as UTC. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7,
  CET: 1, CEST: 2, BST: 1, EET: 2, EEST: 3, WET: 0, WEST: 1,
};
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const RFC822 = /^(?:[^\d\s,]{2,12},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?$/;

/**
 * An RFC 822/2822 date (RSS: day name optional and in any language, seconds optional, two-digit years, zone
 * names) or an RFC 3339 / ISO 8601 one (Atom, JSON Feed, and RSS feeds that use it; a missing zone is UTC, a
 * bare date is midnight UTC). Anything else, and impossible dates (31 February), are null.
 */
export function parseFeedDate(raw: string | null | undefined): Date | null {
  const s = raw?.trim();
  if (!s) return null;
  let m = RFC3339.exec(s);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = 'Z'] = m;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return build(+y!, +mo!, +d!, +h, +mi, +sec, ms, zoneOffset(zone));
  }
  m = RFC822.exec(s);
  if (m) {
    const [, d, mon, y, h, mi, sec = '0', zone = 'GMT'] = m;
    const month = MONTHS.indexOf(mon!.slice(0, 3).toLowerCase()) + 1;
    if (!month) return null;
    let year = +y!;
    if (y!.length === 2) year += year < 50 ? 2000 : 1900;
    return build(year, month, +d!, +h!, +mi!, +sec, 0, zoneOffset(zone));
  }
  return null;
}

/** Minutes east of UTC. */
function zoneOffset(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  return (ZONES[zone.toUpperCase()] ?? 0) * 60;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 24 || mi > 59 || s > 60 || Math.abs(offset) > 18 * 60) return null;
  if (h === 24 && (mi || s)) return null;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? null : date;
}

// ---------------------------------------------------------------------------------------------------------------
// Small DOM helpers (namespaces resolved through xmlns declarations, with the usual prefixes as a fallback)

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function elements(el: Element): Element[] {
  return el.children.filter(isElement);
}

function parentElement(el: Element): Element | null {
  const p = el.parent;
  return p && isElement(p as AnyNode) ? (p as Element) : null;
}

function localName(el: Element): string {
  const i = el.name.indexOf(':');
  return (i < 0 ? el.name : el.name.slice(i + 1)).toLowerCase();
}

function prefixOf(el: Element): string | null {
  const i = el.name.indexOf(':');
  return i < 0 ? null : el.name.slice(0, i);
}

/** The namespace URI a prefix (null: the default namespace) is bound to at `el`, or null when undeclared. */
function namespaceOf(el: Element, prefix: string | null): string | null {
  const key = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
  for (let e: Element | null = el; e; e = parentElement(e)) {
    const uri = e.attribs[key];
    if (uri !== undefined) return uri.trim() || null;
  }
  return null;
}

function sameNamespace(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\/$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/** An element of the feed format itself (`<item>`, `<entry>`, `<link>`), whatever prefix it is written with. */
function isCore(el: Element, name: string, namespaces: Array<string | null>): boolean {
  if (localName(el) !== name) return false;
  const ns = namespaceOf(el, prefixOf(el));
  return namespaces.some((n) => (n === null ? ns === null && prefixOf(el) === null : ns !== null && sameNamespace(ns, n)));
}

/** An element of an extension (`content:encoded`, `dc:date`, `media:content`): by namespace, else by its usual prefix. */
function isExt(el: Element, ns: string, name: string, usualPrefix: string): boolean {
  if (localName(el) !== name) return false;
  const prefix = prefixOf(el);
  if (prefix === null) return false;
  const bound = namespaceOf(el, prefix);
  return bound !== null ? sameNamespace(bound, ns) : prefix.toLowerCase() === usualPrefix;
}

function attr(el: Element, name: string): string | undefined {
  return el.attribs[name];
}

function textOf(el: Element | undefined): string {
  return el ? textContent(el) : '';
}

/**
 * The HTML an element holds: its text (escaped HTML or CDATA, the usual way), or, for feeds that put raw
 * markup in <description>, that markup serialised back.
 */
function htmlOf(el: Element): string | null {
  if (!el.children.some(isElement)) return nonEmpty(textContent(el));
  return nonEmpty(serializeHtml(el.children));
}

function serializeHtml(nodes: AnyNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += escapeHtml(n.data);
    else if (n.type === 'cdata') out += textContent(n);
    else if (isElement(n)) out += getOuterHTML(n, { xmlMode: false, encodeEntities: 'utf8' });
  }
  return out;
}
