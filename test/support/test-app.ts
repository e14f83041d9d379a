import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from 'src/app.module';
import { configureApp } from 'src/app.setup';
import { Clock } from 'src/common/clock';
import {
  authConfig,
  databaseConfig,
  jobsConfig,
  observabilityConfig,
  securityConfig,
  serverConfig,
  type JobsConfig,
  type ObservabilityConfig,
  type SecurityConfig,
  type ServerConfig,
} from 'src/config/configuration';
import { parseAllowList } from 'src/alerts/webhook-address.policy';
import { HostResolver } from 'src/alerts/webhook-address-guard';
import type { ApiKey } from 'src/config/env.validation';
import { metricMaintenanceConfig, type MetricMaintenanceConfig } from 'src/metrics/metric-maintenance.config';
import { parseMaintenanceSettings } from 'src/metrics/metric-maintenance.policy';
import { createTestDatabase, type TestDatabase } from 'test/support/test-database';
import { TestClock } from 'test/support/test-clock';

export interface TestAppOptions {
  /** Reuse a database (a second "instance" of the service); default: a fresh one for this app. */
  database?: TestDatabase;
  /** Connect here instead of database.url (e.g. through a TCP proxy). */
  databaseUrl?: string;
  apiKeys?: ApiKey[];
  server?: Partial<ServerConfig>;
  jobs?: Partial<JobsConfig>;
  /** Default: receivers on 127.0.0.1 allowed, and TEST_SECRETS_KEY. */
  security?: Partial<SecurityConfig>;
  /** Default: no METRICS_TOKEN, per-model gauges off. */
  observability?: Partial<ObservabilityConfig>;
  /** Stands in for DNS (webhook address checks). */
  hostResolver?: HostResolver;
  poolSize?: number;
  /** Default: RETENTION_* from the environment; the periodic maintenance and the rollup worker off (tests call runMaintenance, catchUp). */
  maintenance?: Partial<MetricMaintenanceConfig>;
}

export interface TestApp {
  app: NestExpressApplication;
  database: TestDatabase;
  clock: TestClock;
  http: () => ReturnType<typeof request>;
  get<T>(token: new (...args: any[]) => T): T;
  close(): Promise<void>;
}

/** One key for every test app, so two "instances" on one database open each other's secrets. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7);

/** The real application (same pipes, filter, guards, body parser and swagger as main.ts) on a database of its own. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownsDatabase = !options.database;
  const database = options.database ?? (await createTestDatabase());
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(databaseConfig.KEY)
    .useValue({ url: options.databaseUrl ?? database.url, dataDir: '', poolSize: options.poolSize ?? 5 })
    .overrideProvider(authConfig.KEY)
    .useValue({ apiKeys: options.apiKeys ?? [] })
    .overrideProvider(serverConfig.KEY)
    .useValue({
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      bodyLimitBytes: 64 * 1024 * 1024,
      metricsBodyLimitBytes: 8 * 1024 * 1024,
      predictionsBodyLimitBytes: 32 * 1024 * 1024,
      defaultBodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: 300_000,
      headersTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      rateLimitPerMinute: 0,
      ...options.server,
    })
    .overrideProvider(jobsConfig.KEY)
    .useValue({
      alertEvaluationIntervalSeconds: 0,
      outboxPollIntervalMs: 0,
      outboxRetentionDays: 30,
      pendingLabelDays: 0,
      estimationPrefillDays: 0,
      ...options.jobs,
    })
    .overrideProvider(securityConfig.KEY)
    .useValue({
      webhookAllowList: parseAllowList('127.0.0.1').allowList,
      secretsKey: TEST_SECRETS_KEY,
      secretsKeyPrevious: null,
      ...options.security,
    })
    .overrideProvider(observabilityConfig.KEY)
    .useValue({ metricsToken: null, exportModelMetrics: false, exportModelMetricsMaxSeries: 10_000, ...options.observability })
    .overrideProvider(metricMaintenanceConfig.KEY)
    .useValue({ ...parseMaintenanceSettings(process.env).settings, intervalSeconds: 0, rollupIntervalMs: 0, ...options.maintenance })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(HostResolver)
    .useValue(options.hostResolver ?? new HostResolver())
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApp(app);
  await app.init();
  return {
    app,
    database,
    clock,
    http: () => request(app.getHttpServer()),
    get: (token) => app.get(token),
    async close() {
      await app.close();
      if (ownsDatabase) await database.drop();
    },
  };
}
