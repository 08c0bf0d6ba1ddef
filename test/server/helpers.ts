/**
 * Test harness for the Compa server: a real SQLite file in a fresh temp dir, the real Fastify app
 * (`app.inject`, no port), a capturing mailer (or the real outbox mailer), a clock the test moves,
 * and optionally the server's log lines. Every harness cleans up after its test (`t.after`).
 */
import assert from 'node:assert/strict';
import { ErrorBodySchema } from '../../src/schemas/errors.ts';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { buildApp, compa, fastifyOptions } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import type { Mailer, OutgoingMail } from '../../src/server/mail/mailer.ts';
import type { CreatePetitionInput, PetitionRecord } from '../../src/server/store/store.ts';
import type { KyselyStore } from '../../src/server/store/kysely-store.ts';
import { openClearReader } from './clear-view.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A clock the test moves by hand (the server reads it through `buildApp({ now })`). */
export class Clock {
  #t: number;
  constructor(start = '2026-03-02T10:00:00.000Z') {
    this.#t = Date.parse(start);
  }
  now = (): Date => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A Mailer that keeps every message in memory. */
export function captureMailer(): Mailer & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(structuredClone(mail));
    },
    async close() {},
  };
}

export const TABLES = ['subscribers', 'subscriptions', 'jobs', 'idempotency_keys', 'newsletter_lists', 'petitions', 'signatures', 'webinars', 'registrations', 'stories', 'story_media', 'story_feeds'] as const;
export type Counts = Record<(typeof TABLES)[number], number>;

export interface HarnessOptions {
  /** COMPA_* variables on top of the harness defaults. */
  env?: Record<string, string>;
  /** `capture` (default): in-memory mailer. `outbox`: the server's own outbox mailer (writes .eml files). */
  mailer?: 'capture' | 'outbox';
  /** Capture the server's log lines (at COMPA_LOG_LEVEL, default `trace` when capturing). */
  captureLogs?: boolean;
}

export interface Harness {
  app: FastifyInstance;
  config: Config;
  dir: string;
  dbPath: string;
  outboxDir: string;
  clock: Clock;
  /** Mails sent through the capturing mailer (empty with `mailer: 'outbox'`). */
  mails: OutgoingMail[];
  /** Raw log lines (only with `captureLogs`). */
  logs: string[];
  /**
   * Rows of a read-only query on the SQLite file the server writes, personal columns in clear as the server reads
   * them (`email` is the decrypted `email_enc`; see clear-view.ts).
   */
  rows<T = Record<string, unknown>>(sql: string, ...params: SQLInputValue[]): T[];
  /** The same, as stored: personal columns encrypted. */
  rawRows<T = Record<string, unknown>>(sql: string, ...params: SQLInputValue[]): T[];
  counts(): Counts;
  /** Runs every due job (mail sending) now; returns how many ran. */
  drain(): Promise<number>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** POST /api/v1/subscriptions with a JSON body. */
  subscribe(body: unknown, headers?: Record<string, string>, extra?: Partial<InjectOptions>): Promise<LightMyRequestResponse>;
  /** POST /api/v1/petitions/:slug/signatures with a JSON body (a string is sent as is). */
  sign(slug: string, body: unknown, headers?: Record<string, string>, extra?: Partial<InjectOptions>): Promise<LightMyRequestResponse>;
}

