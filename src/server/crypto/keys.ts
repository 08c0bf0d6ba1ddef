import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { generateKey, loadSodium, Vault, type VaultKeys } from './vault.ts';

/**
 * Where the keys of supporters' data come from: the environment (COMPA_DATA_KEYS, COMPA_LOOKUP_KEY,
 * COMPA_SEAL_PUBLIC_KEY), else the key file (COMPA_KEY_FILE, `NAME=value` lines), which is generated with fresh
 * keys on the first start when neither exists, so that the demo needs no configuration. An environment variable
 * wins over the same line of the file.
 */
export interface LoadedKeys {
  keys: VaultKeys;
  /** The file the keys (or some) came from, or null when all came from the environment. */
  file: string | null;
  /** True when this call created the key file. */
  generated: boolean;
}

const KEY_VARS = ['COMPA_DATA_KEYS', 'COMPA_LOOKUP_KEY', 'COMPA_SEAL_PUBLIC_KEY'] as const;

/** Reads the key file's `NAME=value` lines (blank lines and `#` comments allowed). */
export function readKeyFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const t = line.trim();
      if (!t || t.startsWith('#')) return;
      const m = /^([A-Z_]+)\s*=\s*(.*)$/.exec(t);
      if (!m || !(KEY_VARS as readonly string[]).includes(m[1]!)) {
        throw new ConfigError('COMPA_KEY_FILE', `${path} line ${i + 1}: expected one of ${KEY_VARS.join(', ')} = value`);
      }
      out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
    });
  return out;
}

export function keyFileText(dataKeyId: string, dataKey: Buffer, lookupKey: Buffer): string {
  return [
    '# Compa: the keys of supporters\' personal data (README: "Keys and sealed mode").',
    '# Keep this file out of the database\'s backups, and back it up elsewhere: without it, the data can\'t be read.',
    `COMPA_DATA_KEYS=${dataKeyId}:${dataKey.toString('base64')}`,
    `COMPA_LOOKUP_KEY=${lookupKey.toString('base64')}`,
    '',
  ].join('\n');
}

export function loadKeys(config: Config): LoadedKeys {
  let dataKeys = config.dataKeys;
  let lookupKey = config.lookupKey;
  let sealPublicKey = config.sealPublicKey;
  let file: string | null = null;
  let generated = false;
  if (!dataKeys || !lookupKey || !sealPublicKey) {
    if (existsSync(config.keyFile)) {
      file = config.keyFile;
      const vars = readKeyFile(config.keyFile);
      let fromFile: Config;
      try {
        fromFile = loadConfig(vars);
      } catch (err) {
        if (err instanceof ConfigError) throw new ConfigError(err.variable, `${err.message.slice(err.variable.length + 2)} (in ${config.keyFile})`);
        throw err;
      }
      dataKeys ??= fromFile.dataKeys;
      lookupKey ??= fromFile.lookupKey;
      sealPublicKey ??= fromFile.sealPublicKey;
    } else if (!dataKeys && !lookupKey) {
      dataKeys = [{ id: 'k1', key: generateKey() }];
      lookupKey = generateKey();
      mkdirSync(dirname(config.keyFile), { recursive: true });
      writeFileSync(config.keyFile, keyFileText('k1', dataKeys[0]!.key, lookupKey), { mode: 0o600, flag: 'wx' });
      file = config.keyFile;
      generated = true;
    }
  }
  if (!dataKeys) throw new ConfigError('COMPA_DATA_KEYS', `not set, and not in ${config.keyFile}`);
  if (!lookupKey) throw new ConfigError('COMPA_LOOKUP_KEY', `not set, and not in ${config.keyFile}`);
  return { keys: { dataKeys, lookupKey, sealPublicKey }, file, generated };
}

/** The vault of this configuration (libsodium loaded). */
export async function openVault(config: Config): Promise<{ vault: Vault; loaded: LoadedKeys }> {
  const loaded = loadKeys(config);
  await loadSodium();
  return { vault: new Vault(loaded.keys), loaded };
}
