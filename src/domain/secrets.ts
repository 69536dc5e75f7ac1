import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A secret as it is stored: AES-256-GCM ciphertext plus the masked form shown by the API. */
export interface EncryptedSecret {
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  ciphertext: string;
  /** What the API shows: `••••` plus the last 4 characters of secrets long enough to keep them secret. */
  masked: string;
}

const MASK = '••••';
const VERSION = 'v1';

/** The masked form of a secret: short secrets show nothing of themselves. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `${MASK}${value.slice(-4)}` : MASK;
}

/**
 * Encrypts secrets at rest. The associated data binds a ciphertext to its account, so a value
 * copied into another account's record does not decrypt.
 */
export class SecretBox {
  readonly #key: Buffer;
  /**
   * Decrypted values by account and ciphertext, most recently used last: every delivery decrypts
   * its webhook's header values and signing secrets, which change only when the webhook does. The
   * plaintexts stay in this process's memory (where the key that decrypts them is anyway).
   */
  readonly #plain = new Map<string, string>();
  static readonly CACHE_LIMIT = 10_000;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
    this.#key = key;
  }

  encrypt(plaintext: string, accountId: string): EncryptedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(accountId));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'));
    return { ciphertext: `${VERSION}.${parts.join('.')}`, masked: maskSecret(plaintext) };
  }

  decrypt(secret: EncryptedSecret, accountId: string): string {
    const key = `${accountId}\u0000${secret.ciphertext}`;
    const hit = this.#plain.get(key);
    if (hit !== undefined) {
      this.#plain.delete(key);
      this.#plain.set(key, hit);
      return hit;
    }
    const plaintext = this.#decrypt(secret, accountId);
    if (this.#plain.size >= SecretBox.CACHE_LIMIT) {
      this.#plain.delete(this.#plain.keys().next().value as string);
    }
    this.#plain.set(key, plaintext);
    return plaintext;
  }

  #decrypt(secret: EncryptedSecret, accountId: string): string {
    const [version, iv, tag, data] = secret.ciphertext.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined)
      throw new Error('unreadable encrypted secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(accountId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** A new Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}
