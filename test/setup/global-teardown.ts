import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { embeddedTemplatePath } from '../support/embedded-template';

/** Drops what this run created: the embedded template dump, and on a real server the databases (each file drops its own; this catches crashed files). */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const runId = process.env.MW_TEST_RUN_ID;
  if (!runId) return;
  rmSync(embeddedTemplatePath(runId), { force: true });
  if (!url) return;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`mw_%${runId}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
