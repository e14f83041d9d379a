import { ConfigType, registerAs } from '@nestjs/config';
import { Environment, validateEnvironment } from 'src/config/env.validation';

/** The only place that reads process.env. */
export function loadEnvironment(): Environment {
  return validateEnvironment(process.env);
}

export const serverConfig = registerAs('server', () => {
  const env = loadEnvironment();
  return {
    host: env.host,
    port: env.port,
    logLevel: env.logLevel,
    bodyLimitBytes: env.bodyLimitBytes,
    metricsBodyLimitBytes: env.metricsBodyLimitBytes,
    predictionsBodyLimitBytes: env.predictionsBodyLimitBytes,
    defaultBodyLimitBytes: env.defaultBodyLimitBytes,
    requestTimeoutMs: env.requestTimeoutMs,
    headersTimeoutMs: env.headersTimeoutMs,
    keepAliveTimeoutMs: env.keepAliveTimeoutMs,
    rateLimitPerMinute: env.rateLimitPerMinute,
    corsOrigins: env.corsOrigins,
  };
});

export const databaseConfig = registerAs('database', () => {
  const env = loadEnvironment();
  return { url: env.databaseUrl, dataDir: env.dataDir, poolSize: 10 };
});

export const authConfig = registerAs('auth', () => ({ apiKeys: loadEnvironment().apiKeys }));

export const jobsConfig = registerAs('jobs', () => {
  const env = loadEnvironment();
  return {
    alertEvaluationIntervalSeconds: env.alertEvaluationIntervalSeconds,
    outboxPollIntervalMs: env.outboxPollIntervalMs,
    outboxRetentionDays: env.outboxRetentionDays,
    pendingLabelDays: env.pendingLabelDays,
    estimationPrefillDays: env.estimationPrefillDays,
  };
});

export const securityConfig = registerAs('security', () => {
  const env = loadEnvironment();
  return { webhookAllowList: env.webhookAllowList, secretsKey: env.secretsKey, secretsKeyPrevious: env.secretsKeyPrevious };
});

export const observabilityConfig = registerAs('observability', () => {
  const env = loadEnvironment();
  return {
    metricsToken: env.metricsToken,
    exportModelMetrics: env.exportModelMetrics,
    exportModelMetricsMaxSeries: env.exportModelMetricsMaxSeries,
  };
});
export const integrationsConfig = registerAs('integrations', () => ({ publicUrl: loadEnvironment().publicUrl }));

export type ServerConfig = ConfigType<typeof serverConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type JobsConfig = ConfigType<typeof jobsConfig>;
export type SecurityConfig = ConfigType<typeof securityConfig>;
export type ObservabilityConfig = ConfigType<typeof observabilityConfig>;
export type IntegrationsConfig = ConfigType<typeof integrationsConfig>;
export const ALL_CONFIG = [serverConfig, databaseConfig, authConfig, jobsConfig, securityConfig, observabilityConfig, integrationsConfig];
