import type { AlertType } from 'src/alerts/alert.enums';
import type { InhibitionReason } from 'src/alerts/silence.enums';
import type { Transaction } from 'src/database/transaction';

/** An inhibition as stored on the alert (jsonb) and returned by the API. */
export interface StoredInhibition {
  reason: InhibitionReason;
  trainingRunId: string | null;
  /** ISO time the inhibition ends on its own (reference grace), else null. */
  until: string | null;
}

/**
 * A source of built-in inhibitions, registered by the module that knows the reason (the drift/retrain coordinator
 * registers the retrain one), so the alerts module depends on nothing new.
 */
export interface AlertInhibitor {
  inhibitionsOf(alert: { modelId: string; type: AlertType }, now: Date, transaction: Transaction): Promise<StoredInhibition[]>;
}
