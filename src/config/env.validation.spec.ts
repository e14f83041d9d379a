import { EnvironmentError, parseApiKeys, parseByteSize, validateEnvironment } from 'src/config/env.validation';

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      databaseUrl: null,
      host: '127.0.0.1',
      port: 3000,
      apiKeys: [],
      logLevel: 'info',
      dataDir: './data',
      bodyLimitBytes: 64 * 1024 * 1024,
      metricsBodyLimitBytes: 8 * 1024 * 1024,
      predictionsBodyLimitBytes: 32 * 1024 * 1024,
      defaultBodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: 300_000,
      headersTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
    });
  });

  it('names every bad variable in one error', () => {
    let caught: unknown;
    try {
      validateEnvironment({ PORT: 'eighty', LOG_LEVEL: 'loud', BODY_LIMIT: 'huge', DATABASE_URL: 'mysql://x', API_KEYS: 'a:root:short' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    const message = (caught as Error).message;
    for (const name of ['PORT', 'LOG_LEVEL', 'BODY_LIMIT', 'DATABASE_URL', 'API_KEYS']) expect(message).toContain(name);
    expect((caught as EnvironmentError).problems).toHaveLength(5);
  });

  it('names bad body limits and server timeouts', () => {
    expect(() => validateEnvironment({ METRICS_BODY_LIMIT: 'big', DEFAULT_BODY_LIMIT: '10' })).toThrow(
      /METRICS_BODY_LIMIT.*DEFAULT_BODY_LIMIT/,
    );
    expect(() => validateEnvironment({ REQUEST_TIMEOUT_MS: '-1' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => validateEnvironment({ REQUEST_TIMEOUT_MS: '10000', HEADERS_TIMEOUT_MS: '20000' })).toThrow(
      /must not exceed REQUEST_TIMEOUT_MS/,
    );
    expect(() => validateEnvironment({ KEEP_ALIVE_TIMEOUT_MS: 'forever' })).toThrow(/KEEP_ALIVE_TIMEOUT_MS/);
    expect(validateEnvironment({ REQUEST_TIMEOUT_MS: '0', KEEP_ALIVE_TIMEOUT_MS: '0' })).toMatchObject({
      requestTimeoutMs: 0,
      keepAliveTimeoutMs: 0,
    });
  });

  it('reads the /metrics settings: METRICS_TOKEN, EXPORT_MODEL_METRICS and its series cap', () => {
    expect(validateEnvironment({})).toMatchObject({ metricsToken: null, exportModelMetrics: false, exportModelMetricsMaxSeries: 10_000 });
    expect(
      validateEnvironment({ METRICS_TOKEN: 'scrape-0123456789abc', EXPORT_MODEL_METRICS: 'true', EXPORT_MODEL_METRICS_MAX_SERIES: '500' }),
    ).toMatchObject({ metricsToken: 'scrape-0123456789abc', exportModelMetrics: true, exportModelMetricsMaxSeries: 500 });
    let caught: unknown;
    try {
      validateEnvironment({ METRICS_TOKEN: 'short', EXPORT_MODEL_METRICS: 'yes', EXPORT_MODEL_METRICS_MAX_SERIES: '0' });
    } catch (error) {
      caught = error;
    }
    expect((caught as EnvironmentError).problems).toEqual([
      expect.stringContaining('METRICS_TOKEN'),
      expect.stringContaining('EXPORT_MODEL_METRICS must be true or false'),
      expect.stringContaining('EXPORT_MODEL_METRICS_MAX_SERIES'),
    ]);
  });

  it('parses API keys with scopes and rejects duplicates', () => {
    expect(parseApiKeys('ci:write:0123456789abcdef, ops:admin:fedcba9876543210').keys).toEqual([
      { name: 'ci', scope: 'write', secret: '0123456789abcdef' },
      { name: 'ops', scope: 'admin', secret: 'fedcba9876543210' },
    ]);
    expect(parseApiKeys('a:read:0123456789abcdef,a:read:0123456789abcdeg').problem).toMatch(/unique/);
  });

  it('parses byte sizes', () => {
    expect(parseByteSize('64mb')).toBe(67108864);
    expect(parseByteSize('512KB')).toBe(524288);
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('1.5mb')).toBeNull();
  });
});
