/**
 * The organisation's content as the admin API takes it (`PUT /api/v1/admin/…`) and as files hold it (`compa import
 * FILE`, `petition-put`, `webinar-put`, `story-put`): newsletter lists, petitions, webinars, stories and story
 * feeds. One schema per kind; the API's body is the same item without its id (the id is in the path).
 */
import { z } from 'zod';
import { SlugSchema } from './common.ts';
import { LastNameModeSchema, PetitionStatusSchema, VerificationSchema } from './petition.ts';
import { RegistrationModeSchema } from './webinar.ts';

export const LangSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language tag such as "es" or "pt-BR"');
const Text = (max: number) => z.string().trim().min(1).max(max);
const HttpUrl = z.url({ protocol: /^https?$/, error: 'An http(s) URL' });
const Instant = z.iso.datetime({ offset: true, error: 'An ISO 8601 date and time with its offset, e.g. "2026-12-01T09:00:00-05:00"' });
const TimeZone = z.string().refine((tz) => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone.length > 0 && (tz.includes('/') || tz === 'UTC');
  } catch {
    return false;
  }
}, 'An IANA time zone such as "America/Bogota"');
const someLanguage = (t: Record<string, unknown>) => Object.keys(t).length > 0;

// ---------------------------------------------------------------------------------------------------------------
// Newsletter lists

const listFields = {
  texts: z
    .record(LangSchema, z.strictObject({ name: Text(200), description: z.string().trim().max(1000).default('') }))
    .refine(someLanguage, 'At least one language'),
  /** Offered by `GET /api/v1/lists` (a private list is used by petitions' "keep me informed" only). */
  isPublic: z.boolean().default(true),
  /** A closed list takes no new subscriptions. Absent: unchanged (a new list is open). */
  closed: z.boolean().optional(),
};
export const ListItemSchema = z.strictObject({ slug: SlugSchema, ...listFields });
export const ListBodySchema = z.strictObject(listFields).meta({ id: 'AdminListBody' });
export type ListItem = z.output<typeof ListItemSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Petitions (README: "Publishing a petition")

const petitionFields = {
  /** `closed` records when it closed; `open` or `draft` clears that. */
  status: PetitionStatusSchema.default('draft'),
  goal: z.number().int().positive().max(1_000_000_000),
  /** ISO 8601 with a time zone, e.g. "2026-12-15T18:00:00-05:00". */
  deadline: z.iso.datetime({ offset: true }).nullable().default(null),
  verification: VerificationSchema.default('none'),
  lastName: LastNameModeSchema.default('optional'),
  countThreshold: z.number().int().nonnegative().nullable().default(null),
  /** Slug of the newsletter list offered by "keep me informed", or null. */
  keepInformedList: SlugSchema.nullable().default(null),
  shareUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** Every language of the petition, in one request. */
  texts: z
    .record(
      LangSchema,
      z.strictObject({
        title: Text(200),
        summary: Text(1000),
        /** HTML, sanitised (README: the allowed markup). */
        body: z.string().max(50_000),
        target: Text(200),
        outcome: z.string().trim().max(2000).nullable().default(null),
      }),
    )
    .refine(someLanguage, 'At least one language'),
};
export const PetitionItemSchema = z.strictObject({ slug: SlugSchema, ...petitionFields });
export const PetitionBodySchema = z.strictObject(petitionFields).meta({ id: 'AdminPetitionBody' });
export type PetitionItem = z.output<typeof PetitionItemSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Webinars (README: "Publishing a webinar")

