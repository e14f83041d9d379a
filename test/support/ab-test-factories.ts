import { createModel, uniqueName } from 'test/support/factories';
import type { TestApp } from 'test/support/test-app';

export interface StartedAbTest {
  id: string;
  name: string;
  modelId: string;
  hashSeed: string;
  status: string;
  variants: { name: string; modelVersion: string | null; weight: number; count: number }[];
  [key: string]: unknown;
}

/** Starts a test through the API (on a new model unless modelId is given); every field overridable. */
export async function startAbTest(testApp: TestApp, overrides: Record<string, unknown> = {}): Promise<StartedAbTest> {
  const modelId = (overrides.modelId as string | undefined) ?? (await createModel(testApp)).id;
  const response = await testApp
    .http()
    .post('/api/v1/ab-test/start')
    .send({
      name: uniqueName('ab'),
      primaryMetric: 'conversion',
      metricType: 'binary',
      variants: [
        { name: 'control', modelVersion: 'v1', weight: 1 },
        { name: 'challenger', modelVersion: 'v2', weight: 1 },
      ],
      ...overrides,
      modelId,
    });
  if (response.status !== 201) throw new Error(`startAbTest failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as StartedAbTest;
}

/** `[{ variant, value }]` for a list of values of one variant. */
export function observationsOf(variant: string, values: readonly number[]): { variant: string; value: number }[] {
  return values.map((value) => ({ variant, value }));
}

/** n values of which the first `successes` are 1 and the rest 0. */
export function binaryValues(count: number, successes: number): number[] {
  return Array.from({ length: count }, (_, index) => (index < successes ? 1 : 0));
}

/** Posts a batch and expects it to be accepted; returns the response body. */
export async function recordObservations(testApp: TestApp, testId: string, body: Record<string, unknown>) {
  const response = await testApp.http().post(`/api/v1/ab-test/${testId}/observations`).send(body);
  if (response.status !== 201) throw new Error(`recordObservations failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { testId: string; batchId: string | null; duplicate: boolean; recordedCount: number };
}

/** The variants' counts as the API reports them, by name. */
export async function variantCounts(testApp: TestApp, testId: string): Promise<Record<string, number>> {
  const response = await testApp.http().get(`/api/v1/ab-test/${testId}`).expect(200);
  return Object.fromEntries((response.body as StartedAbTest).variants.map((variant) => [variant.name, variant.count]));
}
