import { sql, type Kysely } from 'kysely';
import { idColumn, type Dialect } from './helpers.ts';

/** Petitions (urgent actions) and their signatures. */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await idColumn(dialect, db.schema.createTable('petitions'))
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('texts', 'text', (c) => c.notNull())
      .addColumn('goal', 'integer', (c) => c.notNull())
      .addColumn('deadline', 'text')
      .addColumn('verification', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('count_threshold', 'integer')
      .addColumn('newsletter_list_id', 'integer', (c) => c.references('newsletter_lists.id').onDelete('set null'))
      .addColumn('share_url', 'text')
      .addColumn('signature_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await idColumn(dialect, db.schema.createTable('signatures'))
      .addColumn('petition_id', 'integer', (c) => c.notNull().references('petitions.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text')
      .addColumn('country', 'text')
      .addColumn('comment', 'text')
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('keep_informed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consent_text', 'text')
      .addColumn('consent_locale', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('confirmed_at', 'text')
      .addColumn('mails_sent', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // One signature per address per petition.
    await sql`create unique index signatures_petition_email on signatures (petition_id, email)`.execute(db);
  };
}
