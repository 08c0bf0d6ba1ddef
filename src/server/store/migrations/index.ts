import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Dialect } from './helpers.ts';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-petitions.ts';
import * as m0003 from './0003-receipts-sent.ts';
import * as m0004 from './0004-webinars.ts';
import * as m0005 from './0005-stories.ts';

/**
 * Versioned migrations, applied in name order and recorded in `kysely_migration`.
 * Add a new file `NNNN-what.ts` exporting `up(dialect)` and list it here; never edit a released one.
 */
export class CompaMigrations implements MigrationProvider {
  readonly dialect: Dialect;
  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001-initial': { up: m0001.up(this.dialect) },
      '0002-petitions': { up: m0002.up(this.dialect) },
      '0003-receipts-sent': { up: m0003.up(this.dialect) },
      '0004-webinars': { up: m0004.up(this.dialect) },
      '0005-stories': { up: m0005.up(this.dialect) },
    };
  }
}
