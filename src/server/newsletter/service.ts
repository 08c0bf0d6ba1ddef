import type { CompaContext } from '../context.ts';
import type { ListRecord } from '../store/store.ts';
import { escapeHtml, textDirection } from '../html.ts';

export function parseConfirmSubject(subject: string): { subscriberId: number; listIds: number[] } | null {
  const ids = subject.split('-').map(Number);
  if (ids.length < 2 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) return null;
  return { subscriberId: ids[0]!, listIds: ids.slice(1) };
}

export const CONFIRM_MAIL_JOB = 'newsletter.confirm-mail';
/** At most this many confirmation mails per address per day, whatever the API receives. */
export const CONFIRM_MAILS_PER_DAY = 5;
/** How long a confirm link works; unconfirmed signups are deleted after it (see `purgeUnconfirmed`). */
export const CONFIRM_TTL_MS = 7 * 86_400_000;

/** The name of a list in a language, falling back to English, then to any language it has. */
export function listText(list: ListRecord, locale: string): { name: string; description: string; locale: string } {
  const found = list.texts[locale] ? locale : list.texts.en ? 'en' : Object.keys(list.texts)[0]!;
  return { ...list.texts[found]!, locale: found };
}

/** A confirm link confirms only the lists it was sent for (not lists someone else added later). */
export function confirmUrl(ctx: CompaContext, subscriberId: number, listIds: number[]): string {
  const token = ctx.tokens.sign('confirm', `${subscriberId}-${listIds.join('-')}`, new Date(ctx.now().getTime() + CONFIRM_TTL_MS));
  return `${ctx.config.publicUrl}/newsletter/confirm?t=${encodeURIComponent(token)}`;
}

/** Unsubscribe links never expire (RFC 8058 asks them to keep working). */
export function unsubscribeUrl(ctx: CompaContext, subscriberId: number): string {
  return `${ctx.config.publicUrl}/newsletter/unsubscribe?t=${encodeURIComponent(ctx.tokens.sign('unsubscribe', subscriberId, null))}`;
}

/** Sends the double opt-in mail for the given subscriber, in their language. Runs as a persisted job. */
export async function sendConfirmMail(ctx: CompaContext, payload: { subscriberId: number; listIds: number[] }): Promise<void> {
  const sub = await ctx.store.getSubscriber(payload.subscriberId);
  if (!sub) return; // erased meanwhile: nothing to send
  const statuses = await ctx.store.subscriptionStatuses(sub.id);
  const pendingSlugs = new Set(statuses.filter((s) => s.status === 'pending').map((s) => s.slug));
  if (pendingSlugs.size === 0) return; // nothing new, or confirmed or unsubscribed meanwhile
  const allowed = await ctx.store.takeConfirmMailAllowance(sub.id, ctx.now(), CONFIRM_MAILS_PER_DAY);
  if (!allowed) return;

  const { messages: m, config } = ctx;
  const locale = m.resolve(sub.locale);
  const lists = (await ctx.store.listLists({ publicOnly: false })).filter((l) => pendingSlugs.has(l.slug));
  const listIds = lists.map((l) => l.id);
  const names = m.list(locale, lists.map((l) => listText(l, locale).name));
  const confirm = confirmUrl(ctx, sub.id, listIds);
  const unsubscribe = unsubscribeUrl(ctx, sub.id);
  const vars = { organisation: config.organisation, lists: names };
  // No name in this mail: it goes to an address nobody has verified yet, and a name typed by a stranger must
  // not reach someone else's inbox from the organisation's domain.
  const greeting = m.t(locale, 'mail.greeting.anonymous');
  const lines = {
    intro: m.t(locale, 'mail.confirm.intro', vars),
    action: m.t(locale, 'mail.confirm.action'),
    button: m.t(locale, 'mail.confirm.button'),
    expiry: m.t(locale, 'mail.confirm.expiry'),
    ignore: m.t(locale, 'mail.confirm.ignore'),
    why: m.t(locale, 'mail.footer.why', vars),
    unsubscribe: m.t(locale, 'mail.footer.unsubscribe'),
  };
  const text = [
    greeting,
    '',
    lines.intro,
    lines.action,
    '',
    confirm,
    '',
    lines.expiry,
    lines.ignore,
    '',
    '--',
    lines.why,
    m.t(locale, 'mail.footer.unsubscribeText', { url: unsubscribe }),
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html><html lang="${e(locale)}" dir="${textDirection(locale)}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:36rem;margin:0 auto;padding:1rem">
<p>${e(greeting)}</p>
<p>${e(lines.intro)}</p>
<p>${e(lines.action)}</p>
<p><a href="${e(confirm)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${e(lines.button)}</a></p>
<p style="font-size:14px;word-break:break-all"><a href="${e(confirm)}">${e(confirm)}</a></p>
<p>${e(lines.expiry)} ${e(lines.ignore)}</p>
<hr style="border:0;border-top:1px solid #d1d5db">
<p style="font-size:13px;color:#4b5563">${e(lines.why)} <a href="${e(unsubscribe)}">${e(lines.unsubscribe)}</a></p>
</body></html>`;
  await ctx.mailer.send({
    to: sub.email,
    subject: m.t(locale, 'mail.confirm.subject', vars),
    text,
    html,
    locale,
    unsubscribeUrl: unsubscribe,
  });
}
