/**
 * The organisation's privacy duties: erasure (`compa erase`, `POST /api/v1/admin/erasures`), retention (daily and
 * `compa retention`), sealing (sealed mode, every minute), key rotation, and exports (CSV or JSON Lines, streamed).
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CompaContext } from '../context.ts';
import { cell } from '../csv.ts';
import { normaliseEmail, SealOpener, Vault, type PersonalField } from '../crypto/vault.ts';
import { PrivacyStore, type EraseResult, type ExportKind, type RetentionCampaign } from '../store/privacy-store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { enqueueMails } from '../webinars/service.ts';

export const EXPORT_KINDS = ['subscribers', 'signatures', 'registrations'] as const satisfies readonly ExportKind[];
export type ExportFormat = 'csv' | 'jsonl';

/** The columns of each export, in order (CSV header; JSON Lines keys). */
export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  subscribers: ['id', 'campaign', 'email', 'first_name', 'status', 'language', 'consent_text', 'consent_language', 'consent_at', 'confirmed_at', 'unsubscribed_at'],
  signatures: [
    'id',
    'campaign',
    'email',
    'first_name',
    'last_name',
    'country',
    'comment',
    'status',
    'source',
    'keep_informed',
    'language',
    'consent_text',
    'consent_language',
    'signed_at',
    'confirmed_at',
  ],
  registrations: ['id', 'campaign', 'email', 'name', 'status', 'language', 'answers', 'consent_text', 'consent_language', 'registered_at'],
};

const PERSONAL: Record<string, PersonalField> = {
  email: 'email',
  first_name: 'first_name',
  last_name: 'last_name',
  comment: 'comment',
  name: 'name',
  answers: 'answers',
};

export class SealedError extends Error {
  constructor() {
    super('some rows are sealed (sealed mode): give the organisation\'s private key with --private-key FILE');
    this.name = 'SealedError';
  }
}

export interface ExportOptions {
  campaign?: string;
  since?: Date;
  /** Opens sealed values (on the organisation's own computer). Without it, a sealed value stops the export… */
  opener?: SealOpener | null;
  /** …unless sealed values may pass as they are (`sealed:…`): the admin API, whose caller opens them. */
  passSealed?: boolean;
}

/**
 * One export row with its personal values opened: encrypted ones with the server's `vault`, sealed ones with the
 * organisation's key. `vault` null: a row from the admin API, whose values are in clear but for the sealed ones.
 */
export function openRow(vault: Vault | null, row: Record<string, unknown>, opts: ExportOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const field = PERSONAL[k];
    if (!field || typeof v !== 'string' || v === '' || (!vault && !Vault.isSealed(v))) {
      out[k] = k === 'keep_informed' ? v === 1 || v === true : (v ?? null);
      continue;
    }
    let clear: string | null;
    if (Vault.isSealed(v)) {
      if (opts.opener) clear = opts.opener.open(v, field);
      else if (opts.passSealed) {
        out[k] = v;
        continue;
      } else throw new SealedError();
    } else clear = vault!.decrypt(v, field);
    out[k] = field === 'answers' && clear ? (JSON.parse(clear) as unknown) : clear;
  }
  return out;
}

/** The export as lines of text (header first for CSV), read from the database page by page. */
export async function* exportLines(ctx: CompaContext, kind: ExportKind, format: ExportFormat, opts: ExportOptions = {}): AsyncGenerator<string> {
  const columns = EXPORT_COLUMNS[kind];
  const vault = (ctx.store as KyselyStore).vault;
  if (format === 'csv') yield columns.join(',') + '\r\n';
  for await (const raw of new PrivacyStore(ctx.store).exportRows(kind, opts)) yield exportLine(kind, openRow(vault, raw, opts), format);
}

/** One opened row as a line of the export: JSON Lines, or CSV (formulas neutralised, CRLF). */
export function exportLine(kind: ExportKind, row: Record<string, unknown>, format: ExportFormat): string {
  const columns = EXPORT_COLUMNS[kind];
  if (format === 'jsonl') return JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))) + '\n';
  const cells = columns.map((c) => {
    const v = row[c];
    return v === null || v === undefined ? '' : cell(typeof v === 'object' ? JSON.stringify(v) : String(v));
  });
  return cells.join(',') + '\r\n';
}

/**
 * Erases a person everywhere: subscriber, signatures, registrations (a place at a webinar still ahead goes to the
 * waitlist), mail files in the outbox; then the database's write-ahead log is emptied so no old copy lingers.
 */
export async function eraseEverywhere(
  ctx: CompaContext,
  email: string,
  /** Sealed mode: the organisation's key, which finds the sealed rows of closed campaigns (they have no hash). */
  opener: SealOpener | null = null,
): Promise<EraseResult & { outboxFiles: number; unchecked: number; walEmptied: boolean }> {
  const now = ctx.now();
  const privacy = new PrivacyStore(ctx.store);
  const unlinked = opener ? await privacy.findUnlinked(email, (v) => opener.open(v, 'email')) : undefined;
  const result = await privacy.erase(
    email,
    now,
    async (tx, webinarId, ids) => {
      const w = await tx.getWebinarById(webinarId);
      if (w) await enqueueMails(tx, w, ids.map((id) => ({ registrationId: id, mail: 'promoted' as const })), now);
    },
    unlinked,
  );
  // Without the key, sealed rows of closed campaigns can't be matched to the address: say how many were not checked.
  const unchecked = opener ? 0 : await privacy.unlinkedCount();
  const outboxFiles = ctx.config.smtpUrl ? 0 : await eraseFromOutbox(ctx.config.outboxDir, email);
  const walEmptied = await (ctx.store as KyselyStore).checkpoint();
  ctx.jobs.poke();
  return { ...result, outboxFiles, unchecked, walEmptied };
}

/** Deletes the outbox's mail files (no SMTP configured) addressed to this address. */
async function eraseFromOutbox(dir: string, email: string): Promise<number> {
  const address = normaliseEmail(email);
  let names: string[];
  try {
    names = (await readdir(resolve(dir))).filter((n) => n.endsWith('.eml'));
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    const file = join(resolve(dir), name);
    const head = (await readFile(file, 'utf8')).split(/\r?\n\r?\n/, 1)[0] ?? '';
    const to = /^To:(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '';
    // The exact address, not one that contains it (erasing ana@… must not delete mariana@…'s mail).
    if (to.toLowerCase().match(/[^\s<>,;"]+@[^\s<>,;"]+/g)?.includes(address)) {
      await unlink(file);
      n++;
    }
  }
  return n;
}

export { auditCommand } from '../admin/command-audit.ts';

/** Strips personal data of actions on campaigns closed more than COMPA_RETENTION_DAYS ago (or only reports it). */
export async function runRetention(ctx: CompaContext, opts: { dryRun: boolean }): Promise<RetentionCampaign[]> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - ctx.config.retentionDays * 86_400_000);
  const privacy = new PrivacyStore(ctx.store);
  if (opts.dryRun) return privacy.retentionDue(cutoff);
  const done = await privacy.applyRetention(cutoff, now);
  // Also empties the WAL of whatever an erasure run beside the server could not (see `checkpoint`).
  await (ctx.store as KyselyStore).checkpoint();
  return done;
}
