/**
 * Rules every recorded point obeys, whoever records it (the HTTP handler after DTO validation, or
 * another module calling MetricsService.recordPoints), and the defaults it gets. Pure: no framework.
 */
import type { FieldError } from 'src/common/errors/domain-error';
import {
  DEFAULT_ENVIRONMENT,
  MAX_FUTURE_SKEW_MS,
  MAX_POINTS_PER_BATCH,
  METRIC_NAME_PATTERN,
  type MetricPointInput,
} from 'src/metrics/metrics.types';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = { modelVersion: 200, environment: 100, idempotencyKey: 200 } as const;
const MAX_SEGMENT_ENTRIES = 50;
const MAX_INT4 = 2_147_483_647;
/** Enough to fix a batch without flooding the problem body. */
const MAX_REPORTED_ERRORS = 100;

/** A point with every default applied, ready for the insert. */
export interface NewMetricPoint {
  modelId: string;
  metricName: string;
  value: number;
  recordedAt: Date;
  modelVersion: string | null;
  environment: string;
  segment: Record<string, string>;
  sampleSize: number | null;
  idempotencyKey: string | null;
}

function isTextWithin(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function isSegment(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_SEGMENT_ENTRIES &&
    entries.every(([key, item]) => key.length >= 1 && key.length <= 100 && typeof item === 'string' && item.length <= 500)
  );
}

function pointErrors(point: MetricPointInput, path: string, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (typeof point.modelId !== 'string' || !UUID_PATTERN.test(point.modelId)) fail('modelId', 'must be a UUID');
  if (typeof point.metricName !== 'string' || !METRIC_NAME_PATTERN.test(point.metricName)) {
    fail('metricName', `must match ${METRIC_NAME_PATTERN.source}`);
  }
  if (typeof point.value !== 'number' || !Number.isFinite(point.value)) fail('value', 'must be a finite number');
  if (point.recordedAt !== undefined) {
    const time = point.recordedAt instanceof Date ? point.recordedAt.getTime() : NaN;
    if (!Number.isFinite(time)) fail('recordedAt', 'must be a valid date');
    else if (time > now.getTime() + MAX_FUTURE_SKEW_MS) fail('recordedAt', 'must not be more than 5 minutes in the future');
  }
  if (point.modelVersion != null && !isTextWithin(point.modelVersion, MAX_TEXT.modelVersion)) {
    fail('modelVersion', `must be a string of 1–${MAX_TEXT.modelVersion} characters`);
  }
  if (point.environment !== undefined && !isTextWithin(point.environment, MAX_TEXT.environment)) {
    fail('environment', `must be a string of 1–${MAX_TEXT.environment} characters`);
  }
  if (point.segment !== undefined && !isSegment(point.segment)) {
    fail('segment', `must be a flat object of at most ${MAX_SEGMENT_ENTRIES} string values`);
  }
  if (point.sampleSize != null && !(Number.isInteger(point.sampleSize) && point.sampleSize >= 0 && point.sampleSize <= MAX_INT4)) {
    fail('sampleSize', 'must be a non-negative integer');
  }
  if (point.idempotencyKey != null && !isTextWithin(point.idempotencyKey, MAX_TEXT.idempotencyKey)) {
    fail('idempotencyKey', `must be a string of 1–${MAX_TEXT.idempotencyKey} characters`);
  }
  return errors;
}

/**
 * Checks a batch (1–10,000 points; each bad field named `points[i].field`) and applies the defaults
 * (recordedAt = now, environment = 'production', segment = {}). Returns the field errors when any.
 */
export function prepareMetricPoints(
  points: readonly MetricPointInput[],
  now: Date,
): { points: NewMetricPoint[]; errors: FieldError[] } {
  if (!Array.isArray(points) || points.length < 1 || points.length > MAX_POINTS_PER_BATCH) {
    return { points: [], errors: [{ field: 'points', message: `must hold 1–${MAX_POINTS_PER_BATCH} points` }] };
  }
  const errors: FieldError[] = [];
  const prepared: NewMetricPoint[] = new Array(points.length);
  for (let index = 0; index < points.length; index++) {
    const point = points[index];
    const found = pointErrors(point, `points[${index}]`, now);
    if (found.length > 0) {
      errors.push(...found);
      if (errors.length >= MAX_REPORTED_ERRORS) break;
      continue;
    }
    prepared[index] = {
      modelId: point.modelId.toLowerCase(),
      metricName: point.metricName,
      value: point.value,
      recordedAt: point.recordedAt ?? now,
      modelVersion: point.modelVersion ?? null,
      environment: point.environment ?? DEFAULT_ENVIRONMENT,
      segment: point.segment ?? {},
      sampleSize: point.sampleSize ?? null,
      idempotencyKey: point.idempotencyKey ?? null,
    };
  }
  return errors.length > 0 ? { points: [], errors: errors.slice(0, MAX_REPORTED_ERRORS) } : { points: prepared, errors };
}
