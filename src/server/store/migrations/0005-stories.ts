import { sql, type Kysely } from 'kysely';
import { idColumn, type Dialect } from './helpers.ts';

/**
 * Partner stories (issue 5): the stories (per-language texts, partner, place, dates, consent window), their
 * tags, the images Compa serves (metadata stripped), which story uses which image, and each feed's fetch state.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const blob = dialect === 'postgres' ? 'bytea' : 'blob';
    await idColumn(dialect, db.schema.createTable('stories'))
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('guid', 'text')
      .addColumn('texts', 'text', (c) => c.notNull())
      .addColumn('partner_slug', 'text')
      .addColumn('partner_name', 'text')
      .addColumn('country', 'text')
      .addColumn('region_slug', 'text')
      .addColumn('region_name', 'text')
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('image_id', 'text')
      .addColumn('image_alt', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('publish_from', 'text')
      .addColumn('withdraw_after', 'text')
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('erased', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('content_hash', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index stories_source_guid on stories (source, guid)`.execute(db);
    await sql`create index stories_order on stories (published_at desc, id desc)`.execute(db);

    await db.schema
      .createTable('story_tags')
      .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
      .addColumn('slug', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('story_tags_pk', ['story_id', 'slug'])
      .execute();
    await sql`create index story_tags_slug on story_tags (slug)`.execute(db);

    await db.schema
      .createTable('story_media')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('bytes', blob, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('story_images')
      .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
      .addColumn('media_id', 'text', (c) => c.notNull().references('story_media.id'))
      .addPrimaryKeyConstraint('story_images_pk', ['story_id', 'media_id'])
      .execute();
    await sql`create index story_images_media on story_images (media_id)`.execute(db);

    await db.schema
      .createTable('story_feeds')
      .addColumn('url', 'text', (c) => c.primaryKey())
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('checked_at', 'text')
      .addColumn('ok_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('items', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
