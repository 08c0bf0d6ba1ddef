/**
 * The privacy commands of `compa`: export, erase, retention, keys. They work on the database and keys of the
 * configuration (COMPA_DATABASE_URL, COMPA_DATA_KEYS / COMPA_KEY_FILE…), like the server; `compa export --server`
 * reads a running server's admin API instead, so that sealed rows are opened on the organisation's own computer.
 */
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { Command } from '../cli/command.ts';
import { EXIT } from '../cli/command.ts';
import { parseOptions, UsageError } from '../cli/args.ts';
import { withApp } from '../webinars/cli.ts';
import { generateKey, generateSealKeyPair, loadSodium, SealOpener, VaultError } from '../crypto/vault.ts';
import { PrivacyStore, type ExportKind } from '../store/privacy-store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { auditCommand, eraseEverywhere, EXPORT_COLUMNS, EXPORT_KINDS, exportLine, exportLines, openRow, runRetention, SealedError, type ExportFormat } from './service.ts';

/** Reads the organisation's private key file (base64 of 32 bytes, as `compa keys seal-pair` writes it). */
export async function readPrivateKey(file: string): Promise<SealOpener> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--private-key: cannot read ${file}`);
  }
  const line = text.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith('#'))?.trim() ?? '';
  const key = Buffer.from(line.replace(/^COMPA_SEAL_PRIVATE_KEY=/, ''), 'base64');
  if (key.length !== 32) throw new UsageError(`--private-key: ${file} does not hold a 32-byte key in base64`);
  await loadSodium();
  return new SealOpener(key);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** A row read from the admin API (JSON Lines, sealed values as they are) in the format asked for. */
const remoteLine = (kind: ExportKind, row: Record<string, unknown>, format: ExportFormat, opener: SealOpener | null): string =>
  exportLine(kind, openRow(null, row, { opener }), format);

async function remoteExport(
  server: string,
  kind: ExportKind,
  format: ExportFormat,
  opts: { campaign?: string; since?: string },
  opener: SealOpener | null,
  out: Writable,
): Promise<number> {
  const token = process.env.COMPA_ADMIN_TOKEN;
  if (!token) throw new UsageError('--server needs the admin token in COMPA_ADMIN_TOKEN (`compa token create --name … --scope read`)');
  const url = new URL(`/api/v1/admin/exports/${kind}`, server);
  url.searchParams.set('format', 'jsonl');
  if (opts.campaign) url.searchParams.set('campaign', opts.campaign);
  if (opts.since) url.searchParams.set('since', opts.since);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok || !res.body) {
    console.error(`compa export: ${url.origin} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res.status === 401 || res.status === 403 ? EXIT.unavailable : EXIT.failed;
  }
  let rows = 0;
  if (format === 'csv') await write(out, EXPORT_COLUMNS[kind].join(',') + '\r\n');
  let rest = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      await write(out, remoteLine(kind, JSON.parse(line) as Record<string, unknown>, format, opener));
      rows++;
    }
  }
  if (rest.trim()) {
    await write(out, remoteLine(kind, JSON.parse(rest) as Record<string, unknown>, format, opener));
    rows++;
  }
  return rows;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export subscribers, signatures or registrations as CSV or JSON Lines (streamed)',
  help: `usage: compa export KIND [--campaign SLUG] [--since DATE] [--format csv|jsonl] [--output FILE]
                    [--private-key FILE] [--server URL]

KIND is subscribers, signatures or registrations. Writes every row (one per subscription, signature or
registration) with its consent text, language and time, to stdout or --output FILE (created readable by you only).
CSV is UTF-8 with a header row; a cell a spreadsheet would run as a formula (= + - @) is prefixed with '.
Rows are read page by page: a 100,000-row export uses as little memory as a small one. Erased rows are left out.

  --campaign SLUG     only this newsletter list, petition or webinar
  --since DATE        only rows from this date (2026-01-31 or an ISO 8601 time) on
  --format FORMAT     csv (default) or jsonl
  --output FILE       write there instead of stdout
  --private-key FILE  sealed mode: the organisation's private key (from \`compa keys seal-pair\`), which opens the
                      rows the server sealed. Keep it on your own computer; never copy it to the server.
  --server URL        read from a running Compa through its admin API (token in COMPA_ADMIN_TOKEN, scope read)
                      instead of the local database: with --private-key, sealed rows are opened here, on this
                      computer, and the server never sees the key.

Exit codes: 0 done, 64 bad arguments, 69 sealed rows without --private-key (or the server refused the token),
78 bad configuration.`,
  async run(args) {
    const { values, positionals } = parseOptions(
      args,
      {
        campaign: { type: 'string' },
        since: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'private-key': { type: 'string' },
        server: { type: 'string' },
      },
      1,
    );
    const kind = positionals[0];
    if (!kind) throw new UsageError(`which rows? KIND is one of ${EXPORT_KINDS.join(', ')}`);
    if (!(EXPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`KIND: "${kind}" is not one of ${EXPORT_KINDS.join(', ')}`);
    const format = (values.format ?? 'csv') as ExportFormat;
    if (!['csv', 'jsonl'].includes(format)) throw new UsageError(`--format: "${values.format}" is not csv or jsonl`);
    let since: Date | undefined;
    if (values.since !== undefined) {
      const ok = z.iso.date().or(z.iso.datetime({ offset: true })).safeParse(values.since);
      if (!ok.success) throw new UsageError(`--since: "${values.since}" is not a date such as 2026-01-31`);
      since = new Date(values.since);
    }
    if (values.campaign !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.campaign)) throw new UsageError(`--campaign: "${values.campaign}" is not a slug`);
    if (values.server !== undefined && !/^https?:\/\//.test(values.server)) throw new UsageError(`--server: "${values.server}" is not an http(s) URL`);
    const opener = values['private-key'] ? await readPrivateKey(values['private-key']) : null;
    // A file is written beside its final name, readable by its owner only, and renamed once complete: an export that
    // fails half-way leaves no partial file of personal data, and an existing file never keeps looser permissions.
    const partial = values.output ? `${values.output}.partial-${process.pid}` : null;
    const out: Writable = partial ? createWriteStream(partial, { mode: 0o600, flags: 'wx' }) : process.stdout;
    let rows = 0;
    let complete = false;
    try {
      if (values.server) {
        rows = await remoteExport(values.server, kind as ExportKind, format, { campaign: values.campaign, since: values.since }, opener, out);
      } else {
        await withApp(async (ctx) => {
          for await (const line of exportLines(ctx, kind as ExportKind, format, { campaign: values.campaign, since, opener })) {
            await write(out, line);
            rows++;
          }
          await auditCommand(ctx, `export ${kind}`, { ...(values.campaign ? { campaign: values.campaign } : {}), rows: String(format === 'csv' ? rows - 1 : rows) });
        });
        if (format === 'csv') rows--; // the header
      }
      complete = true;
    } catch (err) {
      if (err instanceof SealedError || err instanceof VaultError) {
        console.error(`compa export: ${err.message}`);
        return EXIT.unavailable;
      }
      throw err;
    } finally {
      if (partial) {
        out.end();
        await once(out, 'close');
        if (complete) await rename(partial, values.output!);
        else await rm(partial, { force: true });
      }
    }
    console.error(`${rows} ${kind} exported${values.output ? ` to ${values.output}` : ''}`);
    return EXIT.ok;
  },
};

