import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * Configuration, read once at start from `COMPA_*` environment variables.
 * A bad value stops the server with a message naming the variable (see `ConfigError`).
 * Every variable is documented in README.md ("Configuration").
 */
export interface Config {
  host: string;
  port: number;
  /** Base for links in mail and pages; defaults to the server's own address. */
  publicUrl: string;
  databaseUrl: string;
  outboxDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  allowedOrigins: string[];
  /** Fastify `trustProxy`: false, true, a hop count, or a list of addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  rateLimit: { writeMax: number; readMax: number; windowSeconds: number };
  bodyLimit: number;
  /** Open Server-Sent Events streams allowed at once (beyond it, widgets poll the count instead). */
  sseMaxStreams: number;
  /** Of which one client address (IPv6: one /64) may hold this many. */
  sseMaxStreamsPerClient: number;
  secret: string | null;
  organisation: string;
  privacyPolicyUrl: string | null;
  demo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  distDir: string;
  /** Story feeds to import (RSS 2.0, Atom, JSON Feed), with what the organisation knows of each. */
  storyFeeds: StoryFeedConfig[];
  storyFeedIntervalMinutes: number;
  storyFeedTimeoutSeconds: number;
  storyFeedMaxBytes: number;
  /** Keys of supporters' personal data (see src/server/crypto/vault.ts); null: read from (or generated into) `keyFile`. */
  dataKeys: { id: string; key: Buffer }[] | null;
  lookupKey: Buffer | null;
  /** Sealed mode: the organisation's public key. */
  sealPublicKey: Buffer | null;
  /** Where the keys are read from when not set in the environment (generated on first start). */
  keyFile: string;
  /** Personal data of actions on campaigns closed longer than this is stripped (counts kept). */
  retentionDays: number;
}

/** One feed of `COMPA_STORY_FEEDS`. */
export interface StoryFeedConfig {
  url: string;
  /** The language of its items when the feed does not say (else the feed's own `language`). */
  lang: string | null;
  /** The partner, place and tags its stories are about (a partner's own feed, a country's category feed). */
  partner: string | null;
  country: string | null;
  region: string | null;
  tags: string[];
  /** Stories that leave the feed: `keep` (default: feeds list only their latest items) or `hide`. */
  gone: 'keep' | 'hide';
  /** Origins besides the feed's own whose images may be copied (e.g. a WordPress media host). */
  imageOrigins: string[];
}

