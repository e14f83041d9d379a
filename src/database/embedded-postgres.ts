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
  /** The whole database as an uncompressed tarball (PGlite's dumpDataDir), e.g. a migrated template for tests. */
  dump(): Promise<Blob>;
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

/** Frontend messages that open or continue an extended-query sequence, which only Sync ('S') ends. */
const EXTENDED_QUERY_MESSAGES = new Set(['P', 'B', 'E', 'D', 'C', 'H']);
/** Messages after which another connection may be served (when no transaction is open). */
const SEQUENCE_ENDS = new Set(['S', 'Q', 'X']);

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(work: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, options: { onRawData(data: Uint8Array): void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/**
 * pglite-socket 0.2.17 queues single protocol messages, so another connection's Parse can land
 * between this connection's Parse and Bind (the unnamed statement is shared: wrong rows, errors),
 * and a failing message leaves its queue stuck. Measured before this fix: 6 connections running
 * parameterised queries beside one running transactions got 200 wrong results and 800 errors in
 * 1,000 queries. This replaces the queue's scheduler so that a connection keeps the database from
 * Parse through Sync (as well as for a whole transaction, as before), and errors never stall it.
 * The package version is pinned exactly; test/embedded-postgres.e2e-spec.ts guards this.
 */
function keepProtocolSequencesWhole(server: object): void {
  const queue = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function') {
    throw new Error('pglite-socket internals changed: re-check keepProtocolSequencesWhole before upgrading');
  }
  let sequenceOwner: number | null = null;
  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    if (sequenceOwner === handlerId) sequenceOwner = null;
    clearQueueForHandler(handlerId);
  };
  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = sequenceOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (owner !== null) {
          const index = this.queue.findIndex((queued) => queued.handlerId === owner);
          if (index === -1) break; // the owner's next message has not arrived yet
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift()!;
        }
        const type = String.fromCharCode(item.message[0]);
        if (EXTENDED_QUERY_MESSAGES.has(type)) sequenceOwner = item.handlerId;
        else if (SEQUENCE_ENDS.has(type)) sequenceOwner = null;
        let bytes = 0;
        const current = item;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          current.reject(error);
          continue;
        }
        this.lastHandlerId = current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}

export async function startEmbeddedPostgres(options: {
  dataDir: string | null;
  maxConnections: number;
  /** In-memory only: start from this dump (see dump()) instead of an empty cluster, which skips initdb (~2.5 s). */
  loadDataDir?: Blob;
}): Promise<EmbeddedPostgres> {
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
    const db =
      dataDir === null ? await PGlite.create({ loadDataDir: options.loadDataDir }) : await PGlite.create(resolve(dataDir, 'pgdata'));
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections });
    keepProtocolSequencesWhole(server);
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir,
      dump: async () => (await db.dumpDataDir('none')) as Blob,
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