export const eraseCommand: Command = {
  name: 'erase',
  summary: "Erase a person's personal data everywhere (counts kept)",
  help: `usage: compa erase EMAIL [--private-key FILE]
       compa erase - [--private-key FILE]     (reads the address from stdin: not in shell history)

Removes the personal data of this address wherever Compa stores it: the newsletter subscriber (every
subscription ends), petition signatures, webinar registrations (a place at a webinar still ahead goes to the first
on the waitlist), and mail files in the outbox. Counts and per-day figures stay as they were. Running it again
erases nothing more (exit 0). Nothing of the address is written to the logs or the audit log.

  --private-key FILE  sealed mode: the organisation's private key. Sealed signatures and registrations of closed
                      campaigns keep no hash of the address, so only this key can find them; without it they are
                      not checked (the command says how many).

Exit codes: 0 done (also when nothing was left), 64 not an email address, 78 bad configuration.`,
  async run(args) {
    const { values, positionals } = parseOptions(args, { 'private-key': { type: 'string' } }, 1);
    let email = positionals[0];
    if (!email) throw new UsageError('which address? compa erase EMAIL (or - to read it from stdin)');
    if (email === '-') {
      let text = '';
      for await (const chunk of process.stdin) text += String(chunk);
      email = text.trim();
    }
    const opener = values['private-key'] ? await readPrivateKey(values['private-key']) : null;
    if (!z.email().safeParse(email.trim()).success) throw new UsageError(`EMAIL: "${email}" is not an email address`);
    const r = await withApp(async (ctx) => {
      const done = await eraseEverywhere(ctx, email, opener);
      // Counts only: the audit log never holds the address.
      await auditCommand(ctx, 'erase', { subscribers: String(done.subscribers), signatures: String(done.signatures), registrations: String(done.registrations) });
      return done;
    });
    const total = r.subscribers + r.signatures + r.registrations + r.outboxFiles;
    if (!total) console.log('nothing to erase: no personal data of this address is stored (any more)');
    else {
      console.log(
        `erased: ${r.subscribers} subscriber, ${r.signatures} signature(s), ${r.registrations} registration(s), ${r.outboxFiles} mail file(s) in the outbox` +
          (r.promoted.length ? `; ${r.promoted.reduce((n, p) => n + p.ids.length, 0)} waitlisted registration(s) got the freed place` : ''),
      );
    }
    if (!r.walEmptied) {
      console.error('note: the database\'s write-ahead log could not be emptied now (another process was reading); run the command again, or the server does it at its daily retention run');
    }
    if (r.unchecked) {
      console.error(`${r.unchecked} sealed row(s) of closed campaigns can only be matched with the private key: run again with --private-key FILE`);
    }
    return EXIT.ok;
  },
};

