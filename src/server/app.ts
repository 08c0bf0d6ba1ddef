import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import type { CompaContext } from './context.ts';
import type { Store } from './store/store.ts';
import { openStore } from './store/kysely-store.ts';
import { openVault } from './crypto/keys.ts';
import { outboxMailer, smtpMailer, type Mailer } from './mail/mailer.ts';
import { Messages } from './i18n.ts';
import { Tokens } from './tokens.ts';
import { JobRunner } from './jobs.ts';
import { HttpError, installErrorHandling } from './http/errors.ts';
import { security } from './plugins/security.ts';
import { systemRoutes } from './routes/system.ts';
import { siteRoutes } from './routes/site.ts';
import { newsletterRoutes } from './newsletter/routes.ts';
import { seedDemo, seedDemoPetitions, seedDemoWebinars } from './seed.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { createServer } from 'node:http';
import type { FastLane } from './context.ts';
import { petitionRoutes } from './petitions/routes.ts';
import { webinarRoutes } from './webinars/routes.ts';
import { storyRoutes } from './stories/routes.ts';
import { seedDemoStories } from './stories/demo.ts';
import { adminRoutes } from './admin/index.ts';
import { privacyJobs } from './privacy/routes.ts';

export interface CompaOptions {
  config: Config;
  /** Replaces the clock (tests). */
  now?: () => Date;
  /** Replaces the mailer built from the configuration (tests). */
  mailer?: Mailer;
  /** Replaces the store opened from COMPA_DATABASE_URL (tests). */
  store?: Store;
  /** Start the background job loop (default true); tests may drain jobs by hand instead. */
  runJobs?: boolean;
  /** Seed the demo content when COMPA_DEMO is on (default true; the organiser commands never do). */
  seedDemo?: boolean;
  /** Directory of the server catalogues (default `locales/server`). */
  catalogueDir?: string;
}

const CATALOGUES = new URL('../../locales/server/', import.meta.url);

/** The whole Compa API as one Fastify plugin: services first, then security, then routes. */
export const compa = fp(
  async (app: FastifyInstance, opts: CompaOptions) => {
    const { config } = opts;
    const now = opts.now ?? (() => new Date());
    const { vault, loaded } = await openVault(config);
    if (loaded.generated) {
      app.log[config.demo ? 'info' : 'warn'](
        `generated the keys of supporters' data in ${loaded.file}: keep it out of database backups and back it up elsewhere (README: "Keys and sealed mode")`,
      );
    }
    const store = opts.store ?? (await openStore(config.databaseUrl, vault));
    const applied = await store.migrate();
    if (applied.length) app.log.info({ migrations: applied }, 'database migrated');

    let secret = config.secret;
    if (!secret) {
      secret = await store.getMeta('secret');
      if (!secret) {
        secret = randomBytes(32).toString('base64url');
        await store.setMeta('secret', secret);
        app.log.info('generated a signing secret for mail links (set COMPA_SECRET to manage it yourself)');
      }
    }
    const transport =
      opts.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer(config.outboxDir, config.mailFrom, app.log));
    // A mail whose person was erased (or, in sealed mode, sealed meanwhile) has no address left: it is not sent.
    const mailer: Mailer = {
      send: async (mail) => {
        if (!mail.to) return void app.log.info('a mail was not sent: its address was erased or sealed');
        await transport.send(mail);
      },
      close: () => transport.close(),
    };
    const jobs = new JobRunner(store, app.log, now);
    const ctx: CompaContext = {
      config,
      store,
      mailer,
      messages: Messages.load(opts.catalogueDir ?? CATALOGUES.pathname),
      tokens: new Tokens(secret),
      jobs,
      limiter: new RateLimiter(config.rateLimit.windowSeconds * 1000),
      now,
    };
    app.decorate('compa', ctx);

    const seed = config.demo && opts.seedDemo !== false;
    if (seed && (await seedDemo(store, now()))) app.log.info('demo content seeded');
    if (seed && (await seedDemoPetitions(store, now()))) app.log.info('demo petitions seeded');
    if (seed && (await seedDemoWebinars(store, now()))) app.log.info('demo webinars seeded');
    if (seed && (await seedDemoStories(ctx))) app.log.info('demo stories seeded');
    if (!config.privacyPolicyUrl) app.log.warn('COMPA_PRIVACY_URL is not set: consent texts will not link to a privacy policy');

    app.removeContentTypeParser('text/plain');
    installErrorHandling(app);
    await app.register(security);
    await app.register(systemRoutes);
    await app.register(newsletterRoutes);
    await app.register(petitionRoutes);
    await app.register(webinarRoutes);
    await app.register(storyRoutes);
    await app.register(adminRoutes);
    await app.register(privacyJobs);
    await app.register(siteRoutes);

    // While stopping, every answer closes its connection, so that keep-alive clients (browsers, proxies)
    // do not hold the shutdown open until the keep-alive timeout.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) reply.header('Connection', 'close');
      done(null, payload);
    });

    app.addHook('onReady', async () => {
      if (opts.runJobs !== false) jobs.start();
    });
    app.addHook('onClose', async () => {
      await jobs.stop();
      await mailer.close();
      if (!opts.store) await store.close();
    });
  },
  { name: 'compa', fastify: '5.x' },
);

/** Request logs without personal data: no query strings (tokens), no addresses, no bodies. */
const serializers = {
  req: (req: { method: string; url: string; routeOptions?: { url?: string } }) => ({
    method: req.method,
    // An unmatched path is logged without long segments (tokens) or segments with an address in them.
    url:
      req.routeOptions?.url ??
      req.url.split('?')[0]!.replace(/[^/]{40,}/g, '…').replace(/[^/]*(?:@|%40)[^/]*/gi, '[address]'),
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

export function fastifyOptions(config: Config, logger: boolean = true): FastifyServerOptions {
  const trust = config.trustProxy;
  return {
    logger: logger ? { level: config.logLevel, serializers } : false,
    // A hop count N trusts the N proxies nearest to the server (Fastify's types lack the number form).
    trustProxy: typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust,
    bodyLimit: config.bodyLimit,
    // A malformed URL (bad percent-encoding) is refused before routing: answer in the one JSON error shape.
    frameworkErrors: (_error, _request, reply) => {
      const body = new HttpError(400, 'invalid_params', 'The URL is not valid').toBody();
      void (reply as FastifyReply).code(400).header('X-Content-Type-Options', 'nosniff').send(body);
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  };
}

/**
 * Builds a ready-to-listen Compa server. Its HTTP server first offers each request to the fast lane (the petition
 * count, read by every open page: answered without Fastify's per-request work when the answer is in memory);
 * anything the lane does not take goes to Fastify as usual.
 */
export async function buildApp(opts: CompaOptions & { logger?: boolean }): Promise<FastifyInstance> {
  const lane: { take?: FastLane } = {};
  const options = fastifyOptions(opts.config, opts.logger ?? true);
  const app = Fastify({
    ...options,
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (lane.take?.(req, res)) return;
        handler(req, res);
      });
      // What Fastify sets on the servers it makes itself.
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = options.requestTimeout!;
      server.setTimeout(options.connectionTimeout!);
      return server;
    },
  });
  await app.register(compa, opts);
  lane.take = app.compa.fastLane;
  app.addHook('preClose', async () => {
    lane.take = undefined; // while stopping, Fastify answers everything (and closes connections)
  });
  return app;
}
