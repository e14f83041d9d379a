import { DomainError, FieldError } from 'src/common/errors/domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with ModelWatch's `code`, `requestId` and `errors` members. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemType(code: string): string {
  return `urn:modelwatch:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function problemFromDomainError(error: DomainError, instance: string, requestId: string): ProblemBody {
  const body: ProblemBody = {
    ...error.extensions,
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance,
    code: error.code,
    requestId,
  };
  if (error.errors.length > 0) body.errors = error.errors;
  return body;
}
