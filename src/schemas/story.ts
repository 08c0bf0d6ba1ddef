import { z } from 'zod';
import { LocaleTagSchema, SlugSchema } from './common.ts';

/**
 * The story API contract (issue 5), shared by the server (validation, OpenAPI), `<compa-story-feed>` (types
 * only) and the mocks. A story is only ever in an answer between its publish-from and withdraw-after dates:
 * a withdrawn story is in no list, no detail, no published feed and no image response.
 */

/** Largest page of `GET /api/v1/stories`. */
export const STORIES_MAX_LIMIT = 50;
export const STORIES_DEFAULT_LIMIT = 12;

/** A partner organisation or community (filter by `slug`). */
export const StoryPartnerSchema = z.object({ slug: SlugSchema, name: z.string() });
/** A region within a country (filter by `slug`), named as the organisation writes it (e.g. "Cauca"). */
export const StoryRegionSchema = z.object({ slug: SlugSchema, name: z.string() });
/** A tag (filter by `slug`), labelled in the story's language. */
export const StoryTagSchema = z.object({ slug: SlugSchema, label: z.string() });

/** An image served by the Compa server (metadata stripped), with its size so that nothing jumps while it loads. */
export const StoryImageSchema = z.object({
  url: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** In the story's language (`lang` of the story); '' for a decorative image. */
  alt: z.string(),
});

/** One item of `GET /api/v1/stories`: the texts in the requested language, else a fallback that says so. */
export const StorySchema = z
  .object({
    /** Stable id (a slug): `GET /api/v1/stories/:id`. */
    id: SlugSchema,
    /** The language the texts are in (BCP 47), and whether it differs from the one asked for. */
    lang: z.string(),
    fallback: z.boolean(),
    /** Every language the story has a version in. */
    languages: z.array(z.string()),
    title: z.string(),
    /** Plain text. */
    excerpt: z.string(),
    /** Where the full story is: the organisation's own page, or Compa's page for the story. */
    link: z.string(),
    partner: StoryPartnerSchema.nullable(),
    /** ISO 3166-1 alpha-2 (the widget names it with `Intl.DisplayNames`). */
    country: z.string().nullable(),
    region: StoryRegionSchema.nullable(),
    tags: z.array(StoryTagSchema),
    /** ISO 8601 instant: when the story was published. */
    date: z.string(),
    /** Minutes to read the full text (200 words a minute, at least 1); null when only an excerpt is known. */
    readingMinutes: z.number().int().positive().nullable(),
    image: StoryImageSchema.nullable(),
  })
  .meta({ id: 'Story' });
export type Story = z.infer<typeof StorySchema>;

/**
 * `GET /api/v1/stories/:id`: a story with its body. `body` is sanitised HTML (no scripts, handlers, styles,
 * iframes or foreign images); third-party media are placeholders that load nothing until the reader asks:
 * `<figure data-compa-embed="https://…" data-compa-host="www.youtube-nocookie.com"><a href="…">…</a></figure>`.
 */
export const StoryDetailSchema = StorySchema.extend({ body: z.string() }).meta({ id: 'StoryDetail' });
export type StoryDetail = z.infer<typeof StoryDetailSchema>;

/** A filter value with the number of visible stories that have it (for filter chips). */
export const StoryFacetSchema = z.object({ slug: SlugSchema, label: z.string(), count: z.number().int().positive() });
export type StoryFacet = z.infer<typeof StoryFacetSchema>;

/** `GET /api/v1/stories`: newest first (then by id), cursor-paginated. */
export const StoryListSchema = z
  .object({
    stories: z.array(StorySchema),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
    /**
     * On the first page only (no `cursor`): the tags of the stories that match the other filters, most used
     * first (at most 20), labelled in the requested language where a story has it.
     */
    tags: z.array(StoryFacetSchema).optional(),
  })
  .meta({ id: 'StoryList' });
export type StoryList = z.infer<typeof StoryListSchema>;

const filter = z.string().trim().toLowerCase().pipe(SlugSchema);
const limit = z
  .string()
  .regex(/^\d+$/, 'Must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1).max(STORIES_MAX_LIMIT));

export const StoryListQuerySchema = z.strictObject({
  /** The reader's language (BCP 47); each story falls back to another of its languages when it lacks it. */
  lang: LocaleTagSchema.optional(),
  /** A region slug or a country code (`co`). */
  region: filter.optional(),
  partner: filter.optional(),
  tag: filter.optional(),
  limit: limit.optional(),
  /** From the previous page's `nextCursor`. */
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'Must be a nextCursor from a previous page').optional(),
});
export type StoryListQuery = z.infer<typeof StoryListQuerySchema>;

export const StoryParamsSchema = z.strictObject({ id: SlugSchema });
export const StoryQuerySchema = z.strictObject({ lang: LocaleTagSchema.optional() });

/** `GET /api/v1/stories/feed.xml` (RSS 2.0) and `/feed.json` (JSON Feed 1.1): the same filters, one language. */
export const StoryFeedQuerySchema = StoryListQuerySchema.omit({ cursor: true });
