import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, tamper-proof tokens for links in mail (confirm, unsubscribe, and later one-click actions).
 * `purpose.subject.expiry.signature`: HMAC-SHA256 over the first three parts with the server secret.
 * Nothing is stored; a token cannot be turned into another purpose or subject.
 */
export interface TokenClaims {
  purpose: string;
  subject: string;
  /** Seconds since the epoch; 0 = never expires. */
  expires: number;
}

export class Tokens {
  readonly #secret: Buffer;
  constructor(secret: string) {
    this.#secret = Buffer.from(secret, 'utf8');
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }

  sign(purpose: string, subject: string | number, expiresAt: Date | null): string {
    const expires = expiresAt ? Math.floor(expiresAt.getTime() / 1000) : 0;
    const body = `${purpose}.${String(subject)}.${expires.toString(36)}`;
    return `${body}.${this.#mac(body)}`;
  }

  /** The claims of a valid token of this purpose, or null (forged, altered, expired or of another purpose). */
  verify(token: unknown, purpose: string, now: Date): TokenClaims | null {
    if (typeof token !== 'string' || token.length > 512) return null;
    const parts = token.split('.');
    if (parts.length !== 4) return null;
    const [p, subject, exp, sig] = parts as [string, string, string, string];
    if (p !== purpose) return null;
    const expected = Buffer.from(this.#mac(`${p}.${subject}.${exp}`));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const expires = parseInt(exp, 36);
    if (!Number.isFinite(expires)) return null;
    if (expires !== 0 && expires * 1000 < now.getTime()) return null;
    return { purpose: p, subject, expires };
  }
}
