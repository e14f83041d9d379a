import { Injectable } from '@nestjs/common';
import { AlertEntity } from 'src/alerts/alert.entity';
import { AlertSeverity, AlertStatus, AlertType } from 'src/alerts/alert.enums';
import { ACKNOWLEDGEABLE_STATUSES, alertFingerprint, RESOLVABLE_STATUSES } from 'src/alerts/alert.policy';
import { AlertNotifier } from 'src/alerts/alert-notifier.service';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { Clock } from 'src/common/clock';
import type { Transaction } from 'src/database/transaction';

/** Who resolves alerts automatically (a rule whose condition cleared). */
export const SYSTEM_ACTOR = 'modelwatch';

export interface AlertRaise {
  /** Null: an alert of no model (from Alertmanager). */
  modelId: string | null;
  type: AlertType;
  severity: AlertSeverity;
  title: string;
  message?: string | null;
  labels?: Record<string, string>;
  details?: Record<string, unknown>;
  value?: number | null;
  source?: string;
  ruleId?: string | null;
  /** The dedup key when it comes from outside (Alertmanager's fingerprint); default alertFingerprint(model, type, labels). */
  fingerprint?: string;
}

export type AlertSelector = { id: string } | { fingerprint: string };

/**
 * Every change of an alert's state, each followed by its notifications in the same transaction.
 * Module-internal: AlertsService (the public API) and the rule evaluator both go through it.
 */
@Injectable()
export class AlertLifecycle {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly notifier: AlertNotifier,
    private readonly clock: Clock,
  ) {}

  async raise(input: AlertRaise, status: AlertStatus.Pending | AlertStatus.Firing, transaction: Transaction): Promise<AlertEntity> {
    const labels = input.labels ?? {};
    const alert = await this.alerts.upsert(
      {
        modelId: input.modelId,
        type: input.type,
        severity: input.severity,
        status,
        title: input.title,
        message: input.message ?? null,
        labels,
        details: input.details ?? {},
        fingerprint: input.fingerprint ?? alertFingerprint(input.modelId ?? '', input.type, labels),
        value: input.value ?? null,
        source: input.source ?? 'api',
        ruleId: input.ruleId ?? null,
        now: this.clock.now(),
      },
      transaction,
    );
    await this.notifier.afterRaise(alert, transaction);
    return alert;
  }

  /** Null when there is no such alert in an acknowledgeable state. */
  async acknowledge(id: string, by: string, note: string | null, transaction: Transaction): Promise<AlertEntity | null> {
    const alert = await this.alerts.transition(
      { id },
      ACKNOWLEDGEABLE_STATUSES,
      { to: AlertStatus.Acknowledged, by, note, now: this.clock.now() },
      transaction,
    );
    if (alert) await this.notifier.afterAcknowledge(alert, transaction);
    return alert;
  }

  /** Null when there is no such unresolved alert. */
  async resolve(selector: AlertSelector, by: string, note: string | null, transaction: Transaction): Promise<AlertEntity | null> {
    const alert = await this.alerts.transition(
      selector,
      RESOLVABLE_STATUSES,
      { to: AlertStatus.Resolved, by, note, now: this.clock.now() },
      transaction,
    );
    if (alert) await this.notifier.afterResolve(alert, transaction);
    return alert;
  }

  /** Resolves whatever a rule still has open (the rule was disabled, redefined or deleted); returns how many. */
  async resolveRuleAlerts(ruleId: string, note: string, transaction: Transaction): Promise<number> {
    const open = await this.alerts.findOpenByRuleForUpdate(ruleId, transaction);
    for (const alert of open) await this.resolve({ id: alert.id }, SYSTEM_ACTOR, note, transaction);
    return open.length;
  }

  /** The condition of a firing rule alert cleared: it keeps firing until `since` + keepFiringForMinutes. */
  startClearing(alert: AlertEntity, since: Date, transaction: Transaction): Promise<void> {
    return this.alerts.setClearedSince(alert.id, since, transaction);
  }
}
