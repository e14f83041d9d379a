import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFilePath, resolveSecretsKey } from 'src/common/secrets/secrets-key';

describe('resolveSecretsKey', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'mw-secrets-')), 'data');
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a 0600 key file in DATA_DIR on the embedded default, and reads the same key next time', () => {
    const first = resolveSecretsKey({ secretsKey: null, secretsKeyPrevious: null, databaseUrl: null, dataDir });
    expect(first.origin).toBe('key file');
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFilePath(dataDir), 'utf8').trim(), 'base64')).toEqual(first.key);
    expect(resolveSecretsKey({ secretsKey: null, secretsKeyPrevious: null, databaseUrl: null, dataDir }).key).toEqual(first.key);
  });

  it('prefers SECRETS_KEY, and has no key on a server without it', () => {
    const key = randomBytes(32);
    expect(resolveSecretsKey({ secretsKey: key, secretsKeyPrevious: null, databaseUrl: null, dataDir })).toMatchObject({
      key,
      origin: 'SECRETS_KEY',
    });
    expect(resolveSecretsKey({ secretsKey: null, secretsKeyPrevious: null, databaseUrl: 'postgres://x/y', dataDir })).toMatchObject({
      key: null,
      origin: 'none',
    });
  });
});