const webinarFields = {
  series: SlugSchema.nullable().default(null),
  status: z.enum(['draft', 'published']).default('draft'),
  heldIn: LangSchema,
  interpretation: z.array(LangSchema).max(10).default([]),
  /** ISO 8601 with an offset, e.g. "2026-12-10T10:00:00-05:00". */
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  timeZone: TimeZone,
  capacity: z.number().int().positive().max(100_000),
  mode: RegistrationModeSchema.default('open'),
  /** Secret: only ever sent to registrants with a place. */
  joinUrl: HttpUrl,
  recordingUrl: HttpUrl.nullable().default(null),
  /** Registration closed (the register route refuses). Absent: unchanged (a new webinar is open). */
  closed: z.boolean().optional(),
  questions: z
    .array(
      z.strictObject({
        id: SlugSchema,
        kind: z.enum(['text', 'choice', 'checkbox']),
        required: z.boolean().default(false),
        maxLength: z.number().int().min(1).max(2000).optional(),
        options: z.array(SlugSchema).min(2).max(20).optional(),
      }),
    )
    .max(10)
    .default([]),
  texts: z
    .record(
      LangSchema,
      z.strictObject({
        title: Text(200),
        description: Text(3000),
        speakers: z
          .array(
            z.strictObject({
              name: Text(200),
              organisation: Text(200).nullable().default(null),
              /** A path on this server ("/media/ana.jpg") or an https URL on the organisation's own site. */
              photoUrl: z
                .string()
                .regex(/^(\/[^/\\]|https:\/\/)/, 'A path on this server ("/media/ana.jpg") or an https URL')
                .max(500)
                .nullable()
                .default(null),
            }),
          )
          .max(10)
          .default([]),
        questions: z.record(SlugSchema, z.strictObject({ label: Text(300), options: z.record(SlugSchema, Text(200)).optional() })).default({}),
      }),
    )
    .refine(someLanguage, 'At least one language'),
};

type WebinarShape = z.output<z.ZodObject<typeof webinarFields>>;
function checkWebinar(f: WebinarShape, ctx: z.RefinementCtx): void {
  if (Date.parse(f.end) <= Date.parse(f.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be after start' });
  const ids = new Set<string>();
  f.questions.forEach((q, i) => {
    if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'Used twice' });
    ids.add(q.id);
    if (q.kind === 'choice' && !q.options) ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'A choice needs options' });
    if (q.kind !== 'choice' && q.options) ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'Only a choice has options' });
    if (q.kind !== 'text' && q.maxLength) ctx.addIssue({ code: 'custom', path: ['questions', i, 'maxLength'], message: 'Only a text question has a length' });
    for (const [lang, t] of Object.entries(f.texts)) {
      const label = t.questions[q.id];
      if (!label) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'questions', q.id], message: 'Missing label' });
      else for (const o of q.options ?? []) if (!label.options?.[o]) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'questions', q.id, 'options', o], message: 'Missing label' });
    }
  });
  for (const [lang, t] of Object.entries(f.texts)) {
    for (const id of Object.keys(t.questions)) if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'questions', id], message: 'No such question' });
  }
}
export const WebinarItemSchema = z.strictObject({ slug: SlugSchema, ...webinarFields }).superRefine(checkWebinar);
export const WebinarBodySchema = z.strictObject(webinarFields).superRefine(checkWebinar).meta({ id: 'AdminWebinarBody' });
export type WebinarItem = z.output<typeof WebinarItemSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Stories (README: "Publishing a story")

/** Largest photo sent inline (decoded bytes); its base64 text is a third longer. */
export const STORY_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const STORY_IMAGE_BASE64_MAX = Math.ceil(STORY_IMAGE_MAX_BYTES / 3) * 4;
const ImageData = z.base64('Base64-encoded image bytes').max(STORY_IMAGE_BASE64_MAX, `At most ${STORY_IMAGE_MAX_BYTES / 1024 / 1024} MB`);
const ImageAlt = z.record(LangSchema, z.string().trim().max(500));

/** Whether a label makes a tag slug (letters or digits once accents are dropped), as the story service slugifies. */
const sluggable = (label: string) => /[a-z0-9]/.test(label.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase());

