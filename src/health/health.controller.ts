import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from 'src/common/errors/problem';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from 'src/common/auth/auth.decorators';
import { MigrationStatus } from 'src/database/migration-status';
import { ProblemDetailsDto } from 'src/common/openapi/problem-details.dto';
import { HealthStatusDto } from 'src/health/health.dto';

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly migrations: MigrationStatus,
  ) {}

  /** Liveness: the process is up and serving HTTP. */
  @Get('live')
  @ApiOkResponse({ type: HealthStatusDto })
  getLiveness(): HealthStatusDto {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every migration is applied. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthStatusDto })
  @ApiServiceUnavailableResponse({
    description: 'Not ready (database unreachable or migrations pending).',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
  })
  getReadiness(): Promise<HealthStatusDto> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      async () => {
        const indicator = this.indicators.check('migrations');
        try {
          return (await this.migrations.hasPendingMigrations()) ? indicator.down({ message: 'pending migrations' }) : indicator.up();
        } catch {
          return indicator.down({ message: 'cannot read the migrations table' });
        }
      },
    ]) as Promise<HealthStatusDto>;
  }
}
