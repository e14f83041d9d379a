import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { SecretBox } from 'src/common/secrets/secret-box';
import { keyFilePath, readOrCreateKeyFile, writeKeyFile } from 'src/common/secrets/secrets-key';
import { resealStoredSecrets } from 'src/common/secrets/secrets.service';
import { StoredSecretsRepository } from 'src/common/secrets/stored-secrets.repository';
import { loadEnvironment } from 'src/config/configuration';
import { buildDataSourceOptions } from 'src/database/data-source-options';
import { startEmbeddedPostgres, type EmbeddedPostgres } from 'src/database/embedded-postgres';
import { TransactionRunner } from 'src/database/transaction';

/**
 * `npm run secrets:rotate`: re-seals every stored webhook secret under SECRETS_KEY (the new key), opening the old
 * values with SECRETS_KEY_PREVIOUS or, on the embedded default, the key in DATA_DIR/secrets.key (which then
 * receives the new key). One transaction: all secrets move, or none. Run it with the service stopped on the
 * embedded default (PGlite is single-process); on a server, instances running with both keys keep working throughout.
 */
async function main(): Promise<void> {
  const env = loadEnvironment();
  if (!env.secretsKey) throw new Error('Set SECRETS_KEY to the new key (openssl rand -base64 32).');
  const keyFile = env.databaseUrl === null && existsSync(keyFilePath(env.dataDir)) ? keyFilePath(env.dataDir) : null;
  const previous = env.secretsKeyPrevious ?? (keyFile ? readOrCreateKeyFile(env.dataDir) : null);
  let embedded: EmbeddedPostgres | null = null;
  let url = env.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: env.dataDir, maxConnections: 4 });
    url = embedded.url;
  }
  const dataSource = new DataSource(buildDataSourceOptions(url, 2));
  try {
    await dataSource.initialize();
    const changed = await resealStoredSecrets(
      new SecretBox(env.secretsKey, previous),
      new StoredSecretsRepository(dataSource),
      new TransactionRunner(dataSource),
      'rotate',
    );
    if (keyFile) writeKeyFile(env.dataDir, env.secretsKey);
    console.log(`Re-sealed ${changed} secret(s) under the new key${keyFile ? `; ${keyFile} now holds it` : ''}.`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`secrets:rotate failed: ${(error as Error).message}`);
  process.exit(1);
});
