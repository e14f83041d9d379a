import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import type { LatestMetricRow } from 'src/metrics/dto/metric-point.dto';
import type { SeriesStatsRow } from 'src/metrics/dto/metric-trend.dto';
import type { MetricsRecordedEvent } from 'src/metrics/metrics.events';
import { MetricAggregation } from 'src/metrics/metrics.types';
import type { NewMetricPoint } from 'src/metrics/metric-points.policy';
import { type BucketCell, type CellRow, SKETCH_OF, toCell } from 'src/metrics/metric-rollups.repository';

/**
 * SQL of each aggregation over the `value` column. Percentiles are percentile_cont (linear
 * interpolation); `last` is the value of the latest recorded_at, ties to the greater value (the same
 * rule as v_latest_model_performance, readable from the covering index alone).
 */
const AGGREGATE_SQL: Readonly<Record<MetricAggregation, string>> = Object.freeze({
  [MetricAggregation.Avg]: 'avg(value)',
  [MetricAggregation.Min]: 'min(value)',
  [MetricAggregation.Max]: 'max(value)',
  [MetricAggregation.Sum]: 'sum(value)',
  [MetricAggregation.Count]: 'count(*)::float8',
  [MetricAggregation.P50]: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY value)',
  [MetricAggregation.P90]: 'percentile_cont(0.9) WITHIN GROUP (ORDER BY value)',
  [MetricAggregation.P95]: 'percentile_cont(0.95) WITHIN GROUP (ORDER BY value)',
  [MetricAggregation.P99]: 'percentile_cont(0.99) WITHIN GROUP (ORDER BY value)',
  [MetricAggregation.Last]: '(array_agg(value ORDER BY recorded_at DESC, value DESC))[1]',
});

/** Points of one series in [from, to): the predicate of every read, a range on the series index. */
export interface SeriesFilter {
  modelId: string;
  metricName: string;
  environment: string;
  from: Date;
  to: Date;
  modelVersion?: string;
  segment?: Record<string, string>;
}

export interface BucketRow {
  /** Bucket index: floor(epoch ms / bucket ms); the bucket starts at index · bucket ms. */
  bucket: number;
  value: number;
  count: number;
  /** With band: the bucket's 10th and 90th percentiles. */
  p10?: number;
  p90?: number;
}

