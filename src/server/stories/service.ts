/**
 * Stories: their public face (one language per item, with a fallback that says so), cursor pagination, stored
 * images, and the import of the organisation's feeds (RSS 2.0, Atom, JSON Feed) into the one store.
 *
 * The people in these stories may be at risk: a story is only ever in an answer inside its consent window, its
 * HTML is sanitised here (no scripts, handlers, frames, tracking pixels; third-party media become click-to-load
 * placeholders), and its images are copied from the organisation's own origin, stripped of EXIF/GPS, and served
 * by this server (a reader's browser never asks another host for anything).
 */
import { createHash } from 'node:crypto';
import type { Story, StoryDetail } from '../../schemas/story.ts';
import type { CompaContext } from '../context.ts';
import type { StoryFeedConfig } from '../config.ts';
import type { PutStoryOutcome, StoryRecord, StoryTagRecord, StoryText } from '../store/store.ts';
import { pickLanguage } from '../i18n.ts';
import { parseFeed, type ParsedItem } from './feed-parse.ts';
import { excerpt, plainText, sanitizeStoryHtml, storyImageUrls } from './sanitize.ts';
import { ImageError, processImage } from './images.ts';
import { fetchLimited } from './fetch.ts';
import type { StoryItem } from '../../schemas/admin.ts';
import { HttpError } from '../http/errors.ts';
import { adminStore } from '../store/admin-store.ts';

/** Reading speed for `readingMinutes`. */
export const WORDS_PER_MINUTE = 200;
/** Largest image copied from a feed or a story file. */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** Images copied per story at most (cover and body). */
const IMAGES_PER_STORY = 20;
const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };

/** Lower-case ASCII words joined by hyphens ("Bajo Atrato — Chocó" → "bajo-atrato-choco"), at most `max` long. */
export function slugify(text: string, max = 64): string {
  const s = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '');
}

/** A feed story's public id: its title's words plus a short hash of its feed and GUID (stable, unique). */
export function feedStorySlug(title: string, source: string, guid: string): string {
  const hash = createHash('sha256').update(`${source}\n${guid}`).digest('hex').slice(0, 8);
  return `${slugify(title, 48) || 'story'}-${hash}`;
}

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The public URL of a stored image. */
export const mediaUrl = (ctx: CompaContext, id: string, contentType: string): string =>
  `${ctx.config.publicUrl}/media/stories/${id}.${EXT[contentType] ?? 'img'}`;

/** Compa's own page of a story (for stories without a page on the organisation's site). */
export const storyPageUrl = (ctx: CompaContext, slug: string, lang: string): string =>
  `${ctx.config.publicUrl}/stories/${slug}?lang=${encodeURIComponent(lang)}`;

/** Whether a story may be shown now: inside its consent window, not hidden, not erased. */
export function storyVisible(s: StoryRecord, now: Date): boolean {
  return (
    !s.erased &&
    !s.hidden &&
    Object.keys(s.texts).length > 0 &&
    (!s.publishFrom || s.publishFrom <= now) &&
    (!s.withdrawAfter || s.withdrawAfter > now)
  );
}

/** The texts of a story for a requested language tag (see `pickLanguage`). */
export function storyText(s: StoryRecord, tag: string | undefined): { lang: string; fallback: boolean; text: StoryText } {
  const { locale, fallback } = pickLanguage(Object.keys(s.texts), tag);
  return { lang: locale, fallback, text: s.texts[locale]! };
}

/** A tag's label in `lang` (or its primary language), else in English, else in any language it has. */
export const tagLabel = (t: Pick<StoryTagRecord, 'slug' | 'labels'>, lang: string): string =>
  t.labels[lang] ?? t.labels[lang.split('-')[0]!.toLowerCase()] ?? t.labels.en ?? Object.values(t.labels)[0] ?? t.slug;

