/**
 * Rules every logged prediction and label obeys, per the model's task type, and the defaults they get. Pure: no
 * framework. Checked by hand, not by class-validator, for speed on 10,000-item batches (src/common/validation/batch-body.ts).
 */
import type { FieldError } from 'src/common/errors/domain-error';
import {
  batchMember,
  isPlainObject,
  isSegment,
  isTextWithin,
  prepareBatch,
  SEGMENT_MESSAGE,
  UUID_PATTERN,
} from 'src/common/validation/batch-body';
import { isMeasuredValue, MEASURED_VALUE_MESSAGE } from 'src/common/validation/numbers';
import { parseTimestamp } from 'src/common/validation/timestamp';

export const MAX_PREDICTIONS_PER_BATCH = 10_000;
export const MAX_LABELS_PER_BATCH = 10_000;
/** Multiclass probabilities must sum to 1 within this. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;
const MAX_CLASSES = 1000;
const MAX_FEATURES = 500;
const MAX_TEXT = { predictionId: 200, modelVersion: 200, environment: 100, className: 200, featureName: 200, featureText: 1000 } as const;
const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const DEFAULT_ENVIRONMENT = 'production';

/** The task types that log predictions (a model's `taskType`). */
export type PredictionTask = 'binary_classification' | 'multiclass_classification' | 'regression';
const PREDICTION_TASKS: ReadonlySet<string> = new Set<PredictionTask>(['binary_classification', 'multiclass_classification', 'regression']);

export interface PredictionModelSettings {
  taskType: string;
  decisionThreshold: number;
}
export type SettingsLookup = (modelId: string) => PredictionModelSettings | undefined;

export type FeatureValue = number | string | null;

export interface NewPrediction {
  modelId: string;
  predictionId: string;
  modelVersion: string | null;
  environment: string;
  segment: Record<string, string>;
  predictedAt: Date;
  /** Binary: P(label = 1). */
  score: number | null;
  /** Classifiers: '0'/'1' (binary, from predictedLabel or score ≥ threshold) or the class (multiclass). */
  predictedClass: string | null;
  probabilities: Record<string, number> | null;
  /** Regression. */
  prediction: number | null;
  features: Record<string, FeatureValue> | null;
}

export interface NewLabel {
  modelId: string;
  predictionId: string;
  /** Classifiers: '0'/'1' or the class. */
  labelClass: string | null;
  /** Regression. */
  labelValue: number | null;
  labelledAt: Date;
}

const PREDICTION_FIELDS = new Set([
  'modelId',
  'predictionId',
  'modelVersion',
  'predictedAt',
  'environment',
  'segment',
  'score',
  'predictedLabel',
  'probabilities',
  'prediction',
  'features',
]);
const LABEL_FIELDS = new Set(['modelId', 'predictionId', 'label', 'labelledAt']);
/** The output fields each task type takes; the others are refused for it. */
const OUTPUT_FIELDS: Record<PredictionTask, readonly string[]> = {
  binary_classification: ['score', 'predictedLabel'],
  multiclass_classification: ['probabilities', 'predictedLabel'],
  regression: ['prediction'],
};
const ALL_OUTPUT_FIELDS = ['score', 'predictedLabel', 'probabilities', 'prediction'] as const;

/** The distinct valid model ids a batch names (lowercased), to look their settings up before checking the batch. */
export function modelIdsIn(body: unknown, member: string): string[] {
  const items = isPlainObject(body) ? body[member] : undefined;
  if (!Array.isArray(items)) return [];
  const ids = new Set<string>();
  for (const item of items) {
    if (isPlainObject(item) && typeof item.modelId === 'string' && UUID_PATTERN.test(item.modelId)) ids.add(item.modelId.toLowerCase());
  }
  return [...ids];
}

/** Index of the first item naming each of these model ids (to name `member[i].modelId` in a 404). */
export function firstIndexOfModels(body: unknown, member: string, modelIds: readonly string[]): Map<string, number> {
  const wanted = new Set(modelIds);
  const first = new Map<string, number>();
  const items = isPlainObject(body) && Array.isArray(body[member]) ? (body[member] as unknown[]) : [];
  items.forEach((item, index) => {
    if (!isPlainObject(item) || typeof item.modelId !== 'string') return;
    const id = item.modelId.toLowerCase();
    if (wanted.has(id) && !first.has(id)) first.set(id, index);
  });
  return first;
}

