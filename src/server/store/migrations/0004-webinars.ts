import { sql, type Kysely } from 'kysely';
import { idColumn, type Dialect } from './helpers.ts';

/** Webinars and their registrations (places, waitlist, approval), with the reminders already sent. */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await idColumn(dialect, db.schema.createTable('webinars'))
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('series', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('texts', 'text', (c) => c.notNull())
      .addColumn('held_in', 'text', (c) => c.notNull())
      .addColumn('interpretation', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('questions', 'text', (c) => c.notNull())
      .addColumn('join_url', 'text', (c) => c.notNull())
      .addColumn('recording_url', 'text')
      .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create index webinars_series on webinars (series, starts_at)`.execute(db);

    await idColumn(dialect, db.schema.createTable('registrations'))
      .addColumn('webinar_id', 'integer', (c) => c.notNull().references('webinars.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('consent_text', 'text', (c) => c.notNull())
      .addColumn('consent_locale', 'text', (c) => c.notNull())
      .addColumn('queued_at', 'text', (c) => c.notNull())
      .addColumn('reminders_sent', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('mails_due', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('mails_sent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('mails_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('mails_window_start', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // One registration per address per webinar; places and the waitlist are counted per webinar and status.
    await sql`create unique index registrations_webinar_email on registrations (webinar_id, email)`.execute(db);
    await sql`create index registrations_webinar_status on registrations (webinar_id, status, queued_at)`.execute(db);
  };
}