/** Starts a fresh server on a fresh database; everything is closed and removed when the test ends. */
export async function harness(t: TestContext, opts: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'compa-test-'));
  const dbPath = join(dir, 'compa.db');
  const outboxDir = join(dir, 'outbox');
  const config = loadConfig({
    COMPA_DATABASE_URL: `sqlite:${dbPath}`,
    COMPA_OUTBOX_DIR: outboxDir,
    COMPA_DIST_DIR: join(dir, 'dist'),
    COMPA_LOG_LEVEL: opts.captureLogs ? 'trace' : 'silent',
    // Tests send many writes from one address; the limiter itself is tested with explicit values.
    COMPA_RATE_LIMIT_WRITE_MAX: '1000',
    ...opts.env,
  });
  const clock = new Clock();
  const capture = captureMailer();
  const mailer = opts.mailer === 'outbox' ? undefined : capture;
  const logs: string[] = [];

  let app: FastifyInstance;
  if (opts.captureLogs) {
    const base = fastifyOptions(config, true);
    const stream = new Writable({
      write(chunk, _enc, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    app = Fastify({ ...base, logger: { ...(base.logger as object), stream } });
    await app.register(compa, { config, mailer, now: clock.now, runJobs: false });
  } else {
    app = await buildApp({ config, mailer, now: clock.now, runJobs: false, logger: false });
  }
  await app.ready();

  let db: DatabaseSync | null = null;
  // Personal columns read in clear here (see clear-view.ts); `rawRows` reads what the file holds.
  const reader = () => (db ??= openClearReader(dbPath, (app.compa.store as KyselyStore).vault));
  let rawDb: DatabaseSync | null = null;
  const rawReader = () => (rawDb ??= new DatabaseSync(dbPath, { readOnly: true }));
  t.after(async () => {
    db?.close();
    rawDb?.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const h: Harness = {
    app,
    config,
    dir,
    dbPath,
    outboxDir,
    clock,
    mails: capture.sent,
    logs,
    rows: <T>(sql: string, ...params: SQLInputValue[]) => reader().prepare(sql).all(...params) as T[],
    rawRows: <T>(sql: string, ...params: SQLInputValue[]) => rawReader().prepare(sql).all(...params) as T[],
    counts() {
      const out = {} as Counts;
      for (const table of TABLES) out[table] = Number(h.rows<{ n: number }>(`select count(*) as n from ${table}`)[0]!.n);
      return out;
    },
    drain: () => app.compa.jobs.drain(),
    inject: (o) => app.inject(o),
    subscribe: (body, headers = {}, extra = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/subscriptions',
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        ...extra,
      }),
    sign: (slug, body, headers = {}, extra = {}) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/petitions/${slug}/signatures`,
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        ...extra,
      }),
  };
  return h;
}

let seq = 0;
/** A valid subscription request body; each call uses a new address unless `email` is given. */
export function subscription(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    email: `supporter-${process.pid}-${seq}@example.org`,
    lists: ['weekly-bulletin'],
    locale: 'en',
    consent: true,
    consentText: 'Yes, send me the weekly bulletin. I can unsubscribe at any time.',
    ...overrides,
  };
}

/** The demo petitions (seeded on every harness): open, verification none, list `urgent-actions`; and closed. */
export const OPEN_PETITION = 'protect-rio-verde-defenders';
export const CLOSED_PETITION = 'release-maria-lopez';

/** A valid signature request body (verification by details); each call uses a new address unless `email` is given. */
export function signature(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    firstName: 'Ana',
    email: `signer-${process.pid}-${seq}@example.org`,
    country: 'CO',
    locale: 'en',
    ...overrides,
  };
}

/**
 * Creates a petition through the store (open, no deadline, verification none, last name optional, English
 * only, no list unless overridden) and drops the routes' 2 s petition cache; returns the stored record.
 */
export async function createPetition(h: Harness, overrides: Partial<CreatePetitionInput> = {}): Promise<PetitionRecord> {
  seq += 1;
  const slug = overrides.slug ?? `test-petition-${seq}`;
  await h.app.compa.store.createPetition({
    slug,
    status: 'open',
    goal: 1000,
    deadline: null,
    verification: 'none',
    lastName: 'optional',
    countThreshold: null,
    newsletterListId: null,
    shareUrl: null,
    texts: {
      en: {
        title: 'Stop the eviction of the San Isidro community',
        summary: 'Forty families face eviction this week.',
        body: '<p>Forty families face eviction.</p>',
        target: 'the Governor',
        outcome: null,
      },
    },
    now: h.clock.now(),
    ...overrides,
  });
  h.app.petitions.forget();
  return (await h.app.compa.store.getPetition(slug))!;
}

/** Changes a petition in the store and drops the routes' petition cache. */
export async function changePetition(h: Harness, slug: string, changes: Partial<Omit<CreatePetitionInput, 'now'>>): Promise<PetitionRecord> {
  const p = await h.app.compa.store.getPetition(slug);
  if (!p) throw new Error(`no petition ${slug}`);
  await h.app.compa.store.updatePetition(p.id, { ...changes, now: h.clock.now() });
  h.app.petitions.forget();
  return (await h.app.compa.store.getPetition(changes.slug ?? slug))!;
}

/** The first link under `publicUrl + path` in a text (mail body). */
export function linkIn(text: string, publicUrl: string, path: string): string {
  const escaped = (publicUrl + path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}\\?t=[^\\s"<>]+`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[0];
}

/** The path and query of an absolute URL, for `app.inject`. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** The token (`t` parameter) of a link. */
export function tokenOf(url: string): string {
  const t = new URL(url).searchParams.get('t');
  if (!t) throw new Error(`no token in ${url}`);
  return t;
}

/** Files in the outbox, oldest first, as raw RFC 5322 text. */
export function outbox(dir: string): { file: string; raw: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return names.map((n) => ({ file: join(dir, n), raw: readFileSync(join(dir, n), 'utf8') }));
}

/** The unfolded header fields of a raw message (name lower-cased → values). */
export function mailHeaders(raw: string): Map<string, string[]> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const out = new Map<string, string[]>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).toLowerCase();
    out.set(name, [...(out.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  return out;
}

/** Decodes quoted-printable text (the outbox mailer's body encoding). */
export function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses a JSON response body, failing with the raw text when it is not JSON. */
export function json<T = any>(res: LightMyRequestResponse): T {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new Error(`not JSON (${res.statusCode}): ${res.body.slice(0, 300)}`);
  }
}

/** A petition's stored count (the counter column). */
export const storedCount = (h: Harness, slug: string) =>
  Number(h.rows<{ n: number }>('select signature_count as n from petitions where slug = ?', slug)[0]!.n);

/** A petition's counted signature rows (must always equal `storedCount`). */
export const countedRows = (h: Harness, slug: string) =>
  Number(
    h.rows<{ n: number }>(
      `select count(*) as n from signatures s join petitions p on p.id = s.petition_id where p.slug = ? and s.status = 'counted'`,
      slug,
    )[0]!.n,
  );

/** What no error answer may contain: stack traces, SQL, library names. */
export const INTERNALS = /stack|sql|sqlite|node_modules|kysely|zod|at \w+ \(/i;

/** One case of a bad-input table: the request and the error answer it must get. */
export interface BadInputCase {
  name: string;
  status: number;
  code: import('../../src/schemas/errors.ts').ErrorCode;
  /** Keys that `error.fields` must name. */
  fields?: string[];
  body?: unknown;
  raw?: string;
  contentType?: string;
  env?: Record<string, string>;
}

/** A 4xx in the one JSON error shape, with this code, naming these fields, leaking no internals. */
export function assertErrorShape(res: LightMyRequestResponse, status: number, code: import('../../src/schemas/errors.ts').ErrorCode, fields: string[] = []): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const parsed = ErrorBodySchema.safeParse(json(res));
  assert.ok(parsed.success, `the error shape: ${res.body}`);
  assert.equal(parsed.data.error.code, code, res.body);
  // From the raw JSON: a zod-parsed record would drop a `__proto__` key.
  const named: Record<string, string> = json(res).error.fields ?? {};
  for (const field of fields) assert.ok(Object.hasOwn(named, field) && named[field], `error.fields names ${field}: ${res.body}`);
  assert.doesNotMatch(res.body, INTERNALS);
}
