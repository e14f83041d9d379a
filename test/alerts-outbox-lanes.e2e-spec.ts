import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { CIRCUIT_THRESHOLD, LANE_CONCURRENCY } from 'src/alerts/delivery-lane.policy';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { WEBHOOK_TIMEOUT_MS } from 'src/alerts/webhook-sender';
import { createChannel, eventually } from 'test/support/alerts-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const HUNG_DELIVERIES = 30;
const HEALTHY_EVERY_MS = 150;
/** Long enough for the hung lane's first attempts to time out and its breaker to open. */
const RUN_MS = WEBHOOK_TIMEOUT_MS + 2_500;

interface Listening {
  server: Server;
  url: string;
}

async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` };
}

function close({ server }: Listening): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

describe('outbox lanes: a receiver that never answers holds only its own channel', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ jobs: { outboxPollIntervalMs: 100 } });
  });
  afterAll(() => testApp.close());

  it("delivers a healthy channel's webhooks promptly beside a hung one, whose lane stays within its limit and whose breaker opens", async () => {
    // Accepts every request and never answers it.
    let hungOpen = 0;
    let hungMaxOpen = 0;
    let hungRequests = 0;
    const hung = await listen(
      createServer((request) => {
        hungRequests++;
        hungMaxOpen = Math.max(hungMaxOpen, ++hungOpen);
        request.socket.once('close', () => hungOpen--);
      }),
    );
    const receivedAt = new Map<number, number>();
    const healthy = await listen(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          receivedAt.set((JSON.parse(Buffer.concat(chunks).toString()) as { n: number }).n, Date.now());
          response.writeHead(200).end('ok');
        });
      }),
    );
    try {
      const hungChannel = await createChannel(testApp, hung.url);
      const healthyChannel = await createChannel(testApp, healthy.url);
      const outbox = testApp.get(WebhookOutboxService);
      await outbox.enqueueMany(
        Array.from({ length: HUNG_DELIVERIES }, (_, n) => ({
          url: hung.url,
          secret: null,
          event: 'test',
          payload: { n },
          channelId: hungChannel.id,
        })),
      );

      const enqueuedAt = new Map<number, number>();
      const deadline = Date.now() + RUN_MS;
      for (let n = 0; Date.now() < deadline; n++) {
        enqueuedAt.set(n, Date.now());
        await outbox.enqueue({ url: healthy.url, secret: null, event: 'test', payload: { n }, channelId: healthyChannel.id });
        await new Promise((done) => setTimeout(done, HEALTHY_EVERY_MS));
      }
      await eventually(async () => receivedAt.size === enqueuedAt.size);

      const latencies = [...enqueuedAt].map(([n, at]) => receivedAt.get(n)! - at);
      const p99 = percentile(latencies, 0.99);
      console.info(
        `healthy deliveries ${latencies.length}: p50 ${percentile(latencies, 0.5)} ms, p99 ${p99} ms, max ${Math.max(...latencies)} ms; ` +
          `hung receiver: ${hungRequests} requests, at most ${hungMaxOpen} at once`,
      );
      expect(latencies.length).toBeGreaterThan(50);
      // Isolation, not speed (speed lives in benchmarks): behind the hung lane a delivery would wait for a hung
      // request's timeout; no healthy one did. (p99 was < 1 s on a quiet machine, 2.2 s once under load.)
      expect(Math.max(...latencies)).toBeLessThan(WEBHOOK_TIMEOUT_MS);

      expect(hungMaxOpen).toBeLessThanOrEqual(LANE_CONCURRENCY);
      const [lane] = await testApp
        .get(DataSource)
        .query(`SELECT consecutive_failures, open_until FROM model_alert_outbox_lanes WHERE lane = $1`, [`channel:${hungChannel.id}`]);
      expect(lane.consecutive_failures).toBeGreaterThanOrEqual(CIRCUIT_THRESHOLD);
      expect(new Date(lane.open_until).getTime()).toBeGreaterThan(Date.now());
      // While the breaker is open the rest of the hung channel's rows wait, without using attempts.
      const [{ untried }] = await testApp
        .get(DataSource)
        .query(`SELECT count(*)::int AS untried FROM model_alert_outbox WHERE channel_id = $1 AND attempts = 0`, [hungChannel.id]);
      expect(untried).toBe(HUNG_DELIVERIES - hungRequests);
      expect(hungRequests).toBeLessThan(HUNG_DELIVERIES);
    } finally {
      await close(hung);
      await close(healthy);
    }
  });
});
