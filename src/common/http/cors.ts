import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** CORS for CORS_ORIGINS only: a browser dashboard on another origin may call the API with its key. */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Allow'],
    maxAge: 600,
  };
}
