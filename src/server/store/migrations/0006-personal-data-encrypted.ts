import { sql, type Kysely } from 'kysely';
import type { Dialect } from './helpers.ts';
import type { PersonalField, Vault } from '../../crypto/vault.ts';

/**
 * Supporters' personal fields are never stored in clear from now on: the address becomes its keyed hash
 * (`email_hash`, which keeps the uniqueness rules) plus its ciphertext (`email_enc`); names, comments and answers
 * are encrypted in place. Rows written before are converted here, with the keys of the configuration.
 */
export function up(_dialect: Dialect, vault: Vault) {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const table of ['subscribers', 'signatures', 'registrations']) {
      await sql`alter table ${sql.table(table)} rename column email to email_hash`.execute(db);
      await db.schema.alterTable(table).addColumn('email_enc', 'text').execute();
    }
    const fields: Record<string, PersonalField[]> = {
      subscribers: ['first_name'],
      signatures: ['first_name', 'last_name', 'comment'],
      registrations: ['name', 'answers'],
    };
    for (const [table, columns] of Object.entries(fields)) {
      const rows = (await sql<Record<string, string | number | null>>`select * from ${sql.table(table)}`.execute(db)).rows;
      for (const row of rows) {
        const set: Record<string, string | null> = {
          email_hash: vault.lookup(String(row.email_hash)),
          email_enc: vault.encrypt(String(row.email_hash), 'email'),
        };
        for (const c of columns) {
          const value = row[c] as string | null;
          // Cancelled registrations kept no name or answers ('' and '{}'): they stay empty.
          set[c] = value === null || value === '' || (c === 'answers' && value === '{}') ? (value === null ? null : '') : vault.encrypt(value, c);
        }
        await (db as Kysely<Record<string, Record<string, unknown>>>).updateTable(table).set(set).where('id', '=', row.id).execute();
      }
    }
  };
}
