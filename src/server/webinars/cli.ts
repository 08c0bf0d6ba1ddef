/**
 * The webinar commands of `npm run compa -- …` (see src/server/cli.ts for the list): publish a webinar from a
 * file, list webinars and registrations, approve or decline in approval mode. They write to the same database
 * as the server; the mails they cause are persisted jobs that the running server sends within seconds.
 */
import { auditCommand } from '../admin/command-audit.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { buildApp } from '../app.ts';
import { cell, readFileAs } from '../csv.ts';
import type { CompaContext } from '../context.ts';
import type { WebinarRecord } from '../store/store.ts';
import { HttpError } from '../http/errors.ts';
import { WebinarFile, decideRegistration, putWebinar } from './admin.ts';

/** The webinar file of `webinar-put` (README: "Publishing a webinar"); the same item as `compa import` and the admin API take. */
export { WebinarFile };

/**
 * Runs `fn` with the server's services on the configured database (no jobs run, no port opened, no demo content
 * seeded), then closes. A SQLite file that does not exist is refused rather than created: a command run from the
 * wrong folder must not work on a new, empty database (or make new keys).
 */
export async function withApp<T>(fn: (ctx: CompaContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  if (config.databaseUrl.startsWith('sqlite:')) {
    const path = resolve(config.databaseUrl.slice('sqlite:'.length));
    if (!existsSync(path)) {
      throw new ConfigError('COMPA_DATABASE_URL', `no database at ${path}: run the command where the server runs (same COMPA_* variables), or create it with \`compa migrate\``);
    }
  }
  const app = await buildApp({ config, runJobs: false, logger: false, seedDemo: false });
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
    let r: Awaited<ReturnType<typeof putWebinar>>;
    try {
      r = await putWebinar(ctx, f);
    } catch (err) {
      if (err instanceof HttpError && err.fields) {
        for (const [field, message] of Object.entries(err.fields)) console.error(`${file}: ${field}: ${message}`);
        return 65;
      }
      throw err;
    }
    await auditCommand(ctx, 'webinar-put', { slug: f.slug, outcome: r.outcome });
    if (r.promoted) console.error(`${r.promoted} registration(s) moved from the waitlist to a place`);
    if (r.overCapacity) {
      console.error(`note: ${r.webinar.capacity + r.overCapacity} places are already taken, more than the new capacity (${r.webinar.capacity}); nobody loses a place`);
    }
    console.error(`${r.outcome} webinar "${f.slug}" (${f.status}; languages: ${Object.keys(f.texts).join(', ')})`);
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
    const status = await decideRegistration(ctx, w, r, decision);
    await auditCommand(ctx, `registration-${decision}`, { webinar: w.slug, id: String(r.id) });
    console.error(`registration ${r.id}: ${status}${status === 'waitlisted' ? ' (the webinar is full)' : ''}; the supporter is emailed`);
    return 0;
  });
}