function parseTime(value: unknown, now: Date, field: string, fail: (field: string, message: string) => void): Date | null {
  if (value === undefined) return now;
  const { date, error } = parseTimestamp(value as string | number);
  if (date === undefined) fail(field, error);
  else if (date.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) fail(field, 'must not be more than 5 minutes in the future');
  else return date;
  return null;
}

const isProbability = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

function checkProbabilities(value: unknown, fail: (field: string, message: string) => void): Record<string, number> | null {
  if (!isPlainObject(value)) {
    fail('probabilities', 'must be an object mapping each class to its probability');
    return null;
  }
  const entries = Object.entries(value);
  if (entries.length < 2 || entries.length > MAX_CLASSES) {
    fail('probabilities', `must hold 2–${MAX_CLASSES} classes`);
    return null;
  }
  let sum = 0;
  for (const [name, p] of entries) {
    if (name.length < 1 || name.length > MAX_TEXT.className) {
      fail('probabilities', `class names must be 1–${MAX_TEXT.className} characters`);
      return null;
    }
    if (!isProbability(p)) {
      fail(`probabilities.${name}`, 'must be a number in [0, 1]');
      return null;
    }
    sum += p;
  }
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
    fail('probabilities', `must sum to 1 within ${PROBABILITY_SUM_TOLERANCE} (they sum to ${sum})`);
    return null;
  }
  return value as Record<string, number>;
}

/** The class with the highest probability; ties go to the first class in sort order, so the choice is deterministic. */
export function argmaxClass(probabilities: Readonly<Record<string, number>>): string {
  let best = '';
  let bestP = -1;
  for (const name of Object.keys(probabilities).sort()) {
    if (probabilities[name] > bestP) {
      best = name;
      bestP = probabilities[name];
    }
  }
  return best;
}

