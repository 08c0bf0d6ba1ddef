/**
 * The story commands of `npm run compa -- …` (see src/server/cli.ts for the list): import a story from a file
 * (with its photo, metadata stripped), list stories, withdraw one (consent withdrawn: gone from every answer at
 * once), and read the configured feeds now. They write to the same database as the server.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SlugSchema } from '../../schemas/common.ts';
import { readFileAs } from '../csv.ts';
import { withApp } from '../webinars/cli.ts';
import type { StoryRecord } from '../store/store.ts';
import { excerpt, sanitizeStoryHtml } from './sanitize.ts';
import { ImageError } from './images.ts';
import { importAllFeeds, slugify, storeImage, storyVisible } from './service.ts';

const Lang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language tag such as "es" or "pt-BR"');
const Text = (max: number) => z.string().trim().min(1).max(max);
const Instant = z.iso.datetime({ offset: true, error: 'An ISO 8601 date and time with its offset, e.g. "2026-12-01T09:00:00-05:00"' });

/** The story file of `story-put` (README: "Publishing a story"). */
export const StoryFile = z
  .strictObject({
    id: SlugSchema,
    date: Instant,
    partner: Text(200).nullable().default(null),
    /** ISO 3166-1 alpha-2. */
    country: z.string().regex(/^[A-Za-z]{2}$/, 'A two-letter country code such as "CO"').nullable().default(null),
    region: Text(200).nullable().default(null),
    /** A tag's label in each language (its slug is made from the first), or one label for every language. */
    tags: z.array(z.union([Text(64), z.record(Lang, Text(64))])).max(20).default([]),
    /** A JPEG, PNG, WebP or GIF next to the file; EXIF, GPS and other metadata are removed before it is stored. */
    image: z.strictObject({ file: Text(500), alt: z.record(Lang, z.string().trim().max(500)) }).nullable().default(null),
    /** Consent window: shown from `publishFrom` until `withdrawAfter` (both optional). */
    publishFrom: Instant.nullable().default(null),
    withdrawAfter: Instant.nullable().default(null),
    texts: z
      .record(
        Lang,
        z.strictObject({
          title: Text(300),
          /** Plain text; made from the body when absent. */
          excerpt: Text(1000).optional(),
          /** HTML, sanitised (README: the allowed markup); video players become click-to-load placeholders. */
          body: z.string().max(200_000).default(''),
          /** The story on the organisation's own site, if it has a page there. */
          link: z.url({ protocol: /^https?$/, error: 'An http(s) URL' }).nullable().default(null),
        }),
      )
      .refine((t) => Object.keys(t).length > 0, 'At least one language'),
  })
  .superRefine((f, ctx) => {
    if (f.publishFrom && f.withdrawAfter && Date.parse(f.withdrawAfter) <= Date.parse(f.publishFrom)) {
      ctx.addIssue({ code: 'custom', path: ['withdrawAfter'], message: 'Must be after publishFrom' });
    }
    for (const [lang, t] of Object.entries(f.texts)) {
      if (!t.excerpt && !t.body.replace(/<[^>]*>/g, '').trim()) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'excerpt'], message: 'Required when there is no body' });
    }
    f.tags.forEach((t, i) => {
      const first = typeof t === 'string' ? t : Object.values(t)[0];
      if (!first || !slugify(first)) ctx.addIssue({ code: 'custom', path: ['tags', i], message: 'Needs letters or digits' });
    });
  });

export async function storyPut(args: string[], usage: string): Promise<number> {
  const [file] = args;
  const f = await readFileAs(file, StoryFile, usage);
  if (typeof f === 'number') return f;
  // Read the photo before opening the database: a missing or unusable file writes nothing.
  let photo: Buffer | null = null;
  if (f.image) {
    try {
      photo = await readFile(resolve(dirname(file!), f.image.file));
    } catch {
      console.error(`${file}: image.file: Cannot read ${f.image.file}`);
      return 66;
    }
  }
  return withApp(async (ctx) => {
    let image: Awaited<ReturnType<typeof storeImage>> | null = null;
    if (photo) {
      try {
        image = await storeImage(ctx, photo);
      } catch (err) {
        if (err instanceof ImageError) {
          console.error(`${file}: image.file: ${err.message}`);
          return 65;
        }
        throw err;
      }
    }
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
      source: 'cli',
      guid: f.id,
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
    const s = (await ctx.store.getStory(f.id))!;
    console.log(`story "${f.id}" ${outcome === 'created' ? 'created' : 'updated'} (${status(s, ctx.now())})`);
    return 0;
  });
}

function status(s: StoryRecord, now: Date): string {
  if (s.erased) return 'withdrawn, erased';
  if (s.withdrawAfter && s.withdrawAfter <= now) return 'withdrawn';
  if (s.publishFrom && s.publishFrom > now) return `scheduled from ${s.publishFrom.toISOString()}`;
  if (s.hidden) return 'hidden: gone from its feed';
  if (!storyVisible(s, now)) return 'not shown';
  return s.withdrawAfter ? `shown until ${s.withdrawAfter.toISOString()}` : 'shown';
}

export async function listStories(): Promise<number> {
  return withApp(async (ctx) => {
    const now = ctx.now();
    for (const s of await ctx.store.listAllStories()) {
      const langs = Object.keys(s.texts).join(',') || '-';
      const source = s.source.startsWith('feed:') ? s.source.slice(5) : s.source;
      console.log(`${s.slug}\t${s.publishedAt.toISOString().slice(0, 10)}\t${langs}\t${status(s, now)}\t${source}`);
    }
    return 0;
  });
}

export async function withdrawStory(args: string[], usage: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' } } });
  const [id] = positionals;
  if (!id || !SlugSchema.safeParse(id).success) {
    console.error(usage);
    return 64;
  }
  if (values.at !== undefined && !Instant.safeParse(values.at).success) {
    console.error(`--at: An ISO 8601 date and time with its offset, e.g. "2026-12-01T09:00:00-05:00"`);
    return 64;
  }
  return withApp(async (ctx) => {
    const at = values.at ? new Date(values.at) : ctx.now();
    if (!(await ctx.store.withdrawStory(id, at, ctx.now()))) {
      console.error(`no story "${id}"`);
      return 65;
    }
    if (at <= ctx.now()) {
      await ctx.store.eraseWithdrawnStories(ctx.now());
      console.log(`story "${id}" withdrawn: gone from every answer, its texts and images deleted`);
    } else console.log(`story "${id}" will be withdrawn at ${at.toISOString()} (then its texts and images are deleted)`);
    return 0;
  });
}

export async function importFeedsNow(): Promise<number> {
  return withApp(async (ctx) => {
    if (!ctx.config.storyFeeds.length) {
      console.error('no feeds configured: set COMPA_STORY_FEEDS');
      return 78;
    }
    let failed = 0;
    for (const r of await importAllFeeds(ctx)) {
      if (r.status === 'error') {
        failed++;
        console.log(`${r.url}: not imported: ${r.error}`);
      } else if (r.status === 'not-modified') console.log(`${r.url}: not modified`);
      else {
        console.log(
          `${r.url}: ${r.items} item(s): ${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.withdrawn} withdrawn, ${r.skipped} skipped, ${r.hidden} hidden`,
        );
      }
    }
    return failed ? 1 : 0;
  });
}
