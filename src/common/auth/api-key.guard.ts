import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { defaultScopeFor, findApiKey, presentedSecret, scopeSatisfies } from 'src/common/auth/api-key.policy';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from 'src/common/auth/auth.decorators';
import { CommonErrors } from 'src/common/errors/domain-error';
import { authConfig, type AuthConfig } from 'src/config/configuration';
import type { ApiKeyScope } from 'src/config/env.validation';

/** API keys with read/write/admin scopes; with no keys configured the service is open (and loopback-only, see main.ts). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.apiKeys.length === 0) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { apiKeyName?: string }>();
    const secret = presentedSecret(request.header('authorization'), request.header('x-api-key'));
    if (!secret) throw CommonErrors.UNAUTHORIZED('Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
    const key = findApiKey(this.config.apiKeys, secret);
    if (!key) throw CommonErrors.UNAUTHORIZED('The API key is not valid.');
    const required = this.reflector.getAllAndOverride<ApiKeyScope>(REQUIRED_SCOPE, targets) ?? defaultScopeFor(request.method);
    if (!scopeSatisfies(key.scope, required)) {
      throw CommonErrors.FORBIDDEN(`This operation needs the "${required}" scope; key "${key.name}" has "${key.scope}".`, {
        requiredScope: required,
      });
    }
    request.apiKeyName = key.name;
    return true;
  }
}
