import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ErrorBody, ErrorCode } from '../../schemas/errors.ts';

/** An error with a status and a public message; anything else becomes an opaque 500. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfter?: number;
  constructor(statusCode: number, code: ErrorCode, message: string, extra: { fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.fields = extra.fields;
    this.retryAfter = extra.retryAfter;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      },
    };
  }
}

/** One entry per bad field, keyed by its dotted path (`lists.0`), naming unknown fields too. */
export function fieldsFromZod(error: z.ZodError, root = 'body'): Record<string, string> {
  // No prototype: an unknown field named `constructor`, `toString` or `__proto__` must be named too.
  const fields: Record<string, string> = Object.create(null);
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= 'Unknown field';
      continue;
    }
    const path = issue.path.length ? issue.path.join('.') : root;
    let message = issue.message;
    if (issue.code === 'invalid_type' && issue.input === undefined) message = 'Required';
    fields[path] ??= message;
  }
  return fields;
}

const BY_FASTIFY_CODE: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'The body must be JSON (Content-Type: application/json)'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_json', 'Content-Length does not match the body'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The body is too large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The body is empty; send a JSON object'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON'],
};

/** Maps every error to the one JSON error shape: no stack trace, no SQL, no 5xx for bad input. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & Partial<HttpError>, request, reply) => {
    if (error instanceof HttpError) {
      if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
      return reply.code(error.statusCode).send(error.toBody());
    }
    const known = error.code ? BY_FASTIFY_CODE[error.code] : undefined;
    if (known) {
      const [status, code, message] = known;
      return reply.code(status).send(new HttpError(status, code, message).toBody());
    }
    // secure-json-parse rejects __proto__ / constructor.prototype keys with a SyntaxError
    if (error instanceof SyntaxError || /prototype property/i.test(error.message)) {
      return reply.code(400).send(new HttpError(400, 'invalid_json', 'The body is not valid JSON or contains forbidden keys').toBody());
    }
    if (error.statusCode === 429) {
      return reply.code(429).send(new HttpError(429, 'rate_limited', 'Too many requests').toBody());
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .code(error.statusCode)
        .send(new HttpError(error.statusCode, error.statusCode === 404 ? 'not_found' : 'invalid_body', 'The request was not understood').toBody());
    }
    request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'unexpected error');
    return reply.code(500).send(new HttpError(500, 'internal', 'Something went wrong on our side; please try again').toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(new HttpError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`).toBody());
  });
}
