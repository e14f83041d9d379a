import type { TestApp } from 'test/support/test-app';

/** Posts points to POST /metrics/record and expects 201. Returns `{ recorded, duplicates }`. */
export async function recordMetrics(
  testApp: TestApp,
  points: Record<string, unknown>[],
): Promise<{ recorded: number; duplicates: number }> {
  const response = await testApp.http().post('/api/v1/metrics/record').send({ points });
  if (response.status !== 201) throw new Error(`recordMetrics failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** `count` points of one series, `stepMs` apart from `start`, values from `valueAt(i)`. */
export function series(
  base: { modelId: string; metricName: string; [key: string]: unknown },
  start: Date | string,
  stepMs: number,
  values: number[],
): Record<string, unknown>[] {
  const startMs = new Date(start).getTime();
  return values.map((value, index) => ({ ...base, value, recordedAt: new Date(startMs + index * stepMs).toISOString() }));
}
