import { randomBytes, timingSafeEqual } from 'node:crypto';
import sodium from 'libsodium-wrappers';

/**
 * Supporters' personal fields at rest (emails, names, comments, answers): never stored in clear.
 *
 *  - `c1.<keyId>.<base64url(nonce ‖ ciphertext ‖ tag)>`: XChaCha20-Poly1305 (libsodium's IETF AEAD, random 192-bit
 *    nonces) with a data key from configuration,
 *    the column's name as associated data (a value can't be moved to another column). The key id names the key, so
 *    keys rotate: new values use the first key of COMPA_DATA_KEYS, older ones still open with the others until
 *    `compa keys rotate` has re-encrypted them.
 *  - `s1.<base64url(sealed box)>`: sealed mode. libsodium's `crypto_box_seal` (X25519 + XSalsa20-Poly1305) to the
 *    organisation's public key: the server can write it but never read it again; only the private key, kept on the
 *    organisation's own computer, opens it (`compa export --private-key FILE`). The column's name is sealed in with
 *    the value and checked on opening.
 *  - `h1.<base64url(keyed BLAKE2b-128)>`: libsodium's `crypto_generichash` of the normalised email under the lookup
 *    key, for deduplication and look-up
 *    (`compa erase EMAIL`). It can't be reversed without the lookup key; whoever holds that key can only test
 *    whether a given address is there, never list the addresses.
 *
 * No primitive is home-made: every one is libsodium's (the AEAD, the keyed hash, sealed boxes); only the random
 * nonces come from node:crypto's CSPRNG. (libsodium rather than OpenSSL's AES-GCM through node:crypto: an OpenSSL 3
 * cipher context costs ~15 µs to set up, which cut durable signatures per second by half; libsodium's AEAD takes
 * ~1.5 µs.)
 */

/** The personal columns: the associated data of their values. */
export type PersonalField = 'email' | 'first_name' | 'last_name' | 'comment' | 'name' | 'answers';

export interface VaultKeys {
  /** Data keys, the first one encrypts; each 32 bytes. */
  dataKeys: { id: string; key: Buffer }[];
  /** 32 bytes. */
  lookupKey: Buffer;
  /** Sealed mode: the organisation's X25519 public key (32 bytes), or null. */
  sealPublicKey: Buffer | null;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

const NONCE = 24;
let pool = Buffer.alloc(0);
let poolAt = 0;
/** A fresh random 192-bit nonce (from node:crypto's CSPRNG, drawn in blocks: one system call per 256 nonces). */
function nonce(): Buffer {
  if (poolAt + NONCE > pool.length) {
    pool = randomBytes(NONCE * 256);
    poolAt = 0;
  }
  const n = pool.subarray(poolAt, poolAt + NONCE);
  poolAt += NONCE;
  return n;
}

let sodiumReady: Promise<void> | null = null;
let sodiumLoaded = false;
/** libsodium loads its WebAssembly once. */
export async function loadSodium(): Promise<typeof sodium> {
  await (sodiumReady ??= sodium.ready.then(() => {
    sodiumLoaded = true;
  }));
  return sodium;
}

/** Normalised email: trimmed, lower-cased, Unicode NFC (the same address always hashes the same). */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

export class Vault {
  readonly #keys: Map<string, Buffer>;
  readonly #current: { id: string; key: Buffer };
  readonly #lookupKey: Buffer;
  readonly #sealKey: Uint8Array | null;

  /** Call `loadSodium()` first. */
  constructor(keys: VaultKeys) {
    if (!sodiumLoaded) throw new VaultError('libsodium is not loaded yet: await loadSodium() first');
    if (!keys.dataKeys.length) throw new VaultError('no data key');
    for (const k of keys.dataKeys) {
      if (!KEY_ID.test(k.id)) throw new VaultError(`data key id "${k.id}": letters, digits, - and _ only`);
      if (k.key.length !== 32) throw new VaultError(`data key "${k.id}": must be 32 bytes`);
    }
    if (keys.lookupKey.length !== 32) throw new VaultError('lookup key: must be 32 bytes');
    if (keys.sealPublicKey && keys.sealPublicKey.length !== 32) throw new VaultError('seal public key: must be 32 bytes');
    this.#keys = new Map(keys.dataKeys.map((k) => [k.id, k.key]));
    this.#current = keys.dataKeys[0]!;
    this.#lookupKey = keys.lookupKey;
    this.#sealKey = keys.sealPublicKey ? new Uint8Array(keys.sealPublicKey) : null;
  }

  /** Whether contact data is sealed to the organisation's public key once no mail is pending. */
  get sealedMode(): boolean {
    return this.#sealKey !== null;
  }

  /** The id of the key new values are encrypted with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /**
   * The keyed hash of an email (normalised first). 128 bits: no two addresses of even a billion collide in
   * practice, and the unique index it keys stays as small as the addresses were (a 256-bit hash made every durable
   * signature write a quarter slower: index pages fill up twice as fast).
   */
  lookup(email: string): string {
    return `h1.${this.#hash(normaliseEmail(email), this.#lookupKey, 16)}`;
  }

  /** A fingerprint of the data key `id` (kept in the database: a different key under a known id is refused). */
  dataKeyCheck(id: string): string | null {
    const key = this.#keys.get(id);
    return key ? this.#hash('compa/data-key-check', key).slice(0, 22) : null;
  }

