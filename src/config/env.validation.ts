/**
 * Reads and validates the environment once, at boot. Every bad variable is collected
 * so that one message names them all.
 */
import { parseAllowList, type WebhookAllowList } from 'src/alerts/webhook-address.policy';

export type ApiKeyScope = 'read' | 'write' | 'admin';
export interface ApiKey {
  name: string;
  scope: ApiKeyScope;
  secret: string;
}
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Environment {
  databaseUrl: string | null;
  host: string;
  port: number;
  apiKeys: ApiKey[];
  logLevel: LogLevel;
  dataDir: string;
  bodyLimitBytes: number;
  metricsBodyLimitBytes: number;
  predictionsBodyLimitBytes: number;
  defaultBodyLimitBytes: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  rateLimitPerMinute: number;
  alertEvaluationIntervalSeconds: number;
  outboxPollIntervalMs: number;
  outboxRetentionDays: number;
  pendingLabelDays: number;
  /** Days of CBPE hours computed in the background after a binary estimation reference is fitted; 0: off. */
  estimationPrefillDays: number;
  /** Browser origins allowed to call the API (CORS); empty: CORS off. */
  corsOrigins: string[];
  webhookAllowList: WebhookAllowList;
  /** AES-256-GCM key for secrets at rest (32 bytes), and the one before it during a rotation. */
  secretsKey: Buffer | null;
  secretsKeyPrevious: Buffer | null;
  /** A bearer token accepted by GET /metrics besides read keys (for scrapers that should not hold an API key). */
  metricsToken: string | null;
  /** Per-model gauges (latest metric values, open alerts, drift share) on /metrics, at most exportModelMetricsMaxSeries series. */
  exportModelMetrics: boolean;
  exportModelMetricsMaxSeries: number;
  /** Where people reach this service (links in Slack, PagerDuty and Alertmanager notifications); null: no links. */
  publicUrl: string | null;
}

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SCOPES: ApiKeyScope[] = ['read', 'write', 'admin'];
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseByteSize(text: string): number | null {
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()];
}

function parseInteger(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

export function parseApiKeys(text: string): { keys: ApiKey[]; problem: string | null } {
  const keys: ApiKey[] = [];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const [index, entry] of entries.entries()) {
    const [name, scope, ...secretParts] = entry.split(':');
    const secret = secretParts.join(':');
    if (!name || !SCOPES.includes(scope as ApiKeyScope) || secret.length < 16) {
      return {
        keys: [],
        problem: `API_KEYS entry ${index + 1} must be name:scope:secret with scope read|write|admin and a secret of at least 16 characters`,
      };
    }
    keys.push({ name, scope: scope as ApiKeyScope, secret });
  }
  const names = new Set(keys.map((key) => key.name));
  if (names.size !== keys.length) return { keys: [], problem: 'API_KEYS names must be unique' };
  return { keys, problem: null };
}

