import { Module } from '@nestjs/common';
import { AlertChannelsController } from 'src/alerts/alert-channels.controller';
import { AlertChannelsRepository } from 'src/alerts/alert-channels.repository';
import { AlertChannelsService } from 'src/alerts/alert-channels.service';
import { AlertJobs } from 'src/alerts/alert-jobs.service';
import { AlertLifecycle } from 'src/alerts/alert-lifecycle.service';
import { AlertNotifier } from 'src/alerts/alert-notifier.service';
import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { AlertRulePreviewService } from 'src/alerts/alert-rule-preview.service';
import { AlertRuleTargets } from 'src/alerts/alert-rule-targets.service';
import { AlertRulesController } from 'src/alerts/alert-rules.controller';
import { AlertRulesRepository } from 'src/alerts/alert-rules.repository';
import { AlertRulesService } from 'src/alerts/alert-rules.service';
import { AlertsController } from 'src/alerts/alerts.controller';
import { AlertmanagerReceiverService } from 'src/alerts/alertmanager-receiver.service';
import { IntegrationsController } from 'src/alerts/integrations.controller';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { AlertsService } from 'src/alerts/alerts.service';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { WebhookOutboxRepository } from 'src/alerts/webhook-outbox.repository';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { WebhookSender } from 'src/alerts/webhook-sender';
import { HostResolver, WebhookAddressGuard } from 'src/alerts/webhook-address-guard';
import { AlertSuppression } from 'src/alerts/alert-suppression.service';
import { AlertSuppressionReview } from 'src/alerts/alert-suppression-review.service';
import { SilencesController } from 'src/alerts/silences.controller';
import { SilencesRepository } from 'src/alerts/silences.repository';
import { SilencesService } from 'src/alerts/silences.service';
import { MetricsModule } from 'src/metrics/metrics.module';
import { ModelsModule } from 'src/models/models.module';

@Module({
  imports: [ModelsModule, MetricsModule],
  controllers: [AlertsController, AlertRulesController, AlertChannelsController, SilencesController, IntegrationsController],
  providers: [
    AlertsRepository,
    AlertRulesRepository,
    AlertChannelsRepository,
    WebhookOutboxRepository,
    AlertLifecycle,
    AlertNotifier,
    AlertsService,
    AlertRulesService,
    AlertChannelsService,
    WebhookOutboxService,
    WebhookSender,
    HostResolver,
    WebhookAddressGuard,
    WebhookDeliveryWorker,
    AlertRuleEvaluator,
    AlertRulePreviewService,
    AlertRuleTargets,
    AlertJobs,
    SilencesRepository,
    SilencesService,
    AlertSuppression,
    AlertSuppressionReview,
    AlertmanagerReceiverService,
  ],
  exports: [AlertsService, WebhookOutboxService, WebhookAddressGuard, AlertSuppression],
})
export class AlertsModule {}