  /** A keyed hash (under the lookup key) of any text that holds personal data, for one `purpose`. */
  mac(purpose: string, text: string): string {
    return this.#hash(`compa/${purpose}\u0000${text}`, this.#lookupKey);
  }

  /** A short fingerprint of the lookup key, kept in the database so that a server started with another key refuses. */
  lookupKeyCheck(): string {
    return this.#hash('compa/lookup-key-check', this.#lookupKey).slice(0, 22);
  }

  /** Keyed BLAKE2b (libsodium `crypto_generichash`) of `bytes` bytes (32 by default), base64url. */
  #hash(text: string, key: Buffer, bytes = 32): string {
    return Buffer.from(sodium.crypto_generichash(bytes, Buffer.from(text, 'utf8'), key)).toString('base64url');
  }

  encrypt(value: string, field: PersonalField): string;
  encrypt(value: string | null, field: PersonalField): string | null;
  encrypt(value: string | null, field: PersonalField): string | null {
    if (value === null) return null;
    const n = nonce();
    const body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(Buffer.from(value, 'utf8'), Buffer.from(field), null, n, this.#current.key);
    return `c1.${this.#current.id}.${Buffer.concat([n, body]).toString('base64url')}`;
  }

  /**
   * The clear value of a stored one; null for null, '' (erased) and sealed values (the server can't read those).
   * Throws on a value that does not authenticate or whose key is not configured.
   */
  decrypt(stored: string | null, field: PersonalField): string | null {
    if (!stored || stored.startsWith('s1.')) return null;
    if (!stored.startsWith('c1.')) throw new VaultError(`${field}: not an encrypted value`);
    const dot = stored.indexOf('.', 3);
    const id = stored.slice(3, dot);
    const key = this.#keys.get(id);
    if (!key) throw new VaultError(`${field}: encrypted with key "${id}", which is not in COMPA_DATA_KEYS`);
    const raw = Buffer.from(stored.slice(dot + 1), 'base64url');
    if (raw.length < NONCE + 16) throw new VaultError(`${field}: truncated value`);
    try {
      const clear = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, raw.subarray(NONCE), Buffer.from(field), raw.subarray(0, NONCE), key);
      return Buffer.from(clear).toString('utf8');
    } catch {
      throw new VaultError(`${field}: the value does not authenticate (altered, or another key)`);
    }
  }

  /** The key id of an encrypted value (null for sealed, erased or empty). */
  static keyIdOf(stored: string | null): string | null {
    if (!stored?.startsWith('c1.')) return null;
    return stored.slice(3, stored.indexOf('.', 3));
  }

  static isSealed(stored: string | null): boolean {
    return !!stored?.startsWith('s1.');
  }

  /** Re-encrypts a value with the current key (rotation); sealed, erased and current values are returned as they are. */
  reencrypt(stored: string | null, field: PersonalField): string | null {
    const id = Vault.keyIdOf(stored);
    if (id === null || id === this.#current.id) return stored;
    return this.encrypt(this.decrypt(stored, field), field);
  }

  /** Sealed mode: the value sealed to the organisation's public key (an encrypted value is opened first). */
  seal(stored: string | null, field: PersonalField): string | null {
    if (!this.#sealKey) throw new VaultError('sealed mode is off (COMPA_SEAL_PUBLIC_KEY)');
    if (!stored || Vault.isSealed(stored)) return stored;
    const clear = this.decrypt(stored, field)!;
    const box = sodium.crypto_box_seal(Buffer.from(`${field}\u0000${clear}`, 'utf8'), this.#sealKey);
    return `s1.${Buffer.from(box).toString('base64url')}`;
  }
}

/** Opens sealed values with the organisation's key pair (on its own computer: `compa export --private-key`). */
export class SealOpener {
  readonly #publicKey: Uint8Array;
  readonly #privateKey: Uint8Array;
  /** Call `loadSodium()` first. */
  constructor(privateKey: Buffer) {
    if (privateKey.length !== 32) throw new VaultError('the private key must be 32 bytes');
    this.#privateKey = new Uint8Array(privateKey);
    this.#publicKey = sodium.crypto_scalarmult_base(this.#privateKey);
  }

  get publicKey(): Buffer {
    return Buffer.from(this.#publicKey);
  }

  open(stored: string, field: PersonalField): string {
    let clear: string;
    try {
      clear = Buffer.from(sodium.crypto_box_seal_open(Buffer.from(stored.slice(3), 'base64url'), this.#publicKey, this.#privateKey)).toString('utf8');
    } catch {
      throw new VaultError(`${field}: the sealed value does not open with this private key`);
    }
    const sep = clear.indexOf('\u0000');
    if (sep < 0 || clear.slice(0, sep) !== field) throw new VaultError(`${field}: the sealed value belongs to another field`);
    return clear.slice(sep + 1);
  }
}

/** A new organisation key pair for sealed mode: the public key goes to the server, the private key stays offline. */
export async function generateSealKeyPair(): Promise<{ publicKey: Buffer; privateKey: Buffer }> {
  const s = await loadSodium();
  const kp = s.crypto_box_keypair();
  return { publicKey: Buffer.from(kp.publicKey), privateKey: Buffer.from(kp.privateKey) };
}

export function generateKey(): Buffer {
  return randomBytes(32);
}

/** Constant-time equality of two short strings (key checks). */
export function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