function isFeatures(value: unknown): value is Record<string, FeatureValue> {
  if (!isPlainObject(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_FEATURES &&
    entries.every(
      ([name, item]) =>
        name.length >= 1 &&
        name.length <= MAX_TEXT.featureName &&
        (item === null || isMeasuredValue(item) || (typeof item === 'string' && item.length <= MAX_TEXT.featureText)),
    )
  );
}

/**
 * What a prediction and a label check alike, in this order: an object, no unknown property, predictionId, modelId
 * (and its model's settings). Null when the item is not an object (its one error pushed).
 */
function startItem(
  input: unknown,
  path: string,
  fields: ReadonlySet<string>,
  settingsOf: SettingsLookup,
  errors: FieldError[],
): { item: Record<string, unknown>; fail: (field: string, message: string) => void; settings: ReturnType<SettingsLookup> } | null {
  const fail = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  if (!isPlainObject(input)) {
    errors.push({ field: path, message: 'must be an object' });
    return null;
  }
  const item = input;
  for (const key of Object.keys(item)) if (!fields.has(key)) fail(key, `property ${key} should not exist`);
  if (!isTextWithin(item.predictionId, MAX_TEXT.predictionId))
    fail('predictionId', `must be a string of 1–${MAX_TEXT.predictionId} characters`);
  const validId = typeof item.modelId === 'string' && UUID_PATTERN.test(item.modelId);
  if (!validId) fail('modelId', 'must be a UUID');
  return { item, fail, settings: validId ? settingsOf((item.modelId as string).toLowerCase()) : undefined };
}

/** Checks one prediction against its model's task type; the prediction with defaults applied, or null after pushing errors. */
function preparePrediction(
  input: unknown,
  path: string,
  now: Date,
  settingsOf: SettingsLookup,
  errors: FieldError[],
): NewPrediction | null {
  const before = errors.length;
  const started = startItem(input, path, PREDICTION_FIELDS, settingsOf, errors);
  if (!started) return null;
  const { item, fail, settings } = started;
  const predictedAt = parseTime(item.predictedAt, now, 'predictedAt', fail);
  if (item.modelVersion != null && !isTextWithin(item.modelVersion, MAX_TEXT.modelVersion))
    fail('modelVersion', `must be a string of 1–${MAX_TEXT.modelVersion} characters`);
  if (item.environment !== undefined && !isTextWithin(item.environment, MAX_TEXT.environment))
    fail('environment', `must be a string of 1–${MAX_TEXT.environment} characters`);
  if (item.segment !== undefined && !isSegment(item.segment)) fail('segment', SEGMENT_MESSAGE);
  if (item.features !== undefined && item.features !== null && !isFeatures(item.features))
    fail('features', `must map at most ${MAX_FEATURES} feature names to a finite number, a string or null`);

  let score: number | null = null;
  let predictedClass: string | null = null;
  let probabilities: Record<string, number> | null = null;
  let prediction: number | null = null;
  if (settings) {
    const task = settings.taskType;
    if (!PREDICTION_TASKS.has(task)) {
      fail('modelId', `the model's taskType is ${task}; predictions need binary_classification, multiclass_classification or regression`);
    } else {
      const allowed = OUTPUT_FIELDS[task as PredictionTask];
      for (const field of ALL_OUTPUT_FIELDS)
        if (item[field] !== undefined && !allowed.includes(field))
          fail(field, `not used for a ${task} model (give ${allowed.join(' / ')})`);
      if (task === 'binary_classification') {
        if (!isProbability(item.score)) fail('score', 'must be a number in [0, 1] (the probability of class 1)');
        else score = item.score;
        if (item.predictedLabel !== undefined && item.predictedLabel !== 0 && item.predictedLabel !== 1)
          fail('predictedLabel', 'must be 0 or 1');
        else if (score !== null) predictedClass = String(item.predictedLabel ?? (score >= settings.decisionThreshold ? 1 : 0));
      } else if (task === 'multiclass_classification') {
        probabilities = checkProbabilities(item.probabilities, fail);
        if (
          item.predictedLabel !== undefined &&
          (typeof item.predictedLabel !== 'string' || !probabilities || !(item.predictedLabel in probabilities))
        )
          fail('predictedLabel', 'must be one of the classes in probabilities');
        else if (probabilities) predictedClass = (item.predictedLabel as string | undefined) ?? argmaxClass(probabilities);
      } else if (!isMeasuredValue(item.prediction)) fail('prediction', MEASURED_VALUE_MESSAGE);
      else prediction = item.prediction;
    }
  }
  if (errors.length > before || !settings || predictedAt === null) return null;
  return {
    modelId: (item.modelId as string).toLowerCase(),
    predictionId: item.predictionId as string,
    modelVersion: (item.modelVersion as string | null | undefined) ?? null,
    environment: (item.environment as string | undefined) ?? DEFAULT_ENVIRONMENT,
    segment: (item.segment as Record<string, string> | undefined) ?? {},
    predictedAt,
    score,
    predictedClass,
    probabilities,
    prediction,
    features: (item.features as Record<string, FeatureValue> | null | undefined) ?? null,
  };
}

/** Checks one label against its model's task type. */
function prepareLabel(input: unknown, path: string, now: Date, settingsOf: SettingsLookup, errors: FieldError[]): NewLabel | null {
  const before = errors.length;
  const started = startItem(input, path, LABEL_FIELDS, settingsOf, errors);
  if (!started) return null;
  const { item, fail, settings } = started;
  const labelledAt = parseTime(item.labelledAt, now, 'labelledAt', fail);
  let labelClass: string | null = null;
  let labelValue: number | null = null;
  if (settings) {
    const task = settings.taskType;
    if (task === 'binary_classification') {
      if (item.label !== 0 && item.label !== 1) fail('label', 'must be 0 or 1 for a binary_classification model');
      else labelClass = String(item.label);
    } else if (task === 'multiclass_classification') {
      if (!isTextWithin(item.label, MAX_TEXT.className)) fail('label', `must be the class, a string of 1–${MAX_TEXT.className} characters`);
      else labelClass = item.label;
    } else if (task === 'regression') {
      if (!isMeasuredValue(item.label)) fail('label', `${MEASURED_VALUE_MESSAGE} for a regression model`);
      else labelValue = item.label;
    } else fail('modelId', `the model's taskType is ${task}; labels need binary_classification, multiclass_classification or regression`);
  }
  if (errors.length > before || !settings || labelledAt === null) return null;
  return { modelId: (item.modelId as string).toLowerCase(), predictionId: item.predictionId as string, labelClass, labelValue, labelledAt };
}

/** JSON with object keys sorted, so two items with the same content compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isPlainObject(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, item[key]]),
        )
      : item,
  );
}

/**
 * Drops exact repeats of an id inside one batch (counted as duplicates); a repeat with different content is an error
 * at the later item's `field`.
 */
function dedupe<T extends { modelId: string; predictionId: string }>(
  items: T[],
  member: string,
  field: string,
  contentOf: (item: T) => unknown = (item) => item,
): { items: T[]; duplicates: number; errors: FieldError[] } {
  // Content is serialised only for a repeated key: the common batch has none, and sorting every item's keys costs.
  const seen = new Map<string, number>();
  const kept: T[] = [];
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    const key = `${item.modelId}\u0000${item.predictionId}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      kept.push(item);
    } else if (canonical(contentOf(items[first])) !== canonical(contentOf(item))) {
      errors.push({
        field: `${member}[${index}].${field}`,
        message: `repeats ${member}[${first}] (same predictionId) with different content`,
      });
    }
  });
  return { items: kept, duplicates: items.length - kept.length - errors.length, errors };
}

/** POST /predictions body `{ predictions: [...] }`: checked, defaults applied, exact in-batch repeats dropped. */
export function preparePredictionsBody(
  body: unknown,
  now: Date,
  settingsOf: SettingsLookup,
): { predictions: NewPrediction[]; duplicates: number; errors: FieldError[] } {
  const member = batchMember(body, 'predictions');
  if (member.errors.length > 0) return { predictions: [], duplicates: 0, errors: member.errors };
  const batch = prepareBatch(member.items, 'predictions', MAX_PREDICTIONS_PER_BATCH, (item, path, errors) =>
    preparePrediction(item, path, now, settingsOf, errors),
  );
  if (batch.errors.length > 0) return { predictions: [], duplicates: 0, errors: batch.errors };
  const unique = dedupe(batch.items, 'predictions', 'predictionId');
  return unique.errors.length > 0
    ? { predictions: [], duplicates: 0, errors: unique.errors }
    : { predictions: unique.items, duplicates: unique.duplicates, errors: [] };
}

/** POST /labels body `{ labels: [...] }`. */
export function prepareLabelsBody(
  body: unknown,
  now: Date,
  settingsOf: SettingsLookup,
): { labels: NewLabel[]; duplicates: number; errors: FieldError[] } {
  const member = batchMember(body, 'labels');
  if (member.errors.length > 0) return { labels: [], duplicates: 0, errors: member.errors };
  const batch = prepareBatch(member.items, 'labels', MAX_LABELS_PER_BATCH, (item, path, errors) =>
    prepareLabel(item, path, now, settingsOf, errors),
  );
  if (batch.errors.length > 0) return { labels: [], duplicates: 0, errors: batch.errors };
  // The label is the content (as for a stored label): repeats differing only in labelledAt are the same label.
  const unique = dedupe(batch.items, 'labels', 'label', (label) => [label.labelClass, label.labelValue]);
  return unique.errors.length > 0
    ? { labels: [], duplicates: 0, errors: unique.errors }
    : { labels: unique.items, duplicates: unique.duplicates, errors: [] };
}

/** Whether a stored label and a new one say the same (labelledAt aside): a different one is a conflict. */
export function sameLabel(
  stored: Pick<NewLabel, 'labelClass' | 'labelValue'>,
  incoming: Pick<NewLabel, 'labelClass' | 'labelValue'>,
): boolean {
  return stored.labelClass === incoming.labelClass && stored.labelValue === incoming.labelValue;
}
