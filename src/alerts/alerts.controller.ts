import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertsService } from 'src/alerts/alerts.service';
import {
  ActiveAlertPageDto,
  AlertActionDto,
  AlertDetailDto,
  AlertDto,
  AlertPageDto,
  ListActiveAlertsQueryDto,
  ListAlertsQueryDto,
  RaiseAlertDto,
} from 'src/alerts/dto/alert.dto';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { AcceptsModelName } from 'src/models/model-name.interceptor';
import { ApiExampleBody, EXAMPLE_MODEL_NAME } from 'src/common/openapi/api-example-body';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** Raise an alert; one matching an unresolved alert's fingerprint (model, type, labels) updates it instead of opening another. */
  @Post()
  @AcceptsModelName()
  @ApiExampleBody(RaiseAlertDto, { modelName: EXAMPLE_MODEL_NAME, type: 'custom', severity: 'info', title: 'Raised from Swagger UI' })
  @ApiCreatedResponse({ type: AlertDto })
  @ApiProblems(400, 404, 413)
  raiseAlert(@Body() body: RaiseAlertDto): Promise<AlertDto> {
    return this.alerts.raise(body);
  }

  /** Unresolved alerts (firing and acknowledged; pending too with `includePending=true`), newest first. */
  @Get('active')
  @ApiOkResponse({ type: ActiveAlertPageDto })
  @ApiProblems(400)
  listActiveAlerts(@Query() query: ListActiveAlertsQueryDto): Promise<ActiveAlertPageDto> {
    return this.alerts.listActive(query);
  }

  /** All alerts, newest first, filtered by status, model, type, severity and first-seen time. */
  @Get()
  @ApiOkResponse({ type: AlertPageDto })
  @ApiProblems(400)
  listAlerts(@Query() query: ListAlertsQueryDto): Promise<AlertPageDto> {
    return this.alerts.list(query);
  }

  /** An alert with its notifications and their delivery attempts. */
  @Get(':alertId')
  @ApiOkResponse({ type: AlertDetailDto })
  @ApiProblems(400, 404)
  getAlert(@UuidParam('alertId') alertId: string): Promise<AlertDetailDto> {
    return this.alerts.get(alertId);
  }

  /** Pending or firing → acknowledged (409 otherwise). */
  @Post(':alertId/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertDto })
  @ApiProblems(400, 404, 409)
  acknowledgeAlert(@UuidParam('alertId') alertId: string, @Body() body: AlertActionDto): Promise<AlertDto> {
    return this.alerts.acknowledge(alertId, body);
  }

  /** Any unresolved alert → resolved (409 if already resolved); channels with sendResolved are notified. */
  @Post(':alertId/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertDto })
  @ApiProblems(400, 404, 409)
  resolveAlert(@UuidParam('alertId') alertId: string, @Body() body: AlertActionDto): Promise<AlertDto> {
    return this.alerts.resolve(alertId, body);
  }
}
