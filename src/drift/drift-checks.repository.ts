import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedRows } from 'src/database/monthly-partitions';
import { managerOf, Transaction } from 'src/database/transaction';
import { DriftCheckEntity } from 'src/drift/drift-check.entity';
import { DriftFeatureResultEntity } from 'src/drift/drift-feature-result.entity';
import type { HeatmapAggregate } from 'src/drift/drift-heatmap.policy';
import type { StoredCheck } from 'src/drift/drift-threshold-replay.policy';

export type NewDriftCheck = Omit<DriftCheckEntity, 'id' | 'model'>;
export type NewFeatureResult = Omit<DriftFeatureResultEntity, 'checkId' | 'check' | 'model' | 'modelId' | 'checkedAt'>;
/** What a check did about its result: the data_drift alert and retraining (null columns: nothing). */
export type CheckOutcomeColumns = Pick<
  DriftCheckEntity,
  'alertId' | 'retrainTriggered' | 'retrainReason' | 'retrainDetail' | 'trainingRunId'
>;
export const NO_OUTCOME: CheckOutcomeColumns = {
  alertId: null,
  retrainTriggered: null,
  retrainReason: null,
  retrainDetail: null,
  trainingRunId: null,
};

export interface DriftCheckFilter {
  modelId: string;
  from?: Date;
  to?: Date;
  /** Keyset: checks strictly older than this (checkedAt, id) pair. */
  before?: { checkedAt: Date; id: string };
  limit: number;
}