@Injectable()
export class MetricPointsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One multi-row INSERT for the whole batch: each column travels as one array parameter and
   * unnest() zips them back into rows, so 10,000 points cost one statement and one round trip.
   * Idempotency keys are claimed in metric_idempotency_keys (the points table is partitioned by
   * month, so it cannot hold a unique key that ignores recorded_at): a point with a key is inserted
   * only when the statement claimed its key; a key repeated inside the batch keeps its first point.
   * Keys are claimed in (model_id, key) order: two concurrent batches with overlapping keys then wait
   * on each other's keys in the same order, so they cannot deadlock. The statement returns the per-model summary of what was actually
   * inserted, ready to become `metrics.recorded` events. The inserted points are also appended to
   * metric_rollup_inbox (a heap without indexes), from which the rollup worker folds them into the rollups and the
   * latest values: ingest pays one extra heap row per point, not the rollup upsert.
   */
  async insertPoints(points: NewMetricPoint[], transaction: Transaction): Promise<MetricsRecordedEvent[]> {
    const columns = {
      modelIds: [] as string[],
      versions: [] as (string | null)[],
      names: [] as string[],
      values: [] as number[],
      environments: [] as string[],
      segments: [] as string[],
      sampleSizes: [] as (number | null)[],
      recordedAt: [] as string[],
      keys: [] as (string | null)[],
    };
    for (const point of points) {
      columns.modelIds.push(point.modelId);
      columns.versions.push(point.modelVersion);
      columns.names.push(point.metricName);
      columns.values.push(point.value);
      columns.environments.push(point.environment);
      columns.segments.push(isEmpty(point.segment) ? '{}' : JSON.stringify(point.segment));
      columns.sampleSizes.push(point.sampleSize);
      columns.recordedAt.push(point.recordedAt.toISOString());
      columns.keys.push(point.idempotencyKey);
    }
    const rows: { model_id: string; metric_names: string[]; environments: string[]; from: Date; to: Date; count: number }[] =
      await managerOf(this.dataSource, transaction).query(
        `WITH batch AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::jsonb[], $7::int4[], $8::timestamptz[], $9::text[])
             WITH ORDINALITY AS point (model_id, model_version, metric_name, value, environment, segment, sample_size, recorded_at, idempotency_key, position)
         ),
         first_of_key AS (
           SELECT DISTINCT ON (model_id, idempotency_key) model_id, idempotency_key, recorded_at, position
           FROM batch WHERE idempotency_key IS NOT NULL ORDER BY model_id, idempotency_key, position
         ),
         claimed AS (
           INSERT INTO metric_idempotency_keys (model_id, idempotency_key, recorded_at)
           SELECT model_id, idempotency_key, recorded_at FROM first_of_key ORDER BY model_id, idempotency_key
           ON CONFLICT (model_id, idempotency_key) DO NOTHING
           RETURNING model_id, idempotency_key
         ),
         inserted AS (
           INSERT INTO model_performance_metrics
             (model_id, model_version, metric_name, value, environment, segment, sample_size, recorded_at, idempotency_key)
           SELECT model_id, model_version, metric_name, value, environment, segment, sample_size, recorded_at, idempotency_key
           FROM batch
           WHERE idempotency_key IS NULL
              OR position IN (SELECT first_of_key.position FROM first_of_key JOIN claimed USING (model_id, idempotency_key))
           RETURNING model_id, model_version, metric_name, environment, segment, value, recorded_at
         ),
         queued AS (
           INSERT INTO metric_rollup_inbox (model_id, model_version, metric_name, environment, segment, value, recorded_at)
           SELECT model_id, model_version, metric_name, environment, segment, value, recorded_at FROM inserted
         )
         SELECT model_id, array_agg(DISTINCT metric_name ORDER BY metric_name) AS metric_names,
                array_agg(DISTINCT environment ORDER BY environment) AS environments,
                min(recorded_at) AS "from", max(recorded_at) AS "to", count(*)::int AS count
         FROM inserted GROUP BY model_id ORDER BY model_id`,
        [
          columns.modelIds,
          columns.versions,
          columns.names,
          columns.values,
          columns.environments,
          columns.segments,
          columns.sampleSizes,
          columns.recordedAt,
          columns.keys,
        ],
      );
    return rows.map((row) => ({
      modelId: row.model_id,
      metricNames: row.metric_names,
      environments: row.environments,
      from: row.from,
      to: row.to,
      count: row.count,
    }));
  }

  /**
   * Bucketed aggregate of one series. Bucketing happens in SQL, aligned to the Unix epoch:
   * bucket = floor(epoch ms / bucket ms) (numeric arithmetic, exact at bucket edges). The WHERE is a
   * range on the covering index (model_id, metric_name, recorded_at) INCLUDE (environment,
   * model_version, value), so without a segment filter this is an index-only scan over the points in
   * range, whatever the table size. A segment filter reads the heap for the segment column.
   */
  async aggregateBuckets(filter: SeriesFilter, bucketMs: number, aggregation: MetricAggregation, band = false): Promise<BucketRow[]> {
    const query = bucketAggregateQuery(filter, bucketMs, aggregation, band);
    const rows: { bucket: string; value: number; count: number; p10?: number; p90?: number }[] = await this.dataSource.query(
      query.sql,
      query.parameters,
    );
    return rows.map((row) =>
      band
        ? { bucket: Number(row.bucket), value: row.value, count: row.count, p10: row.p10, p90: row.p90 }
        : { bucket: Number(row.bucket), value: row.value, count: row.count },
    );
  }

  /**
   * Per trend bucket, the same mergeable summary a rollup row holds (count, sum, min, max, last, optionally the
   * sketch), from the raw points of [filter.from, filter.to): the edges of a range that no rollup covers exactly.
   */
  async aggregateCells(filter: SeriesFilter, bucketMs: number, withSketch: boolean): Promise<BucketCell[]> {
    const { where, parameters } = seriesWhere(filter, [bucketMs]);
    const rows: CellRow[] = await this.dataSource.query(
      `SELECT floor(extract(epoch FROM recorded_at) * 1000 / $1::bigint)::bigint AS bucket,
              count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max,
              (array_agg(value ORDER BY recorded_at DESC, value DESC))[1] AS last_value, max(recorded_at) AS last_at
              ${withSketch ? `, jsonb_build_array(${SKETCH_OF('array_agg(value)')}) AS sketches` : ''}
       FROM model_performance_metrics WHERE ${where}
       GROUP BY 1 ORDER BY 1`,
      parameters,
    );
    return rows.map(toCell);
  }

  /** One aggregate over a window of one series (alert rules, computed baselines). */
  async aggregateWindow(
    filter: SeriesFilter,
    aggregation: MetricAggregation,
    transaction?: Transaction,
  ): Promise<{ value: number | null; count: number }> {
    const { where, parameters } = seriesWhere(filter, []);
    const [row]: { value: number | null; count: number }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT ${AGGREGATE_SQL[aggregation]} AS value, count(*)::int AS count FROM model_performance_metrics WHERE ${where}`,
      parameters,
    );
    return { value: row.count > 0 ? row.value : null, count: row.count };
  }

  /** The latest recorded_at of one series in [from, to), or null (the no-data check of alert rules). */
  async latestPointAt(filter: SeriesFilter, transaction?: Transaction): Promise<Date | null> {
    const { where, parameters } = seriesWhere(filter, []);
    const [row]: { at: Date | null }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT max(recorded_at) AS at FROM model_performance_metrics WHERE ${where}`,
      parameters,
    );
    return row.at;
  }

  /**
   * Rule backtests: at each evaluation time t, what the live evaluator reads at t — the aggregate over
   * [t − windowMs, t] (aggregateWindow) and, with lookbackMs, the latest point in [t − lookbackMs, t] (latestPointAt) —
   * in one statement: per tick one or two ranges of the series index, the same aggregate SQL, ticks in the order given.
   */
  async windowsAt(
    series: Pick<SeriesFilter, 'modelId' | 'metricName' | 'environment'>,
    ticks: Date[],
    windowMs: number,
    aggregation: MetricAggregation,
    lookbackMs: number | null,
  ): Promise<{ value: number | null; count: number; lastPointAt: Date | null }[]> {
    const range = (fromParameter: string) =>
      `model_id = $1 AND metric_name = $2 AND recorded_at >= tick.at - ${fromParameter}::bigint * interval '1 millisecond'
         AND recorded_at < tick.at + interval '1 millisecond' AND environment = $3`;
    const latest =
      lookbackMs === null
        ? ''
        : `CROSS JOIN LATERAL (SELECT max(recorded_at) AS at FROM model_performance_metrics WHERE ${range('$6')}) latest`;
    const rows: { value: number | null; count: number; last_at: Date | null }[] = await this.dataSource.query(
      `SELECT window_aggregate.value, window_aggregate.count, ${lookbackMs === null ? 'NULL::timestamptz' : 'latest.at'} AS last_at
       FROM unnest($4::timestamptz[]) WITH ORDINALITY AS tick (at, position)
       CROSS JOIN LATERAL (SELECT ${AGGREGATE_SQL[aggregation]} AS value, count(*)::int AS count
                           FROM model_performance_metrics WHERE ${range('$5')}) window_aggregate
       ${latest}
       ORDER BY tick.position`,
      [
        series.modelId,
        series.metricName,
        series.environment,
        ticks.map((tick) => tick.toISOString()),
        windowMs,
        ...(lookbackMs === null ? [] : [lookbackMs]),
      ],
    );
    return rows.map((row) => ({ value: row.count > 0 ? row.value : null, count: row.count, lastPointAt: row.last_at }));
  }

  /** Points of one series in [from, to) (to bound a backtest's work before running it). */
  async countPoints(filter: SeriesFilter): Promise<number> {
    const { where, parameters } = seriesWhere(filter, []);
    const [row]: { count: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM model_performance_metrics WHERE ${where}`,
      parameters,
    );
    return row.count;
  }

  /** Rows of v_latest_model_performance for one model (the model filter is pushed into the view's DISTINCT ON). */
  findLatest(modelId: string, filter: { environment?: string; metricName?: string }): Promise<LatestMetricRow[]> {
    const query = latestQuery(modelId, filter);
    return this.dataSource.query(query.sql, query.parameters);
  }

  /**
   * Summary statistics of one metric per model (or per version of one model) over [from, to):
   * each model's points are one range of the series index.
   */
  seriesStats(query: {
    modelIds: string[];
    metricName: string;
    environment: string;
    from: Date;
    to: Date;
    modelVersions?: string[];
  }): Promise<SeriesStatsRow[]> {
    const byVersion = query.modelVersions !== undefined;
    const parameters: unknown[] = [query.modelIds, query.metricName, query.environment, query.from, query.to];
    const versionFilter = byVersion ? ` AND model_version = ANY($${parameters.push(query.modelVersions)}::text[])` : '';
    return this.dataSource.query(
      `SELECT model_id AS "modelId", ${byVersion ? 'model_version' : 'NULL::text'} AS "modelVersion", count(*)::int AS count,
              avg(value) AS mean, stddev_samp(value) AS "stdDev", min(value) AS min,
              ${AGGREGATE_SQL[MetricAggregation.P50]} AS p50, max(value) AS max,
              ${AGGREGATE_SQL[MetricAggregation.Last]} AS last, max(recorded_at) AS "lastRecordedAt"
       FROM model_performance_metrics
       WHERE model_id = ANY($1::uuid[]) AND metric_name = $2 AND environment = $3
         AND recorded_at >= $4 AND recorded_at < $5${versionFilter}
       GROUP BY 1, 2`,
      parameters,
    );
  }
}

function isEmpty(segment: Record<string, string>): boolean {
  for (const _ in segment) return false;
  return true;
}

/** The SQL of aggregateBuckets (exported so the trend benchmark times exactly this statement in psql). */
export function bucketAggregateQuery(
  filter: SeriesFilter,
  bucketMs: number,
  aggregation: MetricAggregation,
  band = false,
): { sql: string; parameters: unknown[] } {
  const { where, parameters } = seriesWhere(filter, [bucketMs]);
  const bandSql = band
    ? `,
       percentile_cont(0.1) WITHIN GROUP (ORDER BY value) AS p10, percentile_cont(0.9) WITHIN GROUP (ORDER BY value) AS p90`
    : '';
  const sql = `SELECT floor(extract(epoch FROM recorded_at) * 1000 / $1::bigint)::bigint AS bucket,
       ${AGGREGATE_SQL[aggregation]} AS value, count(*)::int AS count${bandSql}
     FROM model_performance_metrics
     WHERE ${where}
     GROUP BY 1 ORDER BY 1`;
  return { sql, parameters };
}

/** The SQL of findLatest (exported for the benchmark, like bucketAggregateQuery). */
export function latestQuery(
  modelId: string,
  filter: { environment?: string; metricName?: string },
): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [modelId];
  let where = 'model_id = $1';
  if (filter.environment !== undefined) where += ` AND environment = $${parameters.push(filter.environment)}`;
  if (filter.metricName !== undefined) where += ` AND metric_name = $${parameters.push(filter.metricName)}`;
  const sql = `SELECT model_id AS "modelId", model_version AS "modelVersion", environment, metric_name AS "metricName", value, recorded_at AS "recordedAt"
     FROM v_latest_model_performance WHERE ${where}
     ORDER BY metric_name, environment, model_version NULLS FIRST`;
  return { sql, parameters };
}

/** WHERE clause of a series read; `leading` parameters come first ($1…). */
function seriesWhere(filter: SeriesFilter, leading: unknown[]): { where: string; parameters: unknown[] } {
  const parameters = [...leading];
  const at = (value: unknown) => `$${parameters.push(value)}`;
  let where =
    `model_id = ${at(filter.modelId)} AND metric_name = ${at(filter.metricName)} ` +
    `AND recorded_at >= ${at(filter.from)} AND recorded_at < ${at(filter.to)} AND environment = ${at(filter.environment)}`;
  if (filter.modelVersion !== undefined) where += ` AND model_version = ${at(filter.modelVersion)}`;
  if (filter.segment !== undefined && Object.keys(filter.segment).length > 0)
    where += ` AND segment @> ${at(JSON.stringify(filter.segment))}::jsonb`;
  return { where, parameters };
}
