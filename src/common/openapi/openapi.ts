import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldErrorDto, ProblemDetailsDto } from 'src/common/openapi/problem-details.dto';
import { problemResponse } from 'src/common/openapi/api-problems.decorator';

const COMMON_PROBLEMS = [401, 403, 429, 500, 503];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Builds the OpenAPI document: the same function serves /docs, `npm run openapi` and the staleness test. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ModelWatch API')
    .setDescription(
      'Open model-performance tracking: metrics over time, training history, A/B tests, data drift, alerts and automatic retraining. ' +
        'Errors are RFC 9457 problem+json. Authenticate with `Authorization: Bearer <API key>` or `X-API-Key` when API_KEYS is configured.',
    )
    .setVersion('1')
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
      if (isHealth) {
        operation.security = [];
        continue;
      }
      operation.security = [{ bearer: [] }, { apiKey: [] }];
      for (const status of COMMON_PROBLEMS) operation.responses[String(status)] ??= problemResponse(status);
    }
  }
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