export const retentionCommand: Command = {
  name: 'retention',
  summary: 'Strip personal data of campaigns closed longer than COMPA_RETENTION_DAYS ago (--dry-run: report only)',
  help: `usage: compa retention [--dry-run]

The server does this every day. Personal data (addresses, names, comments, answers) of signatures, registrations
and subscriptions of petitions, webinars and newsletter lists closed more than COMPA_RETENTION_DAYS days ago
(default 90) is removed; counts and per-day figures stay. A petition is closed by its status or its deadline, a
webinar when it ends, a list when it is closed (a subscriber still on an open list is kept).

  --dry-run   print what would go, change nothing

Prints one line per campaign: kind, slug, closed at, rows. Exit codes: 0 done, 64 bad arguments, 78 bad configuration.`,
  async run(args) {
    const { values } = parseOptions(args, { 'dry-run': { type: 'boolean' } });
    const dryRun = values['dry-run'] === true;
    const done = await withApp(async (ctx) => {
      const list = await runRetention(ctx, { dryRun });
      if (!dryRun && list.length) await auditCommand(ctx, 'retention', { campaigns: list.map((c) => `${c.kind}:${c.slug}`).join(' '), rows: String(list.reduce((n, c) => n + c.rows, 0)) });
      return { days: ctx.config.retentionDays, list };
    });
    if (!done.list.length) {
      console.log(`nothing ${dryRun ? 'would go' : 'to strip'}: no action on a campaign closed more than ${done.days} days ago still holds personal data`);
      return EXIT.ok;
    }
    console.log(['kind\tslug\tclosed at\trows', ...done.list.map((c) => `${c.kind}\t${c.slug}\t${c.closedAt}\t${c.rows}`)].join('\n'));
    const rows = done.list.reduce((n, c) => n + c.rows, 0);
    console.error(dryRun ? `${rows} row(s) would be stripped (dry run: nothing changed)` : `${rows} row(s) stripped; counts kept`);
    return EXIT.ok;
  },
};

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Keys of personal data: generate, seal-pair, status, rotate, seal',
  help: `usage: compa keys generate [--id ID]
       compa keys seal-pair --private-key FILE
       compa keys status
       compa keys rotate
       compa keys seal

  generate    prints a new data key (COMPA_DATA_KEYS entry, id ID, default k<date>) and a lookup key. To rotate: put
              the new entry FIRST in COMPA_DATA_KEYS, keep the old ones after it, restart; then \`compa keys rotate\`
              (the server also re-encrypts in the background); once \`status\` shows 0 values under an old key,
              remove it. The lookup key can't be rotated (addresses would no longer match): keep it.
  seal-pair   sealed mode: writes a new private key to FILE (readable by you only; keep it OFF the server) and
              prints the COMPA_SEAL_PUBLIC_KEY line for the server's configuration.
  status      how many personal values each data key encrypts, how many are sealed, whether sealed mode is on.
  rotate      re-encrypts every value under an older key with the first key of COMPA_DATA_KEYS.
  seal        sealed mode: seals now the contact data with no mail pending (the server does it every minute).

Exit codes: 0 done, 64 bad arguments, 78 bad configuration.`,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'generate') {
      const { values } = parseOptions(rest, { id: { type: 'string' } });
      const id = values.id ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new UsageError(`--id: "${id}": letters, digits, - and _ only`);
      console.log(`# a new data key (put it first in COMPA_DATA_KEYS, keep the older keys after it until \`compa keys rotate\` ran)`);
      console.log(`${id}:${generateKey().toString('base64')}`);
      console.log(`# a lookup key (only for a NEW installation: an existing database keeps its own)`);
      console.log(`COMPA_LOOKUP_KEY=${generateKey().toString('base64')}`);
      return EXIT.ok;
    }
    if (sub === 'seal-pair') {
      const { values } = parseOptions(rest, { 'private-key': { type: 'string' } });
      const file = values['private-key'];
      if (!file) throw new UsageError('seal-pair needs --private-key FILE (where to write the private key)');
      const kp = await generateSealKeyPair();
      try {
        await writeFile(
          file,
          `# Compa sealed mode: the organisation's PRIVATE key. Keep it offline; \`compa export --private-key ${file}\` opens sealed rows.\n${kp.privateKey.toString('base64')}\n`,
          { mode: 0o600, flag: 'wx' },
        );
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`--private-key: ${file} exists already (not overwritten)`);
        throw err;
      }
      console.log(`COMPA_SEAL_PUBLIC_KEY=${kp.publicKey.toString('base64')}`);
      console.error(`private key written to ${file}: keep it off the server, and keep a copy somewhere safe (without it, sealed rows can't be read)`);
      return EXIT.ok;
    }
    if (sub === 'status' || sub === 'rotate' || sub === 'seal') {
      parseOptions(rest, {});
      return withApp(async (ctx) => {
        const privacy = new PrivacyStore(ctx.store);
        const vault = (ctx.store as KyselyStore).vault;
        if (sub === 'rotate') {
          const n = await privacy.rotateAll();
          console.log(`${n} row(s) re-encrypted with key "${vault.currentKeyId}"`);
          await auditCommand(ctx, 'keys rotate', { key: vault.currentKeyId, rows: String(n) });
        } else if (sub === 'seal') {
          if (!vault.sealedMode) throw new UsageError('sealed mode is off: set COMPA_SEAL_PUBLIC_KEY (compa keys seal-pair)');
          const n = await privacy.sealAll(ctx.now());
          await (ctx.store as KyselyStore).checkpoint();
          console.log(`${n} row(s) sealed`);
        }
        const usage = await privacy.keyUsage();
        console.log(`sealed mode: ${vault.sealedMode ? 'on' : 'off'}; new values use key "${vault.currentKeyId}"`);
        for (const id of new Set([...vault.keyIds, ...Object.keys(usage.byKey)])) {
          const configured = vault.keyIds.includes(id) ? '' : ' (NOT configured: these values cannot be read)';
          console.log(`key ${id}: ${usage.byKey[id] ?? 0} value(s)${configured}`);
        }
        console.log(`sealed: ${usage.sealed} value(s)`);
        return EXIT.ok;
      });
    }
    throw new UsageError(sub ? `keys: unknown subcommand "${sub}" (generate, seal-pair, status, rotate, seal)` : 'keys: which subcommand? (generate, seal-pair, status, rotate, seal)');
  },
};
