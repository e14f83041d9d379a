import type { TestApp } from 'test/support/test-app';

export type TrainingRunBody = Record<string, any> & { id: string; status: string; modelId: string };

/** Logs a training run through the API (manual and queued unless overridden). Returns the response body. */
export async function createTrainingRun(
  testApp: TestApp,
  modelId: string,
  overrides: Record<string, unknown> = {},
): Promise<TrainingRunBody> {
  const response = await testApp
    .http()
    .post('/api/v1/training-runs')
    .send({ modelId, ...overrides });
  if (response.status !== 201) throw new Error(`createTrainingRun failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as TrainingRunBody;
}

/** The body that moves a run to `status` (a failed run needs an error). */
export function transitionBody(status: string): Record<string, unknown> {
  return status === 'failed' ? { status, error: 'CUDA out of memory' } : { status };
}

/** A manual run brought to `status` through the API: the fixture for transition tests. */
export async function trainingRunIn(testApp: TestApp, modelId: string, status: string): Promise<TrainingRunBody> {
  if (status === 'cancelled') {
    const run = await createTrainingRun(testApp, modelId);
    const response = await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'cancelled' });
    if (response.status !== 200) throw new Error(`cancel failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as TrainingRunBody;
  }
  return createTrainingRun(testApp, modelId, transitionBody(status));
}

export async function listTrainingRuns(testApp: TestApp, query: Record<string, string | number>): Promise<TrainingRunBody[]> {
  const response = await testApp.http().get('/api/v1/training-runs').query(query).expect(200);
  return response.body.items as TrainingRunBody[];
}
