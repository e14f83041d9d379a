import { Injectable } from '@nestjs/common';
import { AlertChannelsRepository } from 'src/alerts/alert-channels.repository';
import { AlertEntity } from 'src/alerts/alert.entity';
import { AlertEvent, ChannelKind } from 'src/alerts/alert.enums';
import { ALERTMANAGER_ACTOR } from 'src/integrations/alertmanager/alertmanager-alert';
import { firingNotice, firingRecipients } from 'src/alerts/alert.policy';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { mapAlert } from 'src/alerts/dto/alert.dto';
import { WebhookOutboxRepository } from 'src/alerts/webhook-outbox.repository';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertSuppression } from 'src/alerts/alert-suppression.service';
import { Clock } from 'src/common/clock';
import type { Transaction } from 'src/database/transaction';
import { ModelsService } from 'src/models/models.service';

/** Webhook body version; bump on an incompatible change of the payload shape. */
export const PAYLOAD_VERSION = '1';

/**
 * Turns alert changes into outbox rows, one per matching channel, in the transaction of the change itself
 * (so a notification exists exactly when the change committed). Runs while the alert row is locked by that
 * transaction, which is what keeps "first firing" and "escalated" from being announced twice.
 */
@Injectable()
export class AlertNotifier {
  constructor(
    private readonly channels: AlertChannelsRepository,
    private readonly alerts: AlertsRepository,
    private readonly outboxRows: WebhookOutboxRepository,
    private readonly outbox: WebhookOutboxService,
    private readonly models: ModelsService,
    private readonly clock: Clock,
    private readonly suppression: AlertSuppression,
  ) {}

  /** After a raise: the first firing, a severity increase, or a repeat (throttled per channel by its repeat interval). */
  async afterRaise(alert: AlertEntity, transaction: Transaction): Promise<void> {
    const notice = firingNotice(alert);
    if (notice === null) return;
    // Silenced or inhibited: recorded (silencedBy / inhibitedBy) but not announced; a review announces it later.
    if (await this.suppression.withholds(alert, transaction)) return;
    let channels = await this.channels.findMatching(
      { modelId: alert.modelId, severity: alert.severity, resolvedOnly: false, excludeKinds: loopKinds(alert) },
      transaction,
    );
    if (notice === 'repeat') {
      const lastNoticeAt = await this.outboxRows.lastFiringNoticeByChannel(alert.id, transaction);
      channels = firingRecipients(notice, channels, lastNoticeAt, this.clock.now());
    } else {
      await this.alerts.setNotifiedSeverity(alert.id, alert.severity, transaction);
    }
    await this.enqueue(alert, notice === 'escalated' ? AlertEvent.Escalated : AlertEvent.Firing, channels, transaction);
  }

  /**
   * After a resolve: channels with sendResolved hear about alerts whose firing was announced (a pending one never made
   * noise), unless a silence or inhibition holds now (as Alertmanager drops a silenced resolved notification).
   */
  async afterResolve(alert: AlertEntity, transaction: Transaction): Promise<void> {
    // notifiedSeverity is null when its firing was never announced (silenced or inhibited throughout).
    if (alert.firedAt === null || alert.notifiedSeverity === null) return;
    if (await this.suppression.withholds(alert, transaction)) return;
    const channels = await this.channels.findMatching(
      { modelId: alert.modelId, severity: alert.severity, resolvedOnly: true, excludeKinds: loopKinds(alert) },
      transaction,
    );
    await this.enqueue(alert, AlertEvent.Resolved, channels, transaction);
  }

  /** After an acknowledgement: PagerDuty channels acknowledge the incident they were sent (the other kinds have no such state). */
  async afterAcknowledge(alert: AlertEntity, transaction: Transaction): Promise<void> {
    if (alert.firedAt === null) return;
    const channels = await this.channels.findMatching(
      { modelId: alert.modelId, severity: alert.severity, resolvedOnly: false, kinds: [ChannelKind.PagerDuty] },
      transaction,
    );
    await this.enqueue(alert, AlertEvent.Acknowledged, channels, transaction);
  }

  /** Re-sends open alerts to Alertmanager channels that have not heard of them for ALERTMANAGER_RESEND_MINUTES; returns how many. */
  async resendToAlertmanager(staleBefore: Date, limit: number, transaction: Transaction): Promise<number> {
    const stale = await this.channels.findStaleAlertmanagerPushes(staleBefore, limit, transaction);
    for (const { channelId, alertId } of stale) {
      const [alert, channel] = await Promise.all([
        this.alerts.findById(alertId, transaction),
        this.channels.findById(channelId, transaction),
      ]);
      if (alert && channel) await this.enqueue(alert, AlertEvent.Firing, [channel], transaction);
    }
    return stale.length;
  }

  private async enqueue(alert: AlertEntity, event: AlertEvent, channels: AlertChannelEntity[], transaction: Transaction): Promise<void> {
    if (channels.length === 0) return;
    const model = alert.modelId === null ? null : await this.models.getSummary(alert.modelId, transaction);
    const payload = { version: PAYLOAD_VERSION, event, alert: mapAlert(alert), model: model && { id: model.id, name: model.name } };
    await this.outbox.enqueueMany(
      channels.map((channel) => ({
        url: channel.url,
        secret: null,
        event,
        payload,
        modelId: alert.modelId ?? undefined,
        channelId: channel.id,
        alertId: alert.id,
      })),
      transaction,
    );
  }
}

/** An alert that came from Alertmanager is not pushed back to it (it would return as a second alert). */
function loopKinds(alert: AlertEntity): ChannelKind[] {
  return alert.source === ALERTMANAGER_ACTOR ? [ChannelKind.Alertmanager] : [];
}
