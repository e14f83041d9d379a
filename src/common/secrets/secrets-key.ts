import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

export const KEY_FILE_NAME = 'secrets.key';

export class SecretsKeyMissingError extends Error {}

/** Where the secrets key comes from: SECRETS_KEY, the embedded default's key file, or nowhere (a server without SECRETS_KEY). */
export interface SecretsKeySource {
  key: Buffer | null;
  previous: Buffer | null;
  origin: 'SECRETS_KEY' | 'key file' | 'memory' | 'none';
}

/**
 * SECRETS_KEY wins. On the embedded default (no DATABASE_URL) without it, the key lives in DATA_DIR/secrets.key
 * (created with mode 0600 on first start), beside the data it protects; an in-memory database gets a key
 * for the process. A server without SECRETS_KEY has no key.
 */
export function resolveSecretsKey(options: {
  secretsKey: Buffer | null;
  secretsKeyPrevious: Buffer | null;
  databaseUrl: string | null;
  dataDir: string;
}): SecretsKeySource {
  const previous = options.secretsKeyPrevious;
  if (options.secretsKey) return { key: options.secretsKey, previous, origin: 'SECRETS_KEY' };
  if (options.databaseUrl) return { key: null, previous, origin: 'none' };
  if (!options.dataDir) return { key: randomBytes(32), previous, origin: 'memory' };
  return { key: readOrCreateKeyFile(options.dataDir), previous, origin: 'key file' };
}

export function keyFilePath(dataDir: string): string {
  return resolve(dataDir, KEY_FILE_NAME);
}

export function readOrCreateKeyFile(dataDir: string): Buffer {
  const path = keyFilePath(dataDir);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': never overwrite a key another process wrote in between
    try {
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SecretsKeyMissingError(`${path} does not hold a 32-byte base64 key.`);
  return key;
}

export function writeKeyFile(dataDir: string, key: Buffer): void {
  const path = keyFilePath(dataDir);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
