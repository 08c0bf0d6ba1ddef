/**
 * The webinar commands of `npm run compa -- …` (see src/server/cli.ts for the list): publish a webinar from a
 * file, list webinars and registrations, approve or decline in approval mode. They write to the same database
 * as the server; the mails they cause are persisted jobs that the running server sends within seconds.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SlugSchema } from '../../schemas/common.ts';
import { RegistrationModeSchema } from '../../schemas/webinar.ts';
import { loadConfig } from '../config.ts';
import { buildApp } from '../app.ts';
import { cell, readFileAs } from '../csv.ts';
import type { CompaContext } from '../context.ts';
import type { WebinarRecord } from '../store/store.ts';
import { enqueueMails, rescheduleReminders } from './service.ts';

const Lang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language tag such as "es" or "pt-BR"');
const HttpUrl = z.url({ protocol: /^https?$/, error: 'An http(s) URL' });
const TimeZone = z.string().refine((tz) => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone.length > 0 && (tz.includes('/') || tz === 'UTC');
  } catch {
    return false;
  }
}, 'An IANA time zone such as "America/Bogota"');
const Text = (max: number) => z.string().trim().min(1).max(max);

/** The webinar file of `webinar-put` (README: "Publishing a webinar"). */
export const WebinarFile = z
  .strictObject({
    slug: SlugSchema,
    series: SlugSchema.nullable().default(null),
    status: z.enum(['draft', 'published']).default('draft'),
    heldIn: Lang,
    interpretation: z.array(Lang).max(10).default([]),
    /** ISO 8601 with an offset, e.g. "2026-12-10T10:00:00-05:00". */
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    timeZone: TimeZone,
    capacity: z.number().int().positive().max(100_000),
    mode: RegistrationModeSchema.default('open'),
    /** Secret: only ever sent to registrants with a place. */
    joinUrl: HttpUrl,
    recordingUrl: HttpUrl.nullable().default(null),
    questions: z
      .array(
        z.strictObject({
          id: SlugSchema,
          kind: z.enum(['text', 'choice', 'checkbox']),
          required: z.boolean().default(false),
          maxLength: z.number().int().min(1).max(2000).optional(),
          options: z.array(SlugSchema).min(2).max(20).optional(),
        }),
      )
      .max(10)
      .default([]),
    texts: z
      .record(
        Lang,
        z.strictObject({
          title: Text(200),
          description: Text(3000),
          speakers: z
            .array(
              z.strictObject({
                name: Text(200),
                organisation: Text(200).nullable().default(null),
                /** A path on this server ("/media/ana.jpg") or an https URL on the organisation's own site. */
                photoUrl: z
                  .string()
                  .regex(/^(\/[^/\\]|https:\/\/)/, 'A path on this server ("/media/ana.jpg") or an https URL')
                  .max(500)
                  .nullable()
                  .default(null),
              }),
            )
            .max(10)
            .default([]),
          questions: z.record(SlugSchema, z.strictObject({ label: Text(300), options: z.record(SlugSchema, Text(200)).optional() })).default({}),
        }),
      )
      .refine((t) => Object.keys(t).length > 0, 'At least one language'),
  })
  .superRefine((f, ctx) => {
    if (Date.parse(f.end) <= Date.parse(f.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be after start' });
    const ids = new Set<string>();
    f.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'Used twice' });
      ids.add(q.id);
      if (q.kind === 'choice' && !q.options) ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'A choice needs options' });
      if (q.kind !== 'choice' && q.options) ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'Only a choice has options' });
      if (q.kind !== 'text' && q.maxLength) ctx.addIssue({ code: 'custom', path: ['questions', i, 'maxLength'], message: 'Only a text question has a length' });
      for (const [lang, t] of Object.entries(f.texts)) {
        const label = t.questions[q.id];
        if (!label) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'questions', q.id], message: 'Missing label' });
        else for (const o of q.options ?? []) if (!label.options?.[o]) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'questions', q.id, 'options', o], message: 'Missing label' });
      }
    });
    for (const [lang, t] of Object.entries(f.texts)) {
      for (const id of Object.keys(t.questions)) if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['texts', lang, 'questions', id], message: 'No such question' });
    }
  });

/** Runs `fn` with the server's services on the configured database (no jobs run, no port opened), then closes. */
export async function withApp<T>(fn: (ctx: CompaContext) => Promise<T>): Promise<T> {
  const app = await buildApp({ config: loadConfig(process.env), runJobs: false, logger: false });
  try {
    return await fn(app.compa);
  } finally {
    await app.close();
  }
}

