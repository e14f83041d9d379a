import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommonErrors } from 'src/common/errors/domain-error';
import { isSealed, SecretBox } from 'src/common/secrets/secret-box';
import { resolveSecretsKey, SecretsKeyMissingError } from 'src/common/secrets/secrets-key';
import { StoredSecretsRepository } from 'src/common/secrets/stored-secrets.repository';
import { databaseConfig, securityConfig, type DatabaseConfig, type SecurityConfig } from 'src/config/configuration';
import { TransactionRunner } from 'src/database/transaction';

/**
 * Seals secrets before they are stored and opens them where a webhook is signed. At start: a server with
 * stored secrets and no SECRETS_KEY stops with one message; with a key, secrets still in plaintext (stored
 * before encryption existed) are sealed, so no migration has to know the key.
 */
@Injectable()
export class Secrets implements OnApplicationBootstrap {
  private readonly logger = new Logger('Secrets');
  private readonly box: SecretBox | null;

  constructor(
    @Inject(securityConfig.KEY) security: SecurityConfig,
    @Inject(databaseConfig.KEY) database: DatabaseConfig,
    private readonly stored: StoredSecretsRepository,
    private readonly transactions: TransactionRunner,
  ) {
    const source = resolveSecretsKey({
      secretsKey: security.secretsKey,
      secretsKeyPrevious: security.secretsKeyPrevious,
      databaseUrl: database.url,
      dataDir: database.dataDir,
    });
    this.box = source.key ? new SecretBox(source.key, source.previous) : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.box) {
      const count = await this.stored.count();
      if (count > 0) {
        throw new SecretsKeyMissingError(
          `the database holds ${count} webhook secret(s) but SECRETS_KEY is not set: start with the SECRETS_KEY they were sealed with`,
        );
      }
      return;
    }
    const sealed = await resealStoredSecrets(this.box, this.stored, this.transactions, 'plaintext');
    if (sealed > 0) this.logger.log({ sealed }, `Encrypted ${sealed} webhook secret(s) stored in plaintext`);
  }

  /** The stored form of a secret (null stays null). */
  seal(plaintext: string | null): string | null {
    if (plaintext === null) return null;
    return this.requireBox().seal(plaintext);
  }

  /** The secret itself; a value stored before encryption existed (not yet sealed at start) is returned as it is. */
  open(stored: string | null): string | null {
    if (stored === null) return null;
    return isSealed(stored) ? this.requireBox().open(stored) : stored;
  }

  private requireBox(): SecretBox {
    if (!this.box) {
      throw CommonErrors.SECRETS_KEY_MISSING('SECRETS_KEY is not set on this server, so webhook secrets cannot be stored or used.');
    }
    return this.box;
  }
}

/**
 * Re-seals stored secrets in one transaction: `plaintext` seals only unsealed values (start-up), `rotate`
 * also re-seals values under SECRETS_KEY_PREVIOUS with SECRETS_KEY (npm run secrets:rotate). Returns how many changed.
 */
export async function resealStoredSecrets(
  box: SecretBox,
  stored: StoredSecretsRepository,
  transactions: TransactionRunner,
  mode: 'plaintext' | 'rotate',
): Promise<number> {
  return transactions.run(async (transaction) => {
    let changed = 0;
    for (const secret of await stored.listForUpdate(transaction)) {
      const sealed = isSealed(secret.value);
      if (sealed && (mode === 'plaintext' || box.isCurrent(secret.value))) continue;
      await stored.replace(secret, box.seal(sealed ? box.open(secret.value) : secret.value), transaction);
      changed++;
    }
    return changed;
  });
}
