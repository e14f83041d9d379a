/** API types: the generated SDK's (@modelwatch/client, from the committed openapi.json), under the dashboard's names. */
import type * as S from '@modelwatch/client';

export type Model = S.ModelDto;
export type TaskType = S.TaskType;
export type ModelPage = S.ModelPageDto;
export type MetricTrend = S.MetricTrendDto;
export type TrendPoint = S.TrendPointDto;
export type EstimationQuality = S.EstimationQualityDto;
export type EstimationReference = S.EstimationReferenceDto;
export type CbpeMetric = S.CbpeMetric;
export type TrendAnomaly = S.TrendAnomalyDto;
export type TrendForecast = S.TrendForecastDto;
export type LatestMetric = S.LatestMetricDto;
export type MetricComparison = S.MetricComparisonDto;
export type MetricSeriesStats = S.MetricSeriesStatsDto;
export type MetricDegradation = S.MetricDegradationDto;
export type MetricBaseline = S.MetricBaselineDto;
export type MetricBaselinePage = S.MetricBaselinePageDto;
export type DegradationWindow = S.DegradationWindow;
export type TrainingRun = S.TrainingRunDto;
export type TrainingRunPage = S.TrainingRunPageDto;
export type TrainingSummary = S.TrainingSummaryDto;
export type Alert = S.AlertDto;
export type AlertPage = S.AlertPageDto;
export type ActiveAlertPage = S.ActiveAlertPageDto;
export type AlertDetail = S.AlertDetailDto;
export type AlertNotification = S.AlertNotificationDto;
export type DriftCheck = S.DriftCheckDto;
export type DriftCheckSummary = S.DriftCheckSummaryDto;
export type DriftCheckPage = S.DriftCheckPageDto;
export type FeatureDrift = S.FeatureDriftDto;
export type DriftHeatmap = S.DriftHeatmapDto;
export type AbTest = S.AbTestDto;
export type AbTestPage = S.AbTestPageDto;
export type AbTestResults = S.AbTestResultsDto;
export type AbTestComparison = S.AbTestComparisonDto;
export type AbTestCumulativeLift = S.AbTestCumulativeLiftDto;
export type AbTestRollout = S.AbTestRolloutDto;
export type AbTestCumulativeBucket = S.AbTestCumulativeBucket;
export type Problem = S.ProblemDetailsDto;
export type MetricBucket = S.MetricBucket;
export type MetricAggregation = S.MetricAggregation;
export type AlertSeverity = S.AlertSeverity;
export type AlertStatus = S.AlertStatus;
export type AlertType = S.AlertType;
export type HeatmapBucket = S.HeatmapBucket;

/** The query parameters of an operation (its `…Data['query']`). */
type Query<D extends { query?: unknown }> = NonNullable<D['query']>;
export type TrendQuery = Query<S.GetMetricTrendData>;
export type CompareQuery = Query<S.CompareMetricsData>;
export type AlertQuery = Query<S.ListAlertsData>;
export type TrainingRunQuery = Query<S.ListTrainingRunsData>;
export type DriftCheckQuery = Query<S.ListDriftChecksData>;
export type HeatmapQuery = Query<S.GetDriftHeatmapData>;
export type AbTestQuery = Query<S.ListAbTestsData>;
export type ModelQuery = Query<S.ListModelsData>;

export type WhoAmI = S.WhoAmIDto;
export type FeatureHistogram = S.FeatureHistogramDto;

export const METRIC_BUCKETS: readonly MetricBucket[] = ['1m', '5m', '15m', '1h', '6h', '1d', '1w'];
export const METRIC_AGGREGATIONS: readonly MetricAggregation[] = ['avg', 'min', 'max', 'sum', 'count', 'p50', 'p90', 'p95', 'p99', 'last'];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];
export const ALERT_STATUSES: readonly AlertStatus[] = ['pending', 'firing', 'acknowledged', 'resolved'];
export const ALERT_TYPES: readonly AlertType[] = [
  'data_drift',
  'performance_degradation',
  'metric_threshold',
  'metric_anomaly',
  'ab_test_srm',
  'retrain_triggered',
  'retrain_failed',
  'custom',
];
