import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import type { BaselineDirection } from 'src/metrics/degradation.policy';
import { MetricBaselineEntity } from 'src/metrics/metric-baseline.entity';

export type BaselineValues = Pick<
  MetricBaselineEntity,
  | 'modelId'
  | 'metricName'
  | 'environment'
  | 'value'
  | 'direction'
  | 'tolerance'
  | 'computedFrom'
  | 'computedTo'
  | 'computedAggregation'
  | 'computedCount'
>;

export interface BaselineWithWindowMean {
  metricName: string;
  environment: string;
  value: number;
  direction: BaselineDirection;
  tolerance: number;
  current: number | null;
  count: number;
}

@Injectable()
export class MetricBaselinesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(MetricBaselineEntity);
  }

  /** Insert or replace the baseline of (model, metric, environment) atomically (concurrent PUTs: last one wins). */
  async upsert(values: BaselineValues, transaction?: Transaction): Promise<MetricBaselineEntity> {
    const [row]: { id: string }[] = await managerOf(this.dataSource, transaction).query(
      `INSERT INTO model_metric_baselines
         (model_id, metric_name, environment, value, direction, tolerance, computed_from, computed_to, computed_aggregation, computed_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (model_id, metric_name, environment) DO UPDATE SET
         value = EXCLUDED.value, direction = EXCLUDED.direction, tolerance = EXCLUDED.tolerance,
         computed_from = EXCLUDED.computed_from, computed_to = EXCLUDED.computed_to,
         computed_aggregation = EXCLUDED.computed_aggregation, computed_count = EXCLUDED.computed_count, updated_at = now()
       RETURNING id`,
      [
        values.modelId,
        values.metricName,
        values.environment,
        values.value,
        values.direction,
        values.tolerance,
        values.computedFrom,
        values.computedTo,
        values.computedAggregation,
        values.computedCount,
      ],
    );
    return this.repository(transaction).findOneByOrFail({ modelId: values.modelId, id: row.id });
  }

  findOne(
    key: { modelId: string; metricName: string; environment: string },
    transaction?: Transaction,
  ): Promise<MetricBaselineEntity | null> {
    return this.repository(transaction).findOneBy(key);
  }

  /** Keyset page ordered by (metric_name, environment), unique per model. */
  list(filter: {
    modelId: string;
    environment?: string;
    after?: { metricName: string; environment: string };
    limit: number;
  }): Promise<MetricBaselineEntity[]> {
    const query = this.repository()
      .createQueryBuilder('baseline')
      .where('baseline.modelId = :modelId', { modelId: filter.modelId })
      .orderBy('baseline.metricName', 'ASC')
      .addOrderBy('baseline.environment', 'ASC')
      .limit(filter.limit + 1);
    if (filter.environment !== undefined) query.andWhere('baseline.environment = :environment', { environment: filter.environment });
    if (filter.after) {
      query.andWhere('(baseline.metricName, baseline.environment) > (:afterMetric, :afterEnvironment)', {
        afterMetric: filter.after.metricName,
        afterEnvironment: filter.after.environment,
      });
    }
    return query.getMany();
  }

  /** True when a baseline was deleted. */
  async delete(modelId: string, metricName: string, environment: string, transaction?: Transaction): Promise<boolean> {
    const result = await this.repository(transaction).delete({ modelId, metricName, environment });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Every baseline of the model with the mean of its series over [from, to): one statement, each
   * LATERAL subquery a range on the metrics series index.
   */
  findWithWindowMeans(modelId: string, from: Date, to: Date, transaction?: Transaction): Promise<BaselineWithWindowMean[]> {
    return managerOf(this.dataSource, transaction).query(
      `SELECT baseline.metric_name AS "metricName", baseline.environment, baseline.value, baseline.direction, baseline.tolerance,
              window_.current, window_.count
       FROM model_metric_baselines baseline
       CROSS JOIN LATERAL (
         SELECT avg(point.value) AS current, count(*)::int AS count
         FROM model_performance_metrics point
         WHERE point.model_id = baseline.model_id AND point.metric_name = baseline.metric_name
           AND point.recorded_at >= $2 AND point.recorded_at < $3 AND point.environment = baseline.environment
       ) window_
       WHERE baseline.model_id = $1
       ORDER BY baseline.metric_name, baseline.environment`,
      [modelId, from, to],
    );
  }
}
