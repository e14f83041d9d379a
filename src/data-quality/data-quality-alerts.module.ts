import { Module } from '@nestjs/common';
import { AlertsModule } from 'src/alerts/alerts.module';
import { DataQualityAlerts } from 'src/data-quality/data-quality-alerts.service';
import { DataQualityModule } from 'src/data-quality/data-quality.module';
import { ModelsModule } from 'src/models/models.module';

/** The periodic `data_quality` alert evaluation: depends on data quality and alerts, nothing depends on it. */
@Module({
  imports: [DataQualityModule, AlertsModule, ModelsModule],
  providers: [DataQualityAlerts],
})
export class DataQualityAlertsModule {}
