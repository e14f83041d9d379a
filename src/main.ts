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
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(env.port, env.host);
  const logger = app.get(Logger);
  const { port } = app.getHttpServer().address() as { port: number };
  const address = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
  logger.log(
    { startupMs: Date.now() - startedAt },
    `ModelWatch listening on ${address} — API docs at ${address}/docs` +
      (env.apiKeys.length === 0 ? ' (protected mode: no API_KEYS, so the API is open and listens on loopback only)' : ''),
  );
}

bootstrap().catch((error: unknown) => {
  const known = error instanceof EnvironmentError || error instanceof DataDirLockedError || error instanceof SecretsKeyMissingError;
  console.error(known ? `ModelWatch cannot start: ${(error as Error).message}` : error);
  process.exit(1);
});
