/**
 * `npm run compa -- <command>`: organiser tasks on the same database and secret as the server.
 *
 *   petition-put FILE.json
 *     Creates the petition described by the file, or updates the one with the same slug (texts, goal,
 *     deadline, status…; the count is never touched). The file is checked first: a mistake names the field and
 *     nothing is written. Bodies are sanitised (see README: the allowed markup).
 *
 *   petitions
 *     Lists the petitions: slug, status (open/closed/draft, deadline included), count / goal, languages.
 *
 *   action-links --petition SLUG --page URL (--list SLUG | --email ADDRESS) [--days N]
 *     Prints CSV (`email,first_name,link`) of one-click action links for confirmed subscribers of a list (or one
 *     address), to paste into the organisation's mailing. Each link opens URL (the page that embeds
 *     `<compa-petition campaign="SLUG">`) with a signed token that signs THIS petition as THAT supporter, expires
 *     after N days (default 14, never after the deadline) and cannot be altered or used for another petition.
 *
 *   webinar-put FILE.json
 *     Creates the webinar described by the file, or updates the one with the same slug (README: "Publishing a
 *     webinar"). Checked first: a mistake names the field and nothing is written. A raised capacity gives the
 *     free places to the waitlist; a new time queues the reminders again.
 *
 *   webinars
 *     Lists the webinars: slug, status, start (UTC), places taken / capacity, waitlist, awaiting approval.
 *
 *   registrations --webinar SLUG
 *     Prints CSV (`id,status,name,email,registered_at,answers`) of a webinar's registrations, waitlist in order.
 *
 *   registration-approve --webinar SLUG (--id N | --email ADDRESS)
 *   registration-decline --webinar SLUG (--id N | --email ADDRESS)
 *     Approval mode: gives the pending registration a place (or the waitlist, when full), or declines it. The
 *     supporter is emailed (by the running server's job loop, within seconds).
 *
 *   story-put FILE.json
 *     Creates the story described by the file, or updates the one with the same id (README: "Publishing a
 *     story"). Checked first: a mistake names the field and nothing is written. Its photo is stored without
 *     its metadata (EXIF, GPS). Putting a withdrawn story again publishes it again.
 *
 *   stories
 *     Lists every story: id, date, languages, status (shown, scheduled, withdrawn, hidden), source.
 *
 *   story-withdraw ID [--at ISO-DATE]
 *     Consent withdrawn: the story leaves every answer now (or at the date given) and its texts and images are
 *     deleted. Its feed can't bring it back.
 *
 *   stories-import
 *     Reads the feeds of COMPA_STORY_FEEDS now (the server also does, every COMPA_STORY_FEED_INTERVAL_MINUTES).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LastNameModeSchema, PetitionStatusSchema, VerificationSchema } from '../schemas/petition.ts';
import { SlugSchema } from '../schemas/common.ts';
import { sanitizeRichText } from './petitions/service.ts';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { ACTION_LINK_TTL_MS, ACTION_PARAM, CAMPAIGN_PARAM, actionToken } from './petitions/service.ts';
import { cell, readFileAs } from './csv.ts';
import { decide, listRegistrations, listWebinars, webinarPut } from './webinars/cli.ts';
import { importFeedsNow, listStories, storyPut, withdrawStory } from './stories/cli.ts';

const USAGE = `usage: npm run compa -- <command>
  petition-put FILE.json
  petitions
  action-links --petition SLUG --page URL (--list SLUG | --email ADDRESS) [--days N]
  webinar-put FILE.json
  webinars
  registrations --webinar SLUG
  registration-approve --webinar SLUG (--id N | --email ADDRESS)
  registration-decline --webinar SLUG (--id N | --email ADDRESS)
  story-put FILE.json
  stories
  story-withdraw ID [--at ISO-DATE]
  stories-import`;

/** The petition file of `petition-put` (README: "Publishing a petition"). */
const PetitionFile = z.strictObject({
  slug: SlugSchema,
  status: PetitionStatusSchema.default('draft'),
  goal: z.number().int().positive().max(1_000_000_000),
  /** ISO 8601 with a time zone, e.g. "2026-12-15T18:00:00-05:00". */
  deadline: z.iso.datetime({ offset: true }).nullable().default(null),
  verification: VerificationSchema.default('none'),
  lastName: LastNameModeSchema.default('optional'),
  countThreshold: z.number().int().nonnegative().nullable().default(null),
  /** Slug of the newsletter list offered by "keep me informed", or null. */
  keepInformedList: SlugSchema.nullable().default(null),
  shareUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  texts: z
    .record(
      z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language tag such as "en" or "pt-BR"'),
      z.strictObject({
        title: z.string().trim().min(1).max(200),
        summary: z.string().trim().min(1).max(1000),
        body: z.string().max(50_000),
        target: z.string().trim().min(1).max(200),
        outcome: z.string().trim().max(2000).nullable().default(null),
      }),
    )
    .refine((t) => Object.keys(t).length > 0, 'At least one language'),
});

