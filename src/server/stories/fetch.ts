/**
 * Downloads for the story importer (feeds, and the images in them): a plain GET that cannot hang the server or fill
 * its memory. One deadline covers everything (connecting, headers, every redirect, the body); the size limit is
 * checked against Content-Length first and then counted while streaming, after decompression, so neither a lying
 * header nor a compression bomb gets past it. Redirects are followed by hand so that, for images, a redirect to
 * another origin is refused before any request is made there. No cookies, no credentials, no Referer.
 */
import { VERSION } from '../version.ts';

export interface FetchLimits {
  /** The whole download: connect + headers + redirects + body. */
  timeoutMs: number;
  maxBytes: number;
  userAgent?: string;
}

export type FetchResult =
  | { status: 'ok'; body: Buffer; contentType: string | null; etag: string | null; lastModified: string | null; url: string }
  | { status: 'not-modified' }
  | { status: 'error'; reason: string };

export const MAX_REDIRECTS = 5;
const DEFAULT_USER_AGENT = `Compa/${VERSION} (story feed importer)`;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Why the download stopped, when we stopped it: kept apart from the errors fetch itself throws. */
class Stop extends Error {}

/**
 * GET with conditional headers (If-None-Match / If-Modified-Since from `previous`), a total timeout, and a byte
 * limit enforced while streaming. Never throws: every failure is `{ status: 'error', reason }`, a sentence without
 * the URL (it may hold a token) that can be shown to an administrator.
 *
 * `sameOrigin` (for images): every redirect must stay on the origin of `url`; the one exception is the same host
 * moving from http to https.
 */
export async function fetchLimited(
  url: string,
  limits: FetchLimits,
  previous?: { etag?: string | null; lastModified?: string | null },
  opts: { sameOrigin?: boolean; accept?: string } = {},
): Promise<FetchResult> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return { status: 'error', reason: 'not a valid URL' };
  }
  if (current.protocol !== 'http:' && current.protocol !== 'https:') return { status: 'error', reason: 'not http(s)' };
  if (current.username || current.password) return { status: 'error', reason: 'URL with credentials' };
  const origin = current;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Stop(`timed out after ${limits.timeoutMs} ms`)), limits.timeoutMs);
  const headers: Record<string, string> = {
    'user-agent': limits.userAgent ?? DEFAULT_USER_AGENT,
    accept: opts.accept ?? '*/*',
  };
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;

  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(current, {
        headers,
        redirect: 'manual',
        signal: controller.signal,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      if (REDIRECTS.has(res.status)) {
        await discard(res);
        const location = res.headers.get('location');
        if (!location) return { status: 'error', reason: `HTTP ${res.status} without a Location` };
        if (hop >= MAX_REDIRECTS) return { status: 'error', reason: `more than ${MAX_REDIRECTS} redirects` };
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          return { status: 'error', reason: 'redirected to an invalid URL' };
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') return { status: 'error', reason: 'redirected to a URL that is not http(s)' };
        if (opts.sameOrigin && !sameOrigin(origin, next)) return { status: 'error', reason: 'redirected to another origin' };
        current = next;
        continue;
      }
      if (res.status === 304) {
        await discard(res);
        return { status: 'not-modified' };
      }
      if (res.status !== 200 && res.status !== 203) {
        await discard(res);
        return { status: 'error', reason: `HTTP ${res.status}` };
      }
      const declared = Number(res.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        await discard(res);
        return { status: 'error', reason: `larger than ${limits.maxBytes} bytes` };
      }
      const body = await readLimited(res, limits.maxBytes, controller);
      return {
        status: 'ok',
        body,
        contentType: res.headers.get('content-type'),
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        url: current.href,
      };
    }
  } catch (err) {
    return { status: 'error', reason: reasonOf(err, controller.signal) };
  } finally {
    clearTimeout(timer);
  }
}

/** Same origin, or the same host moving from http to https on the default ports (an upgrade, not a move). */
function sameOrigin(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return true;
  return from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname && !from.port && !to.port;
}

/** The body, stopping (and closing the connection) as soon as it passes `max` bytes. */
async function readLimited(res: Response, max: number, controller: AbortController): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      const stop = new Stop(`larger than ${max} bytes`);
      controller.abort(stop);
      await reader.cancel().catch(() => {});
      throw stop;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Lets go of a body we do not read, so its connection is not left open. */
async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

function reasonOf(err: unknown, signal: AbortSignal): string {
  if (err instanceof Stop) return err.message;
  if (signal.aborted && signal.reason instanceof Stop) return signal.reason.message;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed by the server';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'could not connect in time';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'the body is shorter than its Content-Length';
    case null:
      break;
    default:
      if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `TLS error (${code})`;
      return `network error (${code})`;
  }
  return 'network error';
}
