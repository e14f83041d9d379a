import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One exported series: its labels and value. */
export interface SeriesRow {
  labels: Record<string, string>;
  value: number;
}

/** A family's first rows in a stable order, and how many it has in all (for the dropped-series count). */
export interface SeriesFamily {
  rows: SeriesRow[];
  available: number;
}

export interface PoolUsage {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** node-postgres's Pool, as TypeORM's postgres driver holds it. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max: number };
}

/**
 * The read-only SQL behind GET /metrics, run at scrape time. It reads other modules' tables and views directly
 * (only counts and latest values, no entity leaves here): a scrape is one place that looks across the schema, and
 * Prometheus wants these as they are now, not as this instance last saw them. Each family is read in a stable
 * order with `count(*) OVER ()` for its full size, LIMIT-ed to the cap, so an oversized family costs one bounded read.
 */
@Injectable()
export class ObservabilityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  poolUsage(): PoolUsage {
    const pool = (this.dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool) return { max: 0, total: 0, idle: 0, waiting: 0 };
    return { max: pool.options.max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }

  async outboxBacklog(): Promise<{ pending: number; oldestCreatedAt: Date | null }> {
    const [row]: { pending: number; oldest: Date | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, min(created_at) AS oldest FROM model_alert_outbox WHERE status = 'pending'`,
    );
    return { pending: row.pending, oldestCreatedAt: row.oldest ? new Date(row.oldest) : null };
  }

  /** The drift share of each model's latest check (the (model_id, checked_at, id) index serves the DISTINCT ON). */
  latestDriftShares(limit: number): Promise<SeriesFamily> {
    return this.family(
      `SELECT latest.model AS model, latest.drift_share AS value, count(*) OVER ()::int AS available
       FROM (SELECT DISTINCT ON (drift_check.model_id) model.name AS model, drift_check.drift_share
             FROM model_drift_checks drift_check JOIN models model ON model.id = drift_check.model_id
             ORDER BY drift_check.model_id, drift_check.checked_at DESC, drift_check.id DESC) latest
       ORDER BY latest.model LIMIT $1`,
      limit,
      ['model'],
    );
  }

  /** Unresolved alerts by model and severity; an alert of no model (from outside) has an empty model label. */
  openAlertCounts(limit: number): Promise<SeriesFamily> {
    return this.family(
      `SELECT COALESCE(model.name, '') AS model, alert.severity::text AS severity, count(*)::float8 AS value,
              count(*) OVER ()::int AS available
       FROM model_alerts alert LEFT JOIN models model ON model.id = alert.model_id
       WHERE alert.status <> 'resolved'
       GROUP BY 1, 2 ORDER BY 1, 2 LIMIT $1`,
      limit,
      ['model', 'severity'],
    );
  }

  /** The latest value of every (model, metric, environment, version) series, from the v_latest_model_performance view. */
  latestMetricValues(limit: number): Promise<SeriesFamily> {
    return this.family(
      `SELECT model.name AS model, latest.metric_name AS metric, latest.environment AS environment,
              COALESCE(latest.model_version, '') AS version, latest.value AS value, count(*) OVER ()::int AS available
       FROM v_latest_model_performance latest JOIN models model ON model.id = latest.model_id
       ORDER BY 1, 2, 3, 4 LIMIT $1`,
      limit,
      ['model', 'metric', 'environment', 'version'],
    );
  }

  private async family(sql: string, limit: number, labelNames: string[]): Promise<SeriesFamily> {
    // LIMIT ≥ 1 even for an exhausted budget, so the window count still tells how many series were left out.
    const rows: Record<string, unknown>[] = await this.dataSource.query(sql, [Math.max(1, limit)]);
    return {
      rows: rows.map((row) => ({
        labels: Object.fromEntries(labelNames.map((name) => [name, String(row[name])])),
        value: Number(row.value),
      })),
      available: rows.length > 0 ? Number(rows[0].available) : 0,
    };
  }
}
