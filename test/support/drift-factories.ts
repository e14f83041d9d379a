import type { TestApp } from 'test/support/test-app';

export type Feature = { name: string; type?: 'numerical' | 'categorical'; values: unknown[] };

/** The numbers drift tests below are checked against (python3 + scipy 1.17 in each test's comments). */
export const AGE_REFERENCE = [1.2, 2.3, 3.1, 4.8, 5.0, 6.7, 7.1, 8.4, 9.9, 10.5];
export const AGE_CURRENT = [5.5, 6.1, 7.7, 8.2, 9.3, 10.0, 11.4, 12.6];
export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);
export const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);
export const PLAN_REFERENCE = [...repeat('a', 4), ...repeat('b', 4), ...repeat('c', 2)];
export const PLAN_CURRENT = [...repeat('a', 3), ...repeat('b', 5), ...repeat('c', 2)];

/** age (no drift), income (drift), plan (categorical, no drift). */
export function standardReference(): Feature[] {
  return [
    { name: 'age', values: AGE_REFERENCE },
    { name: 'income', values: range(0, 100) },
    { name: 'plan', values: PLAN_REFERENCE },
  ];
}

export function standardCurrent(): Feature[] {
  return [
    { name: 'age', values: AGE_CURRENT },
    { name: 'income', values: range(50, 150) },
    { name: 'plan', values: PLAN_CURRENT },
  ];
}

export async function putReference(testApp: TestApp, modelId: string, features: Feature[] = standardReference(), description?: string) {
  const response = await testApp
    .http()
    .put(`/api/v1/models/${modelId}/reference`)
    .send({ features, ...(description ? { description } : {}) });
  if (response.status !== 200) throw new Error(`putReference failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function checkDrift(testApp: TestApp, body: Record<string, unknown>) {
  const response = await testApp.http().post('/api/v1/drift/check').send(body);
  if (response.status !== 200) throw new Error(`checkDrift failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A current sample where `drifted` of the standard features drift (0–3: income, then age, then plan). */
export function currentWithDrift(drifted: 0 | 1 | 2 | 3): Feature[] {
  const features = [
    { name: 'income', values: drifted >= 1 ? range(50, 150) : range(0, 100) },
    { name: 'age', values: drifted >= 2 ? AGE_CURRENT.map((value) => value + 20) : AGE_REFERENCE },
    { name: 'plan', values: drifted >= 3 ? repeat('c', 10) : PLAN_REFERENCE },
  ];
  return features;
}

export async function listAlerts(testApp: TestApp, query: Record<string, string>) {
  const response = await testApp.http().get('/api/v1/alerts').query(query).expect(200);
  return response.body.items as {
    id: string;
    type: string;
    status: string;
    severity: string;
    labels: Record<string, string>;
    [key: string]: any;
  }[];
}

export async function putPolicy(testApp: TestApp, modelId: string, policy: Record<string, unknown> = {}) {
  const response = await testApp
    .http()
    .put(`/api/v1/models/${modelId}/retrain-policy`)
    .send({ enabled: true, ...policy });
  if (response.status !== 200) throw new Error(`putPolicy failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function triggerRetrain(testApp: TestApp, body: Record<string, unknown>) {
  return testApp.http().post('/api/v1/retrain/trigger').send(body);
}

/** Moves a run through running to a terminal status via PATCH /training-runs/{id}. */
export async function finishRun(testApp: TestApp, runId: string, status: 'succeeded' | 'failed' | 'cancelled') {
  if (status !== 'cancelled') await testApp.http().patch(`/api/v1/training-runs/${runId}`).send({ status: 'running' }).expect(200);
  const body = status === 'failed' ? { status, error: 'CUDA out of memory' } : { status };
  await testApp.http().patch(`/api/v1/training-runs/${runId}`).send(body).expect(200);
}
