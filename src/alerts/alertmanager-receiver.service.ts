import { Injectable } from '@nestjs/common';
import { AlertSeverity, AlertStatus, AlertType } from 'src/alerts/alert.enums';
import { AlertLifecycle } from 'src/alerts/alert-lifecycle.service';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import {
  AlertmanagerAlertAction,
  AlertmanagerAlertOutcomeDto,
  AlertmanagerWebhookDto,
  AlertmanagerWebhookResultDto,
} from 'src/alerts/dto/alertmanager-webhook.dto';
import { Clock } from 'src/common/clock';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { ALERTMANAGER_ACTOR, readAlertmanagerAlert, type IncomingAlert } from 'src/integrations/alertmanager/alertmanager-alert';
import { truncateText } from 'src/integrations/alert-notice';
import { ModelsService } from 'src/models/models.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TITLE = 500;
const MAX_MESSAGE = 5000;

/**
 * POST /integrations/alertmanager: Alertmanager's webhook, recorded as ModelWatch alerts keyed by Alertmanager's
 * fingerprint, in one transaction per call (Alertmanager retries a failed call whole). An alert ModelWatch pushed
 * itself (label modelwatch_alert_id) only has what Alertmanager did with it recorded in its details: ModelWatch
 * stays the one that decides when its own alerts fire and resolve.
 */
@Injectable()
export class AlertmanagerReceiverService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async receive(payload: AlertmanagerWebhookDto): Promise<AlertmanagerWebhookResultDto> {
    const incoming = payload.alerts.map((alert) => readAlertmanagerAlert({ ...alert, annotations: stringsOnly(alert.annotations) }));
    const modelIds = await this.resolveModels(incoming.map((alert) => alert.modelReference));
    const seen = { receiver: payload.receiver ?? null, groupKey: payload.groupKey };
    return this.transactions.run(async (transaction) => {
      const outcomes: AlertmanagerAlertOutcomeDto[] = [];
      for (const alert of incoming) {
        const alertmanager = {
          ...seen,
          fingerprint: alert.fingerprint.replace(/^alertmanager:/, ''),
          status: alert.firing ? 'firing' : 'resolved',
        };
        const details = { alertmanager: { ...alertmanager, receivedAt: this.clock.now().toISOString() } };
        outcomes.push({
          fingerprint: alertmanager.fingerprint,
          ...(await this.record(alert, modelIds.get(alert.modelReference ?? '') ?? null, details, transaction)),
        });
      }
      return { alerts: outcomes };
    });
  }

  private async record(
    alert: IncomingAlert,
    modelId: string | null,
    details: Record<string, unknown>,
    transaction: Transaction,
  ): Promise<Pick<AlertmanagerAlertOutcomeDto, 'alertId' | 'action'>> {
    if (alert.modelwatchAlertId) {
      const own = await this.alerts.mergeDetails(alert.modelwatchAlertId, details, this.clock.now(), transaction);
      if (own) return { alertId: own.id, action: AlertmanagerAlertAction.Updated };
    }
    if (!alert.firing) {
      const resolved = await this.lifecycle.resolve(
        { fingerprint: alert.fingerprint },
        ALERTMANAGER_ACTOR,
        'resolved in Alertmanager',
        transaction,
      );
      return resolved
        ? { alertId: resolved.id, action: AlertmanagerAlertAction.Resolved }
        : { alertId: null, action: AlertmanagerAlertAction.Ignored };
    }
    const raised = await this.lifecycle.raise(
      {
        modelId,
        type: AlertType.Custom,
        severity: alert.severity as AlertSeverity,
        title: truncateText(alert.title, MAX_TITLE),
        message: alert.message === null ? null : truncateText(alert.message, MAX_MESSAGE),
        labels: alert.labels,
        details,
        source: ALERTMANAGER_ACTOR,
        fingerprint: alert.fingerprint,
      },
      AlertStatus.Firing,
      transaction,
    );
    return { alertId: raised.id, action: raised.occurrences > 1 ? AlertmanagerAlertAction.Updated : AlertmanagerAlertAction.Raised };
  }

  /** `model` label → model id: a model id that exists, else a model of that name; unknown references map to nothing. */
  private async resolveModels(references: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(references.filter((reference): reference is string => reference !== null))];
    const ids = wanted.filter((reference) => UUID.test(reference)).map((id) => id.toLowerCase());
    const missing = new Set(await this.models.findMissing(ids));
    const byName = await this.models.findIdsByNames(wanted);
    const resolved = new Map<string, string>(byName);
    for (const reference of wanted) {
      if (UUID.test(reference) && !missing.has(reference.toLowerCase())) resolved.set(reference, reference.toLowerCase());
    }
    return resolved;
  }
}

function stringsOnly(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