export function validateEnvironment(env: NodeJS.ProcessEnv): Environment {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };

  const databaseUrl = read('DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const host = read('HOST') ?? '127.0.0.1';
  const portText = read('PORT') ?? '3000';
  const port = parseInteger(portText, 0, 65535);
  if (port === null) problems.push('PORT must be an integer from 0 to 65535');

  const { keys, problem } = parseApiKeys(read('API_KEYS') ?? '');
  if (problem) problems.push(problem);

  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const bodyLimitBytes = parseByteSize(read('BODY_LIMIT') ?? '64mb');
  if (bodyLimitBytes === null || bodyLimitBytes < 1024) {
    problems.push('BODY_LIMIT must be a size such as 64mb, 512kb or 1048576 (at least 1kb)');
  }
  const metricsBodyLimitBytes = parseByteSize(read('METRICS_BODY_LIMIT') ?? '8mb');
  if (metricsBodyLimitBytes === null || metricsBodyLimitBytes < 1024) {
    problems.push('METRICS_BODY_LIMIT must be a size such as 8mb, 512kb or 1048576 (at least 1kb)');
  }
  const predictionsBodyLimitBytes = parseByteSize(read('PREDICTIONS_BODY_LIMIT') ?? '32mb');
  if (predictionsBodyLimitBytes === null || predictionsBodyLimitBytes < 1024) {
    problems.push('PREDICTIONS_BODY_LIMIT must be a size such as 32mb, 512kb or 1048576 (at least 1kb)');
  }
  const defaultBodyLimitBytes = parseByteSize(read('DEFAULT_BODY_LIMIT') ?? '1mb');
  if (defaultBodyLimitBytes === null || defaultBodyLimitBytes < 1024) {
    problems.push('DEFAULT_BODY_LIMIT must be a size such as 1mb, 512kb or 1048576 (at least 1kb)');
  }
  // Node's defaults (300 s, 60 s, 5 s), made explicit; 0 turns the request and keep-alive timeouts off.
  const requestTimeoutMs = parseInteger(read('REQUEST_TIMEOUT_MS') ?? '300000', 0, 3_600_000);
  if (requestTimeoutMs === null) problems.push('REQUEST_TIMEOUT_MS must be an integer from 0 (off) to 3600000');
  const headersTimeoutMs = parseInteger(read('HEADERS_TIMEOUT_MS') ?? '60000', 1000, 3_600_000);
  if (headersTimeoutMs === null) problems.push('HEADERS_TIMEOUT_MS must be an integer from 1000 to 3600000');
  else if (requestTimeoutMs !== null && requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    problems.push('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
  }
  const keepAliveTimeoutMs = parseInteger(read('KEEP_ALIVE_TIMEOUT_MS') ?? '5000', 0, 3_600_000);
  if (keepAliveTimeoutMs === null) problems.push('KEEP_ALIVE_TIMEOUT_MS must be an integer from 0 (off) to 3600000');
  const rateLimitPerMinute = parseInteger(read('RATE_LIMIT_PER_MINUTE') ?? '6000', 0, 10_000_000);
  if (rateLimitPerMinute === null) problems.push('RATE_LIMIT_PER_MINUTE must be an integer ≥ 0 (0 turns it off)');
  const alertEvaluationIntervalSeconds = parseInteger(read('ALERT_EVALUATION_INTERVAL_SECONDS') ?? '60', 0, 86_400);
  if (alertEvaluationIntervalSeconds === null) {
    problems.push('ALERT_EVALUATION_INTERVAL_SECONDS must be an integer from 0 (off) to 86400');
  }
  const outboxPollIntervalMs = parseInteger(read('OUTBOX_POLL_INTERVAL_MS') ?? '1000', 0, 3_600_000);
  if (outboxPollIntervalMs === null) problems.push('OUTBOX_POLL_INTERVAL_MS must be an integer from 0 (off) to 3600000');
  const pendingLabelDays = parseInteger(read('PENDING_LABEL_DAYS') ?? '30', 0, 36_500);
  if (pendingLabelDays === null) problems.push('PENDING_LABEL_DAYS must be an integer from 0 (keep forever) to 36500');
  const estimationPrefillDays = parseInteger(read('ESTIMATION_PREFILL_DAYS') ?? '30', 0, 366);
  if (estimationPrefillDays === null) problems.push('ESTIMATION_PREFILL_DAYS must be an integer from 0 (off) to 366');
  const outboxRetentionDays = parseInteger(read('OUTBOX_RETENTION_DAYS') ?? '30', 0, 36_500);
  if (outboxRetentionDays === null) problems.push('OUTBOX_RETENTION_DAYS must be an integer from 0 (keep forever) to 36500');

  const corsOrigins = parseOrigins(read('CORS_ORIGINS') ?? '');
  if (corsOrigins === null)
    problems.push('CORS_ORIGINS must be a comma-separated list of origins such as https://dash.example.com,http://localhost:5173');
  const allowed = parseAllowList(read('WEBHOOK_ALLOWED_HOSTS') ?? '');
  if (allowed.problem) problems.push(allowed.problem);
  const secretsKey = parseSecretsKey('SECRETS_KEY', read('SECRETS_KEY'), problems);
  const secretsKeyPrevious = parseSecretsKey('SECRETS_KEY_PREVIOUS', read('SECRETS_KEY_PREVIOUS'), problems);

  const metricsToken = read('METRICS_TOKEN')?.trim() ?? null;
  if (metricsToken !== null && (metricsToken.length < 16 || /[\s,]/.test(metricsToken))) {
    problems.push('METRICS_TOKEN must be at least 16 characters without spaces or commas');
  }
  const exportModelMetrics = parseBoolean(read('EXPORT_MODEL_METRICS') ?? 'false');
  if (exportModelMetrics === null) problems.push('EXPORT_MODEL_METRICS must be true or false');
  const exportModelMetricsMaxSeries = parseInteger(read('EXPORT_MODEL_METRICS_MAX_SERIES') ?? '10000', 1, 10_000_000);
  if (exportModelMetricsMaxSeries === null) problems.push('EXPORT_MODEL_METRICS_MAX_SERIES must be an integer from 1 to 10000000');
  const publicUrl = parsePublicUrl(read('PUBLIC_URL'));
  if (publicUrl === undefined) problems.push('PUBLIC_URL must be an http:// or https:// URL such as https://modelwatch.example.com');

  if (problems.length > 0) throw new EnvironmentError(problems);
  return {
    databaseUrl,
    host,
    port: port!,
    apiKeys: keys,
    logLevel,
    dataDir: read('DATA_DIR') ?? './data',
    bodyLimitBytes: bodyLimitBytes!,
    metricsBodyLimitBytes: metricsBodyLimitBytes!,
    predictionsBodyLimitBytes: predictionsBodyLimitBytes!,
    defaultBodyLimitBytes: defaultBodyLimitBytes!,
    requestTimeoutMs: requestTimeoutMs!,
    headersTimeoutMs: headersTimeoutMs!,
    keepAliveTimeoutMs: keepAliveTimeoutMs!,
    rateLimitPerMinute: rateLimitPerMinute!,
    alertEvaluationIntervalSeconds: alertEvaluationIntervalSeconds!,
    outboxPollIntervalMs: outboxPollIntervalMs!,
    outboxRetentionDays: outboxRetentionDays!,
    pendingLabelDays: pendingLabelDays!,
    estimationPrefillDays: estimationPrefillDays!,
    corsOrigins: corsOrigins ?? [],
    webhookAllowList: allowed.allowList,
    secretsKey,
    secretsKeyPrevious,
    metricsToken,
    exportModelMetrics: exportModelMetrics!,
    exportModelMetricsMaxSeries: exportModelMetricsMaxSeries!,
    publicUrl: publicUrl ?? null,
  };
}

function parseBoolean(text: string): boolean | null {
  const value = text.trim().toLowerCase();
  return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : null;
}

/** null when unset, undefined when invalid. */
function parsePublicUrl(value: string | undefined): string | null | undefined {
  if (value === undefined || value.trim() === '') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString().replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** `scheme://host[:port]` entries, exactly as browsers send them in `Origin`; null when any is not an origin. */
export function parseOrigins(text: string): string[] | null {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const valid = entries.every((entry) => {
    try {
      const url = new URL(entry);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry;
    } catch {
      return false;
    }
  });
  return valid ? entries : null;
}

/** A secrets key is 32 bytes in base64 (`openssl rand -base64 32`). */
export function parseSecretsKey(name: string, text: string | undefined, problems: string[]): Buffer | null {
  if (text === undefined) return null;
  const key = Buffer.from(text.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()) || key.length !== 32) {
    problems.push(`${name} must be 32 random bytes in base64 (openssl rand -base64 32)`);
    return null;
  }
  return key;
}
