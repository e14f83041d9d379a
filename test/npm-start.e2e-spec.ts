import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..');
/** What `npm run build` reads; node_modules is linked, not copied. */
const PROJECT_FILES = [
  'package.json',
  'nest-cli.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'ormconfig.ts',
  'src',
  'scripts',
  'web',
  'clients/typescript/src',
];

/**
 * A copy of the project to build and start in: prestart rebuilds dist/ (nest build empties it first), and doing that
 * in the checkout pulled dist/web from under the browser tests running beside this file.
 */
function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'modelwatch-npm-start-project-'));
  for (const entry of PROJECT_FILES) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

const ENV = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp' };

/** `npm start` (or `npm start --ignore-scripts`, skipping the prestart build) as a process manager runs it. */
function npmStart(
  project: string,
  dataDir: string,
  args: string[] = [],
): Promise<{ npm: ChildProcess; port: number; exited: Promise<unknown> }> {
  const npm = spawn('npm', ['start', ...args], {
    cwd: project,
    env: { ...ENV, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((done) => npm.once('exit', done));
  let output = '';
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) done({ npm, port: Number(match[1]), exited });
    };
    npm.stdout!.on('data', onData);
    npm.stderr!.on('data', onData);
    npm.once('exit', (code) => fail(new Error(`npm start exited with ${code}: ${output}`)));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

// The server under test always runs on its embedded database, so once per CI run (the DATABASE_URL pass) is enough:
// the embedded pass skips it rather than add a build and two more embedded starts to its load.
const describeOnce = process.env.DATABASE_URL ? describe : describe.skip;

describeOnce('npm start forwards signals to the server (e2e)', () => {
  jest.setTimeout(240_000);
  let dataDir: string;
  let project: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'modelwatch-npm-start-'));
    project = projectCopy();
    // what `npm start` runs first (prestart); the starts below skip it with --ignore-scripts
    await promisify(execFile)('npm', ['run', 'prestart'], { cwd: project, env: ENV });
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'killing the npm process with %s stops the server: port free, data directory unlocked',
    async (signal) => {
      // the first start builds (prestart), the second reuses that build
      const first = await npmStart(project, dataDir, signal === 'SIGTERM' ? [] : ['--ignore-scripts']);
      expect((await fetch(`http://127.0.0.1:${first.port}/health/live`)).status).toBe(200);
      first.npm.kill(signal);
      await first.exited;
      expect(await portIsFree(first.port)).toBe(true);
      // a new server on the same DATA_DIR starts only when the old one released its lock
      const second = await npmStart(project, dataDir, ['--ignore-scripts']);
      expect((await fetch(`http://127.0.0.1:${second.port}/health/ready`)).status).toBe(200);
      second.npm.kill('SIGTERM');
      await second.exited;
      expect(await portIsFree(second.port)).toBe(true);
    },
  );
});
