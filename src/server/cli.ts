/**
 * `npm run compa -- <command>`: organiser tasks on the same database and secret as the server.
 *
 *   action-links --petition SLUG --page URL (--list SLUG | --email ADDRESS) [--days N]
 *     Prints CSV (`email,first_name,link`) of one-click action links for confirmed subscribers of a list (or one
 *     address), to paste into the organisation's mailing. Each link opens URL (the page that embeds
 *     `<compa-petition campaign="SLUG">`) with a signed token that signs THIS petition as THAT supporter, expires
 *     after N days (default 14, never after the deadline) and cannot be altered or used for another petition.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { ACTION_LINK_TTL_MS, ACTION_PARAM, actionToken } from './petitions/service.ts';

const USAGE = 'usage: npm run compa -- action-links --petition SLUG --page URL (--list SLUG | --email ADDRESS) [--days N]';

/** A CSV cell that a spreadsheet will not run as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
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