@Injectable()
export class DriftChecksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Retention (RETENTION_DRIFT_DAYS, run by the metrics maintenance job under its lock): the per-feature results of
   * checks before the cutoff; the checks themselves (one row each, their summary and outcome) stay.
   */
  async deleteFeatureResultsBefore(cutoff: Date, transaction: Transaction): Promise<number> {
    // model by model, so each DELETE is a range scan of ix_model_drift_feature_results_model_checked (model_id,
    // checked_at) rather than a scan of the whole table
    const models: { id: string }[] = await transaction.manager.query(`SELECT id FROM models ORDER BY id`);
    let deleted = 0;
    for (const { id } of models) {
      deleted += affectedRows(
        await transaction.manager.query(`DELETE FROM model_drift_feature_results WHERE model_id = $1 AND checked_at < $2`, [id, cutoff]),
      );
    }
    return deleted;
  }

  private checks(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(DriftCheckEntity);
  }

  private results(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(DriftFeatureResultEntity);
  }

  async insert(check: NewDriftCheck, results: NewFeatureResult[], transaction: Transaction): Promise<DriftCheckEntity> {
    const saved = await this.checks(transaction).save(this.checks(transaction).create(check));
    if (results.length > 0) {
      await this.results(transaction).insert(
        results.map((result) => ({ ...result, checkId: saved.id, modelId: check.modelId, checkedAt: check.checkedAt })),
      );
    }
    return saved;
  }

  async setOutcome(modelId: string, checkId: string, outcome: CheckOutcomeColumns, transaction: Transaction): Promise<void> {
    await this.checks(transaction).update({ modelId, id: checkId }, outcome);
  }

  /** With its model, a primary key lookup; GET /drift/checks/{checkId} names no model, so ix_model_drift_checks_id serves it. */
  findById(id: string, modelId: string | undefined, transaction?: Transaction): Promise<DriftCheckEntity | null> {
    return this.checks(transaction).findOneBy(modelId === undefined ? { id } : { modelId, id });
  }

  /** A range of the results' primary key (model_id, check_id, feature_name). */
  findResults(modelId: string, checkId: string, transaction?: Transaction): Promise<DriftFeatureResultEntity[]> {
    return this.results(transaction).find({ where: { modelId, checkId }, order: { position: 'ASC' } });
  }

  /** Newest first, keyset on (checked_at, id) so pages are stable while checks keep arriving; served by ix_model_drift_checks_model_checked. */
  list(filter: DriftCheckFilter): Promise<DriftCheckEntity[]> {
    const query = this.checks()
      .createQueryBuilder('check')
      .where('check.modelId = :modelId', { modelId: filter.modelId })
      .orderBy('check.checkedAt', 'DESC')
      .addOrderBy('check.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.from) query.andWhere('check.checkedAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('check.checkedAt < :to', { to: filter.to });
    if (filter.before) {
      query.andWhere('(check.checkedAt, check.id) < (:beforeAt, :beforeId)', {
        beforeAt: filter.before.checkedAt,
        beforeId: filter.before.id,
      });
    }
    return query.getMany();
  }

  /** Feature results of a model's checks in [from, to) (bounding a threshold preview before reading them). */
  async countResults(modelId: string, from: Date | undefined, to: Date | undefined): Promise<{ checks: number; results: number }> {
    const [row]: { checks: number; results: number }[] = await this.dataSource.query(
      `SELECT count(DISTINCT check_id)::int AS checks, count(*)::int AS results FROM model_drift_feature_results
       WHERE model_id = $1 AND ($2::timestamptz IS NULL OR checked_at >= $2) AND ($3::timestamptz IS NULL OR checked_at < $3)`,
      [modelId, from ?? null, to ?? null],
    );
    return row;
  }

  /**
   * A model's checks in [from, to), oldest first, each with its features' stored decisions (no histograms, no samples):
   * what a threshold preview re-decides. Served by ix_model_drift_checks_model_checked and the results' primary key.
   */
  async findDecisions(modelId: string, from: Date | undefined, to: Date | undefined): Promise<StoredCheck[]> {
    const rows: {
      check_id: string;
      dataset_drift: boolean;
      drift_share_threshold: number;
      feature_name: string | null;
      stattest: string;
      score: number;
      threshold: number;
      drifted: boolean;
    }[] = await this.dataSource.query(
      `SELECT c.id AS check_id, c.dataset_drift, c.drift_share_threshold, r.feature_name, r.stattest, r.score, r.threshold, r.drifted
       FROM model_drift_checks c LEFT JOIN model_drift_feature_results r ON r.model_id = c.model_id AND r.check_id = c.id
       WHERE c.model_id = $1 AND ($2::timestamptz IS NULL OR c.checked_at >= $2) AND ($3::timestamptz IS NULL OR c.checked_at < $3)
       ORDER BY c.checked_at, c.id, r.position`,
      [modelId, from ?? null, to ?? null],
    );
    const checks: StoredCheck[] = [];
    let currentId: string | null = null;
    for (const row of rows) {
      if (row.check_id !== currentId) {
        currentId = row.check_id;
        checks.push({ datasetDrift: row.dataset_drift, driftShareThreshold: row.drift_share_threshold, features: [] });
      }
      if (row.feature_name !== null) {
        checks[checks.length - 1].features.push({
          featureName: row.feature_name,
          stattest: row.stattest,
          score: row.score,
          threshold: row.threshold,
          drifted: row.drifted,
        });
      }
    }
    return checks;
  }

  /**
   * Max score, any-drifted and count per feature and epoch-aligned bucket, aggregated in the database (one row per
   * feature × bucket leaves it, not one per result); served by ix_model_drift_feature_results_model_checked.
   */
  async heatmap(modelId: string, from: Date, to: Date, bucketMs: number): Promise<HeatmapAggregate[]> {
    const rows: { feature_name: string; bucket_ms: string; max_score: number; drifted: boolean; check_count: number }[] =
      await this.dataSource.query(
        `SELECT feature_name,
              (floor(extract(epoch FROM checked_at) * 1000 / $4) * $4)::bigint AS bucket_ms,
              max(score) AS max_score, bool_or(drifted) AS drifted, count(*)::int AS check_count
       FROM model_drift_feature_results
       WHERE model_id = $1 AND checked_at >= $2 AND checked_at < $3
       GROUP BY 1, 2`,
        [modelId, from, to, bucketMs],
      );
    return rows.map((row) => ({
      featureName: row.feature_name,
      bucketStart: new Date(Number(row.bucket_ms)),
      maxScore: row.max_score,
      drifted: row.drifted,
      checkCount: row.check_count,
    }));
  }
}
