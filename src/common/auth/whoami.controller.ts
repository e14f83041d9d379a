import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { findApiKey, presentedSecret } from 'src/common/auth/api-key.policy';
import { AuthMode, WhoAmIDto } from 'src/common/auth/whoami.dto';
import { authConfig, type AuthConfig } from 'src/config/configuration';

@ApiTags('auth')
@Controller('auth')
export class WhoAmIController {
  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  /** Who the caller is: the API key's name and scope, or protected mode (no keys configured). Needs read scope. */
  @Get('whoami')
  @ApiOkResponse({ type: WhoAmIDto })
  whoami(@Req() request: Request): WhoAmIDto {
    if (this.config.apiKeys.length === 0) return { mode: AuthMode.PROTECTED, keyName: null, scope: 'admin' };
    // The guard has already accepted the key; look it up again for its scope.
    const secret = presentedSecret(request.header('authorization'), request.header('x-api-key'));
    const key = secret ? findApiKey(this.config.apiKeys, secret) : null;
    return { mode: AuthMode.API_KEY, keyName: key?.name ?? null, scope: key?.scope ?? 'read' };
  }
}
