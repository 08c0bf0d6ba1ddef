import type { CompaContext } from '../context.ts';
import type { Store, RegistrationRecord, WebinarRecord, WebinarText } from '../store/store.ts';
import type { Webinar } from '../../schemas/webinar.ts';
import { escapeHtml, textDirection } from '../html.ts';
import { pickLanguage } from '../i18n.ts';
import { buildIcs, calendarLinks } from './ics.ts';

/** The mail of a registration's change: placed, waitlisted, awaiting approval, promoted, approved, declined, cancelled. */
export const WEBINAR_MAIL_JOB = 'webinar.mail';
/** A reminder before the start (`24h`, `1h`); a persisted job per registration and reminder. */
export const WEBINAR_REMINDER_JOB = 'webinar.reminder';
/** Reminders, latest first in time before the start. */
export const REMINDERS = [
  { which: '24h', before: 24 * 3_600_000 },
  { which: '1h', before: 3_600_000 },
] as const;
/** A webinar's registrations are deleted this long after it ended. */
export const REGISTRATION_RETENTION_MS = 30 * 86_400_000;
/** Mails a repeated registration (same address, same webinar) may trigger per day. */
export const REPEAT_MAILS_PER_DAY = 3;

export type WebinarMail = 'registered' | 'waitlisted' | 'pending' | 'promoted' | 'approved' | 'declined' | 'cancelled' | 'updated';

/** The status mail for a registration's status (for a new or repeated registration). */
export const mailFor = (status: RegistrationRecord['status']): WebinarMail | null =>
  status === 'registered' ? 'registered' : status === 'waitlisted' ? 'waitlisted' : status === 'pending' ? 'pending' : null;

/** The texts for a requested language tag (see `pickLanguage`), saying which language and whether a fallback. */
export function webinarText(w: WebinarRecord, tag: string | null | undefined): WebinarText & { locale: string; fallback: boolean } {
  const picked = pickLanguage(Object.keys(w.texts), tag);
  return { ...w.texts[picked.locale]!, ...picked };
}

/** How few places must be left before the widget says how many: at most 10, and at most a fifth of the room. */
export const fewPlaces = (capacity: number): number => Math.max(1, Math.min(10, Math.ceil(capacity * 0.2)));

export function webinarStatus(w: WebinarRecord, taken: number, now: Date): Webinar['status'] {
  const t = now.getTime();
  if (t >= w.end.getTime()) return 'ended';
  if (t >= w.start.getTime()) return 'started';
  return taken >= w.capacity ? 'full' : 'upcoming';
}

/** A URL the server serves (a path, or already absolute) as an absolute URL. */
const absolute = (ctx: CompaContext, url: string | null): string | null => (url ? new URL(url, `${ctx.config.publicUrl}/`).href : null);

/** The public face of a webinar (never its join link, never how many registered). */
export function publicWebinar(ctx: CompaContext, w: WebinarRecord, taken: number, tag: string | undefined): Webinar {
  const text = webinarText(w, tag);
  const status = webinarStatus(w, taken, ctx.now());
  const left = Math.max(0, w.capacity - taken);
  return {
    slug: w.slug,
    series: w.series,
    locale: text.locale,
    fallback: text.fallback,
    title: text.title,
    description: text.description,
    speakers: text.speakers.map((s) => ({ name: s.name, organisation: s.organisation, photoUrl: absolute(ctx, s.photoUrl) })),
    heldIn: w.heldIn,
    interpretation: w.interpretation,
    start: w.start.toISOString(),
    end: w.end.toISOString(),
    timeZone: w.timeZone,
    status,
    placesLeft: status === 'upcoming' && left <= fewPlaces(w.capacity) ? left : null,
    mode: w.mode,
    questions: w.questions.map((q) => {
      const label = text.questions[q.id] ?? webinarText(w, 'en').questions[q.id];
      return {
        id: q.id,
        kind: q.kind,
        label: label?.label ?? q.id,
        required: q.required,
        ...(q.kind === 'choice' ? { options: (q.options ?? []).map((id) => ({ id, label: label?.options?.[id] ?? id })) } : {}),
        ...(q.kind === 'text' ? { maxLength: q.maxLength ?? 500 } : {}),
      };
    }),
    recordingUrl: status === 'ended' ? w.recordingUrl : null,
    privacyPolicyUrl: ctx.config.privacyPolicyUrl,
    organisation: ctx.config.organisation,
  };
}

