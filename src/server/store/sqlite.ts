import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from './schema.ts';

/** node:sqlite only binds null, numbers, bigints, strings and bytes. */
function bindable(values: ReadonlyArray<unknown>): SQLInputValue[] {
  return values.map((v) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === undefined) return null;
    if (v instanceof Date) return v.toISOString();
    return v as SQLInputValue;
  });
}

/** Adapts Node's built-in `node:sqlite` (no native addon to compile) to Kysely's SQLite driver interface. */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
  prepare(sql: string): SqliteStatement {
    const stmt = this.db.prepare(sql);
    const reader = stmt.columns().length > 0;
    return {
      reader,
      all: (params) => stmt.all(...bindable(params)),
      run: (params) => {
        const r = stmt.run(...bindable(params));
        return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
      },
      iterate: (params) => stmt.iterate(...bindable(params)) as IterableIterator<unknown>,
    };
  }
}

/** A connection with Compa's settings (used by the main thread and by the signature writer's thread). */
export function openRaw(path: string): DatabaseSync {
  const raw = new DatabaseSync(path);
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  // Deleted and overwritten content is zeroed in the pages written anyway (erasure, retention, sealing rewrite rows
  // in place), at no extra I/O; a whole page freed goes to the free list as it is (FAST rather than ON, which costs
  // durable signatures a tenth of their speed). Migration 0006 vacuums once.
  raw.exec('PRAGMA secure_delete = FAST');
  return raw;
}

export interface SqliteHandle {
  kysely: Kysely<Database>;
  /** The raw connection, for pragmas and tests. */
  raw: DatabaseSync;
  path: string;
}

/**
 * Opens (creating if needed) the SQLite file named by a `sqlite:PATH` URL.
 * WAL journal with `synchronous=FULL`: a transaction that has committed survives a crash or power loss.
 */
export function openSqlite(databaseUrl: string): SqliteHandle {
  const path = resolve(databaseUrl.replace(/^sqlite:/, ''));
  mkdirSync(dirname(path), { recursive: true });
  const raw = openRaw(path);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(raw) }) });
  return { kysely, raw, path };
}
