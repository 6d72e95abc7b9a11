import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1';

/** AES-256-GCM for the encrypted-at-rest copy of SIP secrets (audited admin reveal only). */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32)
      throw new Error('The secret key must be 32 bytes (64 hex characters or 44 base64).');
    this.#key = key;
  }

  /** Reads the key from EARSHOT_SECRET_KEY, or from `secret.key` in the data dir, creating it (mode 0600) once. */
  static fromConfig(secretKey: string | undefined, dataDir: string): SecretBox {
    if (secretKey) return new SecretBox(decodeKey(secretKey));
    const path = join(dataDir, 'secret.key');
    if (!existsSync(path)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600 });
    }
    return new SecretBox(decodeKey(readFileSync(path, 'utf8').trim()));
  }

  /** Encrypts to `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /**
   * A key of its own for `purpose` (HKDF-SHA256 from this key): stable across restarts without
   * another secret file, and telling nothing about this key or the other purposes' keys.
   */
  derive(purpose: string): string {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), purpose, 32)).toString('hex');
  }

  /** Decrypts what `seal` produced; throws if it was tampered with or sealed under another key. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new Error('Unrecognised sealed secret.');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
