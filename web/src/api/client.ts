/**
 * The transport: the generated SDK (@modelwatch/client), configured for the browser. Only web/src/api/ talks to
 * it; pages keep calling `api.*`. A failed answer (the SDK's ModelWatchError) becomes the dashboard's ApiError.
 */
import { ModelWatch, ModelWatchError } from '@modelwatch/client';
import type { Problem } from '@/api/types';

const KEY_STORAGE = 'modelwatch.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** The call that failed, e.g. "GET /api/v1/models/…", for the error state. */
    readonly call: string,
  ) {
    super(problem.title ?? `HTTP ${status}`);
  }
}

export const credentials = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string): void => sessionStorage.setItem(KEY_STORAGE, key),
  clear: (): void => sessionStorage.removeItem(KEY_STORAGE),
};

/** One SDK client per API key (the key lives in sessionStorage and changes on sign-in / sign-out). */
let current: { key: string | null; sdk: ModelWatch } | undefined;

function sdkFor(key: string | null): ModelWatch {
  if (current?.key !== key) {
    current = {
      key,
      // paths carry /api/v1; no retries: the UI shows the 429/503 answer and the user retries
      sdk: new ModelWatch({ baseUrl: window.location.origin, apiKey: key ?? undefined, retry: { retries: 0 } }),
    };
  }
  return current.sdk;
}

/** Drops empty query values ('' from an unset form field, null, undefined), as the server expects them absent. */
export function query<Q extends object>(values: Q): Q {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null && value !== '')) as Q;
}

/** Runs one SDK call with the stored (or the given) API key; a non-2xx answer rejects with ApiError. */
export async function request<T>(method: 'GET' | 'POST', run: (sdk: ModelWatch) => Promise<T>, key?: string): Promise<T> {
  try {
    return await run(sdkFor(key ?? credentials.get()));
  } catch (error) {
    if (!(error instanceof ModelWatchError)) throw error;
    const problem: Problem = { ...error.problem, requestId: error.problem.requestId || (error.requestId ?? '') };
    const path = error.response?.url ? new URL(error.response.url).pathname : error.problem.instance;
    throw new ApiError(error.status, problem, `${method} ${path}`);
  }
}
