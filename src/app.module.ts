import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AlertsModule } from 'src/alerts/alerts.module';
import { AbTestsModule } from 'src/ab-tests/ab-tests.module';
import { AuditModule } from 'src/audit/audit.module';
import { ApiKeyGuard } from 'src/common/auth/api-key.guard';
import { AuthModule } from 'src/common/auth/auth.module';
import { CommonModule } from 'src/common/common.module';
import { ProblemFilter } from 'src/common/errors/problem.filter';
import { pinoHttpOptions } from 'src/common/logging/logging';
import { createValidationPipe } from 'src/common/validation/validation';
import { ALL_CONFIG, serverConfig, type ServerConfig } from 'src/config/configuration';
import { validateEnvironment } from 'src/config/env.validation';
import { DatabaseModule } from 'src/database/database.module';
import { DataQualityAlertsModule } from 'src/data-quality/data-quality-alerts.module';
import { DataQualityModule } from 'src/data-quality/data-quality.module';
import { DriftModule } from 'src/drift/drift.module';
import { HealthModule } from 'src/health/health.module';
import { MetricsModule } from 'src/metrics/metrics.module';
import { ModelsModule } from 'src/models/models.module';
import { PredictionsModule } from 'src/predictions/predictions.module';
import { ObservabilityModule } from 'src/observability/observability.module';
import { TrainingRunsModule } from 'src/training-runs/training-runs.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: ALL_CONFIG,
      validate: (env) => {
        validateEnvironment(env);
        return env;
      },
    }),
    LoggerModule.forRootAsync({
      inject: [serverConfig.KEY],
      useFactory: (config: ServerConfig) => ({ pinoHttp: pinoHttpOptions(config.logLevel), forRoutes: ['{*path}'] }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [serverConfig.KEY],
      useFactory: (config: ServerConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(config.rateLimitPerMinute, 1) }],
        skipIf: () => config.rateLimitPerMinute === 0,
        getTracker: (request: Record<string, any>) => request.apiKeyName ?? request.ip ?? 'unknown',
      }),
    }),
    EventEmitterModule.forRoot({ wildcard: false }),
    ScheduleModule.forRoot(),
    CommonModule,
    DatabaseModule,
    HealthModule,
    ObservabilityModule,
    ModelsModule,
    MetricsModule,
    PredictionsModule,
    TrainingRunsModule,
    AlertsModule,
    DriftModule,
    AbTestsModule,
    AuditModule,
    AuthModule,
    DataQualityModule,
    DataQualityAlertsModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
  ],
})
export class AppModule {}
