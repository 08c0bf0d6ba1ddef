import { sql, type Kysely } from 'kysely';
import type { Dialect } from './helpers.ts';

/**
 * Exports of one campaign read its rows in id order, page by page: with these indexes each page is a range scan,
 * not a sort of the whole campaign (100,000 signatures of one petition export in seconds).
 */
export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`create index signatures_petition_id on signatures (petition_id, id)`.execute(db);
    await sql`create index registrations_webinar_id on registrations (webinar_id, id)`.execute(db);
  };
}
