import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { escapeHtml, page } from '../html.ts';

const DEMO_DIR = new URL('../demo/', import.meta.url);

/**
 * The built widget bundles under `/dist/` (any site may load them: they hold no data), and, in demo
 * mode, the demo organisation page at `/` with its privacy page.
 */
export async function siteRoutes(app: FastifyInstance): Promise<void> {
  const { config, messages } = app.compa;
  const dist = resolve(config.distDir);
  if (!existsSync(dist)) {
    app.log.warn({ dist }, 'no built widgets found: run `npm run build` (npm start does it for you)');
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/dist/',
    decorateReply: false,
    index: false,
    // Sends the .br/.gz written at build time when the browser accepts them.
    preCompressed: true,
    setHeaders: (reply, path) => {
      // Module scripts from another origin need CORS; the bundles are public and carry no credentials.
      reply.header('Access-Control-Allow-Origin', '*');
      reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
      reply.header('Cache-Control', /-[A-Za-z0-9_-]{8}\.js$/.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    },
  });

  if (!config.demo) return;

  const demoHtml = readFileSync(new URL('index.html', DEMO_DIR), 'utf8');
  const demoJs = readFileSync(new URL('demo.js', DEMO_DIR), 'utf8');
  app.get('/', async (_request, reply) => {
    reply.type('text/html; charset=utf-8');
    return demoHtml.replaceAll('{{organisation}}', escapeHtml(config.organisation));
  });
  app.get('/demo.js', async (_request, reply) => {
    reply.type('text/javascript; charset=utf-8');
    return demoJs;
  });
  // The demo speakers' photos (served here like any organisation's own media: no third-party request).
  const media = new Map(
    ['luz-mery-rios.svg'].map((name) => [name, readFileSync(new URL(`media/${name}`, DEMO_DIR))] as const),
  );
  app.get('/demo/media/:file', async (request, reply) => {
    const file = media.get((request.params as { file: string }).file);
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    reply
      .type('image/svg+xml')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .header('Cache-Control', 'public, max-age=86400');
    return file;
  });
  app.get('/privacy', async (request, reply) => {
    const locale = messages.fromAcceptLanguage(request.headers['accept-language']);
    reply.type('text/html; charset=utf-8');
    return page({
      locale,
      title: messages.t(locale, 'page.privacy.title'),
      body: `<p>${escapeHtml(messages.t(locale, 'page.privacy.body'))}</p><p><a href="/">${escapeHtml(messages.t(locale, 'page.backHome'))}</a></p>`,
    });
  });
}
