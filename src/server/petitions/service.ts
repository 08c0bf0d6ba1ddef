import sanitizeHtml from 'sanitize-html';
import type { CompaContext } from '../context.ts';
import type { PetitionRecord, PetitionText } from '../store/store.ts';
import { escapeHtml, textDirection } from '../html.ts';
import { pickLanguage } from '../i18n.ts';

/** How long a verify-before-count confirm link works; unconfirmed signatures are deleted after it. */
export const SIGN_CONFIRM_TTL_MS = 7 * 86_400_000;
/** "It wasn't me" links work this long (a receipt may be read late). */
export const NOT_ME_TTL_MS = 180 * 86_400_000;
/** Default lifetime of a one-click action link (the petition's deadline caps it). */
export const ACTION_LINK_TTL_MS = 14 * 86_400_000;
/** The page parameters of a one-click action link (read by `<compa-petition>`): the token, and the petition. */
export const ACTION_PARAM = 'compa_action';
export const CAMPAIGN_PARAM = 'compa_campaign';

/**
 * The rich-text allowlist for petition bodies (and later stories): structure and emphasis, links to http(s)
 * and mailto only, no attributes but `href`; links open safely. Everything else is dropped (script, style,
 * iframes, event handlers, images: no third-party request can hide in a body).
 */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'blockquote', 'h3', 'h4'],
    allowedAttributes: { a: ['href', 'rel', 'target'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }),
    },
  }).trim();
}

/**
 * The texts for a requested language tag: the petition's own language matching it exactly, else its primary
 * language (`es-CO` → `es`), else English, else any language it has; says which one it used and whether that
 * is a fallback. Matched against the petition's languages, not the server's: a petition may be published in a
 * language the server's messages lack.
 */
export function petitionText(p: PetitionRecord, tag: string | null | undefined): PetitionText & { locale: string; fallback: boolean } {
  const picked = pickLanguage(Object.keys(p.texts), tag);
  return { ...p.texts[picked.locale]!, ...picked };
}

/** The petition with every language's body sanitised (whatever wrote it: seed, CLI, admin, SQL by hand). */
export function sanitizedPetition(p: PetitionRecord): PetitionRecord {
  const texts: Record<string, PetitionText> = {};
  for (const [locale, t] of Object.entries(p.texts)) texts[locale] = { ...t, body: sanitizeRichText(t.body) };
  return { ...p, texts };
}

/** A signed link that signs `petitionId` as subscriber `subscriberId` with one click (and nothing else). */
export function actionToken(ctx: CompaContext, petition: PetitionRecord, subscriberId: number, ttlMs = ACTION_LINK_TTL_MS): string {
  let expires = ctx.now().getTime() + ttlMs;
  if (petition.deadline) expires = Math.min(expires, petition.deadline.getTime());
  return ctx.tokens.sign('action', `${petition.id}-${subscriberId}`, new Date(expires));
}

/** The subscriber an action token signs as, if it is valid for this petition. */
export function verifyActionToken(ctx: CompaContext, token: string, petitionId: number): number | null {
  const claims = ctx.tokens.verify(token, 'action', ctx.now());
  if (!claims) return null;
  const [p, s] = claims.subject.split('-').map(Number);
  return p === petitionId && Number.isSafeInteger(s) && s! > 0 ? s! : null;
}

export function signConfirmUrl(ctx: CompaContext, signatureId: number): string {
  const token = ctx.tokens.sign('sign-confirm', signatureId, new Date(ctx.now().getTime() + SIGN_CONFIRM_TTL_MS));
  return `${ctx.config.publicUrl}/petitions/confirm?t=${encodeURIComponent(token)}`;
}

export function notMeUrl(ctx: CompaContext, signatureId: number): string {
  const token = ctx.tokens.sign('sign-remove', signatureId, new Date(ctx.now().getTime() + NOT_ME_TTL_MS));
  return `${ctx.config.publicUrl}/petitions/not-me?t=${encodeURIComponent(token)}`;
}

/**
 * The receipts of a batch of signatures (one job per group commit), each in the signer's language: "confirm to count" (verification by email, still
 * pending) or "thank you"; both carry an "It wasn't me" link that removes the signature. Runs as a job.
 */
export async function sendReceipts(ctx: CompaContext, payload: { signatureIds?: number[]; signatureId?: number }): Promise<void> {
  let failure: unknown;
  for (const id of payload.signatureIds ?? [payload.signatureId!]) {
    try {
      await sendReceipt(ctx, id);
    } catch (err) {
      failure ??= err; // the others still go out; the job is retried for this one (sent ones are skipped)
    }
  }
  if (failure) throw failure;
}

async function sendReceipt(ctx: CompaContext, signatureId: number): Promise<void> {
  const sig = await ctx.store.getSignature(signatureId);
  if (!sig || sig.mailsSent >= sig.mailsDue) return; // removed meanwhile, or already sent
  const petition = await ctx.store.getPetitionById(sig.petitionId);
  if (!petition) return;
  const { messages: m, config } = ctx;
  const locale = m.resolve(sig.locale);
  const text = petitionText(petition, locale);
  const vars = { organisation: config.organisation, title: text.title, target: text.target };
  const pending = sig.status === 'pending';
  const notMe = notMeUrl(ctx, sig.id);
  const confirm = pending ? signConfirmUrl(ctx, sig.id) : null;
  const k = pending ? 'mail.sign.confirm' : 'mail.sign.thanks';
  const lines = {
    greeting: m.t(locale, 'mail.greeting.anonymous'),
    intro: m.t(locale, `${k}.intro`, vars),
    action: pending ? m.t(locale, 'mail.sign.confirm.action') : m.t(locale, 'mail.sign.thanks.share'),
    button: m.t(locale, 'mail.sign.confirm.button'),
    expiry: m.t(locale, 'mail.sign.confirm.expiry'),
    notMe: m.t(locale, 'mail.sign.notMe', vars),
    notMeLink: m.t(locale, 'mail.sign.notMe.link'),
    why: m.t(locale, 'mail.sign.why', vars),
  };
  const textBody = [
    lines.greeting,
    '',
    lines.intro,
    lines.action,
    ...(confirm ? ['', confirm, '', lines.expiry] : []),
    '',
    '--',
    lines.notMe,
    notMe,
    '',
    lines.why,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html><html lang="${e(locale)}" dir="${textDirection(locale)}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:36rem;margin:0 auto;padding:1rem">
<p>${e(lines.greeting)}</p>
<p>${e(lines.intro)}</p>
<p>${e(lines.action)}</p>
${
  confirm
    ? `<p><a href="${e(confirm)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${e(lines.button)}</a></p>
<p style="font-size:14px;word-break:break-all"><a href="${e(confirm)}">${e(confirm)}</a></p>
<p>${e(lines.expiry)}</p>`
    : ''
}
<hr style="border:0;border-top:1px solid #d1d5db">
<p style="font-size:13px;color:#4b5563">${e(lines.notMe)} <a href="${e(notMe)}">${e(lines.notMeLink)}</a></p>
<p style="font-size:13px;color:#4b5563">${e(lines.why)}</p>
</body></html>`;
  await ctx.mailer.send({
    to: sig.email,
    subject: m.t(locale, `${k}.subject`, vars),
    text: textBody,
    html,
    locale,
  });
  await ctx.store.markReceiptSent(sig.id);
}
