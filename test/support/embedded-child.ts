import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..', '..');

export interface EmbeddedChild {
  url: string;
  /** Writes the database's dump (a PGlite data-dir tarball) to path. */
  dump(path: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts test/support/embedded-postgres-server.ts in a child process; resolves with its URL and a stop function.
 * templatePath: a dump to start from (written by dump()), instead of an empty cluster.
 */
export async function startEmbeddedPostgresChild(maxConnections = 12, templatePath?: string): Promise<EmbeddedChild> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'test/support/embedded-postgres-server.ts',
      String(maxConnections),
      ...(templatePath ? [templatePath] : []),
    ],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') } },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((done, fail) => {
      const onExit = (code: number | null) => fail(new Error(`embedded PostgreSQL child exited with ${code}`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        done(line);
      });
    });
  const url = (JSON.parse(await nextLine()) as { url: string }).url;
  return {
    url,
    async dump(path: string) {
      const answered = nextLine();
      child.stdin!.write(`dump ${path}\n`);
      if ((await answered) !== 'dumped') throw new Error('embedded PostgreSQL child did not dump');
    },
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