const storyFields = {
  date: Instant,
  partner: Text(200).nullable().default(null),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Za-z]{2}$/, 'A two-letter country code such as "CO"').nullable().default(null),
  region: Text(200).nullable().default(null),
  /** A tag's label in each language (its slug is made from the first), or one label for every language. */
  tags: z.array(z.union([Text(64), z.record(LangSchema, Text(64))])).max(20).default([]),
  /** Consent window: shown from `publishFrom` until `withdrawAfter` (both optional). */
  publishFrom: Instant.nullable().default(null),
  withdrawAfter: Instant.nullable().default(null),
  texts: z
    .record(
      LangSchema,
      z.strictObject({
        title: Text(300),
        /** Plain text; made from the body when absent. */
        excerpt: Text(1000).optional(),
        /** HTML, sanitised (README: the allowed markup); video players become click-to-load placeholders. */
        body: z.string().max(200_000).default(''),
        /** The story on the organisation's own site, if it has a page there. */
        link: HttpUrl.nullable().default(null),
      }),
    )
    .refine(someLanguage, 'At least one language'),
};

type StoryShape = z.output<z.ZodObject<typeof storyFields>>;
function checkStory(f: StoryShape, ctx: z.RefinementCtx): void {
  if (f.publishFrom && f.withdrawAfter && Date.parse(f.withdrawAfter) <= Date.parse(f.publishFrom)) {
    ctx.addIssue({ code: 'custom', path: ['withdrawAfter'], message: 'Must be after publishFrom' });
  }
  for (const [lang, t] of Object.entries(f.texts)) {
    if (!t.excerpt && !t.body.replace(/<[^>]*>/g, '').trim()) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'excerpt'], message: 'Required when there is no body' });
  }
  f.tags.forEach((t, i) => {
    const first = typeof t === 'string' ? t : Object.values(t)[0];
    if (!first || !sluggable(first)) ctx.addIssue({ code: 'custom', path: ['tags', i], message: 'Needs letters or digits' });
  });
}

/**
 * In a file: the photo as a file next to it (`file`) or inline (`data`, base64). Either way a JPEG, PNG, WebP or
 * GIF, stored without its metadata (EXIF, GPS).
 */
const FileImage = z
  .strictObject({ file: Text(500).optional(), data: ImageData.optional(), alt: ImageAlt })
  .refine((i) => (i.file === undefined) !== (i.data === undefined), { message: 'Give either file or data', path: ['file'] });
/** Through the API: the photo inline, base64-encoded. */
const InlineImage = z.strictObject({ data: ImageData, alt: ImageAlt });

export const StoryItemSchema = z.strictObject({ id: SlugSchema, ...storyFields, image: FileImage.nullable().default(null) }).superRefine(checkStory);
export const StoryBodySchema = z.strictObject({ ...storyFields, image: InlineImage.nullable().default(null) }).superRefine(checkStory).meta({ id: 'AdminStoryBody' });
export type StoryItem = z.output<typeof StoryItemSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Story feeds (besides COMPA_STORY_FEEDS; the same settings)

const feedFields = {
  url: HttpUrl,
  /** The language of its items when the feed does not say. */
  lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'A language tag such as "es"').nullable().default(null),
  partner: Text(200).nullable().default(null),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'A two-letter country code such as "CO"').nullable().default(null),
  region: Text(200).nullable().default(null),
  tags: z.array(Text(64)).max(20).default([]),
  /** Stories that leave the feed: `keep` (feeds list only their latest items) or `hide`. */
  gone: z.enum(['keep', 'hide']).default('keep'),
  /** Origins besides the feed's own whose images may be copied (e.g. a WordPress media host). */
  imageOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'An origin: scheme://host[:port]')).max(20).default([]),
};
export const FeedItemSchema = z.strictObject({ id: SlugSchema, ...feedFields });
export const FeedBodySchema = z.strictObject(feedFields).meta({ id: 'AdminFeedBody' });
export type FeedItem = z.output<typeof FeedItemSchema>;

// ---------------------------------------------------------------------------------------------------------------
// `compa import FILE`

const unique = <T>(key: (item: T) => string) => (items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i], message: `"${k}" appears twice in the file` });
    seen.add(k);
  });
};

