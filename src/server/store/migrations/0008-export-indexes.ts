import { sql, type Kysely } from 'kysely';
import type { Dialect } from './helpers.ts';

/**
 * Exports of one webinar read its registrations in id order, page by page: with this index each page is a range
 * scan, not a sort of the whole webinar. (Signatures have none: one more index on every signature would slow the
 * hot path of signing; their export reads the table in id order instead, see `PrivacyStore.exportRows`.)
 */
export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`create index registrations_webinar_id on registrations (webinar_id, id)`.execute(db);
  };
}
