import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

/** The model every try-it-out example refers to: PUT /models/by-name/churn-classifier creates it (idempotently). */
export const EXAMPLE_MODEL_NAME = 'churn-classifier';

/**
 * A request body example that succeeds when executed unchanged in Swagger UI (which otherwise fills every optional
 * field, placeholder UUIDs included). It names the model by `modelName`, so it works once the example model exists.
 */
export function ApiExampleBody(type: Type<unknown>, value: Record<string, unknown>): MethodDecorator {
  return applyDecorators(
    ApiBody({
      type,
      examples: {
        tryIt: {
          summary: 'Works as is',
          description: `Refers to the model "${EXAMPLE_MODEL_NAME}": create it first with PUT /api/v1/models/by-name/${EXAMPLE_MODEL_NAME}.`,
          value,
        },
      },
    }),
  );
}
