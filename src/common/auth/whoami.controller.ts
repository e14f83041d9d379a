import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { findApiKey, presentedSecret } from 'src/common/auth/api-key.policy';
import { Public } from 'src/common/auth/auth.decorators';
import { AuthMode, WhoAmIDto } from 'src/common/auth/whoami.dto';
import { CommonErrors } from 'src/common/errors/domain-error';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { authConfig, type AuthConfig } from 'src/config/configuration';

@ApiTags('auth')
@Controller('auth')
export class WhoAmIController {
  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  /**
   * Who the caller is: the API key's name and scope, or protected mode (no keys configured). Open, so a client can
   * ask whether it needs to sign in: without a key the answer has keyName and scope null; a wrong key is a 401.
   */
  @Get('whoami')
  @Public()
  @ApiOkResponse({ type: WhoAmIDto })
  @ApiProblems(401)
  getWhoAmI(@Req() request: Request): WhoAmIDto {
    if (this.config.apiKeys.length === 0) return { mode: AuthMode.PROTECTED, keyName: null, scope: 'admin' };
    const secret = presentedSecret(request.header('authorization'), request.header('x-api-key'));
    if (!secret) return { mode: AuthMode.API_KEY, keyName: null, scope: null };
    const key = findApiKey(this.config.apiKeys, secret);
    if (!key) throw CommonErrors.UNAUTHORIZED('The API key is not valid.');
    return { mode: AuthMode.API_KEY, keyName: key.name, scope: key.scope };
  }
}
