/**
 * The alerts module's string enums, stable in the database (PostgreSQL enum types) and the API.
 * Kept apart from the entities so the pure policies can use them without importing TypeORM.
 */

export enum AlertType {
  DataDrift = 'data_drift',
  PerformanceDegradation = 'performance_degradation',
  MetricThreshold = 'metric_threshold',
  MetricAnomaly = 'metric_anomaly',
  AbTestSrm = 'ab_test_srm',
  RetrainTriggered = 'retrain_triggered',
  RetrainFailed = 'retrain_failed',
  Custom = 'custom',
  /** A rule with `noDataMinutes` saw no points for that long (resolves when points arrive again). */
  NoData = 'no_data',
  /** A safe rollout's transition: a step (info), its promotion (info) or its roll-back (critical). */
  AbTestRollout = 'ab_test_rollout',
  /** A feature's data-quality share (missing, out of range, unseen category, type mismatch) above its threshold; resolves when it clears. */
  DataQuality = 'data_quality',
}

/** Declared lowest first: PostgreSQL orders enum values by declaration, so `GREATEST` and `<=` work on severities. */
export enum AlertSeverity {
  Info = 'info',
  Warning = 'warning',
  Critical = 'critical',
}

export enum AlertStatus {
  Pending = 'pending',
  Firing = 'firing',
  Acknowledged = 'acknowledged',
  Resolved = 'resolved',
}

export enum RuleAggregation {
  Avg = 'avg',
  Min = 'min',
  Max = 'max',
  P50 = 'p50',
  P95 = 'p95',
  Last = 'last',
}

export enum RuleComparator {
  Lt = 'lt',
  Lte = 'lte',
  Gt = 'gt',
  Gte = 'gte',
}

/** What a rule's threshold alert does while the rule has no data (Grafana's No Data handling: Normal, Alerting, Keep Last State). */
export enum RuleNoData {
  /** As if the condition were clear: a pending alert resolves, a firing one resolves after keepFiringForMinutes. */
  Ok = 'ok',
  /** As if the condition held: pending, then firing after forMinutes. */
  Alerting = 'alerting',
  /** Nothing changes (the behaviour of rules before this option existed). */
  KeepLast = 'keep-last',
}

export enum DeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  Failed = 'failed',
}

/** What a notification announces (the `event` member of the webhook body). */
export enum AlertEvent {
  Firing = 'firing',
  Resolved = 'resolved',
  Escalated = 'escalated',
  /** Sent to PagerDuty channels only (PagerDuty has acknowledge; the other kinds have nothing to map it to). */
  Acknowledged = 'acknowledged',
}

/** What a channel speaks: ModelWatch's signed webhook, or an outside system's own format (src/integrations/). */
export enum ChannelKind {
  Webhook = 'webhook',
  Slack = 'slack',
  PagerDuty = 'pagerduty',
  Alertmanager = 'alertmanager',
}
