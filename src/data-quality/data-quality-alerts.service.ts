import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertSeverity, AlertType } from 'src/alerts/alert.enums';
import { AlertsService } from 'src/alerts/alerts.service';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { Clock } from 'src/common/clock';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { TransactionRunner } from 'src/database/transaction';
import { judgeShares } from 'src/data-quality/data-quality.policy';
import { DataQualityService } from 'src/data-quality/data-quality.service';
import { qualityShares } from 'src/data-quality/data-quality.stats';
import { ModelsService } from 'src/models/models.service';

export const DATA_QUALITY_ACTOR = 'data-quality';

export interface DataQualityEvaluation {
  models: number;
  raised: number;
  resolved: number;
}

/**
 * The `data_quality` alert type: every model with expectations is judged over its last `windowMinutes` of predictions,
 * at the rule evaluation interval. One alert per (model, feature, check) through the alert lifecycle (its fingerprint
 * deduplicates: a breach that persists folds into the open alert), resolved when the share is back within its
 * threshold; a window with fewer than `minCount` predictions, or a share that is undefined there, changes nothing.
 * Each model is evaluated in one transaction under an advisory lock, so instances never evaluate one model twice at once.
 */
@Injectable()
export class DataQualityAlerts implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DataQualityAlerts.name);
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataQuality: DataQualityService,
    private readonly alerts: AlertsService,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(registry, 'data-quality.evaluation', this.logger);
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.alertEvaluationIntervalSeconds * 1000, () => this.evaluateAll());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  async evaluateAll(): Promise<DataQualityEvaluation> {
    const total: DataQualityEvaluation = { models: 0, raised: 0, resolved: 0 };
    for (const modelId of await this.dataQuality.findModelsWithExpectations()) {
      const result = await this.evaluateModel(modelId);
      total.models += result.models;
      total.raised += result.raised;
      total.resolved += result.resolved;
    }
    return total;
  }

  async evaluateModel(modelId: string): Promise<DataQualityEvaluation> {
    const now = this.clock.now();
    return this.transactions.run(async (transaction) => {
      const outcome: DataQualityEvaluation = { models: 0, raised: 0, resolved: 0 };
      if (!(await this.dataQuality.tryLockModel(modelId, transaction))) return outcome;
      const model = await this.models.getSummary(modelId, transaction);
      const config = await this.dataQuality.loadConfig(modelId, transaction);
      const { total, counts } = await this.dataQuality.recentCounts(modelId, config, now, transaction);
      outcome.models = 1;
      if (total < config.thresholds.minCount) return outcome;
      for (const row of counts) {
        const expectation = config.expectations.find((candidate) => candidate.name === row.feature)!;
        for (const verdict of judgeShares(qualityShares(row, expectation), expectation, config.thresholds)) {
          const labels = { model: model.name, feature: row.feature, check: verdict.check };
          if (verdict.breached) {
            await this.alerts.raise(
              {
                modelId,
                type: AlertType.DataQuality,
                severity: AlertSeverity.Warning,
                title: `Data quality on ${model.name}: ${row.feature} ${verdict.check.replaceAll('_', ' ')} ${verdict.share.toFixed(3)} > ${verdict.threshold}`,
                message: `Over the last ${config.thresholds.windowMinutes} minutes (${row.count} predictions, ${config.environment}).`,
                labels,
                details: {
                  feature: row.feature,
                  check: verdict.check,
                  share: verdict.share,
                  threshold: verdict.threshold,
                  count: row.count,
                },
                value: verdict.share,
                source: DATA_QUALITY_ACTOR,
              },
              transaction,
            );
            outcome.raised++;
          } else {
            outcome.resolved += await this.alerts.resolveOpen(
              { modelId, type: AlertType.DataQuality, labels },
              DATA_QUALITY_ACTOR,
              `${row.feature} ${verdict.check.replaceAll('_', ' ')} is ${verdict.share.toFixed(3)} ≤ ${verdict.threshold} again.`,
              transaction,
            );
          }
        }
      }
      return outcome;
    });
  }
}
