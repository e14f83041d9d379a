import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from 'src/app.module';
import { applyRouting } from 'src/app.setup';
import { buildOpenApiDocument } from 'src/common/openapi/openapi';

/**
 * Writes openapi.json at the repository root. Preview mode builds the module graph without
 * instantiating providers, so no database (or embedded PostgreSQL) is needed.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { preview: true, logger: false, abortOnError: false });
  applyRouting(app);
  const document = buildOpenApiDocument(app);
  const target = resolve(process.cwd(), 'openapi.json'); // npm runs scripts from the package root
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${target} (${Object.keys(document.paths).length} paths)`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
