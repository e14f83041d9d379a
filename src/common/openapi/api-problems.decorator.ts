import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from 'src/common/errors/problem';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each bad field.',
  401: 'Missing or invalid API key.',
  403: 'The API key lacks the required scope.',
  404: 'A referenced resource does not exist.',
  409: 'Conflicts with the current state of the resource.',
  413: 'The request body exceeds the body limit.',
  415: 'The body is not JSON (Content-Type) or its Content-Encoding is not supported (gzip, deflate and br are).',
  431: 'The request line or headers exceed 16 KiB.',
  429: 'Rate limited; retry after the Retry-After header.',
  500: 'Unexpected error; only the request id is returned.',
  503: 'The database is unavailable; retry later.',
};

export function problemResponse(status: number, description = DESCRIPTIONS[status]) {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath('ProblemDetailsDto') } } },
  };
}

/** Documents the operation-specific problem responses (401/403/429/500/503 are added to every operation). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })));
}
