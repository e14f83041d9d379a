import type { ProblemDetailsDto } from './generated/types.gen';

/** A problem+json body as the service sends it: the documented members plus any extension (`existingModelId`, `retryAfter`, …). */
export type Problem = ProblemDetailsDto & Record<string, unknown>;

/** Any non-2xx answer. `problem` is the RFC 9457 body; `code` is its stable machine-readable code. */
export class ModelWatchError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  readonly requestId: string | undefined;

  constructor(
    status: number,
    problem: Problem,
    readonly response?: Response,
  ) {
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'ModelWatchError';
    this.status = status;
    this.code = problem.code;
    this.problem = problem;
    this.requestId = problem.requestId ?? response?.headers.get('x-request-id') ?? undefined;
  }

  /** The fields the service blamed (400s), e.g. `['points[3].value']`. */
  get fields(): string[] {
    return (this.problem.errors ?? []).map((error) => error.field);
  }
}

/** Turns whatever the generated client throws for a failed response into a ModelWatchError. */
export function toModelWatchError(error: unknown, response: Response | undefined): unknown {
  if (!response) return error;
  const problem: Problem =
    typeof error === 'object' && error !== null && 'code' in error
      ? (error as Problem)
      : {
          status: response.status,
          type: 'about:blank',
          title: response.statusText || 'HTTP error',
          detail: typeof error === 'string' && error !== '' ? error : `HTTP ${response.status}`,
          instance: new URL(response.url || 'http://unknown/').pathname,
          code: `HTTP_${response.status}`,
          requestId: response.headers.get('x-request-id') ?? '',
        };
  return new ModelWatchError(response.status, problem, response);
}
