/**
 * The thin typed fetch wrapper: the only code that builds URLs or calls fetch. When the generated SDK
 * (@modelwatch/client) lands, this file and api/index.ts are what change; pages keep calling `api.*`.
 */
import type { Problem } from '@/api/types';

const BASE = '/api/v1';
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

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export function buildUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { query?: Record<string, QueryValue>; body?: unknown; key?: string } = {},
): Promise<T> {
  const url = buildUrl(path, options.query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const key = options.key ?? credentials.get();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    const problem = (json ?? {}) as Problem;
    if (!problem.requestId) problem.requestId = response.headers.get('x-request-id') ?? '';
    throw new ApiError(response.status, problem, `${method} ${url.split('?')[0]}`);
  }
  return json as T;
}
