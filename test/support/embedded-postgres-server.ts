/**
 * Runs an in-memory embedded PostgreSQL for one test file in a child process (PGlite loads
 * its WASM through dynamic import(), which jest's CommonJS sandbox cannot do). Prints one
 * JSON line with the URL, then serves until stdin closes or it is signalled.
 * argv: [maxConnections, templatePath?]: with a template (a dump of a migrated database) it starts from that instead
 * of an empty cluster. A stdin line `dump <path>` writes this database's dump to <path> and answers `dumped`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';

async function main(): Promise<void> {
  const templatePath = process.argv[3];
  const loadDataDir = templatePath ? new Blob([readFileSync(templatePath)]) : undefined;
  const embedded = await startEmbeddedPostgres({ dataDir: null, maxConnections: Number(process.argv[2] ?? 12), loadDataDir });
  const stop = () => {
    void embedded.stop().finally(() => process.exit(0));
  };
  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    const [command, path] = line.split(' ');
    if (command !== 'dump' || !path) return;
    void embedded
      .dump()
      .then(async (blob) => writeFileSync(path, Buffer.from(await blob.arrayBuffer())))
      .then(() => process.stdout.write('dumped\n'));
  });
  commands.on('close', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ url: embedded.url })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