/** A file of content to create or update, in this order: feeds, lists, petitions, webinars, stories. */
export const ImportFileSchema = z.strictObject({
  feeds: z.array(FeedItemSchema).max(100).superRefine(unique((f) => f.id)).optional(),
  lists: z.array(ListItemSchema).max(200).superRefine(unique((l) => l.slug)).optional(),
  petitions: z.array(PetitionItemSchema).max(200).superRefine(unique((p) => p.slug)).optional(),
  webinars: z.array(WebinarItemSchema).max(200).superRefine(unique((w) => w.slug)).optional(),
  stories: z.array(StoryItemSchema).max(1000).superRefine(unique((s) => s.id)).optional(),
});
export type ImportFile = z.output<typeof ImportFileSchema>;
/** The export name the import command uses. */
export const ImportFile = ImportFileSchema;

// ---------------------------------------------------------------------------------------------------------------
// Answers

export const AdminTargetSchema = z.object({ slug: SlugSchema });
export const AdminIdSchema = z.object({ id: SlugSchema });
export const DayCountSchema = z.object({ date: z.string(), count: z.number().int() });

export const AdminListSchema = z
  .object({ slug: z.string(), texts: z.record(z.string(), z.object({ name: z.string(), description: z.string() })), isPublic: z.boolean(), closedAt: z.string().nullable() });
export const AdminPetitionSummarySchema = z
  .object({
    slug: z.string(),
    status: z.enum(['draft', 'open', 'closed']),
    /** `closed` also when the deadline has passed. */
    effectiveStatus: z.enum(['draft', 'open', 'closed']),
    closedAt: z.string().nullable(),
    deadline: z.string().nullable(),
    count: z.number().int(),
    goal: z.number().int(),
    languages: z.array(z.string()),
  });
export const AdminWebinarSummarySchema = z
  .object({
    slug: z.string(),
    series: z.string().nullable(),
    status: z.enum(['draft', 'published']),
    mode: z.enum(['open', 'approval']),
    start: z.string(),
    end: z.string(),
    capacity: z.number().int(),
    closedAt: z.string().nullable(),
    registrations: z.record(z.string(), z.number().int()),
    languages: z.array(z.string()),
  });
export const AdminRegistrationSchema = z
  .object({
    id: z.number().int(),
    status: z.string(),
    name: z.string(),
    email: z.string(),
    locale: z.string(),
    registeredAt: z.string(),
    answers: z.record(z.string(), z.union([z.string(), z.boolean()])),
  });
export const AdminStorySummarySchema = z
  .object({ id: z.string(), date: z.string(), languages: z.array(z.string()), status: z.string(), source: z.string() });
export const AdminFeedSchema = z
  .object({
    id: z.string(),
    /** `config`: from COMPA_STORY_FEEDS (change it there); `api`: added through this API. */
    source: z.enum(['config', 'api']),
    url: z.string(),
    lang: z.string().nullable(),
    partner: z.string().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    tags: z.array(z.string()),
    gone: z.enum(['keep', 'hide']),
    imageOrigins: z.array(z.string()),
    checkedAt: z.string().nullable(),
    okAt: z.string().nullable(),
    lastError: z.string().nullable(),
    items: z.number().int(),
  });
export const AdminAuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    tokenId: z.number().int().nullable(),
    tokenName: z.string(),
    method: z.string(),
    route: z.string(),
    target: z.record(z.string(), z.string()),
    status: z.number().int(),
  });
export const AdminAuditPageSchema = z.object({ entries: z.array(AdminAuditEntrySchema), nextBefore: z.number().int().nullable() });
export const AdminAuditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** `nextBefore` of the previous page. */
  before: z.coerce.number().int().positive().optional(),
});
export const PutResultSchema = z.object({ outcome: z.enum(['created', 'updated']) });
export const ClosedStateSchema = z.object({ closedAt: z.string().nullable() });
export const StatsSchema = z.object({
  total: z.number().int(),
  /** Rows by status (lists: confirmed/pending/unsubscribed; webinars: registered/waitlisted/pending/declined/cancelled). */
  byStatus: z.record(z.string(), z.number().int()).optional(),
  /** Per day (UTC) of the row's creation, oldest first; days without any are left out. */
  perDay: z.array(z.object({ date: z.string(), count: z.number().int(), byStatus: z.record(z.string(), z.number().int()).optional() })),
});
