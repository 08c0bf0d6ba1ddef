/**
 * The admin commands of `compa`: `token` (create, list and revoke the admin API's tokens) and `import` (the
 * organisation's content from one JSON file). They work on the same database as the server.
 */
import { auditCommand } from './command-audit.ts';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseOptions, UsageError } from '../cli/args.ts';
import { EXIT, type Command } from '../cli/command.ts';
import { withApp } from '../webinars/cli.ts';
import { importFile } from './import.ts';
import { TokenError, createToken, listTokens, revokeToken } from './tokens.ts';

const TOKEN_HELP = `usage: compa token create --name NAME [--scope read|write]
       compa token list
       compa token revoke ID|NAME

Tokens of the admin API (/api/v1/admin/…, README: "Admin API"). Send one as "Authorization: Bearer compa_…".

  create   Makes a token and prints it on stdout, once: it is not stored (only its SHA-256 is) and can't be
           shown again; keep it in a password manager or your automation's secrets.
           --name NAME      what it is for ("website sync", "Ana's laptop"): 1-64 letters, digits, spaces,
                            . _ @ -; unique (a revoked token's name stays taken)
           --scope read     read-only: the GET routes (the default)
           --scope write    every route: create, update, open/close, approve, withdraw…
  list     Prints the tokens, tab-separated under a header: id, name, scope, created, last used, revoked.
           Never the tokens themselves.
  revoke   Revokes the token with this id or name at once: every request with it is refused from now on.

Creating and revoking are written to the audit log (GET /api/v1/admin/audit).

Exit codes: 0 done, 64 a wrong command line, 65 a bad or taken name (create) or no such live token (revoke),
78 a COMPA_* variable is wrong.
`;

export const tokenCommand: Command = {
  name: 'token',
  summary: 'create, list or revoke the tokens of the admin API',
  help: TOKEN_HELP,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      console.log(TOKEN_HELP.trimEnd());
      return EXIT.ok;
    }
    if (sub === 'create') {
      const { values } = parseOptions(rest, { name: { type: 'string' }, scope: { type: 'string' } });
      if (!values.name) throw new UsageError('create needs --name NAME');
      const scope = values.scope ?? 'read';
      if (scope !== 'read' && scope !== 'write') throw new UsageError('--scope must be read or write');
      return withApp(async (ctx) => {
        try {
          const t = await createToken(ctx, { name: values.name!, scope });
          process.stdout.write(`${t.token}\n`);
          console.error(`created token ${t.id} "${t.name}" (scope ${t.scope}); it is shown only this once: keep it secret`);
          return EXIT.ok;
        } catch (err) {
          if (!(err instanceof TokenError)) throw err;
          console.error(`compa token create: ${err.message}`);
          return EXIT.data;
        }
      });
    }
    if (sub === 'list') {
      parseOptions(rest, {});
      return withApp(async (ctx) => {
        const rows = ['id\tname\tscope\tcreated\tlast used\trevoked'];
        for (const t of await listTokens(ctx)) rows.push([t.id, t.name, t.scope, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? '-'].join('\t'));
        process.stdout.write(rows.join('\n') + '\n');
        return EXIT.ok;
      });
    }
    if (sub === 'revoke') {
      const { positionals } = parseOptions(rest, {}, 1);
      const [which] = positionals;
      if (!which) throw new UsageError('revoke needs the id or name of a token');
      return withApp(async (ctx) => {
        if (!(await revokeToken(ctx, which))) {
          console.error(`compa token revoke: no live token with the id or name "${which}" (compa token list shows them)`);
          return EXIT.data;
        }
        console.error(`token "${which}" revoked: requests with it are refused from now on`);
        return EXIT.ok;
      });
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}" (create, list or revoke)` : 'which subcommand? create, list or revoke');
  },
};

const IMPORT_HELP = `usage: compa import FILE.json

Creates or updates the organisation's content described by the file (README: "Keeping content in files"): story
feeds, newsletter lists, petitions, webinars and stories, in that order, with the same rules as the admin API. An
item whose id or slug exists is updated; any other is created; nothing is deleted. The file is checked first, all
of it: each mistake is printed as FILE: path: message (e.g. petitions[1].texts.es.title: Required) and, when
there is any, nothing is written. Then every item is written together: all of them, or none.

The file is one JSON object; every key is optional:

  {
    "feeds":     [{ "id": "partner-radio", "url": "https://radio.example/feed.xml", "lang": "es", "partner": "…" }],
    "lists":     [{ "slug": "urgent-actions", "texts": { "en": { "name": "…", "description": "…" } },
                    "isPublic": true, "closed": false }],
    "petitions": [{ "slug": "…", "status": "open", "goal": 5000, "texts": { "en": { "title": "…", "summary": "…",
                    "body": "<p>…</p>", "target": "…" } } }],
    "webinars":  [{ "slug": "…", "heldIn": "es", "start": "…", "end": "…", "timeZone": "America/Bogota",
                    "capacity": 100, "joinUrl": "https://…", "texts": { "es": { "title": "…", "description": "…" } } }],
    "stories":   [{ "id": "…", "date": "2026-11-20T09:00:00-05:00", "texts": { "es": { "title": "…", "body": "…" } },
                    "image": { "file": "photo.jpg", "alt": { "es": "…" } } }]
  }

Each item has the fields of petition-put, webinar-put and story-put files (README); a story's photo is a file
next to the import file ("file") or inline ("data", base64), stored without its metadata. "closed": true closes
a list or a webinar's registration (a petition closes with "status": "closed"); leaving it out changes nothing.

Prints one line per item on stdout: kind, id, created / updated / unchanged.

Exit codes: 0 done, 64 no file given or a wrong option, 65 the file is not JSON or has mistakes (nothing is
written), 66 the file cannot be read, 78 a COMPA_* variable is wrong.
`;

export const importCommand: Command = {
  name: 'import',
  summary: 'create or update lists, petitions, webinars, stories and feeds from one JSON file',
  help: IMPORT_HELP,
  async run(args) {
    const { positionals } = parseOptions(args, {}, 1);
    const [file] = positionals;
    if (!file) throw new UsageError('which file? compa import FILE.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      console.error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return EXIT.noInput;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      console.error(`${file}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT.data;
    }
    return withApp(async (ctx) => {
      const r = await importFile(ctx, json, dirname(resolve(file)));
      if (!r.ok) {
        for (const e of r.errors) console.error(`${file}: ${e.path}: ${e.message}`);
        console.error(`${r.errors.length} mistake(s): nothing was written`);
        return EXIT.data;
      }
      for (const a of r.applied) process.stdout.write(`${a.kind}\t${a.id}\t${a.outcome}\n`);
      await auditCommand(ctx, 'import', { items: r.applied.map((a) => `${a.kind}:${a.id}:${a.outcome}`).join(' ').slice(0, 2000) });
      return EXIT.ok;
    });
  },
};
