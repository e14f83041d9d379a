import { Injectable } from '@nestjs/common';
import type { AlertEntity } from 'src/alerts/alert.entity';
import type { AlertInhibitor, StoredInhibition } from 'src/alerts/alert-suppression.types';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { SilenceState } from 'src/alerts/silence.enums';
import { matchingSilences, silenceableLabels } from 'src/alerts/silence-matcher.policy';
import { silenceWindowAt } from 'src/alerts/silence-schedule.policy';
import { SilencesRepository } from 'src/alerts/silences.repository';
import { Clock } from 'src/common/clock';
import type { Transaction } from 'src/database/transaction';
import { ModelsService } from 'src/models/models.service';

/**
 * Whether an alert may notify right now: not while an active silence matches it or a built-in inhibition holds.
 * Evaluated at notify time (each raise that would notify, each resolve, each review) and stored on the alert as
 * silencedBy / inhibitedBy, so the API shows why its latest notification was held back.
 */
@Injectable()
export class AlertSuppression {
  private readonly inhibitors: AlertInhibitor[] = [];

  constructor(
    private readonly silences: SilencesRepository,
    private readonly alerts: AlertsRepository,
    private readonly models: ModelsService,
    private readonly clock: Clock,
  ) {}

  /** Called once per source at module init (the retrain coordinator registers its inhibition). */
  registerInhibitor(inhibitor: AlertInhibitor): void {
    this.inhibitors.push(inhibitor);
  }

  /** Evaluates and stores silencedBy / inhibitedBy on the (locked) alert; true when it must not notify now. */
  async withholds(alert: AlertEntity, transaction: Transaction): Promise<boolean> {
    const now = this.clock.now();
    const modelName = alert.modelId === null ? '' : (await this.models.getSummary(alert.modelId, transaction)).name;
    const active = (await this.silences.findInRange(now, transaction)).filter(
      (silence) => silenceWindowAt(silence, now).state === SilenceState.Active,
    );
    const silencedBy = matchingSilences(active, silenceableLabels(alert, modelName));
    const inhibitedBy: StoredInhibition[] = [];
    // built-in inhibitions are per model (a retrain, a new reference): an alert of no model has none
    const modelId = alert.modelId;
    if (modelId !== null) {
      for (const inhibitor of this.inhibitors)
        inhibitedBy.push(...(await inhibitor.inhibitionsOf({ ...alert, modelId }, now, transaction)));
    }
    if (JSON.stringify([alert.silencedBy ?? [], alert.inhibitedBy ?? []]) !== JSON.stringify([silencedBy, inhibitedBy])) {
      await this.alerts.setSuppression(alert.id, silencedBy, inhibitedBy, transaction);
    }
    alert.silencedBy = silencedBy;
    alert.inhibitedBy = inhibitedBy;
    return silencedBy.length > 0 || inhibitedBy.length > 0;
  }
}
