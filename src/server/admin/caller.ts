/**
 * Who is calling an admin route: the token that authenticated the request (set by the admin scope's hook in
 * index.ts). Route plugins of other parts of Compa import `adminOf` from here (no import cycle with index.ts).
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { TokenScope } from '../store/admin-store.ts';

export interface AdminCaller {
  tokenId: number;
  name: string;
  scope: TokenScope;
}

const callers = new WeakMap<FastifyRequest, AdminCaller>();

/** The token that authenticated this admin request; 401 outside the admin scope. */
export function adminOf(request: FastifyRequest): AdminCaller {
  const caller = callers.get(request);
  if (!caller) throw new HttpError(401, 'invalid_token', 'This route needs an admin token');
  return caller;
}

/** The caller, if the request authenticated (for the admin scope's own hooks). */
export const callerOf = (request: FastifyRequest): AdminCaller | undefined => callers.get(request);

/** Records who authenticated the request (the admin scope's hook only). */
export function setCaller(request: FastifyRequest, caller: AdminCaller): void {
  callers.set(request, caller);
}
