import { Global, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from 'src/config/configuration';
import { buildDataSourceOptions, describeDatabaseUrl } from 'src/database/data-source-options';
import { EmbeddedPostgres, startEmbeddedPostgres } from 'src/database/embedded-postgres';
import { MigrationStatus } from 'src/database/migration-status';
import { runMigrations } from 'src/database/migrator';
import { TransactionRunner } from 'src/database/transaction';

/** Where the database is: the configured server, or the embedded one started here. */
export class DatabaseEndpoint {
  constructor(
    readonly url: string,
    readonly embedded: EmbeddedPostgres | null,
  ) {}
}

@Module({
  providers: [
    {
      provide: DatabaseEndpoint,
      inject: [databaseConfig.KEY],
      useFactory: async (config: DatabaseConfig) => {
        if (config.url) return new DatabaseEndpoint(config.url, null);
        const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, maxConnections: config.poolSize + 2 });
        return new DatabaseEndpoint(embedded.url, embedded);
      },
    },
  ],
  exports: [DatabaseEndpoint],
})
class DatabaseEndpointModule {}

/** Migrates at start and, on shutdown, closes the pool before the embedded server it talks to. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoint: DatabaseEndpoint,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await runMigrations(this.dataSource);
    const embedded = this.endpoint.embedded;
    const where = embedded
      ? `embedded PostgreSQL (PGlite) with data in ${embedded.dataDir ?? 'memory'}`
      : `PostgreSQL at ${describeDatabaseUrl(this.endpoint.url)}`;
    this.logger.log({ migrationsApplied: applied }, `Database: ${where}; ${applied.length} migration(s) applied`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.endpoint.embedded?.stop();
  }
}

@Global()
@Module({
  imports: [
    DatabaseEndpointModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseEndpointModule],
      inject: [databaseConfig.KEY, DatabaseEndpoint],
      useFactory: (config: DatabaseConfig, endpoint: DatabaseEndpoint) => ({
        ...buildDataSourceOptions(endpoint.url, config.poolSize),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [DatabaseLifecycle, TransactionRunner, MigrationStatus],
  exports: [TransactionRunner, MigrationStatus],
})
export class DatabaseModule {}
