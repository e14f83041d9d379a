/**
 * Domain errors: every module declares its codes once with defineErrors(), and the global
 * problem filter renders them as RFC 9457 problem+json with the status declared here.
 */
export interface FieldError {
  /** Path of the offending field, e.g. `points[3].value` or `modelId`. */
  field: string;
  message: string;
}

export interface ErrorDefinition {
  status: number;
  title: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** Extra members added to the problem body (e.g. `existingRunId`, `retryAfter`). */
    readonly extensions: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export type ErrorFactory = (detail: string, extensions?: Record<string, unknown>, errors?: FieldError[]) => DomainError;

/** Turns `{ CODE: { status, title } }` into `{ CODE: (detail, extensions?, errors?) => DomainError }`. */
export function defineErrors<Codes extends string>(
  definitions: Record<Codes, ErrorDefinition>,
): Record<Codes, ErrorFactory> & { readonly definitions: Record<Codes, ErrorDefinition> } {
  const factories = {} as Record<Codes, ErrorFactory>;
  for (const code of Object.keys(definitions) as Codes[]) {
    const { status, title } = definitions[code];
    factories[code] = (detail, extensions, errors) => new DomainError(code, status, title, detail, extensions, errors);
  }
  return Object.assign(factories, { definitions });
}

/** Errors every module can raise. */
export const CommonErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  UNREADABLE_BODY: { status: 400, title: 'Request body could not be decoded' },
  INVALID_CURSOR: { status: 400, title: 'Invalid pagination cursor' },
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid API key' },
  FORBIDDEN: { status: 403, title: 'API key lacks the required scope' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'Database unavailable' },
  NOT_READY: { status: 503, title: 'Service not ready' },
  SECRETS_KEY_MISSING: { status: 503, title: 'Secrets key not configured' },
});

/** A single-field 400, for checks that class-validator cannot express (cross-field rules, lookups). */
export function invalidField(field: string, message: string): DomainError {
  return CommonErrors.VALIDATION_FAILED(`${field}: ${message}`, {}, [{ field, message }]);
}

export function invalidFields(errors: FieldError[]): DomainError {
  const detail = errors
    .slice(0, 5)
    .map((error) => `${error.field}: ${error.message}`)
    .join('; ');
  return CommonErrors.VALIDATION_FAILED(errors.length > 5 ? `${detail}; and ${errors.length - 5} more` : detail, {}, errors);
}
