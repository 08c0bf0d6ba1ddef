import type { FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENCY_HEADER, LIMITS } from '../../schemas/limits.ts';
import { HttpError } from './errors.ts';
import type { Store } from '../store/store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';

const KEY_PATTERN = /^[A-Za-z0-9._:-]+$/;

/**
 * The request's `Idempotency-Key` (validated: 400 naming the header when malformed) and a hash of its body,
 * or null when the request has no key.
 */
export function idempotencyOf(request: FastifyRequest): { key: string; requestHash: string } | null {
  const header = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return null;
  if (key.length === 0 || key.length > LIMITS.idempotencyKey || !KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_body', `Invalid ${IDEMPOTENCY_HEADER} header`, {
      fields: { [IDEMPOTENCY_HEADER]: `1 to ${LIMITS.idempotencyKey} characters: letters, digits, . _ : -` },
    });
  }
  // Keyed: the body holds an address and a name, and a plain hash of it could be confirmed by guessing them.
  const vault = (request.server.compa.store as KyselyStore).vault;
  return { key, requestHash: vault.mac('idempotency', JSON.stringify(request.body ?? null)) };
}

/** The answer to an Idempotency-Key reused with a different body. */
export const idempotencyConflict = () =>
  new HttpError(422, 'idempotency_conflict', `This ${IDEMPOTENCY_HEADER} was already used for a different request`);

/**
 * Makes a write safe to retry: with an `Idempotency-Key` header, the first answer is stored in the same
 * transaction as the write, and a retry with the same key and body gets that answer again without writing.
 * The same key with a different body is a 422.
 */
export async function idempotent(
  store: Store,
  scope: string,
  request: FastifyRequest,
  reply: FastifyReply,
  now: Date,
  write: (tx: Store) => Promise<{ statusCode: number; body: unknown }>,
): Promise<unknown> {
  const idem = idempotencyOf(request);
  const result = await store.transaction(async (tx) => {
    if (idem) {
      const saved = await tx.getIdempotent(scope, idem.key);
      if (saved) {
        if (saved.requestHash !== idem.requestHash) throw idempotencyConflict();
        return { statusCode: saved.statusCode, body: saved.body, replayed: true };
      }
    }
    const out = await write(tx);
    if (idem) await tx.saveIdempotent(scope, idem.key, { requestHash: idem.requestHash, statusCode: out.statusCode, body: out.body }, now);
    return { ...out, replayed: false };
  });
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  return reply.code(result.statusCode).send(result.body);
}
