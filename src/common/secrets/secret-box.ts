/**
 * Secrets at rest: AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per value. A sealed value reads
 * `mwenc:v1:<key id>:<base64(iv ‖ tag ‖ ciphertext)>`; the key id (first 8 hex digits of SHA-256 of the key)
 * says which key opens it, so values sealed under SECRETS_KEY_PREVIOUS still open during a rotation.
 * Pure: no framework, keys are passed in.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'mwenc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  /** `current` seals; `current` and `previous` open. */
  constructor(
    private readonly current: Buffer,
    previous: Buffer | null = null,
  ) {
    if (current.length !== 32 || (previous !== null && previous.length !== 32)) throw new SecretBoxError('A secrets key is 32 bytes.');
    this.keys = new Map([[keyId(current), current]]);
    if (previous) this.keys.set(keyId(previous), previous);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${keyId(this.current)}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!isSealed(sealed)) throw new SecretBoxError('The value is not sealed.');
    const [id, data] = sealed.slice(PREFIX.length).split(':');
    const key = this.keys.get(id);
    if (!key) throw new SecretBoxError(`A secret is sealed under key ${id}, which is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS.`);
    const bytes = Buffer.from(data ?? '', 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`A secret sealed under key ${id} failed authentication (altered or wrong key).`);
    }
  }

  /** Whether the value is sealed under the current key (rotation re-seals the others). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${PREFIX}${keyId(this.current)}:`);
  }
}