/**
 * Checks answers against the webinar's questions: required ones present, text within its length and without
 * control characters, a choice among the options, a checkbox a boolean, no unknown question. Returns the
 * answers to keep (empty text and unticked optional boxes dropped) and the bad fields (`answers.<id>`).
 */
export function checkAnswers(
  w: WebinarRecord,
  answers: Record<string, string | boolean>,
): { fields: Record<string, string>; clean: Record<string, string | boolean> } {
  const fields: Record<string, string> = {};
  const clean: Record<string, string | boolean> = {};
  const byId = new Map(w.questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) if (!byId.has(id)) fields[`answers.${id}`] = 'Unknown question';
  for (const q of w.questions) {
    const key = `answers.${q.id}`;
    let a = Object.hasOwn(answers, q.id) ? answers[q.id] : undefined; // not Object.prototype.constructor for a question "constructor"
    if (typeof a === 'string') a = a.trim();
    const empty = a === undefined || a === '' || (q.kind === 'checkbox' && a === false);
    if (empty) {
      if (q.required) fields[key] = q.kind === 'checkbox' ? 'Must be ticked' : 'Required';
      continue;
    }
    if (q.kind === 'checkbox') {
      if (a !== true) fields[key] = 'Must be true or false';
      else clean[q.id] = true;
    } else if (typeof a !== 'string') {
      fields[key] = 'Must be text';
    } else if (q.kind === 'choice') {
      if (!(q.options ?? []).includes(a)) fields[key] = `Must be one of: ${(q.options ?? []).join(', ')}`;
      else clean[q.id] = a;
    } else if (a.length > (q.maxLength ?? 500)) {
      fields[key] = `At most ${q.maxLength ?? 500} characters`;
    } else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/.test(a)) {
      fields[key] = 'Must not contain control or text-direction characters';
    } else clean[q.id] = a;
  }
  return { fields, clean };
}

/** Enqueues the reminders still ahead (none that would come after the start or right away). */
export async function scheduleReminders(store: Store, registrationId: number, w: WebinarRecord, now: Date): Promise<number> {
  let n = 0;
  for (const r of REMINDERS) {
    const at = w.start.getTime() - r.before;
    if (at <= now.getTime()) continue; // e.g. registered 30 minutes before: the registration mail is the reminder
    await store.enqueueJob(WEBINAR_REMINDER_JOB, { registrationId, which: r.which }, new Date(at), now);
    n++;
  }
  return n;
}

/** Queues one status mail, numbered so that a retried job never sends it twice. */
export async function enqueueMail(store: Store, registrationId: number, mail: WebinarMail, now: Date): Promise<void> {
  const n = await store.nextMailNumber(registrationId);
  await store.enqueueJob(WEBINAR_MAIL_JOB, { registrationId, mail, n }, now, now);
}

/** Queues the status mails (and reminders of those who got a place) after a change. */
export async function enqueueMails(store: Store, w: WebinarRecord, mails: { registrationId: number; mail: WebinarMail }[], now: Date): Promise<void> {
  for (const { registrationId, mail } of mails) {
    await enqueueMail(store, registrationId, mail, now);
    if (mail === 'registered' || mail === 'promoted' || mail === 'approved') await scheduleReminders(store, registrationId, w, now);
  }
}

/**
 * The link that cancels a registration (a page with a button); valid until the webinar ends, and only for this
 * registration: once cancelled, a new registration of the same address is not cancelled by the old link.
 */
export function cancelUrl(ctx: CompaContext, r: RegistrationRecord, w: WebinarRecord): string {
  const token = ctx.tokens.sign('webinar-cancel', `${r.id}-${r.revision}`, w.end);
  return `${ctx.config.publicUrl}/webinars/cancel?t=${encodeURIComponent(token)}`;
}

/** The registration id and revision a cancel token names, or null. */
export function parseCancelSubject(subject: string): { id: number; revision: number } | null {
  const [id, revision] = subject.split('-').map(Number);
  return Number.isSafeInteger(id) && id! > 0 && Number.isSafeInteger(revision) && revision! >= 0 ? { id: id!, revision: revision! } : null;
}

/** "Thursday 10 December 2026, 10:00–11:30 (Colombia Standard Time, GMT-5)", in the webinar's own zone. */
export function formatWhen(locale: string, w: WebinarRecord): string {
  const range = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: w.timeZone }).formatRange(w.start, w.end);
  const zone = (style: 'long' | 'shortOffset') =>
    new Intl.DateTimeFormat(locale, { timeZone: w.timeZone, timeZoneName: style }).formatToParts(w.start).find((p) => p.type === 'timeZoneName')?.value;
  const name = zone('long');
  const offset = zone('shortOffset');
  return `${range} (${name && name !== offset ? `${name}, ${offset}` : offset})`;
}