async function petitionPut(args: string[]): Promise<number> {
  const [file] = args;
  const f = await readFileAs(file, PetitionFile, USAGE);
  if (typeof f === 'number') return f;
  const app = await buildApp({ config: loadConfig(process.env), runJobs: false, logger: false });
  try {
    const ctx = app.compa;
    let newsletterListId: number | null = null;
    if (f.keepInformedList) {
      const list = (await ctx.store.listLists({ publicOnly: false })).find((l) => l.slug === f.keepInformedList);
      if (!list) {
        console.error(`${file}: keepInformedList: no newsletter list "${f.keepInformedList}"`);
        return 65;
      }
      newsletterListId = list.id;
    }
    const texts = Object.fromEntries(Object.entries(f.texts).map(([locale, t]) => [locale, { ...t, body: sanitizeRichText(t.body) }]));
    const fields = {
      slug: f.slug,
      status: f.status,
      texts,
      goal: f.goal,
      deadline: f.deadline ? new Date(f.deadline) : null,
      verification: f.verification,
      lastName: f.lastName,
      countThreshold: f.countThreshold,
      newsletterListId,
      shareUrl: f.shareUrl,
    };
    const existing = await ctx.store.getPetition(f.slug);
    if (existing) await ctx.store.updatePetition(existing.id, { ...fields, now: ctx.now() });
    else await ctx.store.createPetition({ ...fields, now: ctx.now() });
    console.error(`${existing ? 'updated' : 'created'} petition "${f.slug}" (${f.status}; languages: ${Object.keys(texts).join(', ')})`);
    return 0;
  } finally {
    await app.close();
  }
}

async function listPetitions(): Promise<number> {
  const app = await buildApp({ config: loadConfig(process.env), runJobs: false, logger: false });
  try {
    const now = app.compa.now();
    const rows = (await app.compa.store.listPetitions()).map((p) => {
      const status = p.status === 'open' && p.deadline && p.deadline <= now ? 'closed (deadline)' : p.status;
      return [p.slug, status, `${p.count} / ${p.goal}`, Object.keys(p.texts).join(',')];
    });
    process.stdout.write(['slug\tstatus\tcount / goal\tlanguages', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
    return 0;
  } finally {
    await app.close();
  }
}

async function actionLinks(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { petition: { type: 'string' }, page: { type: 'string' }, list: { type: 'string' }, email: { type: 'string' }, days: { type: 'string' } },
  });
  if (!values.petition || !values.page || (!values.list && !values.email)) {
    console.error(USAGE);
    return 64;
  }
  let page: URL;
  try {
    page = new URL(values.page);
    if (!/^https?:$/.test(page.protocol)) throw new Error();
  } catch {
    console.error(`--page: not an http(s) URL: ${values.page}`);
    return 64;
  }
  const days = values.days === undefined ? ACTION_LINK_TTL_MS / 86_400_000 : Number(values.days);
  if (!Number.isFinite(days) || days <= 0 || days > 365) {
    console.error('--days: a number of days between 1 and 365');
    return 64;
  }
  const app = await buildApp({ config: loadConfig(process.env), runJobs: false, logger: false });
  try {
    const ctx = app.compa;
    const petition = await ctx.store.getPetition(values.petition);
    if (!petition) {
      console.error(`--petition: no petition "${values.petition}"`);
      return 65;
    }
    let supporters;
    if (values.email) {
      const one = await ctx.store.getSubscriberByEmail(values.email);
      if (!one) {
        console.error('--email: this address is not a subscriber');
        return 65;
      }
      supporters = [one];
    } else {
      const list = (await ctx.store.listLists({ publicOnly: false })).find((l) => l.slug === values.list);
      if (!list) {
        console.error(`--list: no list "${values.list}"`);
        return 65;
      }
      supporters = await ctx.store.confirmedSubscribers(list.id);
    }
    const out = ['email,first_name,link'];
    for (const s of supporters) {
      const link = new URL(page);
      link.searchParams.set(ACTION_PARAM, actionToken(ctx, petition, s.id, days * 86_400_000));
      link.searchParams.set(CAMPAIGN_PARAM, petition.slug);
      out.push([s.email, s.firstName ?? '', link.href].map(cell).join(','));
    }
    process.stdout.write(out.join('\n') + '\n');
    console.error(`${supporters.length} action link(s) for "${petition.slug}"`);
    return 0;
  } finally {
    await app.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'action-links') process.exitCode = await actionLinks(rest);
  else if (command === 'webinar-put') process.exitCode = await webinarPut(rest, USAGE);
  else if (command === 'webinars') process.exitCode = await listWebinars();
  else if (command === 'registrations') process.exitCode = await listRegistrations(rest, USAGE);
  else if (command === 'registration-approve') process.exitCode = await decide(rest, 'approve', USAGE);
  else if (command === 'registration-decline') process.exitCode = await decide(rest, 'decline', USAGE);
  else if (command === 'petition-put') process.exitCode = await petitionPut(rest);
  else if (command === 'petitions') process.exitCode = await listPetitions();
  else if (command === 'story-put') process.exitCode = await storyPut(rest, USAGE);
  else if (command === 'stories') process.exitCode = await listStories();
  else if (command === 'story-withdraw') process.exitCode = await withdrawStory(rest, USAGE);
  else if (command === 'stories-import') process.exitCode = await importFeedsNow();
  else {
    console.error(USAGE);
    process.exitCode = 64;
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exitCode = 78;
  } else throw err;
}
