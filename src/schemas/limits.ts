/**
 * Size limits shared by the widgets (as `maxlength` and plain checks) and the server (as zod bounds).
 * Plain constants only: this module is imported by browser code and must not pull in zod.
 */
export const LIMITS = {
  email: 254,
  firstName: 100,
  consentText: 2000,
  listSlug: 64,
  listsPerRequest: 20,
  idempotencyKey: 128,
  honeypot: 200,
} as const;

/** The API's base path; every route lives below it. */
export const API_PREFIX = '/api/v1';

/** Request header that makes a write safe to retry. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
