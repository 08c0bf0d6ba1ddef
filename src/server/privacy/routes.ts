import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '../../schemas/limits.ts';
import { adminErrors } from '../admin/common.ts';
import { SlugSchema } from '../../schemas/common.ts';
import { defineRoute } from '../http/route.ts';
import { PrivacyStore } from '../store/privacy-store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { eraseEverywhere, EXPORT_KINDS, exportLines, runRetention } from './service.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The background side: sealing (sealed mode), re-encryption under the newest key, and the daily retention. */
export async function privacyJobs(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;
  const privacy = new PrivacyStore(ctx.store);
  const vault = (ctx.store as KyselyStore).vault;
  if (vault.sealedMode) {
    ctx.jobs.every('privacy.seal', MINUTE, async () => {
      const n = await privacy.sealAll(ctx.now());
      if (n) {
        await (ctx.store as KyselyStore).checkpoint();
        app.log.info({ rows: n }, 'sealed contact data with no mail pending');
      }
    });
  }
  if (vault.keyIds.length > 1) {
    ctx.jobs.every('privacy.rotate', 10 * MINUTE, async () => {
      const n = await privacy.rotate();
      if (n) app.log.info({ rows: n }, `re-encrypted personal data with key "${vault.currentKeyId}"`);
    });
  }
  ctx.jobs.every('privacy.retention', DAY, async () => {
    const done = await runRetention(ctx, { dryRun: false });
    if (done.length) {
      app.log.info({ campaigns: done.map((d) => `${d.kind}:${d.slug}`), rows: done.reduce((n, d) => n + d.rows, 0) }, 'retention: personal data stripped');
    }
  });
}

const EraseBody = z.strictObject({ email: z.email({ error: 'An email address' }).max(254) });
const EraseResultSchema = z.object({
  subscribers: z.number().int(),
  signatures: z.number().int(),
  registrations: z.number().int(),
  outboxFiles: z.number().int(),
  promoted: z.number().int().describe('Waitlisted registrations given the place the person held'),
  unchecked: z
    .number()
    .int()
    .describe('Sealed mode: sealed rows of closed campaigns, which only the private key can match to an address (`compa erase --private-key FILE` checks them)'),
});
const ExportParams = z.strictObject({ kind: z.enum(EXPORT_KINDS) });
const ExportQuery = z.strictObject({
  format: z.enum(['csv', 'jsonl']).default('csv'),
  campaign: SlugSchema.optional(),
  since: z.iso.date({ error: 'A date such as 2026-01-31' }).or(z.iso.datetime({ offset: true })).optional(),
});
const RetentionSchema = z.object({
  retentionDays: z.number().int(),
  campaigns: z.array(z.object({ kind: z.enum(['petition', 'webinar', 'list']), slug: z.string(), closedAt: z.string(), rows: z.number().int() })),
});
const errors = adminErrors;

/** Admin routes of the privacy duties (registered inside the admin scope: bearer token, audit log, rate limit). */
export async function privacyAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.compa;

  defineRoute(app, {
    method: 'POST',
    url: `${API_PREFIX}/admin/erasures`,
    summary: "Erases a person's personal data everywhere (subscriber, signatures, registrations, outbox mail); counts are kept. Idempotent.",
    tags: ['admin'],
    body: EraseBody,
    responses: { 200: { description: 'What was erased (all zero when nothing was left)', schema: EraseResultSchema }, ...errors },
    handler: async ({ body }) => {
      const r = await eraseEverywhere(ctx, body.email);
      return {
        subscribers: r.subscribers,
        signatures: r.signatures,
        registrations: r.registrations,
        outboxFiles: r.outboxFiles,
        promoted: r.promoted.reduce((n, p) => n + p.ids.length, 0),
        unchecked: r.unchecked,
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/admin/exports/:kind`,
    summary:
      'Streams subscribers, signatures or registrations as CSV (UTF-8, header row, formulas neutralised) or JSON Lines, with consent text, language and time. Sealed values (sealed mode) come as `s1.…`: `compa export --private-key` opens them.',
    tags: ['admin'],
    params: ExportParams,
    query: ExportQuery,
    responses: { 200: { description: 'The rows, streamed' }, ...errors },
    handler: async ({ params, query }, _request, reply) => {
      const lines = exportLines(ctx, params.kind, query.format, {
        campaign: query.campaign,
        since: query.since ? new Date(query.since) : undefined,
        passSealed: true,
      });
      const name = `${params.kind}${query.campaign ? `-${query.campaign}` : ''}.${query.format === 'csv' ? 'csv' : 'jsonl'}`;
      void reply
        .header('Content-Type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}"`)
        .header('Cache-Control', 'no-store');
      return reply.send(Readable.from(lines));
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: `${API_PREFIX}/admin/retention`,
    summary: 'What the daily retention would strip now: campaigns closed more than COMPA_RETENTION_DAYS ago, with the rows still holding personal data.',
    tags: ['admin'],
    responses: { 200: { description: 'The report (nothing is changed)', schema: RetentionSchema }, ...errors },
    handler: async () => ({ retentionDays: ctx.config.retentionDays, campaigns: await runRetention(ctx, { dryRun: true }) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: `${API_PREFIX}/admin/retention`,
    summary: 'Runs the retention now (it also runs daily): strips the personal data of actions on campaigns closed more than COMPA_RETENTION_DAYS ago; counts are kept.',
    tags: ['admin'],
    responses: { 200: { description: 'What was stripped', schema: RetentionSchema }, ...errors },
    handler: async () => ({ retentionDays: ctx.config.retentionDays, campaigns: await runRetention(ctx, { dryRun: false }) }),
  });
}
