import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** No Docker daemon runs here, so the image's promises are checked where they are made. */
describe('packaging', () => {
  const runtime = read('Dockerfile')
    .split(/^FROM /m)
    .pop()!;

  it('the runtime image listens on all interfaces, has a writable DATA_DIR owned by node, and a HEALTHCHECK', () => {
    expect(runtime).toMatch(/^ENV .*\bHOST=0\.0\.0\.0\b/m);
    expect(runtime).toMatch(/^ENV .*\bDATA_DIR=\/data\b/m);
    expect(runtime).toMatch(/^RUN mkdir -p \/data && chown node:node \/data$/m);
    expect(runtime.indexOf('chown node:node /data')).toBeLessThan(runtime.indexOf('USER node'));
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health\/ready/m);
    // npm ci needs every workspace's package.json
    expect(read('Dockerfile').match(/COPY clients\/typescript\/package\.json/g)).toHaveLength(2);
  });

  it('README names the compose keys and how to change them', () => {
    const compose = read('docker-compose.yml');
    const keys = /API_KEYS: \$\{API_KEYS:-([^}]+)\}/.exec(compose)![1].split(',');
    const readme = read('README.md');
    for (const key of keys) expect(readme).toContain(key);
    expect(readme).toMatch(/API_KEYS='admin:admin:<long-secret>/);
  });

  it('npm start execs node, so the signals npm forwards reach the server', () => {
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(scripts.prestart).toBe('npm run build');
    expect(scripts.start).toBe('exec node dist/src/main.js');
  });
});
