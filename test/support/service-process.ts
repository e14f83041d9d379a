import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Spawns src/main.ts as a user would (without the database URL unless given) and resolves on "listening". */
export function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? '/tmp',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) done({ child, url: match[1], output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(Object.assign(new Error(`exited with ${code}: ${output}`), { code, output })));
  });
}

/** Starts the service and stops it again; resolves with the exit code (0 when it started) and everything it printed. */
export function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return startService(env).then(
    async (started) => {
      await stopService(started);
      return { code: 0, output: started.output() };
    },
    (error: { code: number | null; output: string }) => ({ code: error.code, output: error.output }),
  );
}

export async function stopService(started: ServiceProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise((done) => started.child.once('exit', done));
  started.child.kill(signal);
  await exited;
}

/** The service's JSON log lines (pino), skipping anything else it printed. */
export function logLines(output: string): Record<string, any>[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, any>];
    } catch {
      return [];
    }
  });
}
