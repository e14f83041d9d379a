import { randomBytes } from 'node:crypto';
import type { TestApp } from 'test/support/test-app';

export function uniqueName(prefix = 'model'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Registers a model through the API; every field overridable. Returns the response body. */
export async function createModel(testApp: TestApp, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await testApp
    .http()
    .post('/api/v1/models')
    .set(headers)
    .send({ name: uniqueName(), taskType: 'binary_classification', ...overrides });
  if (response.status !== 201) throw new Error(`createModel failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; [key: string]: unknown };
}

/** Asserts an RFC 9457 body and returns it. */
export function expectProblem(response: { status: number; headers: Record<string, string>; body: any }, status: number, code?: string) {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
      instance: expect.any(String),
      requestId: expect.any(String),
    }),
  );
  if (code) expect(response.body.code).toBe(code);
  return response.body as { code: string; errors?: { field: string; message: string }[]; [key: string]: unknown };
}
