/**
 * The campaign commands of `compa`: petitions (list, action links), webinars (publish, list, registrations,
 * approval) and stories (publish, list, withdraw, import feeds). They work on the same database and secret as
 * the server; the mails they cause are persisted jobs that the running server sends within seconds.
 * The work itself is in src/server/petitions/admin.ts, src/server/webinars/cli.ts and src/server/stories/cli.ts.
 */
import { auditCommand } from '../admin/command-audit.ts';
import { readPrivateKey } from '../privacy/cli.ts';
import { ACTION_LINK_TTL_MS, ACTION_PARAM, CAMPAIGN_PARAM, actionToken } from '../petitions/service.ts';
import { PetitionFile, checkPetition, putPetition } from '../petitions/admin.ts';
import { cell, readFileAs } from '../csv.ts';
import { decide, listRegistrations, listWebinars, webinarPut, withApp } from '../webinars/cli.ts';
import { importFeedsNow, listStories, storyPut, withdrawStory } from '../stories/cli.ts';
import { parseOptions } from './args.ts';
import { EXIT, type Command } from './command.ts';

/** The one-line usage printed when a required argument is missing (exit 64). */
const usage = (line: string) => `usage: compa ${line}\n(compa ${line.split(' ')[0]} --help explains)`;

const FILE_CODES = `Exit codes: 0 done, 64 no file given or a wrong option, 65 the file is not valid JSON or has mistakes (each
printed as FILE: field: message; nothing is written), 66 a file it names cannot be read, 78 a COMPA_* variable
is wrong.`;

export const petitionPutCommand: Command = {
  name: 'petition-put',
  summary: 'publish a petition from a JSON file, or update the one with its slug',
  help: `usage: compa petition-put FILE.json

Creates the petition described by the file, or updates the one with the same slug: texts, goal, deadline,
status… (README: "Publishing a petition"); the count is never touched. The file is checked first: a mistake
names the field and nothing is written. Bodies are sanitised (README: the allowed markup). Prints what it did
on stderr. No options.

${FILE_CODES}
`,
  async run(args) {
    const { positionals } = parseOptions(args, {}, 1);
    const [file] = positionals;
    const f = await readFileAs(file, PetitionFile, usage('petition-put FILE.json'));
    if (typeof f === 'number') return f;
    return withApp(async (ctx) => {
      const bad = Object.entries(await checkPetition(ctx, f));
      for (const [field, message] of bad) console.error(`${file}: ${field}: ${message}`);
      if (bad.length) return EXIT.data;
      const { outcome } = await putPetition(ctx, f);
      await auditCommand(ctx, 'petition-put', { slug: f.slug, outcome });
      console.error(`${outcome} petition "${f.slug}" (${f.status}; languages: ${Object.keys(f.texts).join(', ')})`);
      return EXIT.ok;
    });
  },
};