const FeedObject = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as "es"').optional(),
  partner: z.string().min(1).max(200).optional(),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code').optional(),
  region: z.string().min(1).max(200).optional(),
  tags: z.array(z.string().min(1).max(64)).max(20).optional(),
  gone: z.enum(['keep', 'hide']).optional(),
  imageOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'each origin must be scheme://host[:port]')).optional(),
});

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const base64Key = (message: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/_-]+=*$/, message)
    .transform((v) => Buffer.from(v, 'base64'))
    .refine((b) => b.length === 32, message);
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** One parser per variable, so that an error names exactly one variable. */
const parsers = {
  COMPA_HOST: z.string().min(1),
  COMPA_PORT: int(0, 65535),
  COMPA_PUBLIC_URL: url,
  COMPA_DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must look like sqlite:./data/compa.db or postgres://user@host/db'),
  COMPA_OUTBOX_DIR: z.string().min(1),
  COMPA_SMTP_URL: z.string().regex(/^smtps?:\/\/.+/, 'must look like smtp://user:pass@host:587 or smtps://…'),
  COMPA_MAIL_FROM: z.string().min(3).max(320),
  COMPA_ALLOWED_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'each origin must be scheme://host[:port], without path'))),
  COMPA_TRUST_PROXY: z.string().transform((v, ctx): boolean | number | string[] => {
    if (['true', 'false'].includes(v)) return v === 'true';
    if (/^\d+$/.test(v)) return Number(v);
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count or a list of addresses' });
    return list;
  }),
  COMPA_RATE_LIMIT_WRITE_MAX: int(1, 10_000_000),
  COMPA_RATE_LIMIT_READ_MAX: int(1, 10_000_000),
  COMPA_RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400),
  COMPA_BODY_LIMIT: int(1024, 10 * 1024 * 1024),
  COMPA_SSE_MAX_STREAMS: int(0, 1_000_000),
  COMPA_SSE_MAX_STREAMS_PER_CLIENT: int(1, 1_000_000),
  COMPA_SECRET: z.string().min(32, 'must be at least 32 characters'),
  COMPA_ORGANISATION: z.string().min(1).max(200),
  COMPA_PRIVACY_URL: url,
  COMPA_DEMO: bool,
  COMPA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  COMPA_DIST_DIR: z.string().min(1),
  /** Feed URLs separated by spaces or commas, or a JSON array of objects (see StoryFeedConfig). */
  COMPA_STORY_FEEDS: z.string().transform((v, ctx): StoryFeedConfig[] => {
    let items: unknown[];
    if (v.trim().startsWith('[')) {
      try {
        items = JSON.parse(v) as unknown[];
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be feed URLs or a JSON array (the JSON does not parse)' });
        return z.NEVER;
      }
    } else items = v.split(/[\s,]+/).filter(Boolean).map((url) => ({ url }));
    const parsed = z.array(FeedObject).max(100).safeParse(items);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      ctx.addIssue({ code: 'custom', message: `feed ${issue.path.join('.')}: ${issue.message}` });
      return z.NEVER;
    }
    return parsed.data.map((f) => ({
      url: f.url,
      lang: f.lang ?? null,
      partner: f.partner ?? null,
      country: f.country?.toUpperCase() ?? null,
      region: f.region ?? null,
      tags: f.tags ?? [],
      gone: f.gone ?? 'keep',
      imageOrigins: f.imageOrigins ?? [],
    }));
  }),
  COMPA_STORY_FEED_INTERVAL_MINUTES: int(1, 7 * 24 * 60),
  COMPA_STORY_FEED_TIMEOUT_SECONDS: int(1, 300),
  COMPA_STORY_FEED_MAX_BYTES: int(1024, 100 * 1024 * 1024),
  /** `id:BASE64,id:BASE64`: 32-byte keys, the first one encrypts (`compa keys generate` makes one). */
  COMPA_DATA_KEYS: z.string().transform((v, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/_-]+=*)$/.exec(part);
      const key = m ? Buffer.from(m[2]!, 'base64') : null;
      if (!m || key!.length !== 32) {
        ctx.addIssue({ code: 'custom', message: `each key must be ID:BASE64 of 32 bytes (key ${keys.length + 1} is not)` });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === m[1])) {
        ctx.addIssue({ code: 'custom', message: `key id "${m[1]}" appears twice` });
        return z.NEVER;
      }
      keys.push({ id: m[1]!, key: key! });
    }
    if (!keys.length) ctx.addIssue({ code: 'custom', message: 'at least one key' });
    return keys;
  }),
  COMPA_LOOKUP_KEY: base64Key('must be the base64 of 32 bytes (`compa keys generate` makes one)'),
  COMPA_SEAL_PUBLIC_KEY: base64Key('must be the base64 of a 32-byte X25519 public key (`compa keys seal-pair` makes one)'),
  COMPA_KEY_FILE: z.string().min(1),
  COMPA_RETENTION_DAYS: int(1, 36_500),
  /** Not the server's: the admin token `compa export --server URL` sends. */
  COMPA_ADMIN_TOKEN: z.string().min(1),
} as const;

/** Never repeated in an error message (it ends up in service logs): they hold passwords or the signing secret. */
const SECRET_VALUES = new Set(['COMPA_SECRET', 'COMPA_SMTP_URL', 'COMPA_DATABASE_URL', 'COMPA_DATA_KEYS', 'COMPA_LOOKUP_KEY', 'COMPA_ADMIN_TOKEN']);

