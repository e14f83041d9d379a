import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from 'src/app.module';
import { configureApp } from 'src/app.setup';
import { loadEnvironment } from 'src/config/configuration';
import { EnvironmentError } from 'src/config/env.validation';
import { DataDirLockedError } from 'src/database/embedded-postgres';
import { SecretsKeyMissingError } from 'src/common/secrets/secrets-key';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

async function bootstrap(): Promise<void> {
  const startedAt = Date.now();
  const env = loadEnvironment();
  if (env.apiKeys.length === 0 && !LOOPBACK_HOSTS.has(env.host)) {
    throw new EnvironmentError([
      `HOST=${env.host} would expose the API without authentication: set API_KEYS, or keep HOST at 127.0.0.1 (protected mode)`,
    ]);
  }
  // Startup logs stay buffered until the app is built: a failure (a locked DATA_DIR) then prints only its one line below,
  // not Nest's buffered lines and stack trace; abortOnError: false hands the error to the catch at the end.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  configureApp(app);
  app.flushLogs();
  app.enableShutdownHooks();
  await app.listen(env.port, env.host);
  const logger = app.get(Logger);
  const { port } = app.getHttpServer().address() as { port: number };
  const address = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
  // The trailing 'ModelWatch' is the context: without it Nest's logger would take the text as the context and leave msg empty.
  logger.log(
    { startupMs: Date.now() - startedAt },
    `ModelWatch listening on ${address} — API docs at ${address}/docs` +
      (env.apiKeys.length === 0 ? ' (protected mode: no API_KEYS, so the API is open and listens on loopback only)' : ''),
    'ModelWatch',
  );
}

/** The one line for a startup failure a person can fix; null for anything else (printed with its stack). */
function startupErrorMessage(error: unknown): string | null {
  if (error instanceof EnvironmentError || error instanceof DataDirLockedError || error instanceof SecretsKeyMissingError) {
    return error.message;
  }
  const failure = error as { code?: string; port?: number; address?: string };
  if (failure?.code === 'EADDRINUSE') {
    return `port ${failure.port} on ${failure.address} is already in use; stop what uses it or set PORT to a free port.`;
  }
  if (failure?.code === 'EACCES' && failure.port !== undefined) {
    return `not allowed to listen on port ${failure.port} on ${failure.address}; set PORT to a port above 1023.`;
  }
  if (failure?.code === 'EADDRNOTAVAIL') return `HOST ${failure.address} is not an address of this machine; set HOST.`;
  return null;
}

bootstrap().catch((error: unknown) => {
  const message = startupErrorMessage(error);
  console.error(message === null ? error : `ModelWatch cannot start: ${message}`);
  process.exit(1);
});
