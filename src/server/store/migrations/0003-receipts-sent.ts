import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.ts';

/** Receipts are sent in batches: each signature records how many of its due mails (`mails_sent`) went out. */
export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('signatures').addColumn('receipts_sent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  };
}
