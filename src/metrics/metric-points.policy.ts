/**
 * Rules every recorded point obeys, whoever records it (POST /metrics/record, or another module calling
 * MetricsService.recordPoints), and the defaults it gets. Pure: no framework. Checked by hand rather than by
 * class-validator, for speed (src/common/validation/batch-body.ts says why).
 */
import type { FieldError } from 'src/common/errors/domain-error';
import { batchMember, isSegment, isTextWithin, prepareBatch, SEGMENT_MESSAGE, UUID_PATTERN } from 'src/common/validation/batch-body';
import { isMeasuredValue, MEASURED_VALUE_MESSAGE } from 'src/common/validation/numbers';
import { parseTimestamp } from 'src/common/validation/timestamp';
import { COMPUTED_METRIC_PREFIXES_TEXT, isComputedMetricName } from 'src/metrics/computed-metrics.policy';
import {
  DEFAULT_ENVIRONMENT,
  MAX_FUTURE_SKEW_MS,
  MAX_POINTS_PER_BATCH,
  METRIC_NAME_PATTERN,
  type MetricPointInput,
} from 'src/metrics/metrics.types';

const MAX_TEXT = { modelVersion: 200, environment: 100, idempotencyKey: 200 } as const;
const MAX_INT4 = 2_147_483_647;
const POINT_FIELDS = new Set([
  'modelId',
  'metricName',
  'value',
  'recordedAt',
  'modelVersion',
  'environment',
  'segment',
  'sampleSize',
  'idempotencyKey',
]);

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

/** A point as JSON brings it: recordedAt is then an RFC 3339 string or epoch milliseconds. */
type MetricPointJson = Omit<MetricPointInput, 'recordedAt'> & { recordedAt?: Date | string | number };

/** Checks one point; returns it with defaults applied, or null after pushing its errors. */
function preparePoint(input: unknown, path: string, now: Date, errors: FieldError[]): NewMetricPoint | null {
  const point = input as MetricPointJson;
  const before = errors.length;
  const fail = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (typeof point !== 'object' || point === null || Array.isArray(point)) {
    errors.push({ field: path, message: 'must be an object' });
    return null;
  }
  for (const key of Object.keys(point)) if (!POINT_FIELDS.has(key)) fail(key, `property ${key} should not exist`);
  if (typeof point.modelId !== 'string' || !UUID_PATTERN.test(point.modelId)) fail('modelId', 'must be a UUID');
  if (typeof point.metricName !== 'string' || !METRIC_NAME_PATTERN.test(point.metricName))
    fail('metricName', `must match ${METRIC_NAME_PATTERN.source}`);
  else if (isComputedMetricName(point.metricName))
    fail('metricName', `names starting with ${COMPUTED_METRIC_PREFIXES_TEXT} are computed by ModelWatch from logged predictions`);
  if (!isMeasuredValue(point.value)) fail('value', MEASURED_VALUE_MESSAGE);
  let recordedAt = now;
  if (point.recordedAt !== undefined) {
    const { date: parsed, error } = parseTimestamp(point.recordedAt);
    if (parsed === undefined) fail('recordedAt', error);
    else if (parsed.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) fail('recordedAt', 'must not be more than 5 minutes in the future');
    else recordedAt = parsed;
  }
  if (point.modelVersion != null && !isTextWithin(point.modelVersion, MAX_TEXT.modelVersion))
    fail('modelVersion', `must be a string of 1–${MAX_TEXT.modelVersion} characters`);
  if (point.environment !== undefined && !isTextWithin(point.environment, MAX_TEXT.environment))
    fail('environment', `must be a string of 1–${MAX_TEXT.environment} characters`);
  if (point.segment !== undefined && !isSegment(point.segment)) fail('segment', SEGMENT_MESSAGE);
  if (point.sampleSize != null && !(Number.isInteger(point.sampleSize) && point.sampleSize >= 0 && point.sampleSize <= MAX_INT4))
    fail('sampleSize', 'must be a non-negative integer');
  if (point.idempotencyKey != null && !isTextWithin(point.idempotencyKey, MAX_TEXT.idempotencyKey))
    fail('idempotencyKey', `must be a string of 1–${MAX_TEXT.idempotencyKey} characters`);
  if (errors.length > before) return null;
  return {
    modelId: point.modelId.toLowerCase(),
    metricName: point.metricName,
    value: point.value,
    recordedAt,
    modelVersion: point.modelVersion ?? null,
    environment: point.environment ?? DEFAULT_ENVIRONMENT,
    segment: point.segment ?? {},
    sampleSize: point.sampleSize ?? null,
    idempotencyKey: point.idempotencyKey ?? null,
  };
}

/** The points of a POST /metrics/record body `{ points: [...] }`. */
export function prepareRecordBody(body: unknown, now: Date): { points: NewMetricPoint[]; errors: FieldError[] } {
  const member = batchMember(body, 'points');
  return member.errors.length > 0 ? { points: [], errors: member.errors } : prepareMetricPoints(member.items, now);
}

/**
 * Checks a batch (1–10,000 points; each bad field named `points[i].field`) and applies the defaults
 * (recordedAt = now, environment = 'production', segment = {}). Returns the field errors when any.
 * Takes `unknown`: the points come from parsed JSON (recordedAt as a string) or from another module.
 */
export function prepareMetricPoints(points: unknown, now: Date): { points: NewMetricPoint[]; errors: FieldError[] } {
  const { items, errors } = prepareBatch(points, 'points', MAX_POINTS_PER_BATCH, (point, path, itemErrors) =>
    preparePoint(point, path, now, itemErrors),
  );
  return { points: items, errors };
}
