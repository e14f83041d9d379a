import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { findApiKey, presentedSecret } from 'src/common/auth/api-key.policy';
import { CommonErrors } from 'src/common/errors/domain-error';
import { authConfig, observabilityConfig, type AuthConfig, type ObservabilityConfig } from 'src/config/configuration';
import type { ApiKey } from 'src/config/env.validation';

/**
 * GET /metrics: any API key (every scope includes read) or METRICS_TOKEN, sent like a key. Open only when neither
 * API_KEYS nor METRICS_TOKEN is set (protected mode, loopback only).
 */
@Injectable()
export class MetricsAuthGuard implements CanActivate {
  private readonly accepted: ApiKey[];

  constructor(@Inject(authConfig.KEY) auth: AuthConfig, @Inject(observabilityConfig.KEY) observability: ObservabilityConfig) {
    this.accepted = [
      ...auth.apiKeys,
      ...(observability.metricsToken ? [{ name: 'METRICS_TOKEN', scope: 'read' as const, secret: observability.metricsToken }] : []),
    ];
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.accepted.length === 0) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const secret = presentedSecret(request.header('authorization'), request.header('x-api-key'));
    if (!secret) {
      throw CommonErrors.UNAUTHORIZED('Send a read API key or METRICS_TOKEN as "Authorization: Bearer <token>" or "X-API-Key: <token>".');
    }
    if (!findApiKey(this.accepted, secret)) throw CommonErrors.UNAUTHORIZED('The API key or metrics token is not valid.');
    return true;
  }
}