/** The public face of a story (`GET /api/v1/stories` items). */
export function publicStory(ctx: CompaContext, s: StoryRecord, tag: string | undefined): Story {
  const { lang, fallback, text } = storyText(s, tag);
  return {
    id: s.slug,
    lang,
    fallback,
    languages: Object.keys(s.texts).sort(),
    title: text.title,
    excerpt: text.excerpt,
    link: text.link ?? storyPageUrl(ctx, s.slug, lang),
    partner: s.partner,
    country: s.country,
    region: s.region,
    tags: s.tags.map((t) => ({ slug: t.slug, label: tagLabel(t, lang) })),
    date: s.publishedAt.toISOString(),
    readingMinutes: text.words > 0 ? Math.max(1, Math.ceil(text.words / WORDS_PER_MINUTE)) : null,
    image: s.image
      ? {
          url: mediaUrl(ctx, s.image.id, s.image.contentType),
          width: s.image.width,
          height: s.image.height,
          alt: s.image.alt[lang] ?? Object.values(s.image.alt)[0] ?? '',
        }
      : null,
  };
}

export function publicStoryDetail(ctx: CompaContext, s: StoryRecord, tag: string | undefined): StoryDetail {
  const { text } = storyText(s, tag);
  return { ...publicStory(ctx, s, tag), body: text.body };
}

