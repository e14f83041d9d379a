/**
 * Runs an in-memory embedded PostgreSQL for one test file in a child process (PGlite loads
 * its WASM through dynamic import(), which jest's CommonJS sandbox cannot do). Prints one
 * JSON line with the URL, then serves until stdin closes or it is signalled.
 */
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';

async function main(): Promise<void> {
  const embedded = await startEmbeddedPostgres({ dataDir: null, maxConnections: Number(process.argv[2] ?? 12) });
  const stop = () => {
    void embedded.stop().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ url: embedded.url })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
