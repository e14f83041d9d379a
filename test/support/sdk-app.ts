import { ModelWatch, type ModelWatchOptions } from '@modelwatch/client';
import type { TestApp } from 'test/support/test-app';

/** Makes the test app listen on a free loopback port (the SDK talks real HTTP) and returns its base URL. */
export async function listen(testApp: TestApp): Promise<string> {
  const server = testApp.app.getHttpServer();
  if (!server.listening) await testApp.app.listen(0, '127.0.0.1');
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

/** The TypeScript SDK pointed at the test app. */
export async function sdkFor(testApp: TestApp, options: Partial<ModelWatchOptions> = {}): Promise<ModelWatch> {
  return new ModelWatch({ baseUrl: await listen(testApp), retry: { retries: 2, baseDelayMs: 10 }, ...options });
}
