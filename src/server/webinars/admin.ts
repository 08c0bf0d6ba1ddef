/**
 * Publishing webinars and deciding registrations from the organisation's side, shared by the webinar commands,
 * `compa import` and the admin API: the webinar file's schema (src/schemas/admin.ts), its checks, the write (with
 * the mails and reminders it causes), closing registration, and approving or declining in approval mode.
 */
import { WebinarItemSchema, type WebinarItem } from '../../schemas/admin.ts';
import type { CompaContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { RegistrationRecord, RegistrationStatus, WebinarRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import { enqueueMails, rescheduleReminders } from './service.ts';

/** The webinar file of `webinar-put` (README: "Publishing a webinar"). */
export const WebinarFile = WebinarItemSchema;

/** What the schema can't see: speakers' photos load in supporters' browsers, so only from this server or the organisation's own sites. */
export function checkWebinar(ctx: CompaContext, f: WebinarItem): Record<string, string> {
  const own = new Set([new URL(ctx.config.publicUrl).origin, ...ctx.config.allowedOrigins]);
  const fields: Record<string, string> = {};
  for (const [lang, t] of Object.entries(f.texts)) {
    t.speakers.forEach((sp, i) => {
      if (sp.photoUrl?.startsWith('https://') && !own.has(new URL(sp.photoUrl).origin)) {
        fields[`texts.${lang}.speakers.${i}.photoUrl`] = 'Not this server nor an allowed origin (COMPA_ALLOWED_ORIGINS): no third-party host';
      }
    });
  }
  return fields;
}

export interface PutWebinarResult {
  outcome: 'created' | 'updated';
  webinar: WebinarRecord;
  /** Registrations moved from the waitlist to a place (a raised capacity). */
  promoted: number;
  /** Places taken beyond a lowered capacity (nobody loses a place). */
  overCapacity: number;
}

/**
 * Creates the webinar, or updates the one with the same slug: in one transaction, the change, the mails it causes
 * (a raised capacity gives the waitlist its places) and the reminders it moves (a new time). `closed` (when given)
 * closes or reopens registration. Throws HttpError 400 naming the field when a check fails (nothing written).
 */
export async function putWebinar(ctx: CompaContext, f: WebinarItem): Promise<PutWebinarResult> {
  const fields = checkWebinar(ctx, f);
  if (Object.keys(fields).length) throw new HttpError(400, 'invalid_body', 'The webinar has invalid fields', { fields });
  const values = {
    slug: f.slug,
    series: f.series,
    status: f.status,
    texts: f.texts,
    heldIn: f.heldIn,
    interpretation: f.interpretation,
    start: new Date(f.start),
    end: new Date(f.end),
    timeZone: f.timeZone,
    capacity: f.capacity,
    mode: f.mode,
    questions: f.questions,
    joinUrl: f.joinUrl,
    recordingUrl: f.recordingUrl,
  };
  const now = ctx.now();
  const result = await ctx.store.transaction(async (tx): Promise<PutWebinarResult> => {
    const existing = await tx.getWebinar(f.slug);
    if (!existing) {
      const id = await tx.createWebinar({ ...values, now });
      if (f.closed) await adminStore(tx).setClosed('webinars', id, now);
      return { outcome: 'created', webinar: (await tx.getWebinarById(id))!, promoted: 0, overCapacity: 0 };
    }
    await tx.updateWebinar(existing.id, { ...values, now });
    if (f.closed !== undefined) await adminStore(tx).setClosed('webinars', existing.id, f.closed ? now : null);
    const updated = (await tx.getWebinarById(existing.id))!;
    if (updated.sequence !== existing.sequence) await rescheduleReminders(ctx, updated, tx);
    // More room: the waitlist gets the new places, in order, and is told.
    const promoted = await tx.promoteWaitlisted(updated.id, now);
    await enqueueMails(tx, updated, promoted.map((id) => ({ registrationId: id, mail: 'promoted' as const })), now);
    const taken = (await tx.placesTaken([updated.id])).get(updated.id) ?? 0;
    return { outcome: 'updated', webinar: updated, promoted: promoted.length, overCapacity: Math.max(0, taken - updated.capacity) };
  });
  ctx.jobs.poke();
  return result;
}

/** Closes (recording when) or reopens a webinar's registration; null for an unknown slug. */
export async function setWebinarOpen(ctx: CompaContext, slug: string, open: boolean): Promise<{ webinar: WebinarRecord; closedAt: string | null } | null> {
  const w = await ctx.store.getWebinar(slug);
  if (!w) return null;
  const admin = adminStore(ctx.store);
  await admin.setClosed('webinars', w.id, open ? null : ctx.now());
  return { webinar: w, closedAt: await admin.closedAtOf('webinars', w.id) };
}

/**
 * Approval mode: gives a pending registration a place (or the waitlist, when full), or declines it; the supporter's
 * mail is a persisted job, queued in the same transaction. Returns the new status. Throws HttpError 409 when the
 * registration is not awaiting approval.
 */
export async function decideRegistration(
  ctx: CompaContext,
  w: WebinarRecord,
  r: RegistrationRecord,
  decision: 'approve' | 'decline',
): Promise<RegistrationStatus | null> {
  if (r.status !== 'pending') throw new HttpError(409, 'conflict', `Registration ${r.id} is ${r.status}, not awaiting approval: nothing changed`);
  const now = ctx.now();
  const status = await ctx.store.transaction(async (tx) => {
    const s = await tx.decideRegistration(r.id, decision, now);
    const mail = s === 'registered' ? 'approved' : s === 'waitlisted' ? 'waitlisted' : s === 'declined' ? 'declined' : null;
    if (mail) await enqueueMails(tx, w, [{ registrationId: r.id, mail }], now);
    return s;
  });
  ctx.jobs.poke();
  return status;
}
