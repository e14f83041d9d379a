import { Injectable } from '@nestjs/common';
import { AlertEntity } from 'src/alerts/alert.entity';
import { AlertSeverity, AlertStatus, AlertType } from 'src/alerts/alert.enums';
import { alertFingerprint } from 'src/alerts/alert.policy';
import { AlertErrors } from 'src/alerts/alerts.errors';
import { AlertLifecycle } from 'src/alerts/alert-lifecycle.service';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import {
  ActiveAlertPageDto,
  AlertActionDto,
  AlertDetailDto,
  AlertDto,
  AlertPageDto,
  ListActiveAlertsQueryDto,
  ListAlertsQueryDto,
  mapActiveAlert,
  mapAlert,
  mapNotification,
} from 'src/alerts/dto/alert.dto';
import { WebhookOutboxRepository } from 'src/alerts/webhook-outbox.repository';
import { invalidField } from 'src/common/errors/domain-error';
import { decodeTimeCursor, timeCursorKey, toPage } from 'src/common/pagination/cursor';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { ModelsService } from 'src/models/models.service';

/** What other modules (and POST /alerts) raise. */
export interface RaiseAlertInput {
  modelId: string;
  type: AlertType;
  severity: AlertSeverity;
  title: string;
  message?: string;
  labels?: Record<string, string>;
  details?: Record<string, unknown>;
  value?: number | null;
  /** Who raises it (default `api`), e.g. `drift`. */
  source?: string;
  ruleId?: string | null;
}

export interface ResolveOpenFilter {
  modelId: string;
  type: AlertType;
  labels?: Record<string, string>;
}

@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly outbox: WebhookOutboxRepository,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Raises a firing alert, or folds it into the unresolved alert with the same fingerprint (occurrences + 1,
   * latest value, severity raised if higher). Safe under any concurrency without aborting the caller's
   * transaction; notifications are queued in the same transaction. MODEL_NOT_FOUND for an unknown model.
   */
  async raise(input: RaiseAlertInput, transaction?: Transaction): Promise<AlertDto> {
    return this.transactions.join(transaction, async (work) => {
      await this.models.getSummary(input.modelId, work);
      return mapAlert(await this.lifecycle.raise(input, AlertStatus.Firing, work));
    });
  }

  /** Resolves the unresolved alert with this model, type and labels (if any); returns how many were resolved (0 or 1). */
  async resolveOpen(filter: ResolveOpenFilter, by: string, note?: string, transaction?: Transaction): Promise<number> {
    const fingerprint = alertFingerprint(filter.modelId, filter.type, filter.labels ?? {});
    return this.transactions.join(transaction, async (work) =>
      (await this.lifecycle.resolve({ fingerprint }, by, note ?? null, work)) ? 1 : 0,
    );
  }

  async acknowledge(id: string, action: AlertActionDto): Promise<AlertDto> {
    return this.transactions.run(async (transaction) => {
      const alert = await this.lifecycle.acknowledge(id, action.by, action.note ?? null, transaction);
      return mapAlert(alert ?? (await this.refuse(id, 'acknowledged', transaction)));
    });
  }

  async resolve(id: string, action: AlertActionDto): Promise<AlertDto> {
    return this.transactions.run(async (transaction) => {
      const alert = await this.lifecycle.resolve({ id }, action.by, action.note ?? null, transaction);
      return mapAlert(alert ?? (await this.refuse(id, 'resolved', transaction)));
    });
  }

  async get(id: string): Promise<AlertDetailDto> {
    const alert = await this.getOrFail(id);
    const notifications = await this.outbox.findByAlert(id);
    return { ...mapAlert(alert), notifications: notifications.map(({ delivery, attempts }) => mapNotification(delivery, attempts)) };
  }

  async list(query: ListAlertsQueryDto): Promise<AlertPageDto> {
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from >= to) throw invalidField('to', 'must be after from');
    const rows = await this.alerts.list({
      ...query,
      from,
      to,
      statuses: query.status ? [query.status] : undefined,
      before: decodeTimeCursor(query.cursor, 'at'),
    });
    return toPage(rows, query.limit, mapAlert, cursorOf);
  }

  /** Firing and acknowledged alerts (plus pending ones on request), newest first, from v_unresolved_model_alerts. */
  async listActive(query: ListActiveAlertsQueryDto): Promise<ActiveAlertPageDto> {
    const statuses = [AlertStatus.Firing, AlertStatus.Acknowledged, ...(query.includePending ? [AlertStatus.Pending] : [])];
    const rows = await this.alerts.listUnresolved({ ...query, statuses, before: decodeTimeCursor(query.cursor, 'at') });
    return toPage(rows, query.limit, mapActiveAlert, (row) => cursorOf(row.alert));
  }

  /** The transition did not apply: 404 if the alert does not exist, else 409 naming its status. */
  private async refuse(id: string, target: string, transaction: Transaction): Promise<never> {
    const alert = await this.getOrFail(id, transaction);
    throw AlertErrors.ALERT_INVALID_TRANSITION(`Alert ${id} is ${alert.status} and cannot be ${target}.`, {
      alertId: id,
      status: alert.status,
    });
  }

  private async getOrFail(id: string, transaction?: Transaction): Promise<AlertEntity> {
    const alert = await this.alerts.findById(id, transaction);
    if (!alert) throw AlertErrors.ALERT_NOT_FOUND(`No alert with id ${id}.`, { alertId: id });
    return alert;
  }
}

function cursorOf(alert: AlertEntity) {
  return timeCursorKey('at', alert.firstSeenAt, alert.id);
}