export async function webinarPut(args: string[], usage: string): Promise<number> {
  const [file] = args;
  const f = await readFileAs(file, WebinarFile, usage);
  if (typeof f === 'number') return f;
  return withApp(async (ctx) => {
    // Photos load in supporters' browsers: only from this server or the organisation's own sites.
    const own = new Set([new URL(ctx.config.publicUrl).origin, ...ctx.config.allowedOrigins]);
    let foreign = false;
    for (const [lang, t] of Object.entries(f.texts)) {
      t.speakers.forEach((sp, i) => {
        if (sp.photoUrl?.startsWith('https://') && !own.has(new URL(sp.photoUrl).origin)) {
          console.error(`${file}: texts.${lang}.speakers.${i}.photoUrl: Not this server nor an allowed origin (COMPA_ALLOWED_ORIGINS): no third-party host`);
          foreign = true;
        }
      });
    }
    if (foreign) return 65;
    const fields = {
      slug: f.slug,
      series: f.series,
      status: f.status,
      texts: f.texts,
      heldIn: f.heldIn,
      interpretation: f.interpretation,
      start: new Date(f.start),
      end: new Date(f.end),
      timeZone: f.timeZone,
      capacity: f.capacity,
      mode: f.mode,
      questions: f.questions,
      joinUrl: f.joinUrl,
      recordingUrl: f.recordingUrl,
    };
    const now = ctx.now();
    const existing = await ctx.store.getWebinar(f.slug);
    if (!existing) {
      await ctx.store.createWebinar({ ...fields, now });
      console.error(`created webinar "${f.slug}" (${f.status}; languages: ${Object.keys(f.texts).join(', ')})`);
      return 0;
    }
    // One transaction: the change, the mails it causes and the reminders it moves commit together or not at all.
    await ctx.store.transaction(async (tx) => {
      await tx.updateWebinar(existing.id, { ...fields, now });
      const updated = (await tx.getWebinarById(existing.id))!;
      if (updated.sequence !== existing.sequence) await rescheduleReminders(ctx, updated, tx);
      // More room: the waitlist gets the new places, in order, and is told.
      const promoted = await tx.promoteWaitlisted(updated.id, now);
      await enqueueMails(tx, updated, promoted.map((id) => ({ registrationId: id, mail: 'promoted' as const })), now);
      if (promoted.length) console.error(`${promoted.length} registration(s) moved from the waitlist to a place`);
      const taken = (await tx.placesTaken([updated.id])).get(updated.id) ?? 0;
      if (taken > updated.capacity) console.error(`note: ${taken} places are already taken, more than the new capacity (${updated.capacity}); nobody loses a place`);
    });
    console.error(`updated webinar "${f.slug}" (${f.status}; languages: ${Object.keys(f.texts).join(', ')})`);
    return 0;
  });
}

export async function listWebinars(): Promise<number> {
  return withApp(async (ctx) => {
    const rows: string[] = ['slug\tstatus\tstart (UTC)\tplaces taken / capacity\twaitlist\tawaiting approval\tlanguages'];
    for (const w of await ctx.store.listWebinars()) {
      const regs = await ctx.store.listRegistrations(w.id);
      const n = (s: string) => regs.filter((r) => r.status === s).length;
      const when = w.end <= ctx.now() ? 'ended' : w.start <= ctx.now() ? 'started' : w.status;
      rows.push([w.slug, when, w.start.toISOString(), `${n('registered')} / ${w.capacity}`, n('waitlisted'), n('pending'), Object.keys(w.texts).join(',')].join('\t'));
    }
    process.stdout.write(rows.join('\n') + '\n');
    return 0;
  });
}

async function webinarArg(ctx: CompaContext, slug: string | undefined): Promise<WebinarRecord | null> {
  const w = slug ? await ctx.store.getWebinar(slug) : null;
  if (!w) console.error(`--webinar: no webinar "${slug ?? ''}"`);
  return w;
}

export async function listRegistrations(args: string[], usage: string): Promise<number> {
  const { values } = parseArgs({ args, options: { webinar: { type: 'string' } } });
  if (!values.webinar) {
    console.error(usage);
    return 64;
  }
  return withApp(async (ctx) => {
    const w = await webinarArg(ctx, values.webinar);
    if (!w) return 65;
    const out = ['id,status,name,email,registered_at,answers'];
    for (const r of await ctx.store.listRegistrations(w.id)) {
      out.push([String(r.id), r.status, r.name, r.email, r.createdAt.toISOString(), JSON.stringify(r.answers)].map(cell).join(','));
    }
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  });
}

export async function decide(args: string[], decision: 'approve' | 'decline', usage: string): Promise<number> {
  const { values } = parseArgs({ args, options: { webinar: { type: 'string' }, id: { type: 'string' }, email: { type: 'string' } } });
  if (!values.webinar || (!values.id && !values.email)) {
    console.error(usage);
    return 64;
  }
  return withApp(async (ctx) => {
    const w = await webinarArg(ctx, values.webinar);
    if (!w) return 65;
    const r = values.id ? await ctx.store.getRegistration(Number(values.id)) : await ctx.store.getRegistrationByEmail(w.id, values.email!);
    if (!r || r.webinarId !== w.id) {
      console.error(values.id ? `--id: no registration ${values.id} for this webinar` : '--email: this address is not registered for this webinar');
      return 65;
    }
    if (r.status !== 'pending') {
      console.error(`registration ${r.id} is ${r.status}, not awaiting approval: nothing changed`);
      return 65;
    }
    const now = ctx.now();
    const status = await ctx.store.transaction(async (tx) => {
      const s = await tx.decideRegistration(r.id, decision, now);
      const mail = s === 'registered' ? 'approved' : s === 'waitlisted' ? 'waitlisted' : s === 'declined' ? 'declined' : null;
      if (mail) await enqueueMails(tx, w, [{ registrationId: r.id, mail }], now);
      return s;
    });
    console.error(`registration ${r.id}: ${status}${status === 'waitlisted' ? ' (the webinar is full)' : ''}; the supporter is emailed`);
    return 0;
  });
}
