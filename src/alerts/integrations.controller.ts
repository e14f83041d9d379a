import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertmanagerReceiverService } from 'src/alerts/alertmanager-receiver.service';
import { AlertmanagerWebhookDto, AlertmanagerWebhookResultDto } from 'src/alerts/dto/alertmanager-webhook.dto';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';

/** Receivers for outside systems' webhooks (docs/integrations.md). */
@ApiTags('integrations')
@RequireScope('write')
@Controller('integrations')
export class IntegrationsController {
  constructor(private readonly alertmanager: AlertmanagerReceiverService) {}

  /**
   * Alertmanager's webhook receiver (payload version 4): firing alerts are raised or updated, resolved ones resolved
   * by `alertmanager`, keyed by Alertmanager's fingerprint; a `model` label links a model (by name or id), otherwise
   * `modelId` is null. Alerts ModelWatch pushed itself (label `modelwatch_alert_id`) update that alert.
   */
  @Post('alertmanager')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertmanagerWebhookResultDto })
  @ApiProblems(400, 413)
  recordAlertmanagerAlerts(@Body() body: AlertmanagerWebhookDto): Promise<AlertmanagerWebhookResultDto> {
    return this.alertmanager.receive(body);
  }
}
