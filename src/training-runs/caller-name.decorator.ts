import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The name of the API key that authenticated the request (undefined when the service runs without keys). */
export const CallerName = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<{ apiKeyName?: string }>().apiKeyName,
);
