/**
 * The small REST client every widget uses: JSON in and out, a timeout, abort on disconnect, typed errors,
 * an `Idempotency-Key` on every write, no cookies and no headers beyond `content-type`.
 */
import { API_PREFIX, IDEMPOTENCY_HEADER } from '../schemas/limits.ts';
import type { ErrorBody, ErrorCode } from '../schemas/errors.ts';

/** The server answered with an error status. */
export class ApiError extends Error {
  declare readonly status: number;
  /** The API's error code; `internal` when the body was not the API's error shape. */
  declare readonly code: ErrorCode;
  /** Per-field messages (400s), keyed by dotted path. English, for logs only: never show them. */
  declare readonly fields: Record<string, string>;
  /** Seconds until a retry may succeed (429s), from the body or the `Retry-After` header. */
  declare readonly retryAfter: number | undefined;

  constructor(status: number, body: Partial<ErrorBody> | undefined, retryAfterHeader: string | null) {
    const e = body?.error;
    super(e?.message);
    this.status = status;
    this.code = e?.code ?? 'internal';
    this.fields = e?.fields ?? {};
    this.retryAfter = e?.retryAfter ?? parseRetryAfter(retryAfterHeader);
  }
}

/** The request never got an answer: offline, DNS, CORS, timeout, or aborted because the element left the page. */
export class NetworkError extends Error {
  /** `timeout` when the server took too long, `aborted` when the element was disconnected. */
  declare readonly reason: 'offline' | 'timeout' | 'aborted';
  constructor(reason: NetworkError['reason'], cause?: unknown) {
    super(reason, { cause });
    this.reason = reason;
  }
}

/** `Retry-After` in seconds (the API sends seconds; an HTTP date is ignored, the body carries the value too). */
const parseRetryAfter = (value: string | null): number | undefined => Math.ceil(Number(value)) || undefined;

/**
 * The API's base URL for an element: its `api` attribute, else the page-level
 * `<meta name="compa-api" content="https://…">`, else the origin the script itself was loaded from.
 * Relative values resolve against the page. Returns no trailing slash.
 */
export function apiBase(el: Element): string {
  const configured =
    el.getAttribute('api') || document.querySelector<HTMLMetaElement>('meta[name="compa-api"]')?.content;
  const base = configured ? new URL(configured, document.baseURI).href : new URL(import.meta.url).origin;
  return base.replace(/\/+$/, '');
}

/** The full URL of an API route (`path` starts with `/`, e.g. `/lists`). */
export const apiUrl = (el: Element, path: string): string => apiBase(el) + API_PREFIX + path;

/**
 * A fresh idempotency key. `crypto.randomUUID` is missing on plain-http pages; the fallback only needs to be
 * unique enough not to collide with another supporter's key within the server's retention window.
 */
export const newKey = (): string =>
  crypto.randomUUID?.() ?? Date.now().toString(36) + Math.random().toString(36).slice(1);

export interface RequestOptions {
  /** A JSON body makes the request a POST. */
  body?: unknown;
  /** Idempotency key of a write; pass the same key again when retrying the same action. */
  key?: string;
  /** Usually the element's `signal`: the request aborts when the element is disconnected. */
  signal?: AbortSignal;
  /** Milliseconds before giving up (default 15 000). */
  timeout?: number;
}

/** `fetch` a JSON API route. Throws `ApiError` for non-2xx answers and `NetworkError` when there is none. */
export async function request<T>(url: string, { body, key, signal, timeout = 15000 }: RequestOptions = {}): Promise<T> {
  const timer = AbortSignal.timeout(timeout);
  const none = (cause: unknown) => new NetworkError(signal?.aborted ? 'aborted' : timer.aborted ? 'timeout' : 'offline', cause);
  const write = body !== undefined;
  let res: Response;
  try {
    res = await fetch(url, {
      method: write ? 'POST' : 'GET',
      // A GET stays a "simple" request; only writes carry a content type and their idempotency key.
      headers: write ? { 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: key ?? newKey() } : {},
      body: JSON.stringify(body),
      credentials: 'omit',
      // AbortSignal.any: Safari ≥ 17.4; older browsers keep the disconnect signal and lose the timeout.
      signal: signal ? (AbortSignal.any?.([signal, timer]) ?? signal) : timer,
    });
  } catch (e) {
    throw none(e);
  }
  let data: unknown;
  try {
    data = res.status === 204 ? undefined : await res.json();
  } catch (e) {
    // A body cut off (dropped connection, timeout) or a 2xx that is not the API's JSON (a captive portal)
    // is no answer at all; an error status with an odd body is still an error.
    if (res.ok || signal?.aborted || timer.aborted) throw none(e);
  }
  if (!res.ok) throw new ApiError(res.status, data as Partial<ErrorBody> | undefined, res.headers.get('retry-after'));
  return data as T;
}
