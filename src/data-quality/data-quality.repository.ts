import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, type Transaction } from 'src/database/transaction';
import { DataQualityExpectationEntity } from 'src/data-quality/data-quality-expectation.entity';
import { DataQualitySettingsEntity } from 'src/data-quality/data-quality-settings.entity';
import { MAX_LEARNED_CATEGORIES, type FeatureWindowSummary, type QualityThresholds } from 'src/data-quality/data-quality.policy';
import type { FeatureExpectation, QualityCounts } from 'src/data-quality/data-quality.stats';
import { BUCKET_SQL, type PredictionSeriesFilter, seriesWhere } from 'src/predictions/predictions.repository';

export type ExpectationSource = 'learned' | 'given';
export interface StoredExpectation extends FeatureExpectation {
  source: ExpectationSource;
}

/** One feature's counts in one bucket. */
export interface FeatureBucketCounts extends QualityCounts {
  bucket: number;
  feature: string;
}

export interface ReferenceWindow {
  from: Date;
  to: Date;
  environment: string;
}

const countsOf = (row: Record<string, number>): QualityCounts => ({
  count: row.count,
  missing: row.missing,
  typeMismatched: row.type_mismatched,
  numbers: row.numbers,
  outOfRange: row.out_of_range,
  unseen: row.unseen,
});

/**
 * SQL of the data-quality checks: expectations and settings, and the counts over the jsonb features of logged
 * predictions. The counting is pure COUNT … FILTER so the shares' formulas stay in data-quality.stats.ts.
 */
