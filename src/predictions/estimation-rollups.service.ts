import { Injectable } from '@nestjs/common';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import type { CbpeReference } from 'src/predictions/cbpe.stats';
import {
  type CurrentFit,
  emptyEstimationStats,
  type EstimationBucketStats,
  estimationDeltas,
  type EstimationHour,
  hourRuns,
  hoursFromGroups,
  hoursIntoBuckets,
} from 'src/predictions/estimation-rollup.policy';
import { EstimationRollupsRepository } from 'src/predictions/estimation-rollups.repository';
import { EstimationReferenceService } from 'src/predictions/estimation-reference.service';
import { EstimationRepository } from 'src/predictions/estimation.repository';
import type { IsotonicFit } from 'src/predictions/isotonic.stats';
import { type PredictionSeriesFilter, PredictionsRepository } from 'src/predictions/predictions.repository';
import { histogramU, type LocatedMove, ROLLUP_BUCKET_MS, splitAtWholeHours } from 'src/predictions/realized-rollup.policy';

/** A fill computes at most this many hours per transaction (it holds the model's predictions lock exclusively). */
export const FILL_HOURS_PER_TRANSACTION = 24;
/** Calibrators kept in memory (a few hundred points each), dropped all at once beyond this. */
const MAX_CACHED_CALIBRATORS = 1000;

/** The hour starts of [from, to) (epoch ms, hour-aligned) that `stored` has no row for. */
function missingHours(from: number, to: number, stored: readonly { hour: number }[]): number[] {
  const have = new Set(stored.map((row) => row.hour));
  const missing: number[] = [];
  for (let hour = from; hour < to; hour += ROLLUP_BUCKET_MS) if (!have.has(hour)) missing.push(hour);
  return missing;
}

/** The binary fit a read estimates with. */
export interface ReadFit {
  fitId: string;
  reference: CbpeReference;
}

/**
 * Binary CBPE statistics per bucket from the hourly rollup (model_estimation_rollups) where it serves, and the rows'
 * upkeep: a read fills the hours it finds missing or stale from the raw predictions (under the model's predictions
 * lock, exclusive, so no prediction commits beside the computation), and every prediction batch adds itself to the
 * rows of its hours that exist under the current fit.
 */
@Injectable()
export class EstimationRollupsService {
  /** Calibrators by fit id (a fit never changes; a refit has a new id). */
  private readonly calibrators = new Map<string, IsotonicFit>();

