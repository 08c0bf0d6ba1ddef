import { sql, type Kysely } from 'kysely';
import { idColumn, type Dialect } from './helpers.ts';

/**
 * The organisation's admin API (issue 6): bearer tokens (only their SHA-256 is stored), the audit log of admin
 * actions (never personal data), story feeds added through the API, and when each campaign closed (`closed_at`,
 * null while open; retention counts from it).
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await idColumn(dialect, db.schema.createTable('admin_tokens'))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();

    await idColumn(dialect, db.schema.createTable('admin_audit'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('token_id', 'integer')
      .addColumn('token_name', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', 'integer', (c) => c.notNull())
      .execute();
    await sql`create index admin_audit_at on admin_audit (at)`.execute(db);

    await db.schema
      .createTable('story_feed_sources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull().unique())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    for (const table of ['newsletter_lists', 'petitions', 'webinars']) {
      await db.schema.alterTable(table).addColumn('closed_at', 'text').execute();
    }
  };
}
