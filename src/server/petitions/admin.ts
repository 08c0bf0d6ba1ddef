/**
 * Publishing a petition from the organisation's side, shared by `compa petition-put`, `compa import` and the admin
 * API: the petition file's schema (src/schemas/admin.ts), its checks against the database, the write, and
 * opening or closing (which records when it closed).
 */
import { PetitionItemSchema, type PetitionItem } from '../../schemas/admin.ts';
import type { CompaContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { PetitionRecord } from '../store/store.ts';
import { adminStore } from '../store/admin-store.ts';
import { sanitizeRichText } from './service.ts';

/** The petition file of `petition-put` (README: "Publishing a petition"). */
export const PetitionFile = PetitionItemSchema;

/**
 * What the schema can't see: the "keep me informed" list must exist (or be among `extraLists`, lists created by
 * the same import). Returns the bad fields (empty when none).
 */
export async function checkPetition(ctx: CompaContext, f: PetitionItem, extraLists: ReadonlySet<string> = new Set()): Promise<Record<string, string>> {
  if (!f.keepInformedList || extraLists.has(f.keepInformedList)) return {};
  const list = (await ctx.store.listLists({ publicOnly: false })).find((l) => l.slug === f.keepInformedList);
  return list ? {} : { keepInformedList: `no newsletter list "${f.keepInformedList}"` };
}

/**
 * Creates the petition, or updates the one with the same slug (the count is never touched). Bodies are sanitised.
 * Throws HttpError 400 naming the field when a check fails (nothing written).
 */
export async function putPetition(ctx: CompaContext, f: PetitionItem): Promise<{ outcome: 'created' | 'updated'; petition: PetitionRecord }> {
  const fields = await checkPetition(ctx, f);
  if (Object.keys(fields).length) throw new HttpError(400, 'invalid_body', 'The petition has invalid fields', { fields });
  const list = f.keepInformedList ? (await ctx.store.listLists({ publicOnly: false })).find((l) => l.slug === f.keepInformedList) : null;
  const texts = Object.fromEntries(Object.entries(f.texts).map(([locale, t]) => [locale, { ...t, body: sanitizeRichText(t.body) }]));
  const values = {
    slug: f.slug,
    status: f.status,
    texts,
    goal: f.goal,
    deadline: f.deadline ? new Date(f.deadline) : null,
    verification: f.verification,
    lastName: f.lastName,
    countThreshold: f.countThreshold,
    newsletterListId: list?.id ?? null,
    shareUrl: f.shareUrl,
  };
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.getPetition(f.slug);
    let id: number;
    if (existing) {
      await tx.updatePetition(existing.id, { ...values, now });
      id = existing.id;
    } else id = await tx.createPetition({ ...values, now });
    await adminStore(tx).setClosed('petitions', id, f.status === 'closed' ? now : null);
    return { outcome: existing ? ('updated' as const) : ('created' as const), petition: (await tx.getPetitionById(id))! };
  });
}

/** Opens (status `open`) or closes (status `closed`, recording when) a petition; null for an unknown slug. */
export async function setPetitionOpen(ctx: CompaContext, slug: string, open: boolean): Promise<PetitionRecord | null> {
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const p = await tx.getPetition(slug);
    if (!p) return null;
    if (p.status !== (open ? 'open' : 'closed')) await tx.updatePetition(p.id, { status: open ? 'open' : 'closed', now });
    await adminStore(tx).setClosed('petitions', p.id, open ? null : now);
    return (await tx.getPetitionById(p.id))!;
  });
}
