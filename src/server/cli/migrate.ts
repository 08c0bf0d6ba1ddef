/**
 * `compa migrate`: brings the database's schema up to date, as the server does on start, and nothing else (no demo
 * content, no jobs, no port): for deployments that migrate before starting the new version.
 */
import { loadConfig } from '../config.ts';
import { openStore } from '../store/kysely-store.ts';
import { openVault } from '../crypto/keys.ts';
import { parseOptions } from './args.ts';
import { EXIT, type Command } from './command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or update the database schema, then exit (no demo content, no jobs)',
  help: `usage: compa migrate

Applies the database migrations that COMPA_DATABASE_URL's database has not had yet (creating the SQLite file
and its folder if needed), in order. The server does the same on start; this command
lets a deployment migrate first, then start the new version. It seeds no demo content and sends no mail.
There are no options.

Prints each migration applied ("applied 0005-stories"), or "database up to date".

Exit codes: 0 done (also when already up to date), 1 a migration failed (the ones before it stay applied),
78 a COMPA_* variable is wrong (the message names it).
`,
  async run(args) {
    parseOptions(args, {});
    const config = loadConfig(process.env);
    // The same keys as the server (a migration may encrypt data already stored); made on first use, as on start.
    const { vault, loaded } = await openVault(config);
    if (loaded.generated) {
      console.error(
        `generated the keys of supporters' data in ${loaded.file}: keep it out of database backups and back it up elsewhere (README: "Keys and sealed mode")`,
      );
    }
    const store = await openStore(config.databaseUrl, vault);
    try {
      const applied = await store.migrate();
      for (const name of applied) console.log(`applied ${name}`);
      console.log(applied.length ? `database migrated: ${applied.length} migration(s) applied` : 'database up to date');
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
