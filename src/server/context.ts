import type { Config } from './config.ts';
import type { Store } from './store/store.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Messages } from './i18n.ts';
import type { Tokens } from './tokens.ts';
import type { JobRunner } from './jobs.ts';

/** The services every route uses, decorated on the Fastify instance as `app.compa`. */
export interface CompaContext {
  config: Config;
  store: Store;
  mailer: Mailer;
  messages: Messages;
  tokens: Tokens;
  jobs: JobRunner;
  /** Per-client rate limits of the routes that declare one (`defineRoute`'s `limit`). */
  limiter: import('./http/rate-limit.ts').RateLimiter;
  /** The current time; tests replace it to move time. */
  now: () => Date;
  /**
   * Answers a hot, cacheable GET straight from memory, before Fastify (see `buildApp`); returns false to leave the
   * request to Fastify. Set by the routes that have one.
   */
  fastLane?: FastLane;
}

export type FastLane = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean;

declare module 'fastify' {
  interface FastifyInstance {
    compa: CompaContext;
  }
}
