import { z } from 'zod';

/** Every error code the API can answer with. Widgets switch on these (types only). */
export const ERROR_CODES = [
  'invalid_body',
  'invalid_query',
  'invalid_params',
  'invalid_json',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'forbidden_origin',
  'idempotency_conflict',
  'petition_closed',
  'registration_closed',
  'list_closed',
  'invalid_token',
  'insufficient_scope',
  'unavailable',
  'internal',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The one JSON shape of every error response. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      /** Present on 400s: one entry per bad field, keyed by its dotted path. */
      fields: z.record(z.string(), z.string()).optional(),
      /** Present on 429s: seconds until a retry may succeed (also in the Retry-After header). */
      retryAfter: z.number().int().nonnegative().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
