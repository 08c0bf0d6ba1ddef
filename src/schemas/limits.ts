/**
 * Size limits shared by the widgets (as `maxlength` and plain checks) and the server (as zod bounds).
 * Plain constants only: this module is imported by browser code and must not pull in zod.
 */
export const EMAIL_MAX = 254;
export const FIRST_NAME_MAX = 100;
export const LAST_NAME_MAX = 100;
export const COMMENT_MAX = 1000;

/** Every limit by field (browser code imports the single constants above, so the object stays out of bundles). */
export const LIMITS = {
  email: EMAIL_MAX,
  firstName: FIRST_NAME_MAX,
  lastName: LAST_NAME_MAX,
  comment: COMMENT_MAX,
  actionToken: 512,
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