export const petitionsCommand: Command = {
  name: 'petitions',
  summary: 'list the petitions: slug, status, count / goal, languages',
  help: `usage: compa petitions

Prints one line per petition, tab-separated, under a header: slug, status (open, closed, draft; an open
petition past its deadline is "closed (deadline)"), count / goal, languages. No options.

Exit codes: 0 done, 64 a wrong option, 78 a COMPA_* variable is wrong.
`,
  async run(args) {
    parseOptions(args, {});
    return withApp(async (ctx) => {
      const now = ctx.now();
      const rows = (await ctx.store.listPetitions()).map((p) => {
        const status = p.status === 'open' && p.deadline && p.deadline <= now ? 'closed (deadline)' : p.status;
        return [p.slug, status, `${p.count} / ${p.goal}`, Object.keys(p.texts).join(',')];
      });
      process.stdout.write(['slug\tstatus\tcount / goal\tlanguages', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
      return EXIT.ok;
    });
  },
};

const ACTION_LINKS = 'action-links --petition SLUG --page URL (--list SLUG | --email ADDRESS) [--days N]';

export const actionLinksCommand: Command = {
  name: 'action-links',
  summary: "print one-click petition links for a list's subscribers (CSV), for a mailing",
  help: `usage: compa ${ACTION_LINKS}

Prints CSV (email,first_name,link) with one link per confirmed subscriber of a newsletter list, or for one
address, to paste into the organisation's mailing tool. Each link opens the page that embeds
<compa-petition campaign="SLUG"> with a signed token that signs THIS petition as THAT supporter; it cannot be
altered or used for another petition. Spreadsheet formulas in names are neutralised.

Options:
  --petition SLUG   the petition the links sign (required)
  --page URL        the http(s) page that embeds the petition widget (required); its own parameters are kept
  --list SLUG       every confirmed subscriber of this newsletter list
  --email ADDRESS   or one subscriber
  --days N          how long the links work, 1 to 365 days (default 14; never past the petition's deadline)
  --private-key FILE  sealed mode: the organisation's private key, which opens the subscribers the server sealed
                    (run this on your own computer against a copy of the database, or on the server with the
                    key on a removable disk; never leave the key there)

Exit codes: 0 done, 64 a missing or wrong option, 65 no such petition, list or subscriber, 69 sealed
subscribers without --private-key, 78 a COMPA_* variable is wrong.
`,
  async run(args) {
    const { values } = parseOptions(args, {
      petition: { type: 'string' },
      page: { type: 'string' },
      list: { type: 'string' },
      email: { type: 'string' },
      days: { type: 'string' },
      'private-key': { type: 'string' },
    });
    const opener = values['private-key'] ? await readPrivateKey(values['private-key']) : null;
    if (!values.petition || !values.page || (!values.list && !values.email)) {
      console.error(usage(ACTION_LINKS));
      return EXIT.usage;
    }
    let page: URL;
    try {
      page = new URL(values.page);
      if (!/^https?:$/.test(page.protocol)) throw new Error();
    } catch {
      console.error(`--page: not an http(s) URL: ${values.page}`);
      return EXIT.usage;
    }
    const days = values.days === undefined ? ACTION_LINK_TTL_MS / 86_400_000 : Number(values.days);
    if (!Number.isFinite(days) || days <= 0 || days > 365) {
      console.error('--days: a number of days between 1 and 365');
      return EXIT.usage;
    }
    return withApp(async (ctx) => {
      const petition = await ctx.store.getPetition(values.petition!);
      if (!petition) {
        console.error(`--petition: no petition "${values.petition}"`);
        return EXIT.data;
      }
      let supporters;
      if (values.email) {
        const one = await ctx.store.getSubscriberByEmail(values.email);
        if (!one) {
          console.error('--email: this address is not a subscriber');
          return EXIT.data;
        }
        supporters = [one];
      } else {
        const list = (await ctx.store.listLists({ publicOnly: false })).find((l) => l.slug === values.list);
        if (!list) {
          console.error(`--list: no list "${values.list}"`);
          return EXIT.data;
        }
        supporters = await ctx.store.confirmedSubscribers(list.id);
      }
      const out = ['email,first_name,link'];
      for (const s of supporters) {
        const link = new URL(page);
        link.searchParams.set(ACTION_PARAM, actionToken(ctx, petition, s.id, days * 86_400_000));
        link.searchParams.set(CAMPAIGN_PARAM, petition.slug);
        let { email, firstName } = s;
        if (s.sealed) {
          if (!opener) {
            console.error('action-links: some subscribers are sealed (sealed mode): give the private key with --private-key FILE');
            return EXIT.unavailable;
          }
          email = opener.open(s.sealed.email, 'email');
          firstName = s.sealed.firstName ? opener.open(s.sealed.firstName, 'first_name') : null;
        }
        out.push([email, firstName ?? '', link.href].map(cell).join(','));
      }
      process.stdout.write(out.join('\n') + '\n');
      console.error(`${supporters.length} action link(s) for "${petition.slug}"`);
      return EXIT.ok;
    });
  },
};

export const webinarPutCommand: Command = {
  name: 'webinar-put',
  summary: 'publish a webinar from a JSON file, or update the one with its slug',
  help: `usage: compa webinar-put FILE.json

Creates the webinar described by the file, or updates the one with the same slug (README: "Publishing a
webinar"). The file is checked first: a mistake names the field and nothing is written. Registrations are kept;
a raised capacity gives the new places to the waitlist in order (they are emailed); a new time moves the
reminders. Prints what it did on stderr. No options.

${FILE_CODES}
`,
  async run(args) {
    const { positionals } = parseOptions(args, {}, 1);
    return webinarPut(positionals, usage('webinar-put FILE.json'));
  },
};

export const webinarsCommand: Command = {
  name: 'webinars',
  summary: 'list the webinars: status, start, places, waitlist, awaiting approval',
  help: `usage: compa webinars

Prints one line per webinar, tab-separated, under a header: slug, status (draft, published, started, ended),
start (UTC), places taken / capacity, waitlist, awaiting approval, languages. No options.

Exit codes: 0 done, 64 a wrong option, 78 a COMPA_* variable is wrong.
`,
  async run(args) {
    parseOptions(args, {});
    return listWebinars();
  },
};

export const registrationsCommand: Command = {
  name: 'registrations',
  summary: "print a webinar's registrations as CSV, waitlist in order",
  help: `usage: compa registrations --webinar SLUG

Prints CSV (id,status,name,email,registered_at,answers) of the webinar's registrations, the waitlist in order.

Options:
  --webinar SLUG   the webinar (required)

Exit codes: 0 done, 64 a missing or wrong option, 65 no such webinar, 78 a COMPA_* variable is wrong.
`,
  async run(args) {
    return listRegistrations(args, usage('registrations --webinar SLUG'));
  },
};

const decision = (name: 'registration-approve' | 'registration-decline'): Command => {
  const approve = name === 'registration-approve';
  return {
    name,
    summary: approve
      ? 'approval mode: give a pending registration a place (or the waitlist)'
      : 'approval mode: decline a pending registration',
    help: `usage: compa ${name} --webinar SLUG (--id N | --email ADDRESS)

${
  approve
    ? 'Gives the pending registration a place, or a place on the waitlist when the webinar is full.'
    : 'Declines the pending registration.'
} The supporter is emailed
by the running server's job loop within seconds. Only a registration awaiting approval changes.

Options:
  --webinar SLUG    the webinar (required)
  --id N            the registration's id (from \`compa registrations\`)
  --email ADDRESS   or the address it was made with

Exit codes: 0 done, 64 a missing or wrong option, 65 no such webinar or registration, or not awaiting approval,
78 a COMPA_* variable is wrong.
`,
    async run(args) {
      return decide(args, approve ? 'approve' : 'decline', usage(`${name} --webinar SLUG (--id N | --email ADDRESS)`));
    },
  };
};

export const registrationApproveCommand = decision('registration-approve');
export const registrationDeclineCommand = decision('registration-decline');

export const storyPutCommand: Command = {
  name: 'story-put',
  summary: 'publish a story from a JSON file (photo metadata removed), or update it',
  help: `usage: compa story-put FILE.json

Creates the story described by the file, or updates the one with the same id (README: "Publishing a story").
The file is checked first: a mistake names the field and nothing is written. Its photo (a file next to the JSON)
is stored without its metadata (EXIF, GPS). Putting a withdrawn story again publishes it again. No options.

${FILE_CODES}
`,
  async run(args) {
    const { positionals } = parseOptions(args, {}, 1);
    return storyPut(positionals, usage('story-put FILE.json'));
  },
};

export const storiesCommand: Command = {
  name: 'stories',
  summary: 'list every story: id, date, languages, status, source',
  help: `usage: compa stories

Prints one line per story, tab-separated: id, date, languages, status (shown, scheduled, withdrawn, hidden),
source (cli or the feed's URL). No options.

Exit codes: 0 done, 64 a wrong option, 78 a COMPA_* variable is wrong.
`,
  async run(args) {
    parseOptions(args, {});
    return listStories();
  },
};

export const storyWithdrawCommand: Command = {
  name: 'story-withdraw',
  summary: 'consent withdrawn: remove a story now or at a date, its texts and images deleted',
  help: `usage: compa story-withdraw ID [--at ISO-DATE]

Consent withdrawn: the story leaves every answer now, or at the date given, and then its texts and images are
deleted. Its feed cannot bring it back.

Options:
  --at ISO-DATE   when, e.g. 2027-01-31T00:00:00-05:00 (default: now)

Exit codes: 0 done, 64 no id or a wrong option or date, 65 no such story, 78 a COMPA_* variable is wrong.
`,
  async run(args) {
    return withdrawStory(args, usage('story-withdraw ID [--at ISO-DATE]'));
  },
};

export const storiesImportCommand: Command = {
  name: 'stories-import',
  summary: 'read the story feeds of COMPA_STORY_FEEDS now',
  help: `usage: compa stories-import

Reads the feeds of COMPA_STORY_FEEDS now (the running server also does, every
COMPA_STORY_FEED_INTERVAL_MINUTES) and prints, for each feed, how many items were new, updated, unchanged,
withdrawn, skipped or hidden, or why it was not imported. No options.

Exit codes: 0 done, 1 a feed could not be imported, 64 a wrong option, 78 no feeds configured or a COMPA_*
variable is wrong.
`,
  async run(args) {
    parseOptions(args, {});
    return importFeedsNow();
  },
};
