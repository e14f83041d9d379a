import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldErrorDto, ProblemDetailsDto } from 'src/common/openapi/problem-details.dto';
import { problemResponse } from 'src/common/openapi/api-problems.decorator';

const COMMON_PROBLEMS = [401, 403, 429, 500, 503];
/** Every operation with a body can meet the body parsers: bad input, too large, unreadable or not JSON. */
const BODY_PROBLEMS = [400, 413, 415];
/** OpenAPI 3.0's `nullable` only widens a `type` in the same schema, so `nullable` beside `$ref`/`allOf` admits no null. */
const NULL_SCHEMA = { type: 'object', nullable: true, enum: [null] };

/** Rewrites `{ nullable: true, allOf: [{ $ref }] }` (what the plugin emits) as `anyOf: [{ $ref }, null]`, at any depth. */
function admitNullBesideRefs(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  for (const child of Object.values(node)) admitNullBesideRefs(child);
  const schema = node as Record<string, unknown>;
  if (schema.nullable !== true) return;
  const refs = (schema.allOf as unknown[] | undefined) ?? (schema.$ref ? [{ $ref: schema.$ref }] : null);
  if (!refs) return;
  delete schema.nullable;
  delete schema.type;
  delete schema.allOf;
  delete schema.$ref;
  schema.anyOf = [...refs, NULL_SCHEMA];
}
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const REASONS: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content' };

/** `listActiveAlerts` → "List active alerts": a summary for handlers without a JSDoc one. */
function sentenceFromOperationId(operationId: string): string {
  const words = operationId.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Builds the OpenAPI document: the same function serves /docs, `npm run openapi` and the staleness test. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ModelWatch API')
    .setDescription(
      'Open model-performance tracking: metrics over time, training history, A/B tests, data drift, alerts and automatic retraining. ' +
        'Errors are RFC 9457 problem+json. Authenticate with `Authorization: Bearer <API key>` or `X-API-Key` when API_KEYS is configured.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addServer('/')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
    extraModels: [ProblemDetailsDto, FieldErrorDto],
  });
  for (const [path, item] of Object.entries(document.paths)) {
    const isHealth = path.startsWith('/health');
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.summary ??= sentenceFromOperationId(operation.operationId ?? path);
      for (const parameter of (operation.parameters ?? []) as { schema?: Record<string, unknown> }[]) {
        // The plugin adds the TypeScript type beside an explicit oneOf (timestamps: string | epoch-ms integer).
        if (parameter.schema?.oneOf) delete parameter.schema.type;
      }
      for (const [status, response] of Object.entries(operation.responses as Record<string, { description?: string }>)) {
        if (!response.description) response.description = REASONS[status] ?? 'Success';
      }
      if (isHealth) {
        operation.security = [];
        continue;
      }
      operation.security = [{ bearer: [] }, { apiKey: [] }];
      for (const status of COMMON_PROBLEMS) operation.responses[String(status)] ??= problemResponse(status);
      if (operation.requestBody) for (const status of BODY_PROBLEMS) operation.responses[String(status)] ??= problemResponse(status);
    }
  }
  admitNullBesideRefs(document.components);
  // Keys are opaque secrets, not JWTs (DocumentBuilder adds bearerFormat: 'JWT' by default).
  delete (document.components?.securitySchemes?.bearer as { bearerFormat?: string } | undefined)?.bearerFormat;
  return document;
}

export function setupSwagger(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'ModelWatch API',
  });
}
