import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from 'src/config/env.validation';

export const REQUIRED_SCOPE = 'modelwatch:required-scope';
export const PUBLIC_ROUTE = 'modelwatch:public-route';

/** Overrides the default scope (GET → read, anything else → write). */
export const RequireScope = (scope: ApiKeyScope) => SetMetadata(REQUIRED_SCOPE, scope);

/** No API key needed (health probes). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
