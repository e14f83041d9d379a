import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The embedded default: PostgreSQL compiled to WASM (PGlite) in this process, served to the
 * ordinary `pg` driver through pglite-socket on 127.0.0.1 at a random free port.
 * PGlite runs one query at a time and a transaction holds the whole database, so the pool
 * must stay within the socket server's maxConnections and code must keep every query of a
 * transaction on that transaction's EntityManager.
 */
export interface EmbeddedPostgres {
  url: string;
  /** Absolute data directory, or null for an in-memory database (tests). */
  dataDir: string | null;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {}

/** One process per data directory: a second one would corrupt PGlite's files. */
function acquireLock(dataDir: string): () => void {
  const lockPath = resolve(dataDir, 'modelwatch.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by another ModelWatch process (pid ${holder}). ` +
            'Stop it, or start this one with another DATA_DIR or with DATABASE_URL.',
        );
      }
      rmSync(lockPath, { force: true }); // stale lock left by a crashed process
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(options: { dataDir: string | null; maxConnections: number }): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir === null ? null : resolve(options.dataDir);
  let releaseLock = () => {};
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireLock(dataDir);
  }
  try {
    // Loaded lazily: with DATABASE_URL set, the WASM build is never loaded at all.
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = dataDir === null ? await PGlite.create() : await PGlite.create(resolve(dataDir, 'pgdata'));
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir,
      async stop() {
        try {
          await server.stop();
          await db.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
