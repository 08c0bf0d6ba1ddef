/**
 * The story commands of `npm run compa -- …` (see src/server/cli.ts for the list): import a story from a file
 * (with its photo, metadata stripped), list stories, withdraw one (consent withdrawn: gone from every answer at
 * once), and read the configured feeds now. They write to the same database as the server.
 */
import { auditCommand } from '../admin/command-audit.ts';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SlugSchema } from '../../schemas/common.ts';
import { readFileAs } from '../csv.ts';
import { withApp } from '../webinars/cli.ts';
import type { StoryRecord } from '../store/store.ts';
import { StoryItemSchema } from '../../schemas/admin.ts';
import { HttpError } from '../http/errors.ts';
import { allFeeds, importAllFeeds, putOwnStory, storyVisible } from './service.ts';

const Instant = z.iso.datetime({ offset: true, error: 'An ISO 8601 date and time with its offset, e.g. "2026-12-01T09:00:00-05:00"' });

/** The story file of `story-put` (README: "Publishing a story"); the same item as `compa import` and the admin API take. */
export const StoryFile = StoryItemSchema;

export async function storyPut(args: string[], usage: string): Promise<number> {
  const [file] = args;
  const f = await readFileAs(file, StoryFile, usage);
  if (typeof f === 'number') return f;
  // Read the photo before opening the database: a missing or unusable file writes nothing.
  let photo: Buffer | null = null;
  if (f.image?.file) {
    try {
      photo = await readFile(resolve(dirname(file!), f.image.file));
    } catch {
      console.error(`${file}: image.file: Cannot read ${f.image.file}`);
      return 66;
    }
  } else if (f.image?.data) photo = Buffer.from(f.image.data, 'base64');
  return withApp(async (ctx) => {
    let story: StoryRecord;
    let outcome: string;
    try {
      const own = { ...f, image: f.image ? { alt: f.image.alt } : null };
      ({ story, outcome } = await putOwnStory(ctx, own, photo, { source: 'cli', imageField: f.image?.file ? 'image.file' : 'image.data' }));
    } catch (err) {
      if (err instanceof HttpError && err.fields) {
        for (const [field, message] of Object.entries(err.fields)) console.error(`${file}: ${field}: ${message}`);
        return 65;
      }
      throw err;
    }
    await auditCommand(ctx, 'story-put', { id: f.id, outcome });
    console.log(`story "${f.id}" ${outcome === 'created' ? 'created' : 'updated'} (${status(story, ctx.now())})`);
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
    await auditCommand(ctx, 'story-withdraw', { id, at: at.toISOString() });
    if (at <= ctx.now()) {
      await ctx.store.eraseWithdrawnStories(ctx.now());
      console.log(`story "${id}" withdrawn: gone from every answer, its texts and images deleted`);
    } else console.log(`story "${id}" will be withdrawn at ${at.toISOString()} (then its texts and images are deleted)`);
    return 0;
  });
}

export async function importFeedsNow(): Promise<number> {
  return withApp(async (ctx) => {
    if (!(await allFeeds(ctx)).length) {
      console.error('no feeds configured: set COMPA_STORY_FEEDS or add one through the admin API');
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
