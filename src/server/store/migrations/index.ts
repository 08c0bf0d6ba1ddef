import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Dialect } from './helpers.ts';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-petitions.ts';
import * as m0003 from './0003-receipts-sent.ts';
import * as m0004 from './0004-webinars.ts';
import * as m0005 from './0005-stories.ts';
import * as m0006 from './0006-personal-data-encrypted.ts';
import * as m0008 from './0008-export-indexes.ts';
import type { Vault } from '../../crypto/vault.ts';
import * as m0007 from './0007-admin.ts';

/**
 * Versioned migrations, applied in name order and recorded in `kysely_migration`.
 * Add a new file `NNNN-what.ts` exporting `up(dialect)` and list it here; never edit a released one.
 */
export class CompaMigrations implements MigrationProvider {
  readonly dialect: Dialect;
  /** The keys of personal data (migrations that convert stored rows use them). */
  readonly vault: Vault;
  constructor(dialect: Dialect, vault: Vault) {
    this.dialect = dialect;
    this.vault = vault;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001-initial': { up: m0001.up(this.dialect) },
      '0002-petitions': { up: m0002.up(this.dialect) },
      '0003-receipts-sent': { up: m0003.up(this.dialect) },
      '0004-webinars': { up: m0004.up(this.dialect) },
      '0005-stories': { up: m0005.up(this.dialect) },
      '0006-personal-data-encrypted': { up: m0006.up(this.dialect, this.vault) },
      '0007-admin': { up: m0007.up(this.dialect) },
      '0008-export-indexes': { up: m0008.up(this.dialect) },
    };
  }
}
