import { Injectable, OnModuleInit } from '@nestjs/common';
import { DriftChecksRepository } from 'src/drift/drift-checks.repository';
import { MetricMaintenanceService } from 'src/metrics/metric-maintenance.service';

/**
 * RETENTION_DRIFT_DAYS: drift-check feature results older than that are deleted by the metrics maintenance job (at
 * start and every MAINTENANCE_INTERVAL_SECONDS, under its advisory lock, logged with its report).
 */
@Injectable()
export class DriftRetention implements OnModuleInit {
  constructor(
    private readonly maintenance: MetricMaintenanceService,
    private readonly checks: DriftChecksRepository,
  ) {}

  onModuleInit(): void {
    this.maintenance.registerRetention({
      name: 'driftFeatureResults',
      days: (settings) => settings.driftDays,
      deleteBefore: (cutoff, transaction) => this.checks.deleteFeatureResultsBefore(cutoff, transaction),
    });
  }
}