  constructor(
    private readonly rollups: EstimationRollupsRepository,
    private readonly references: EstimationRepository,
    private readonly predictions: PredictionsRepository,
    private readonly referenceFits: EstimationReferenceService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * The statistics per bucket of `bucketMs` (hourlyRollupServes must hold): stored hours under the fit, missing hours filled,
   * the partial hours at the range's ends from the raw predictions. Inside a caller's transaction nothing is written:
   * the missing hours are computed there.
   */
  async bucketStats(
    filter: PredictionSeriesFilter,
    bucketMs: number,
    fit: ReadFit,
    transaction?: Transaction,
  ): Promise<EstimationBucketStats[]> {
    const current: CurrentFit = { fitId: fit.fitId, calibrator: fit.reference.calibrator };
    const { hours, ends } = splitAtWholeHours(filter);
    const series = { modelId: filter.modelId, environment: filter.environment };
    const histograms = bucketMs !== ROLLUP_BUCKET_MS;
    const stored = hours ? await this.rollups.readHours({ ...series, ...hours }, fit.fitId, histograms, transaction) : [];
    const missing = hours ? missingHours(hours.from.getTime(), hours.to.getTime(), stored) : [];
    const filled = transaction
      ? await this.computeHours(series, current, missing, transaction)
      : await this.fill(series, current, missing, histograms);
    const raw: EstimationHour[] = [];
    for (const end of ends)
      raw.push(...hoursFromGroups(series, current, await this.rollups.hourlyScoreGroups({ ...series, ...end }, transaction)));
    return hoursIntoBuckets([...stored, ...filled, ...raw], bucketMs);
  }

  /**
   * Stores the whole hours of [from, to) that have no row under the model's current binary fit, so that the first
   * read after a PUT does not compute them; how many hours it computed (0 without a binary fit). Each run of 24 hours
   * is its own transaction under the predictions lock, as a read's fill: ingest waits at most one run.
   */
  async prefill(series: { modelId: string; environment: string }, range: { from: Date; to: Date }): Promise<number> {
    const fitted = await this.referenceFits.findFitted(series.modelId);
    const { hours } = splitAtWholeHours(range);
    if (fitted?.kind !== 'binary' || !hours) return 0;
    const stored = await this.rollups.readHours({ ...series, ...hours }, fitted.fitId, false);
    const missing = missingHours(hours.from.getTime(), hours.to.getTime(), stored);
    await this.fill(series, { fitId: fitted.fitId, calibrator: fitted.reference.calibrator }, missing, false);
    return missing.length;
  }

  /** Computes the hours in transactions of at most FILL_HOURS_PER_TRANSACTION hours each and stores them. */
  private async fill(series: { modelId: string; environment: string }, fit: CurrentFit, hours: readonly number[], histograms: boolean) {
    const filled: EstimationHour[] = [];
    for (const run of hourRuns(hours, FILL_HOURS_PER_TRANSACTION)) {
      const rows = await this.transactions.run(async (transaction) => {
        await this.predictions.lockModelsForWrite([series.modelId], 'estimation-fill', transaction);
        const range = { ...series, from: new Date(run.from), to: new Date(run.to) };
        // Another read may have filled some of them meanwhile; the lock makes what it wrote complete.
        const already = await this.rollups.readHours(range, fit.fitId, histograms, transaction);
        const wanted = missingHours(run.from, run.to, already);
        if (wanted.length === 0) return already;
        const computed = await this.computeHours(series, fit, wanted, transaction);
        // A refit committed meanwhile: these rows would be stale at once, so they are returned, not stored.
        if ((await this.references.binaryFitIds([series.modelId], transaction)).get(series.modelId) === fit.fitId)
          await this.rollups.upsertHours(computed, transaction);
        return [...already, ...computed];
      });
      filled.push(...rows);
    }
    return filled;
  }

  /** The hours (sorted, contiguous runs read as ranges) from the raw predictions, every one present (an empty hour too), with U. */
  private async computeHours(
    series: { modelId: string; environment: string },
    fit: CurrentFit,
    hours: readonly number[],
    transaction: Transaction | undefined,
  ): Promise<EstimationHour[]> {
    const wanted = new Set(hours);
    const byHour = new Map<number, EstimationHour>();
    for (const run of hourRuns(hours, Number.MAX_SAFE_INTEGER)) {
      const groups = await this.rollups.hourlyScoreGroups({ ...series, from: new Date(run.from), to: new Date(run.to) }, transaction);
      for (const hour of hoursFromGroups(series, fit, groups)) if (wanted.has(hour.hour)) byHour.set(hour.hour, hour);
    }
    return hours.map((hour) => {
      const entry = byHour.get(hour) ?? { ...series, hour, fitId: fit.fitId, stats: emptyEstimationStats() };
      entry.stats.auc = histogramU(entry.stats.histogram);
      return entry;
    });
  }

  /** The current binary fit of each model that has one, for a write transaction (read after the predictions lock). */
  async currentFits(modelIds: readonly string[], transaction: Transaction): Promise<Map<string, CurrentFit>> {
    const fits = new Map<string, CurrentFit>();
    if (modelIds.length === 0) return fits;
    for (const [modelId, fitId] of await this.references.binaryFitIds(modelIds, transaction)) {
      let calibrator = this.calibrators.get(fitId);
      if (!calibrator) {
        const fitted = await this.referenceFits.findFitted(modelId, transaction);
        if (fitted?.kind !== 'binary' || fitted.fitId !== fitId) continue;
        calibrator = fitted.reference.calibrator;
        if (this.calibrators.size >= MAX_CACHED_CALIBRATORS) this.calibrators.clear();
        this.calibrators.set(fitId, calibrator);
      }
      fits.set(modelId, { fitId, calibrator });
    }
    return fits;
  }

  /** Adds a prediction batch's new binary predictions to the existing rows of their hours under each model's fit. */
  applyNewPredictions(moves: readonly LocatedMove[], fits: ReadonlyMap<string, CurrentFit>, transaction: Transaction): Promise<void> {
    return this.rollups.applyDeltas(estimationDeltas(moves, fits), transaction);
  }
}