@Injectable()
export class DataQualityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Per bucket and expected feature: rows, missing (key absent or JSON null), present non-numbers of a numerical
   * feature, numbers, numbers outside [min, max], and present values of a categorical feature not among its categories
   * (`categories ? text`: jsonb's string-in-array test). The expectations travel as one jsonb parameter
   * (jsonb_to_recordset), so any number of features is one statement and one pass over the range's predictions.
   */
  async bucketCounts(
    filter: PredictionSeriesFilter,
    bucketMs: number,
    expectations: FeatureExpectation[],
    transaction?: Transaction,
  ): Promise<FeatureBucketCounts[]> {
    if (expectations.length === 0) return [];
    const { where, parameters } = seriesWhere(filter, [bucketMs, JSON.stringify(expectations)]);
    const rows: (Record<string, number> & { bucket: string; feature: string })[] = await managerOf(this.dataSource, transaction).query(
      `SELECT ${BUCKET_SQL} AS bucket, e.name AS feature,
         count(*)::int AS count,
         count(*) FILTER (WHERE coalesce(jsonb_typeof(v.value), 'null') = 'null')::int AS missing,
         count(*) FILTER (WHERE e.type = 'numerical' AND jsonb_typeof(v.value) NOT IN ('number', 'null'))::int AS type_mismatched,
         count(*) FILTER (WHERE e.type = 'numerical' AND jsonb_typeof(v.value) = 'number')::int AS numbers,
         count(*) FILTER (WHERE e.type = 'numerical' AND jsonb_typeof(v.value) = 'number'
                            AND ((v.value)::float8 < e.min OR (v.value)::float8 > e.max))::int AS out_of_range,
         count(*) FILTER (WHERE e.type = 'categorical' AND jsonb_typeof(v.value) <> 'null'
                            AND NOT (e.categories ? (v.value #>> '{}')))::int AS unseen
       FROM model_predictions p
       CROSS JOIN jsonb_to_recordset($2::jsonb) AS e (name text, type text, min float8, max float8, categories jsonb)
       CROSS JOIN LATERAL (SELECT p.features -> e.name AS value) v
       WHERE ${where}
       GROUP BY 1, 2 ORDER BY 2, 1`,
      parameters,
    );
    return rows.map((row) => ({ bucket: Number(row.bucket), feature: row.feature, ...countsOf(row) }));
  }

  /**
   * Per feature seen in the window: rows of the window, present values, numbers, min and max of the numbers, and up
   * to MAX_LEARNED_CATEGORIES + 1 distinct present values (as text; only categorical features use them).
   */
  async summarizeWindow(modelId: string, window: ReferenceWindow): Promise<FeatureWindowSummary[]> {
    const parameters = [modelId, window.environment, window.from.toISOString(), window.to.toISOString(), MAX_LEARNED_CATEGORIES + 1];
    const rows: {
      name: string;
      rows: number;
      present: number;
      numbers: number;
      min: number | null;
      max: number | null;
      categories: string[];
    }[] = await this.dataSource.query(
      `WITH window_rows AS (
           SELECT p.features FROM model_predictions p
           WHERE p.model_id = $1 AND p.environment = $2 AND p.predicted_at >= $3 AND p.predicted_at < $4
         ), per_value AS (
           SELECT f.key AS name, f.value, jsonb_typeof(f.value) AS kind FROM window_rows, jsonb_each(window_rows.features) f
         ), summary AS (
           SELECT name,
             count(*) FILTER (WHERE kind <> 'null')::int AS present,
             count(*) FILTER (WHERE kind = 'number')::int AS numbers,
             min(CASE WHEN kind = 'number' THEN (value)::float8 END) AS min,
             max(CASE WHEN kind = 'number' THEN (value)::float8 END) AS max
           FROM per_value GROUP BY name
         )
         SELECT s.name, (SELECT count(*) FROM window_rows)::int AS rows, s.present, s.numbers, s.min, s.max,
           coalesce((SELECT array_agg(c.category) FROM (
              SELECT DISTINCT value #>> '{}' AS category FROM per_value
              WHERE per_value.name = s.name AND kind <> 'null' AND s.numbers < s.present LIMIT $5) c), '{}') AS categories
         FROM summary s ORDER BY s.name`,
      parameters,
    );
    return rows;
  }

  async countWindow(modelId: string, window: ReferenceWindow): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM model_predictions p
       WHERE p.model_id = $1 AND p.environment = $2 AND p.predicted_at >= $3 AND p.predicted_at < $4`,
      [modelId, window.environment, window.from.toISOString(), window.to.toISOString()],
    );
    return count;
  }

  async findExpectations(modelId: string, transaction?: Transaction): Promise<StoredExpectation[]> {
    const rows = await managerOf(this.dataSource, transaction)
      .getRepository(DataQualityExpectationEntity)
      .find({ where: { modelId }, order: { feature: 'ASC' } });
    return rows.map((row) => ({
      name: row.feature,
      source: row.source,
      type: row.type,
      min: row.min,
      max: row.max,
      categories: row.categories,
      nullable: row.nullable,
    }));
  }

  /** Replaces every expectation of this source (the other source's rows stay). */
  async replaceExpectations(
    modelId: string,
    source: ExpectationSource,
    expectations: FeatureExpectation[],
    transaction: Transaction,
  ): Promise<void> {
    await transaction.manager.query('DELETE FROM model_data_quality_expectations WHERE model_id = $1 AND source = $2', [modelId, source]);
    if (expectations.length === 0) return;
    await transaction.manager.query(
      `INSERT INTO model_data_quality_expectations (model_id, source, feature, type, min, max, categories, nullable)
       SELECT $1, $2, e.name, e.type, e.min, e.max, e.categories, e.nullable
       FROM jsonb_to_recordset($3::jsonb) AS e (name text, type text, min float8, max float8, categories jsonb, nullable boolean)`,
      [modelId, source, JSON.stringify(expectations)],
    );
  }

  findSettings(modelId: string, transaction?: Transaction): Promise<DataQualitySettingsEntity | null> {
    return managerOf(this.dataSource, transaction).getRepository(DataQualitySettingsEntity).findOneBy({ modelId });
  }

  /** Creates or updates the settings row; the reference window only when given. */
  async upsertSettings(
    modelId: string,
    thresholds: QualityThresholds,
    reference: ReferenceWindow | null,
    transaction: Transaction,
  ): Promise<void> {
    await transaction.manager.query(
      `INSERT INTO model_data_quality_settings
         (model_id, reference_from, reference_to, environment, missing_share, out_of_range_share, unseen_category_share, type_mismatch_share,
          window_minutes, min_count)
       VALUES ($1, $2, $3, coalesce($4, 'production'), $5, $6, $7, $8, $9, $10)
       ON CONFLICT (model_id) DO UPDATE SET
         reference_from = CASE WHEN $11 THEN EXCLUDED.reference_from ELSE model_data_quality_settings.reference_from END,
         reference_to = CASE WHEN $11 THEN EXCLUDED.reference_to ELSE model_data_quality_settings.reference_to END,
         environment = CASE WHEN $11 THEN EXCLUDED.environment ELSE model_data_quality_settings.environment END,
         missing_share = EXCLUDED.missing_share, out_of_range_share = EXCLUDED.out_of_range_share,
         unseen_category_share = EXCLUDED.unseen_category_share, type_mismatch_share = EXCLUDED.type_mismatch_share,
         window_minutes = EXCLUDED.window_minutes, min_count = EXCLUDED.min_count, updated_at = now()`,
      [
        modelId,
        reference?.from.toISOString() ?? null,
        reference?.to.toISOString() ?? null,
        reference?.environment ?? null,
        thresholds.missingShare,
        thresholds.outOfRangeShare,
        thresholds.unseenCategoryShare,
        thresholds.typeMismatchShare,
        thresholds.windowMinutes,
        thresholds.minCount,
        reference !== null,
      ],
    );
  }

  /** Models with at least one expectation: what the periodic evaluation walks. */
  async findModelsWithExpectations(): Promise<string[]> {
    const rows: { model_id: string }[] = await this.dataSource.query(
      'SELECT DISTINCT model_id FROM model_data_quality_expectations ORDER BY model_id',
    );
    return rows.map((row) => row.model_id);
  }

  /** One instance evaluates a model at a time: false when another holds it (the lock ends with the transaction). */
  async tryLockModel(modelId: string, transaction: Transaction): Promise<boolean> {
    const [{ locked }] = await transaction.manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('data-quality:' || $1)) AS locked`, [
      modelId,
    ]);
    return locked;
  }
}