/** "Spanish, with interpretation into English and French", in `locale`. */
export function formatLanguage(ctx: CompaContext, locale: string, w: WebinarRecord): string {
  const names = new Intl.DisplayNames(locale, { type: 'language' });
  const held = names.of(w.heldIn) ?? w.heldIn;
  if (!w.interpretation.length) return ctx.messages.t(locale, 'mail.webinar.language', { language: held });
  return ctx.messages.t(locale, 'mail.webinar.languageWithInterpretation', {
    language: held,
    interpretation: ctx.messages.list(locale, w.interpretation.map((l) => names.of(l) ?? l)),
  });
}

/** The calendar entry of a registration: one UID per registration, so updates and cancellations replace it. */
export function registrationIcs(ctx: CompaContext, w: WebinarRecord, r: RegistrationRecord, text: WebinarText, cancelled = false): string {
  const host = new URL(ctx.config.publicUrl).hostname;
  const from = /<([^>]+)>/.exec(ctx.config.mailFrom)?.[1] ?? ctx.config.mailFrom;
  return buildIcs({
    uid: `webinar-${w.id}-registration-${r.id}${r.revision ? `-${r.revision}` : ''}@${host}`,
    title: text.title,
    description: text.description,
    start: w.start,
    end: w.end,
    timeZone: w.timeZone,
    url: cancelled ? null : w.joinUrl,
    organiser: { name: ctx.config.organisation, email: from },
    attendee: r.email,
    sequence: w.sequence + (cancelled ? 1 : 0),
    now: ctx.now(),
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
  });
}

/** Sends a registration's status mail in the registrant's language. Runs as a persisted job. */
export async function sendWebinarMail(ctx: CompaContext, payload: { registrationId: number; mail: WebinarMail; n?: number }): Promise<void> {
  const r = await ctx.store.getRegistration(payload.registrationId);
  if (!r) return; // erased meanwhile
  if (payload.n !== undefined && r.mailsSent >= payload.n) return; // sent already (a retried job), or superseded
  const w = await ctx.store.getWebinarById(r.webinarId);
  if (!w) return;
  const mail = payload.mail;
  // A mail about a status the registration has left meanwhile (cancelled before its mail went) is not sent.
  const expected = { registered: 'registered', promoted: 'registered', approved: 'registered', updated: 'registered', waitlisted: 'waitlisted', pending: 'pending', declined: 'declined', cancelled: 'cancelled' }[mail];
  if (r.status !== expected) return;
  await deliver(ctx, w, r, mail);
  if (payload.n !== undefined) await ctx.store.markMailSent(r.id, payload.n);
}

/** Sends a reminder once (never twice across restarts), when it still makes sense. Runs as a persisted job. */
export async function sendReminder(ctx: CompaContext, payload: { registrationId: number; which: string }): Promise<void> {
  const spec = REMINDERS.find((x) => x.which === payload.which);
  const r = await ctx.store.getRegistration(payload.registrationId);
  if (!spec || !r || r.status !== 'registered' || r.remindersSent.includes(spec.which)) return;
  const w = await ctx.store.getWebinarById(r.webinarId);
  if (!w || w.status !== 'published') return;
  const now = ctx.now().getTime();
  const start = w.start.getTime();
  if (now >= start) return; // too late: it has started
  const due = start - spec.before;
  if (now < due - 60_000) {
    // The webinar moved later: the reminder waits for its new time.
    await ctx.store.enqueueJob(WEBINAR_REMINDER_JOB, payload, new Date(due), ctx.now());
    return;
  }
  // A day-before reminder that could only go in the last 12 hours (the server was down) gives way to the 1-hour one.
  if (spec.which === '24h' && now >= start - 12 * 3_600_000) return;
  await deliver(ctx, w, r, spec.which === '24h' ? 'reminder24h' : 'reminder1h');
  await ctx.store.markReminderSent(r.id, spec.which);
}

/**
 * After the webinar moved (or its join link changed): each registrant with a place gets the new time and an updated
 * calendar file (same UID, higher SEQUENCE: calendars replace the entry), and their reminders are queued again.
 */
