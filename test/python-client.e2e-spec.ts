import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listen } from 'test/support/sdk-app';
import { createTestApp, type TestApp } from 'test/support/test-app';

const run = promisify(execFile);
const PYTHON_CLIENT = join(__dirname, '..', 'clients', 'python');
const API_KEY = 'python-admin-key-0123456789';

/** The Python client (clients/python) against the real app: its unittest suite with the live story, and the example. */
describe('Python client against a live service (e2e)', () => {
  let testApp: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    testApp = await createTestApp({ apiKeys: [{ name: 'python', scope: 'admin', secret: API_KEY }] });
    env = { ...process.env, MODELWATCH_URL: await listen(testApp), MODELWATCH_API_KEY: API_KEY, PYTHONDONTWRITEBYTECODE: '1' };
  });
  afterAll(() => testApp.close());

  it('passes its unittest suite (spec sync, offline checks, the product story) with nothing skipped', async () => {
    const { stderr } = await run('python3', ['-m', 'unittest', 'discover', '-v', '-s', 'tests', '-t', '.'], { cwd: PYTHON_CLIENT, env });
    expect(stderr).toMatch(/\nOK\n?$/);
    expect(stderr).not.toMatch(/skipped/);
    expect(stderr).toMatch(/test_the_whole_story .* ok/);
  });

  it('runs examples/train_and_report.py as is, and again (get-or-create and idempotency keys make it re-runnable)', async () => {
    const first = await run('python3', ['examples/train_and_report.py'], { cwd: PYTHON_CLIENT, env });
    expect(first.stdout).toMatch(/training run [0-9a-f-]{36} succeeded/);
    expect(first.stdout).toMatch(/recorded 144 points \(0 already there\)/);
    const second = await run('python3', ['examples/train_and_report.py'], { cwd: PYTHON_CLIENT, env });
    expect(second.stdout).toMatch(/accuracy over the last day: mean 0\.\d+/);
  });
});
