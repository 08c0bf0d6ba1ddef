import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { LocaleTagSchema, SlugSchema } from './common.ts';

/** Plain text typed by a supporter: no control characters, no bidi overrides (text that displays differently from what it is). */
const SafeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'Must not contain control or text-direction characters');

/** Comments may span lines: newlines and tabs are allowed, other control characters are not. */
const SafeMultiline = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]*$/u, 'Must not contain control or text-direction characters');

export const PetitionStatusSchema = z.enum(['draft', 'open', 'closed']);
export type PetitionStatus = z.infer<typeof PetitionStatusSchema>;

/** `none`: a signature counts at once. `email`: it counts only after the emailed confirm link is used. */
export const VerificationSchema = z.enum(['none', 'email']);
export type Verification = z.infer<typeof VerificationSchema>;

/** Whether the form asks for a last name. */
export const LastNameModeSchema = z.enum(['required', 'optional', 'hidden']);

export const PetitionParamsSchema = z.strictObject({ slug: SlugSchema });
export const PetitionQuerySchema = z.strictObject({ locale: LocaleTagSchema.optional() });

/** The public face of a petition (`GET /api/v1/petitions/:slug`), in the requested language or its fallback. */
export const PetitionSchema = z
  .object({
    slug: SlugSchema,
    /** The language the texts are in. */
    locale: z.string(),
    /** True when the requested language has no translation and `locale` is the fallback. */
    fallback: z.boolean(),
    /** Every language this petition is published in. */
    locales: z.array(z.string()),
    title: z.string(),
    summary: z.string(),
    /** Rich text, sanitised on the server (a small allowlist of tags; links are http(s)/mailto only). */
    bodyHtml: z.string(),
    /** Who the petition addresses, e.g. a minister. */
    target: z.string(),
    /** What happened (shown once the petition is closed), or null. */
    outcome: z.string().nullable(),
    /** `open` or `closed`; a petition past its deadline is `closed`. Drafts are not public (404). */
    status: z.enum(['open', 'closed']),
    /** ISO 8601 instant, or null when open-ended. */
    deadline: z.string().nullable(),
    goal: z.number().int().positive(),
    count: z.number().int().nonnegative(),
    /** Counts below this are not shown (null: always shown). */
    countThreshold: z.number().int().nonnegative().nullable(),
    verification: VerificationSchema,
    lastName: LastNameModeSchema,
    /** The newsletter list offered by the unticked "keep me informed" box (double opt-in), or null. */
    keepInformed: z.object({ list: SlugSchema, name: z.string() }).nullable(),
    /** The page to share (falls back to the embedding page), and a suggested share text. */
    shareUrl: z.string().nullable(),
    shareText: z.string(),
    privacyPolicyUrl: z.string().nullable(),
    organisation: z.string(),
  })
  .meta({ id: 'Petition' });
export type Petition = z.infer<typeof PetitionSchema>;

/** `GET /api/v1/petitions/:slug/count` and each `count` event of the SSE stream. */
export const PetitionCountSchema = z
  .object({
    count: z.number().int().nonnegative(),
    goal: z.number().int().positive(),
    status: z.enum(['open', 'closed']),
  })
  .meta({ id: 'PetitionCount' });
export type PetitionCount = z.infer<typeof PetitionCountSchema>;

/**
 * `POST /api/v1/petitions/:slug/signatures`. Either the supporter's details (typed, or remembered on this
 * device) or the token of a one-click action link, never both. Unknown fields are rejected.
 */
export const CreateSignatureBody = z
  .strictObject({
    firstName: SafeText(LIMITS.firstName).min(1, 'Required').optional(),
    /** Required or refused according to the petition's `lastName` mode (checked by the server per petition). */
    lastName: SafeText(LIMITS.lastName).optional(),
    email: z.email({ error: 'Must be a valid email address' }).max(LIMITS.email).optional(),
    /** ISO 3166-1 alpha-2 region code, upper case. */
    country: z.string().regex(/^[A-Z]{2}$/, 'Must be a two-letter country code such as "CO"').optional(),
    comment: SafeMultiline(LIMITS.comment).optional(),
    /** The token of a one-click action link (instead of the details above). */
    actionToken: z.string().min(1).max(LIMITS.actionToken).optional(),
    locale: LocaleTagSchema,
    /** The unticked "keep me informed" box: subscribes through the newsletter's double opt-in, never implied. */
    keepInformed: z.boolean().optional(),
    /** The exact "keep me informed" text the supporter saw (required when `keepInformed` is true). */
    consentText: z.string().trim().min(1).max(LIMITS.consentText).optional(),
    /** Honeypot: humans never see this field. Anything in it means a bot; the server then writes nothing. */
    website: z.string().max(LIMITS.honeypot).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.actionToken !== undefined) {
      for (const f of ['firstName', 'lastName', 'email', 'country'] as const) {
        if (v[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'Not allowed with actionToken' });
      }
    } else {
      for (const f of ['firstName', 'email', 'country'] as const) {
        if (v[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'Required' });
      }
    }
    if (v.keepInformed === true && v.consentText === undefined) {
      ctx.addIssue({ code: 'custom', path: ['consentText'], message: 'Required when keepInformed is true' });
    }
  }, {
    // Also when another field is invalid (e.g. no locale): every missing field is named in one answer.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
  })
  .meta({ id: 'CreateSignatureBody' });
export type CreateSignatureBody = z.infer<typeof CreateSignatureBody>;

/**
 * The answer to every accepted signature, first or repeated (it never reveals an earlier one):
 * `counted` (verification `none`) or `pending_verification` (a confirm link was emailed).
 */
export const SignatureAcceptedSchema = z
  .object({
    status: z.enum(['counted', 'pending_verification']),
    /** The public count before this request: the same for a new and a known address (no enumeration). */
    count: z.number().int().nonnegative(),
  })
  .meta({ id: 'SignatureAccepted' });
export type SignatureAccepted = z.infer<typeof SignatureAcceptedSchema>;

/** `GET /api/v1/petitions/:slug/supporter?t=TOKEN`: who an action link signs as (for "Sign as Ana G."). */
export const ActionSupporterQuery = z.strictObject({ t: z.string().min(1).max(LIMITS.actionToken) });
export const ActionSupporterSchema = z
  .object({
    /**
     * First name and last initial, e.g. "Ana G." (or the first name alone); null in sealed mode, where the server
     * can no longer read a subscriber's name (the button then says "Sign with one click").
     */
    displayName: z.string().nullable(),
  })
  .meta({ id: 'ActionSupporter' });
export type ActionSupporter = z.infer<typeof ActionSupporterSchema>;