export async function rescheduleReminders(ctx: CompaContext, w: WebinarRecord, store: Store = ctx.store): Promise<void> {
  const now = ctx.now();
  await store.transaction(async (tx) => {
    for (const r of await tx.listRegistrations(w.id)) {
      if (r.status !== 'registered') continue;
      if (now < w.end) await enqueueMail(tx, r.id, 'updated', now);
      await scheduleReminders(tx, r.id, w, now);
    }
  });
}

type Kind = WebinarMail | 'reminder24h' | 'reminder1h';

async function deliver(ctx: CompaContext, w: WebinarRecord, r: RegistrationRecord, kind: Kind): Promise<void> {
  const { messages: m, config } = ctx;
  const locale = m.resolve(r.locale);
  const text = webinarText(w, locale);
  const vars = { organisation: config.organisation, title: text.title };
  const t = (k: string, v: Record<string, string> = {}) => m.t(locale, k, { ...vars, ...v });
  const placed = kind === 'registered' || kind === 'promoted' || kind === 'approved' || kind === 'updated' || kind.startsWith('reminder');
  const cancelled = kind === 'cancelled';
  const cancel = kind === 'declined' || cancelled ? null : cancelUrl(ctx, r, w);
  const links = placed ? calendarLinks({ title: text.title, description: text.description, start: w.start, end: w.end, url: w.joinUrl }) : null;
  const when = formatWhen(locale, w);
  const e = escapeHtml;

  // Reminders say how far off the start is (a late one, after the server was down, says so truthfully).
  const ahead = w.start.getTime() - ctx.now().getTime();
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  const within = ahead >= 2 * 3_600_000 ? rtf.format(Math.round(ahead / 3_600_000), 'hour') : rtf.format(Math.max(1, Math.round(ahead / 60_000)), 'minute');
  const intro = t(`mail.webinar.${kind}.intro`, { in: within });
  const details = [t('mail.webinar.when', { when }), formatLanguage(ctx, locale, w)];
  const cancelLine = kind === 'waitlisted' ? t('mail.webinar.cancelWaitlist') : kind === 'pending' ? t('mail.webinar.cancelPending') : t('mail.webinar.cancel');
  const textBody = [
    t('mail.greeting.anonymous'),
    '',
    intro,
    '',
    ...details,
    ...(placed ? ['', t('mail.webinar.join'), w.joinUrl, t('mail.webinar.joinPrivate'), '', t('mail.webinar.calendarNote')] : []),
    ...(links ? ['', t('mail.webinar.addToCalendar'), `Google: ${links.google}`, `Outlook: ${links.outlook}`] : []),
    ...(cancel ? ['', cancelLine, cancel] : []),
    '',
    '--',
    t(cancel ? 'mail.webinar.why' : 'mail.webinar.whyNoLink'),
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="${e(locale)}" dir="${textDirection(locale)}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:36rem;margin:0 auto;padding:1rem">
<p>${e(t('mail.greeting.anonymous'))}</p>
<p>${e(intro)}</p>
<p>${details.map(e).join('<br>')}</p>
${
  placed
    ? `<p>${e(t('mail.webinar.join'))}</p>
<p><a href="${e(w.joinUrl)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${e(t('mail.webinar.joinButton'))}</a></p>
<p style="font-size:14px;word-break:break-all"><a href="${e(w.joinUrl)}">${e(w.joinUrl)}</a><br>${e(t('mail.webinar.joinPrivate'))}</p>
<p>${e(t('mail.webinar.calendarNote'))}</p>`
    : ''
}
${links ? `<p>${e(t('mail.webinar.addToCalendar'))} <a href="${e(links.google)}">Google</a> · <a href="${e(links.outlook)}">Outlook</a></p>` : ''}
${cancel ? `<p>${e(cancelLine)} <a href="${e(cancel)}">${e(t('mail.webinar.cancelLink'))}</a></p>` : ''}
<hr style="border:0;border-top:1px solid #d1d5db">
<p style="font-size:13px;color:#4b5563">${e(t(cancel ? 'mail.webinar.why' : 'mail.webinar.whyNoLink'))}</p>
</body></html>`;
  const attach = placed || cancelled;
  await ctx.mailer.send({
    to: r.email,
    subject: t(`mail.webinar.${kind}.subject`),
    text: textBody,
    html,
    locale,
    ...(attach
      ? {
          attachments: [
            {
              filename: 'webinar.ics',
              content: registrationIcs(ctx, w, r, text, cancelled),
              contentType: `text/calendar; charset=utf-8; method=${cancelled ? 'CANCEL' : 'PUBLISH'}`,
            },
          ],
        }
      : {}),
  });
}
