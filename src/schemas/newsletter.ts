import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { LocaleTagSchema, SlugSchema } from './common.ts';

/** A public newsletter list, in the requested language (or its fallback). */
export const NewsletterListSchema = z
  .object({
    slug: SlugSchema,
    name: z.string(),
    description: z.string(),
    /** The language `name` and `description` are in (differs from the request when a translation is missing). */
    locale: z.string(),
  })
  .meta({ id: 'NewsletterList' });
export type NewsletterList = z.infer<typeof NewsletterListSchema>;

export const ListsQuerySchema = z.strictObject({
  locale: LocaleTagSchema.optional(),
});

export const ListsResponseSchema = z
  .object({
    lists: z.array(NewsletterListSchema),
    /** The organisation's privacy policy, linked from every consent text. */
    privacyPolicyUrl: z.string().nullable(),
    organisation: z.string(),
  })
  .meta({ id: 'ListsResponse' });
export type ListsResponse = z.infer<typeof ListsResponseSchema>;

/** `POST /api/v1/subscriptions`. Unknown fields are rejected. */
export const CreateSubscriptionBody = z
  .strictObject({
    email: z.email({ error: 'Must be a valid email address' }).max(LIMITS.email),
    firstName: z
      .string()
      .trim()
      .max(LIMITS.firstName)
      // No control characters and no bidi overrides (text that displays differently from what it is).
      .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'Must not contain control or text-direction characters')
      .optional(),
    lists: z
      .array(SlugSchema)
      .min(1, 'Choose at least one list')
      .max(LIMITS.listsPerRequest),
    locale: LocaleTagSchema,
    consent: z.literal(true, { error: 'Consent must be given' }),
    /** The exact consent text the supporter saw, stored as proof of consent. */
    consentText: z.string().trim().min(1).max(LIMITS.consentText),
    /** Honeypot: humans never see this field. Anything in it means a bot; the server then writes nothing. */
    website: z.string().max(LIMITS.honeypot).optional(),
  })
  .meta({ id: 'CreateSubscriptionBody' });
export type CreateSubscriptionBody = z.infer<typeof CreateSubscriptionBody>;

/** The neutral answer to every accepted subscription request: it never reveals whether an address is known. */
export const SubscriptionAcceptedSchema = z
  .object({
    status: z.literal('pending_confirmation'),
  })
  .meta({ id: 'SubscriptionAccepted' });
export type SubscriptionAccepted = z.infer<typeof SubscriptionAcceptedSchema>;
