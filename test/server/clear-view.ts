/**
 * A read-only connection to the server's SQLite file on which the personal columns read in clear, the way the
 * server reads them: temporary views named like the tables (they shadow them on this connection only) decrypt
 * `email_enc` (as `email`), names, comments and answers with the server's own vault. Tests about what the file
 * itself holds read the bytes instead (test/server/encryption.test.ts).
 */
import { DatabaseSync } from 'node:sqlite';
import { Vault as VaultClass, type Vault } from '../../src/server/crypto/vault.ts';
import { loadKeys } from '../../src/server/crypto/keys.ts';
import { loadConfig } from '../../src/server/config.ts';
import { loadSodium } from '../../src/server/crypto/vault.ts';

await loadSodium();
import { fieldOf, PERSONAL_COLUMNS } from '../../src/server/store/kysely-store.ts';

export function openClearReader(path: string, vault: Vault): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly: true });
  db.function('compa_open', { deterministic: true }, (value, column) => {
    if (typeof value !== 'string' || !value.startsWith('c1.')) return value;
    return vault.decrypt(value, fieldOf(String(column)));
  });
  for (const [table, personal] of Object.entries(PERSONAL_COLUMNS)) {
    const columns = (db.prepare(`pragma main.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    const select = columns.map((c) =>
      c === 'email_enc' ? `compa_open(email_enc, 'email_enc') as email, email_enc` : (personal as readonly string[]).includes(c) ? `compa_open(${c}, '${c}') as ${c}` : c,
    );
    db.exec(`create temp view ${table} as select ${select.join(', ')} from main.${table}`);
  }
  return db;
}

/**
 * The same for a database written by a server in another process: the vault comes from the keys that server used
 * (its environment `env`, else the key file beside the database).
 */
export function openClearReaderAt(path: string, env: Record<string, string> = {}): DatabaseSync {
  const { keys } = loadKeys(loadConfig({ COMPA_DATABASE_URL: `sqlite:${path}`, ...env }));
  return openClearReader(path, new VaultClass(keys));
}
