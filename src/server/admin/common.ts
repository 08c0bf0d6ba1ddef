/** What the admin route plugins share: the prefix, the tag, the documented errors, the per-day figures. */
import { z } from 'zod';
import { SlugSchema } from '../../schemas/common.ts';
import { ErrorBodySchema } from '../../schemas/errors.ts';
import { API_PREFIX } from '../../schemas/limits.ts';

export const ADMIN_PREFIX = `${API_PREFIX}/admin`;
export const ADMIN_TAGS = ['admin'];

/** The errors every admin route may answer. */
export const adminErrors = {
  400: { description: 'Invalid input; `error.fields` names every bad field; nothing was written', schema: ErrorBodySchema },
  401: { description: 'No token, or an unknown or revoked one', schema: ErrorBodySchema, headers: { 'WWW-Authenticate': 'Bearer' } },
  403: { description: 'A read token on a write route (`insufficient_scope`), or a request from another site (`forbidden_origin`)', schema: ErrorBodySchema },
  404: { description: 'No such item', schema: ErrorBodySchema },
  429: { description: 'Too many requests (or failed authentications); see Retry-After', schema: ErrorBodySchema, headers: { 'Retry-After': 'Seconds to wait' } },
};

export const SlugParams = z.strictObject({ slug: SlugSchema });
export const IdParams = z.strictObject({ id: SlugSchema });

/** Totals by status and per day from `(date, status, count)` rows. */
export function statsByStatus(rows: { date: string; status: string; count: number }[]) {
  const byStatus: Record<string, number> = {};
  const days = new Map<string, { date: string; count: number; byStatus: Record<string, number> }>();
  let total = 0;
  for (const r of rows) {
    total += r.count;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.count;
    let day = days.get(r.date);
    if (!day) days.set(r.date, (day = { date: r.date, count: 0, byStatus: {} }));
    day.count += r.count;
    day.byStatus[r.status] = (day.byStatus[r.status] ?? 0) + r.count;
  }
  return { total, byStatus, perDay: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}
