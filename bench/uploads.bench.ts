/**
 * Big uploads benchmark: four ~60 MB reference uploads in flight while another client polls GET /alerts/active.
 * Target (issue "Robustness"): the poller's p99 ≤ 100 ms and the service's peak RSS ≤ 1 GB.
 *
 * Builds and spawns the service as its own process (`node dist/src/main.js`, as `npm start` runs it) against the
 * PostgreSQL server in DATABASE_URL, so the RSS measured (VmHWM, the kernel's peak resident set) is the service's:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:uploads
 * Options: `--uploads N` (default 4), `--features N` (4), `--values N` per feature (850000: ~60 MB per body).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { buildService, startService } from 'bench/metrics-bench.support';

const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const UPLOADS = option('uploads', 4);
const FEATURES = option('features', 4);
const VALUES = option('values', 850_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (the benchmark targets the PostgreSQL server)');
  buildService();
  const service = await startService(process.env.DATABASE_URL, await freePort());
  const pid = service.pid;
  const api = `${service.baseUrl}/api/v1`;
  try {
    // bodies first: building them takes longer than the server's keep-alive timeout
    const bodies = Array.from({ length: UPLOADS }, (_, u) =>
      Buffer.from(
        JSON.stringify({
          features: Array.from({ length: FEATURES }, (_, f) => ({
            name: `f${f}`,
            values: Array.from({ length: VALUES }, (_, i) => Math.sin(i * 0.37 + u + f) * 1e3 + i / VALUES),
          })),
        }),
      ),
    );
    const models = await Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => {
        const response = await fetch(`${api}/models`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `upload-bench-${Date.now().toString(36)}-${i}` }),
        });
        return ((await response.json()) as { id: string }).id;
      }),
    );
    const baselineRssMb = statusKb(pid, 'VmRSS') / 1024;
    // idle latency of the poller, for comparison
    const poll = async (): Promise<number> => {
      const sent = performance.now();
      const response = await fetch(`${api}/alerts/active?limit=50`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET /alerts/active answered ${response.status}`);
      return performance.now() - sent;
    };
    const idle: number[] = [];
    for (let i = 0; i < 100; i++) idle.push(await poll());
    idle.sort((a, b) => a - b);

    const latencies: number[] = [];
    const pollErrors: string[] = [];
    let uploading = true;
    const poller = (async () => {
      while (uploading) {
        const sent = performance.now();
        try {
          latencies.push(await poll());
        } catch (error) {
          // a closed keep-alive socket: counted, and its time counts as a (slow) answer
          pollErrors.push(String((error as { cause?: unknown }).cause ?? error));
          latencies.push(performance.now() - sent);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = performance.now();
    const uploadTimes = await Promise.all(
      models.map(async (modelId, u) => {
        const sent = performance.now();
        const response = await fetch(`${api}/models/${modelId}/reference`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: bodies[u],
        });
        const answer = await response.text();
        if (response.status !== 200) throw new Error(`PUT reference answered ${response.status}: ${answer.slice(0, 300)}`);
        return performance.now() - sent;
      }),
    );
    const wall = performance.now() - started;
    uploading = false;
    await poller;
    latencies.sort((a, b) => a - b);
    const result = {
      uploads: UPLOADS,
      bodyMb: Number((bodies[0].length / 1e6).toFixed(1)),
      valuesPerBody: FEATURES * VALUES,
      uploadSeconds: uploadTimes.map((ms) => Number((ms / 1000).toFixed(2))),
      wallSeconds: Number((wall / 1000).toFixed(2)),
      idlePollMs: { p50: Number(percentile(idle, 0.5).toFixed(1)), p99: Number(percentile(idle, 0.99).toFixed(1)) },
      pollsDuringUploads: latencies.length,
      pollErrors,
      pollMs: {
        p50: Number(percentile(latencies, 0.5).toFixed(1)),
        p99: Number(percentile(latencies, 0.99).toFixed(1)),
        max: Number(latencies[latencies.length - 1].toFixed(1)),
      },
      rssMb: { beforeUploads: Math.round(baselineRssMb), peak: Math.round(statusKb(pid, 'VmHWM') / 1024) },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