/** Opaque page cursors: the last item's date and id (the order is date, then id, both descending). */
export function encodeCursor(s: { publishedAt: Date; id: number }): string {
  return Buffer.from(`${s.publishedAt.getTime()}.${s.id}`).toString('base64url');
}
export function decodeCursor(cursor: string): { publishedAt: Date; id: number } | null {
  const m = /^(-?\d{1,15})\.(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const t = Number(m[1]);
  return Number.isSafeInteger(t) ? { publishedAt: new Date(t), id: Number(m[2]) } : null;
}

/**
 * Stores an image after stripping its metadata (EXIF, GPS, XMP, IPTC, comments); the same image is stored once.
 * Throws `ImageError` for what is not a JPEG, PNG, WebP or GIF (SVG included: it can hold script).
 */
export async function storeImage(ctx: CompaContext, bytes: Buffer): Promise<{ id: string; contentType: string; width: number; height: number }> {
  const img = processImage(bytes);
  const id = createHash('sha256').update(img.bytes).digest('hex').slice(0, 32);
  await ctx.store.putStoryMedia({ id, contentType: img.contentType, width: img.width, height: img.height, bytes: img.bytes }, ctx.now());
  return { id, contentType: img.contentType, width: img.width, height: img.height };
}

export interface FeedImportResult {
  url: string;
  status: 'ok' | 'not-modified' | 'error';
  error?: string;
  items: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Items whose story was withdrawn: they stay gone. */
  withdrawn: number;
  /** Items skipped (no title and no text, or a broken item). */
  skipped: number;
  /** Stories hidden because they left the feed (`gone: "hide"`). */
  hidden: number;
}

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * Reads one configured feed (conditionally: an unchanged feed costs one 304) and applies it: new items become
 * stories, changed items update theirs, unchanged items are not rewritten, withdrawn stories stay withdrawn.
 * Never throws: a feed that fails (timeout, too big, malformed) is reported and its stories are left as they are.
 */
export async function importFeed(ctx: CompaContext, feed: StoryFeedConfig): Promise<FeedImportResult> {
  const { config, store } = ctx;
  const result: FeedImportResult = { url: feed.url, status: 'ok', items: 0, created: 0, updated: 0, unchanged: 0, withdrawn: 0, skipped: 0, hidden: 0 };
  const state = (await store.getStoryFeed(feed.url)) ?? {
    url: feed.url,
    etag: null,
    lastModified: null,
    checkedAt: null,
    okAt: null,
    lastError: null,
    items: 0,
  };
  const limits = { timeoutMs: config.storyFeedTimeoutSeconds * 1000, maxBytes: config.storyFeedMaxBytes };
  const fetched = await fetchLimited(feed.url, limits, state, {
    accept: 'application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
  });
  state.checkedAt = ctx.now();
  if (fetched.status === 'not-modified') {
    result.status = 'not-modified';
    state.lastError = null;
    state.okAt = ctx.now();
    await store.saveStoryFeed(state);
    return result;
  }
  let items: ParsedItem[];
  let feedLanguage: string | null;
  let feedLink: string | null;
  let truncated = false;
  try {
    if (fetched.status === 'error') throw new Error(fetched.reason);
    const parsed = parseFeed(fetched.body.toString('utf8'), { contentType: fetched.contentType, url: fetched.url });
    items = parsed.items;
    feedLanguage = parsed.language;
    feedLink = parsed.link;
    truncated = parsed.truncated;
  } catch (err) {
    result.status = 'error';
    result.error = err instanceof Error ? err.message : String(err);
    state.lastError = result.error.slice(0, 500);
    await store.saveStoryFeed(state);
    return result;
  }

  const source = `feed:${feed.url}`;
  const origins = new Set([new URL(feed.url).origin, ...feed.imageOrigins]);
  const images = new Map<string, string | null>(); // URL → served URL (null: could not be copied)
  const copy = async (url: string): Promise<string | null> => {
    if (images.has(url)) return images.get(url)!;
    let served: string | null = null;
    if (origins.has(new URL(url).origin)) {
      const got = await fetchLimited(url, { timeoutMs: limits.timeoutMs, maxBytes: IMAGE_MAX_BYTES }, undefined, { sameOrigin: true, accept: 'image/*' });
      if (got.status === 'ok') {
        try {
          const img = await storeImage(ctx, got.body);
          served = mediaUrl(ctx, img.id, img.contentType);
        } catch {
          served = null; // not an image we keep (SVG, corrupt, too large): dropped
        }
      }
    }
    images.set(url, served);
    return served;
  };
  const mediaIdOf = (served: string) => /\/media\/stories\/([0-9a-f]{32})\./.exec(served)![1]!;

  result.items = items.length;
  const guids: string[] = [];
  for (const item of items) {
    if (guids.includes(item.guid)) continue; // the same GUID twice in one feed: its first item counts
    guids.push(item.guid);
    try {
      const lang = (feed.lang ?? item.language ?? feedLanguage ?? 'en').trim();
      const langTag = LANG.test(lang.toLowerCase().split('-')[0]!) ? lang : 'en';
      const base = item.baseUrl ?? item.link ?? feedLink ?? feed.url;
      const content = item.contentHtml ?? item.summaryHtml ?? '';
      const hash = sha({ item: { ...item, published: item.published?.toISOString(), updated: item.updated?.toISOString() }, feed });
      // Cheap path first: an unchanged item is not re-sanitised, its images not fetched again, and a withdrawn
      // story stays withdrawn whatever its feed says.
      const known = await store.findStory(source, item.guid);
      if (known && (known.erased || (known.withdrawAfter && known.withdrawAfter <= ctx.now()))) {
        result.withdrawn++;
        continue;
      }
      if (known && known.contentHash === hash) {
        result.unchanged++; // (shown again below if it had left its feed)
        continue;
      }
      const bodyImages = storyImageUrls(content, base);
      const imageUrls = [...(item.image ? [item.image.url] : []), ...bodyImages].slice(0, IMAGES_PER_STORY);
      for (const url of imageUrls) await copy(url);
      const body = sanitizeStoryHtml(content, { baseUrl: base, image: (url) => images.get(url) ?? null });
      const summaryText = item.summaryHtml ? plainText(item.summaryHtml) : '';
      const title = item.title || excerpt(summaryText || body.text, 80);
      if (!title) {
        result.skipped++;
        continue;
      }
      const coverUrl = item.image ? images.get(item.image.url) : bodyImages.map((u) => images.get(u)).find(Boolean);
      const mediaIds = [...new Set([...images.entries()].filter(([u, v]) => v && imageUrls.includes(u)).map(([, v]) => mediaIdOf(v!)))];
      const tagNames = [...new Set([...feed.tags, ...item.categories])].slice(0, 20);
      const outcome = await putFeedStory(ctx, {
        source,
        guid: item.guid,
        hash,
        lang: langTag,
        text: {
          title,
          excerpt: excerpt(summaryText || body.text),
          body: item.contentHtml ? body.html : '',
          link: item.link,
          words: item.contentHtml ? body.words : 0,
        },
        tags: tagNames
          .map((name) => ({ slug: slugify(name), labels: { [langTag]: name.trim().slice(0, 64) } }))
          .filter((t) => t.slug),
        feed,
        publishedAt: item.published ?? item.updated ?? ctx.now(),
        cover: coverUrl ? { id: mediaIdOf(coverUrl), alt: item.image ? (item.image.alt ?? '') : altIn(body.html, coverUrl) } : null,
        mediaIds,
      });
      result[outcome]++;
    } catch {
      result.skipped++; // one broken item does not stop the feed
    }
  }
  // A feed cut off in transit lists only some of its items: the others have not left it.
  if (!truncated) result.hidden = await store.setFeedPresence(source, guids, feed.gone === 'hide', ctx.now());
  state.etag = fetched.etag;
  state.lastModified = fetched.lastModified;
  state.okAt = ctx.now();
  state.lastError = null;
  state.items = items.length;
  await store.saveStoryFeed(state);
  return result;
}

/** The alt text of the image at `src` in sanitised HTML (attributes double-quoted and escaped by the sanitiser). */
function altIn(html: string, src: string): string {
  const tag = html.match(/<img\b[^>]*>/g)?.find((t) => t.includes(`src="${src}"`));
  const alt = tag ? /\balt="([^"]*)"/.exec(tag)?.[1] : undefined;
  return alt ? plainText(alt) : '';
}

