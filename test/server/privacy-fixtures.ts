/**
 * Shared by the privacy test files (privacy-erase, privacy-retention, privacy-export): the `compa` command run as a
 * real child process on a harness's database, a scan of every table read in clear, outbox mail read back, and
 * supporters acting through the public API.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, decodeQuotedPrintable, linkIn, mailHeaders, outbox, pathOf, type Harness } from './helpers.ts';

const run = promisify(execFile);

/** The harness clock set to the real time (the `compa` child process reads the real clock), minus `behindMs`. */
export function syncClock(h: Harness, behindMs = 0): void {
  h.clock.advance(Date.now() - behindMs - h.clock.now().getTime());
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/compa.js <args>` on the harness's database (keys from the key file beside it). */
export async function compa(h: Harness, args: string[], opts: { env?: Record<string, string>; nodeArgs?: string[]; timeout?: number } = {}): Promise<CliResult> {
  try {
    const out = await run(process.execPath, [...(opts.nodeArgs ?? []), join(REPO_ROOT, 'bin/compa.js'), ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 256 * 1024 * 1024,
      timeout: opts.timeout ?? 120_000,
      env: {
        PATH: process.env.PATH,
        COMPA_DATABASE_URL: `sqlite:${h.dbPath}`,
        COMPA_OUTBOX_DIR: h.outboxDir,
        COMPA_LOG_LEVEL: 'silent',
        COMPA_DEMO: 'false',
        ...opts.env,
      },
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout: string; stderr: string };
    assert.equal(typeof err.code, 'number', `compa ${args.join(' ')} did not run: ${String(e)}`);
    return { code: err.code as number, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Every table of the database. */
export const allTables = (h: Harness): string[] =>
  h.rawRows<{ name: string }>("select name from sqlite_master where type = 'table' order by name").map((r) => r.name);

/** Every value of every column of every table, read in clear (personal columns decrypted), lower-cased. */
export function everythingInClear(h: Harness): string {
  const parts: string[] = [];
  for (const table of allTables(h)) {
    for (const row of h.rows<Record<string, unknown>>(`select * from "${table}"`)) {
      for (const [column, value] of Object.entries(row)) {
        if (value instanceof Uint8Array) parts.push(`${table}.${column}=${Buffer.from(value).toString('latin1')}`);
        else parts.push(`${table}.${column}=${String(value)}`);
      }
    }
  }
  return parts.join('\n').toLowerCase();
}

/** Where `needle` occurs (table.column), case-insensitive, in the whole database read in clear. */
export function whereFound(h: Harness, needle: string): string[] {
  const found = new Set<string>();
  for (const line of everythingInClear(h).split('\n')) {
    const eq = line.indexOf('=');
    if (line.slice(eq + 1).includes(needle.toLowerCase())) found.add(line.slice(0, eq));
  }
  return [...found];
}

export interface OutboxMail {
  file: string;
  to: string;
  subject: string;
  body: string;
}

/** The outbox's mail files, read back (headers unfolded, body decoded). */
export function outboxMails(h: Harness): OutboxMail[] {
  return outbox(h.outboxDir).map(({ file, raw }) => {
    const head = mailHeaders(raw);
    return {
      file,
      to: (head.get('to') ?? []).join(', ').toLowerCase(),
      subject: decodeWords((head.get('subject') ?? []).join(' ')),
      body: decodeQuotedPrintable(raw.slice(raw.search(/\r?\n\r?\n/))),
    };
  });
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) decoded. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

/** Subscribes through the public API and confirms through the link of the confirmation mail (outbox mailer). */
export async function subscribeConfirmed(h: Harness, body: Record<string, unknown>): Promise<void> {
  const res = await h.subscribe(body);
  assert.equal(res.statusCode, 202, res.body);
  await h.drain();
  const email = String(body.email).toLowerCase();
  const mail = outboxMails(h)
    .filter((m) => m.to.includes(email) && m.body.includes('/newsletter/confirm?t='))
    .at(-1);
  assert.ok(mail, `a confirmation mail to ${email}`);
  const confirm = linkIn(mail.body, h.config.publicUrl, '/newsletter/confirm');
  const page = await h.inject({ url: pathOf(confirm) });
  assert.equal(page.statusCode, 200, page.body);
}

/** POST /api/v1/webinars/:slug/registrations (the answer never tells the status: read it with `registrationStatus`). */
export async function registerFor(h: Harness, slug: string, body: Record<string, unknown>): Promise<void> {
  const res = await h.inject({
    method: 'POST',
    url: `/api/v1/webinars/${slug}/registrations`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  assert.equal(res.statusCode, 202, res.body);
}

/** The status of an address's registration for a webinar. */
export const registrationStatus = (h: Harness, slug: string, email: string): string | undefined =>
  h.rows<{ status: string }>('select r.status from registrations r join webinars w on w.id = r.webinar_id where w.slug = ? and r.email = ?', slug, email.toLowerCase())[0]
    ?.status;

/** Signs through the public API (202 expected). */
export async function signAs(h: Harness, slug: string, body: Record<string, unknown>): Promise<void> {
  const res = await h.sign(slug, body);
  assert.equal(res.statusCode, 202, res.body);
}

/** A minimal CSV parser (RFC 4180: quoted fields with "" escapes, commas and line breaks inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n') {
      assert.fail(`a bare LF outside quotes at ${i}: lines must end with CRLF`);
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV text as objects keyed by its header row. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  assert.ok(header, 'a header row');
  return rows.map((r) => {
    assert.equal(r.length, header.length, `every row has ${header.length} fields: ${JSON.stringify(r)}`);
    return Object.fromEntries(header.map((k, i) => [k, r[i]!]));
  });
}
