import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { AlertEntity } from 'src/alerts/alert.entity';
import { AlertType } from 'src/alerts/alert.enums';
import { AlertNotifier } from 'src/alerts/alert-notifier.service';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';

/** The alert types the retrain inhibition holds back. */
export const INHIBITABLE_TYPES: readonly AlertType[] = [AlertType.DataDrift, AlertType.PerformanceDegradation];

/** Alerts reconsidered per review; the periodic review picks up the rest on its next tick. */
export const REVIEW_BATCH = 500;

/**
 * Re-evaluates firing alerts whose notification was held back, and notifies those no longer silenced or inhibited
 * (a first firing, an escalation, or a repeat that is due): when a training run finishes, when a silence is expired,
 * and periodically (a silence or grace period that simply ran out).
 */
@Injectable()
export class AlertSuppressionReview {
  private readonly logger = new Logger('AlertSuppressionReview');
  /** The periodic review walks the held-back alerts by id, REVIEW_BATCH a tick, wrapping around, so none is starved. */
  private periodicAfterId: string | undefined;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly notifier: AlertNotifier,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Returns how many alerts were reconsidered. */
  async review(filter: { modelId?: string; types?: AlertType[]; silenceId?: string } = {}, transaction?: Transaction): Promise<number> {
    return this.transactions.join(transaction, async (work) => (await this.reconsider(filter, work)).length);
  }

  /** One tick of the periodic review: the next batch after the previous tick's last alert (from the start after the end). */
  async reviewNextBatch(): Promise<number> {
    return this.transactions.run(async (transaction) => {
      const withheld = await this.reconsider({ afterId: this.periodicAfterId }, transaction);
      this.periodicAfterId = withheld.length === REVIEW_BATCH ? withheld[withheld.length - 1].id : undefined;
      return withheld.length;
    });
  }

  private async reconsider(
    filter: { modelId?: string; types?: AlertType[]; silenceId?: string; afterId?: string },
    transaction: Transaction,
  ): Promise<AlertEntity[]> {
    const withheld = await this.alerts.findWithheldFiringForUpdate({ ...filter, limit: REVIEW_BATCH }, transaction);
    for (const alert of withheld) await this.notifier.afterRaise(alert, transaction);
    return withheld;
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