async function putFeedStory(
  ctx: CompaContext,
  s: {
    source: string;
    guid: string;
    hash: string;
    lang: string;
    text: StoryText;
    tags: StoryTagRecord[];
    feed: StoryFeedConfig;
    publishedAt: Date;
    cover: { id: string; alt: string } | null;
    mediaIds: string[];
  },
): Promise<PutStoryOutcome> {
  const { outcome } = await ctx.store.putStory({
    slug: feedStorySlug(s.text.title, s.source, s.guid),
    source: s.source,
    guid: s.guid,
    texts: { [s.lang]: s.text },
    partner: s.feed.partner ? { slug: slugify(s.feed.partner) || 'partner', name: s.feed.partner } : null,
    country: s.feed.country,
    region: s.feed.region ? { slug: slugify(s.feed.region) || 'region', name: s.feed.region } : null,
    tags: s.tags.filter((t, i, all) => all.findIndex((u) => u.slug === t.slug) === i),
    publishedAt: s.publishedAt,
    imageId: s.cover?.id ?? null,
    imageAlt: s.cover ? { [s.lang]: s.cover.alt } : {},
    publishFrom: null,
    withdrawAfter: null,
    mediaIds: s.mediaIds,
    contentHash: s.hash,
    restoreWithdrawn: false,
    now: ctx.now(),
  });
  return outcome;
}

/** The feeds to import: those of COMPA_STORY_FEEDS, then those added through the admin API (a URL counts once). */
export async function allFeeds(ctx: CompaContext): Promise<StoryFeedConfig[]> {
  const feeds = [...ctx.config.storyFeeds];
  const urls = new Set(feeds.map((f) => f.url));
  for (const f of await adminStore(ctx.store).listFeedSources()) {
    if (urls.has(f.url)) continue;
    urls.add(f.url);
    feeds.push({ lang: null, partner: null, country: null, region: null, tags: [], gone: 'keep', imageOrigins: [], ...f.settings, url: f.url });
  }
  return feeds;
}

