/**
 * Admin API tokens: created and revoked with `compa token`, shown once, stored as their SHA-256 only (a token is
 * 256 random bits: a plain hash is enough, nothing to salt or stretch). Each has a name and a scope: `read`
 * (GET and HEAD routes) or `write` (every route; write implies read). Tokens start with `compa_` so that secret
 * scanners and people recognise one that leaked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CompaContext } from '../context.ts';
import { adminStore, type TokenRecord, type TokenScope } from '../store/admin-store.ts';

export const TOKEN_PREFIX = 'compa_';
/** Who the audit log names for what the token command did (the person at the server's console). */
export const COMMAND_ACTOR = 'compa token (command)';

export type { TokenRecord, TokenScope };

/** A token name, or why it can't be one. */
export class TokenError extends Error {
  override name = 'TokenError';
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u;

/** Creates a token; the only time its secret is known. Throws TokenError for a bad or taken name. */
export async function createToken(
  ctx: CompaContext,
  opts: { name: string; scope: TokenScope; now?: Date },
): Promise<{ id: number; name: string; scope: TokenScope; token: string }> {
  const name = opts.name.trim();
  if (!NAME.test(name)) throw new TokenError('the name must be 1 to 64 letters, digits, spaces or . _ @ -, starting with a letter or digit');
  if (/^\d+$/.test(name)) throw new TokenError('the name must not be only digits (revoke takes an id or a name)');
  if (opts.scope !== 'read' && opts.scope !== 'write') throw new TokenError('the scope must be read or write');
  const admin = adminStore(ctx.store);
  if (await admin.tokenNameTaken(name)) throw new TokenError(`a token named "${name}" exists already (names stay taken after revocation)`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = opts.now ?? ctx.now();
  const id = await ctx.store.transaction(async (tx) => {
    const a = adminStore(tx);
    const id = await a.insertToken({ name, scope: opts.scope, hash: hashToken(token), now });
    await a.audit({ at: now, tokenId: null, tokenName: COMMAND_ACTOR, method: 'CLI', route: 'token create', target: { id: String(id), name, scope: opts.scope }, status: 0 });
    return id;
  });
  return { id, name, scope: opts.scope, token };
}

export async function listTokens(ctx: CompaContext): Promise<TokenRecord[]> {
  return adminStore(ctx.store).listTokens();
}

/** Revokes the token with this id or name at once; false when there is none (or it was revoked already). */
export async function revokeToken(ctx: CompaContext, idOrName: string): Promise<boolean> {
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const a = adminStore(tx);
    const revoked = await a.revokeToken(idOrName.trim(), now);
    if (!revoked) return false;
    await a.audit({ at: now, tokenId: null, tokenName: COMMAND_ACTOR, method: 'CLI', route: 'token revoke', target: { id: String(revoked.id), name: revoked.name }, status: 0 });
    return true;
  });
}

/** The live (not revoked) token a request presented, or null. */
export async function tokenFor(ctx: CompaContext, token: string): Promise<TokenRecord | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const t = await adminStore(ctx.store).tokenByHash(hashToken(token));
  return t && !t.revokedAt ? t : null;
}
