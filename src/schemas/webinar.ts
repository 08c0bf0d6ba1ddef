import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { LocaleTagSchema, SlugSchema } from './common.ts';

/**
 * The webinar API contract (issue 4), shared by the server (validation, OpenAPI), the widget (types only) and the
 * mocks. The join link is never part of any answer: it only travels in the registrant's own mail.
 */

export const RegistrationModeSchema = z.enum(['open', 'approval']);

/** A custom question of a webinar's form. `choice`: one of `options`; `checkbox`: a yes/no box. */
export const QuestionSchema = z
  .object({
    id: SlugSchema,
    kind: z.enum(['text', 'choice', 'checkbox']),
    label: z.string(),
    required: z.boolean(),
    /** For `choice`: the options' ids and labels (in the answer's language). */
    options: z.array(z.object({ id: SlugSchema, label: z.string() })).optional(),
    /** For `text`: the longest answer. */
    maxLength: z.number().int().positive().max(2000).optional(),
  })
  .meta({ id: 'WebinarQuestion' });
export type Question = z.infer<typeof QuestionSchema>;

export const SpeakerSchema = z.object({
  name: z.string(),
  organisation: z.string().nullable(),
  /** Served by this server (no third-party request). */
  photoUrl: z.string().nullable(),
});

/** `GET /api/v1/webinars/:slug` (and each item of `GET /api/v1/webinars?series=…`). */
export const WebinarSchema = z
  .object({
    slug: SlugSchema,
    series: SlugSchema.nullable(),
    /** The language the texts are in, and whether it is a fallback for the one asked for. */
    locale: z.string(),
    fallback: z.boolean(),
    title: z.string(),
    description: z.string(),
    speakers: z.array(SpeakerSchema),
    /** The language the webinar is held in (BCP 47), and interpretation offered, e.g. ["en"]. */
    heldIn: z.string(),
    interpretation: z.array(z.string()),
    /** ISO 8601 instants, and the IANA zone the event is held in (the widget shows the supporter's own too). */
    start: z.string(),
    end: z.string(),
    timeZone: z.string(),
    /** `upcoming` (registration open), `full` (waitlist only), `started`, `ended`. */
    status: z.enum(['upcoming', 'full', 'started', 'ended']),
    /** Places left, only when few are (null otherwise): never the number of registrants. */
    placesLeft: z.number().int().nonnegative().nullable(),
    mode: RegistrationModeSchema,
    questions: z.array(QuestionSchema),
    /** After the end, when there is one. */
    recordingUrl: z.string().nullable(),
    privacyPolicyUrl: z.string().nullable(),
    organisation: z.string(),
  })
  .meta({ id: 'Webinar' });
export type Webinar = z.infer<typeof WebinarSchema>;

export const WebinarParamsSchema = z.strictObject({ slug: SlugSchema });
export const WebinarQuerySchema = z.strictObject({ locale: LocaleTagSchema.optional() });
export const WebinarListQuerySchema = z.strictObject({ series: SlugSchema, locale: LocaleTagSchema.optional() });
export const WebinarListSchema = z.object({ webinars: z.array(WebinarSchema) }).meta({ id: 'WebinarList' });
export type WebinarList = z.infer<typeof WebinarListSchema>;

/** `POST /api/v1/webinars/:slug/registrations`. Answers are checked against the webinar's questions. */
export const CreateRegistrationBody = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, 'Required')
      .max(LIMITS.firstName + LIMITS.lastName)
      .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'Must not contain control or text-direction characters'),
    email: z.email({ error: 'Must be a valid email address' }).max(LIMITS.email),
    /** Question id → answer: text, a choice's option id, or a checkbox's boolean. */
    answers: z.record(SlugSchema, z.union([z.string().max(2000), z.boolean()])).default({}),
    locale: LocaleTagSchema,
    consent: z.literal(true, { error: 'Consent must be given' }),
    consentText: z.string().trim().min(1).max(LIMITS.consentText),
    /** Honeypot: humans never see this field. */
    website: z.string().max(LIMITS.honeypot).optional(),
  })
  .meta({ id: 'CreateRegistrationBody' });
export type CreateRegistrationBody = z.infer<typeof CreateRegistrationBody>;

/**
 * The neutral answer to every accepted registration (new, repeated, waitlisted or awaiting approval alike):
 * "check your email". Whether a place was given is said in the mail only, so no answer reveals a known address.
 */
export const RegistrationAcceptedSchema = z
  .object({ status: z.literal('check_email') })
  .meta({ id: 'RegistrationAccepted' });
export type RegistrationAccepted = z.infer<typeof RegistrationAcceptedSchema>;