/** Imports every feed (configured, then added through the admin API), one after the other. */
export async function importAllFeeds(ctx: CompaContext): Promise<FeedImportResult[]> {
  const results: FeedImportResult[] = [];
  for (const feed of await allFeeds(ctx)) results.push(await importFeed(ctx, feed));
  return results;
}

/** A story of the organisation's own (`story-put`, `compa import`, the admin API): its fields and its photo's bytes. */
export type OwnStory = Omit<StoryItem, 'image'> & { image: { alt: Record<string, string> } | null };

/**
 * What the schema can't see in an own story: its photo must be an image we keep (JPEG, PNG, WebP, GIF) and its id
 * must not be a feed's story. Returns the bad fields, the photo's under `imageField`.
 */
export async function checkOwnStory(ctx: CompaContext, f: OwnStory, photo: Buffer | null, imageField = 'image'): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  if (photo) {
    try {
      processImage(photo);
    } catch (err) {
      if (!(err instanceof ImageError)) throw err;
      fields[imageField] = err.message;
    }
  }
  const known = await ctx.store.getStory(f.id);
  if (known?.source.startsWith('feed:')) fields.id = `A story of the feed ${known.source.slice(5)} has this id: choose another`;
  return fields;
}

/**
 * Creates an own story, or updates the one with the same id (a withdrawn one is published again). Its photo is
 * stored without its metadata. Throws HttpError 400 naming the field when a check fails (nothing written).
 */
export async function putOwnStory(
  ctx: CompaContext,
  f: OwnStory,
  photo: Buffer | null,
  opts: { source: 'cli' | 'api'; imageField?: string },
): Promise<{ outcome: PutStoryOutcome; story: StoryRecord }> {
  const fields = await checkOwnStory(ctx, f, photo, opts.imageField);
  if (Object.keys(fields).length) throw new HttpError(400, 'invalid_body', 'The story has invalid fields', { fields });
  const known = await ctx.store.getStory(f.id);
  const image = photo ? await storeImage(ctx, photo) : null;
  const texts = Object.fromEntries(
    Object.entries(f.texts).map(([lang, t]) => {
      const body = sanitizeStoryHtml(t.body, { baseUrl: t.link ?? `${ctx.config.publicUrl}/` });
      return [lang, { title: t.title, excerpt: t.excerpt ?? excerpt(body.text), body: body.html, link: t.link, words: body.words }];
    }),
  );
  const langs = Object.keys(f.texts);
  const tags = f.tags.map((t) => {
    const labels = typeof t === 'string' ? Object.fromEntries(langs.map((l) => [l, t])) : t;
    return { slug: slugify(Object.values(labels)[0]!), labels };
  });
  const { outcome } = await ctx.store.putStory({
    slug: f.id,
    // An own story keeps the source it was first stored with (the command's or the API's).
    source: known?.source ?? opts.source,
    guid: known?.guid ?? f.id,
    texts,
    partner: f.partner ? { slug: slugify(f.partner) || 'partner', name: f.partner } : null,
    country: f.country?.toUpperCase() ?? null,
    region: f.region ? { slug: slugify(f.region) || 'region', name: f.region } : null,
    tags: tags.filter((t, i) => tags.findIndex((u) => u.slug === t.slug) === i),
    publishedAt: new Date(f.date),
    imageId: image?.id ?? null,
    imageAlt: f.image?.alt ?? {},
    publishFrom: f.publishFrom ? new Date(f.publishFrom) : null,
    withdrawAfter: f.withdrawAfter ? new Date(f.withdrawAfter) : null,
    mediaIds: image ? [image.id] : [],
    contentHash: createHash('sha256').update(JSON.stringify([f, image?.id])).digest('hex'),
    restoreWithdrawn: true,
    now: ctx.now(),
  });
  return { outcome, story: (await ctx.store.getStory(f.id))! };
}