type Parsed = { [K in keyof typeof parsers]?: z.output<(typeof parsers)[K]> };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = new Set(Object.keys(parsers));
  for (const name of Object.keys(env)) {
    if (name.startsWith('COMPA_') && !known.has(name)) {
      throw new ConfigError(name, `unknown setting (known: ${[...known].join(', ')})`);
    }
  }
  const v: Parsed = {};
  for (const [name, parser] of Object.entries(parsers)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const result = (parser as z.ZodType).safeParse(raw);
    if (!result.success) {
      const got = SECRET_VALUES.has(name) ? '' : ` (got "${raw}")`;
      throw new ConfigError(name, `${result.error.issues[0]?.message ?? 'invalid value'}${got}`);
    }
    (v as Record<string, unknown>)[name] = result.data;
  }
  const port = v.COMPA_PORT ?? 8787;
  const host = v.COMPA_HOST ?? 'localhost';
  const publicUrl = (v.COMPA_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = v.COMPA_DATABASE_URL ?? 'sqlite:./data/compa.db';
  return {
    host,
    port,
    publicUrl,
    databaseUrl,
    outboxDir: v.COMPA_OUTBOX_DIR ?? './data/outbox',
    smtpUrl: v.COMPA_SMTP_URL ?? null,
    mailFrom: v.COMPA_MAIL_FROM ?? 'Compa <no-reply@localhost>',
    allowedOrigins: v.COMPA_ALLOWED_ORIGINS ?? [new URL(publicUrl).origin],
    trustProxy: v.COMPA_TRUST_PROXY ?? false,
    rateLimit: {
      writeMax: v.COMPA_RATE_LIMIT_WRITE_MAX ?? 10,
      readMax: v.COMPA_RATE_LIMIT_READ_MAX ?? 300,
      windowSeconds: v.COMPA_RATE_LIMIT_WINDOW_SECONDS ?? 60,
    },
    bodyLimit: v.COMPA_BODY_LIMIT ?? 16 * 1024,
    sseMaxStreams: v.COMPA_SSE_MAX_STREAMS ?? 10_000,
    sseMaxStreamsPerClient: v.COMPA_SSE_MAX_STREAMS_PER_CLIENT ?? 200,
    secret: v.COMPA_SECRET ?? null,
    organisation: v.COMPA_ORGANISATION ?? 'Compa demo',
    privacyPolicyUrl: v.COMPA_PRIVACY_URL ?? ((v.COMPA_DEMO ?? true) ? `${publicUrl}/privacy` : null),
    demo: v.COMPA_DEMO ?? true,
    logLevel: v.COMPA_LOG_LEVEL ?? 'info',
    distDir: v.COMPA_DIST_DIR ?? './dist',
    storyFeeds: v.COMPA_STORY_FEEDS ?? [],
    storyFeedIntervalMinutes: v.COMPA_STORY_FEED_INTERVAL_MINUTES ?? 30,
    storyFeedTimeoutSeconds: v.COMPA_STORY_FEED_TIMEOUT_SECONDS ?? 20,
    storyFeedMaxBytes: v.COMPA_STORY_FEED_MAX_BYTES ?? 5 * 1024 * 1024,
    dataKeys: v.COMPA_DATA_KEYS ?? null,
    lookupKey: v.COMPA_LOOKUP_KEY ?? null,
    sealPublicKey: v.COMPA_SEAL_PUBLIC_KEY ?? null,
    // Beside the SQLite file by default (a copy of the database file alone reveals nothing); set it elsewhere, or
    // set the keys themselves, in production.
    keyFile:
      v.COMPA_KEY_FILE ??
      (databaseUrl.startsWith('sqlite:') ? join(dirname(databaseUrl.slice('sqlite:'.length)), 'compa-keys.env') : './data/compa-keys.env'),
    retentionDays: v.COMPA_RETENTION_DAYS ?? 90,
  };
}
