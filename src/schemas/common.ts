import { z } from 'zod';

/** A BCP 47 language tag as sent by browsers (`es`, `es-CO`, `fr-CA`); the server resolves it to a supported locale. */
export const LocaleTagSchema = z
  .string()
  .min(2)
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'Must be a language tag such as "en", "es" or "fr-CA"');

/** A URL-safe identifier chosen by the organisation. */
export const SlugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Must be lowercase letters, digits and single hyphens');

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;
