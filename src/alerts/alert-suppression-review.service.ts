import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AlertType } from 'src/alerts/alert.enums';
import { AlertNotifier } from 'src/alerts/alert-notifier.service';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';

/** The alert types the retrain inhibition holds back. */
export const INHIBITABLE_TYPES: readonly AlertType[] = [AlertType.DataDrift, AlertType.PerformanceDegradation];

/** Alerts reconsidered per review; the periodic review picks up the rest on its next tick. */
const REVIEW_BATCH = 500;

/**
 * Re-evaluates firing alerts whose notification was held back, and notifies those no longer silenced or inhibited
 * (a first firing, an escalation, or a repeat that is due): when a training run finishes, when a silence is expired,
 * and periodically (a silence or grace period that simply ran out).
 */
@Injectable()
export class AlertSuppressionReview {
  private readonly logger = new Logger('AlertSuppressionReview');

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly notifier: AlertNotifier,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Returns how many alerts were reconsidered. */
  async review(filter: { modelId?: string; types?: AlertType[]; silenceId?: string } = {}, transaction?: Transaction): Promise<number> {
    return this.transactions.join(transaction, async (work) => {
      const withheld = await this.alerts.findWithheldFiringForUpdate({ ...filter, limit: REVIEW_BATCH }, work);
      for (const alert of withheld) await this.notifier.afterRaise(alert, work);
      return withheld.length;
    });
  }

  @OnEvent('training.finished', { async: true, promisify: true })
  async onTrainingFinished(event: TrainingFinishedEvent): Promise<void> {
    try {
      await this.review({ modelId: event.modelId, types: [...INHIBITABLE_TYPES] });
    } catch (error) {
      this.logger.error({ err: error, runId: event.runId }, 'Reviewing inhibited alerts after a training run failed');
    }
  }
}
