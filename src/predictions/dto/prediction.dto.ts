import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { TIMESTAMP_SCHEMA } from 'src/common/validation/timestamp';
import { ToBoolean } from 'src/common/validation/validation';
import { IsOptional } from 'src/common/validation/validators';
import { MODEL_NAME_PATTERN } from 'src/models/dto/model.dto';
import { MAX_LABELS_PER_BATCH, MAX_PREDICTIONS_PER_BATCH } from 'src/predictions/predictions.policy';

/**
 * One prediction of POST /predictions. Documentation only: the body is checked by preparePredictionsBody
 * (src/predictions/predictions.policy.ts) against the model's task type, naming each bad field `predictions[i].field`.
 * Give the output of the model's task type: binary_classification `score` (+ optional `predictedLabel` 0/1),
 * multiclass_classification `probabilities` (+ optional `predictedLabel`, a class), regression `prediction`.
 */
export class PredictionDto {
  /** The model's id (or give `modelName` instead). */
  @ApiPropertyOptional({ format: 'uuid' })
  modelId?: string;

  /** The model's name, instead of `modelId` (exactly one of the two). */
  @ApiPropertyOptional({ pattern: MODEL_NAME_PATTERN.source })
  modelName?: string;

  /** Your id of this prediction, unique per model (1–200 characters): labels refer to it, and a repeat is skipped. */
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'request-0001' })
  predictionId: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 1, maxLength: 200 })
  modelVersion?: string | null;

  /** When the prediction was served (RFC 3339 with offset, or epoch milliseconds); default now, at most 5 minutes ahead. */
  @ApiPropertyOptional({ oneOf: TIMESTAMP_SCHEMA })
  predictedAt?: string | number;

  /** Deployment environment; default `production`. */
  @ApiPropertyOptional({ default: 'production', minLength: 1, maxLength: 100 })
  environment?: string;

  /** Slice of traffic, a flat map of strings (e.g. `{ "region": "eu" }`); default `{}`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  segment?: Record<string, string>;

  /** Binary classification: the probability of class 1, in [0, 1]. */
  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 1 })
  score?: number;

  /**
   * Binary: 0 or 1 (default: score ≥ the model's decisionThreshold). Multiclass: one of the classes (default: the
   * most probable, ties to the first in sort order).
   */
  @ApiPropertyOptional({ oneOf: [{ type: 'integer', enum: [0, 1] }, { type: 'string' }] })
  predictedLabel?: number | string;

  /** Multiclass classification: class → probability, 2–1,000 classes summing to 1 within 1e-6. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } })
  probabilities?: Record<string, number>;

  /** Regression: the predicted value. */
  @ApiPropertyOptional({ type: 'number' })
  prediction?: number;

  /** The model's inputs, name → number, string or null (at most 500), for data-quality and drift over traffic. */
  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    additionalProperties: {
      oneOf: [
        { type: 'number', nullable: true },
        { type: 'string', maxLength: 1000 },
      ],
    },
  })
  features?: Record<string, number | string | null> | null;
}

/** The body of POST /predictions (documentation only: see PredictionDto). */
export class RecordPredictionsDto {
  /** 1 to 10,000 predictions, logged all or nothing. */
  @ApiProperty({ type: [PredictionDto], minItems: 1, maxItems: MAX_PREDICTIONS_PER_BATCH })
  predictions: PredictionDto[];
}

/** The body as the handler receives it: an interface, so the ValidationPipe leaves it to preparePredictionsBody. */
export interface RecordPredictionsBody {
  predictions?: unknown;
}

export class RecordPredictionsResultDto {
  /** Predictions written. */
  @ApiProperty({ type: 'integer' })
  recorded: number;
  /** Predictions skipped: their predictionId was already logged for the model, or repeated in the batch. */
  @ApiProperty({ type: 'integer' })
  duplicates: number;
  /** Of the predictions written, those whose label had already arrived (pending until now). */
  @ApiProperty({ type: 'integer' })
  labelled: number;
}

/** One label of POST /labels (documentation only: checked by prepareLabelsBody against the model's task type). */
export class LabelDto {
  /** The model's id (or give `modelName` instead). */
  @ApiPropertyOptional({ format: 'uuid' })
  modelId?: string;

  /** The model's name, instead of `modelId` (exactly one of the two). */
  @ApiPropertyOptional({ pattern: MODEL_NAME_PATTERN.source })
  modelName?: string;

  /** The predictionId the label belongs to; the prediction may be logged later (the label waits, pending). */
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'request-0001' })
  predictionId: string;

  /** The ground truth: 0 or 1 (binary), the class (multiclass), a number (regression). */
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', minLength: 1, maxLength: 200 }] })
  label: number | string;

  /** When the truth became known (RFC 3339 with offset, or epoch milliseconds); default now. */
  @ApiPropertyOptional({ oneOf: TIMESTAMP_SCHEMA })
  labelledAt?: string | number;
}

export class RecordLabelsDto {
  /** 1 to 10,000 labels, recorded all or nothing. */
  @ApiProperty({ type: [LabelDto], minItems: 1, maxItems: MAX_LABELS_PER_BATCH })
  labels: LabelDto[];
}

export interface RecordLabelsBody {
  labels?: unknown;
}

export class RecordLabelsQueryDto {
  /** Replace labels already recorded with a different value (otherwise such a batch is a 409 and nothing is written). */
  @ApiPropertyOptional({ type: 'boolean', default: false })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  overwrite?: boolean;
}

export class RecordLabelsResultDto {
  /** Labels written for the first time. */
  @ApiProperty({ type: 'integer' })
  recorded: number;
  /** Labels already recorded with the same value (or repeated in the batch). */
  @ApiProperty({ type: 'integer' })
  duplicates: number;
  /** Labels that replaced a different one (only with overwrite=true). */
  @ApiProperty({ type: 'integer' })
  overwritten: number;
  /** Of this batch's labels, those whose prediction has not been logged yet. */
  @ApiProperty({ type: 'integer' })
  pending: number;
}
