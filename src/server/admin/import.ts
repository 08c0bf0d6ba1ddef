/**
 * `compa import FILE`: the organisation's content kept in one JSON file (README: "Keeping content in files"), applied
 * item by item with the same code as the admin API. The whole file is checked first (its shape, then what only the
 * database can tell: a "keep me informed" list that exists, a photo that is an image…) and every mistake is named
 * by its path (`petitions[1].texts.es.title`); when there is any, nothing is written. Then every item is written in
 * one transaction: all of them, or none.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { ImportFileSchema, type ImportFile } from '../../schemas/admin.ts';
import type { CompaContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { adminStore } from '../store/admin-store.ts';
import { checkPetition, putPetition } from '../petitions/admin.ts';
import { checkWebinar, putWebinar } from '../webinars/admin.ts';
import { checkOwnStory, putOwnStory, type OwnStory } from '../stories/service.ts';
import { configFeedId, putFeed } from './feeds.ts';
import { putList } from './lists.ts';

export interface ImportError {
  /** Where in the file: `petitions[1].texts.es.title`. */
  path: string;
  message: string;
}

export interface ImportApplied {
  kind: 'feed' | 'list' | 'petition' | 'webinar' | 'story';
  id: string;
  outcome: string;
}

export type ImportResult = { ok: true; applied: ImportApplied[] } | { ok: false; errors: ImportError[] };

/** A path as a reader of the file writes it: `petitions[1].texts.es.title`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(file)';
}

function zodErrors(error: z.ZodError): ImportError[] {
  const out: ImportError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: 'Unknown field' });
      continue;
    }
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : issue.message;
    out.push({ path: formatPath(issue.path), message });
  }
  return out;
}

/** `fields` of a service's check (dotted paths inside the item) under the item's path. */
const under = (prefix: string, fields: Record<string, string>): ImportError[] =>
  Object.entries(fields).map(([field, message]) => ({ path: `${prefix}.${field.replace(/\.(\d+)(?=\.|$)/g, '[$1]')}`, message }));

type StoryPhotos = Map<number, Buffer | null>;

/** Checks everything the schema can't see; reads the stories' photo files. Writes nothing. */
async function check(ctx: CompaContext, f: ImportFile, baseDir: string, photos: StoryPhotos): Promise<ImportError[]> {
  const errors: ImportError[] = [];
  const admin = adminStore(ctx.store);
  const configured = ctx.config.storyFeeds;
  for (const [i, feed] of (f.feeds ?? []).entries()) {
    if (configured.some((c) => configFeedId(c.url) === feed.id)) errors.push({ path: `feeds[${i}].id`, message: 'A feed of COMPA_STORY_FEEDS has this id: change it there' });
    if (configured.some((c) => c.url === feed.url)) errors.push({ path: `feeds[${i}].url`, message: 'A feed of COMPA_STORY_FEEDS has this URL: change it there' });
    const other = await admin.feedSourceByUrl(feed.url);
    if (other && other.id !== feed.id) {
      errors.push({ path: `feeds[${i}].url`, message: `The feed "${other.id}" has this URL already` });
    }
  }
  const listsInFile = new Set((f.lists ?? []).map((l) => l.slug));
  for (const [i, p] of (f.petitions ?? []).entries()) errors.push(...under(`petitions[${i}]`, await checkPetition(ctx, p, listsInFile)));
  for (const [i, w] of (f.webinars ?? []).entries()) errors.push(...under(`webinars[${i}]`, checkWebinar(ctx, w)));
  for (const [i, s] of (f.stories ?? []).entries()) {
    let photo: Buffer | null = null;
    if (s.image?.file) {
      try {
        photo = await readFile(resolve(baseDir, s.image.file));
      } catch {
        errors.push({ path: `stories[${i}].image.file`, message: `Cannot read ${s.image.file}` });
      }
    } else if (s.image?.data) photo = Buffer.from(s.image.data, 'base64');
    photos.set(i, photo);
    const field = s.image?.file ? 'image.file' : 'image.data';
    errors.push(...under(`stories[${i}]`, await checkOwnStory(ctx, ownStory(s), photo, field)));
  }
  return errors;
}

const ownStory = (s: NonNullable<ImportFile['stories']>[number]): OwnStory => ({ ...s, image: s.image ? { alt: s.image.alt } : null });

/**
 * Applies an import file (the parsed JSON, not yet checked). Photo files are read relative to `baseDir`. Either
 * every item is written, or nothing and every mistake is returned.
 */
export async function importFile(ctx: CompaContext, file: unknown, baseDir: string): Promise<ImportResult> {
  const parsed = ImportFileSchema.safeParse(file);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const f = parsed.data;
  const photos: StoryPhotos = new Map();
  const errors = await check(ctx, f, baseDir, photos);
  if (errors.length) return { ok: false, errors };

  let failed: ImportError[] | null = null;
  try {
    const applied = await ctx.store.transaction(async (tx) => {
      const c: CompaContext = { ...ctx, store: tx };
      const out: ImportApplied[] = [];
      // In this order: a petition may name a list of the same file.
      let section = '';
      let index = 0;
      try {
        section = 'feeds';
        for (const [i, item] of (f.feeds ?? []).entries()) {
          index = i;
          out.push({ kind: 'feed', id: item.id, outcome: (await putFeed(c, item)).outcome });
        }
        section = 'lists';
        for (const [i, item] of (f.lists ?? []).entries()) {
          index = i;
          out.push({ kind: 'list', id: item.slug, outcome: (await putList(c, item)).outcome });
        }
        section = 'petitions';
        for (const [i, item] of (f.petitions ?? []).entries()) {
          index = i;
          out.push({ kind: 'petition', id: item.slug, outcome: (await putPetition(c, item)).outcome });
        }
        section = 'webinars';
        for (const [i, item] of (f.webinars ?? []).entries()) {
          index = i;
          out.push({ kind: 'webinar', id: item.slug, outcome: (await putWebinar(c, item)).outcome });
        }
        section = 'stories';
        for (const [i, item] of (f.stories ?? []).entries()) {
          index = i;
          const field = item.image?.file ? 'image.file' : 'image.data';
          const r = await putOwnStory(c, ownStory(item), photos.get(i) ?? null, { source: 'cli', imageField: field });
          out.push({ kind: 'story', id: item.id, outcome: r.outcome });
        }
      } catch (err) {
        if (err instanceof HttpError && err.statusCode < 500) {
          failed = err.fields ? under(`${section}[${index}]`, err.fields) : [{ path: `${section}[${index}]`, message: err.message }];
        }
        throw err; // rolls every item back
      }
      return out;
    });
    return { ok: true, applied };
  } catch (err) {
    if (failed) return { ok: false, errors: failed };
    throw err;
  }
}
