import { Injectable } from '@nestjs/common';
import {
  computedRuleErrors,
  type ComputedRuleSpec,
  DEFAULT_COMPUTED_BUCKET,
  type ComputedBucketValue,
} from 'src/alerts/rule-computed.policy';
import { invalidFields } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';
import { BUCKET_MS, type BucketSize } from 'src/metrics/buckets.policy';
import { ComputedMetrics } from 'src/metrics/computed-metrics';

/** What a rule watches, as far as pushed-or-computed is concerned. */
export interface RuleTarget {
  modelId: string;
  metricName: string;
  environment: string;
  windowMinutes: number;
  bucket?: BucketSize | null;
  evaluationLagMinutes?: number;
}

/** The stored form: a computed metric's bucket (null for a pushed one) and lag. */
export interface ResolvedRuleTarget {
  computed: boolean;
  bucket: BucketSize | null;
  evaluationLagMinutes: number;
}

/**
 * Rules on pushed or computed metrics alike: which a metric name is (the ComputedMetrics registry that GET
 * /metrics/trend dispatches with decides), whether the model serves it, and the computed series a rule reads.
 */
@Injectable()
export class AlertRuleTargets {
  constructor(private readonly computedMetrics: ComputedMetrics) {}

  isComputed(metricName: string): boolean {
    return this.computedMetrics.isComputed(metricName);
  }

  /**
   * Checks a rule's target (400 naming metricName when the model does not compute the name, bucket or
   * evaluationLagMinutes when they do not fit) and returns the bucket and lag to store. A pushed metric keeps no bucket
   * or lag: `explicit` says which of the two the request itself gave (an update may change only the metric).
   */
  async resolve(
    target: RuleTarget,
    explicit: { bucket: boolean; evaluationLagMinutes: boolean } = ALL_EXPLICIT,
    transaction?: Transaction,
  ): Promise<ResolvedRuleTarget> {
    const computed = this.isComputed(target.metricName);
    if (computed) await this.computedMetrics.readerFor(target.modelId, target.metricName, 'metricName', transaction);
    const resolved = {
      computed,
      bucket: computed ? (target.bucket ?? DEFAULT_COMPUTED_BUCKET) : null,
      evaluationLagMinutes: computed ? (target.evaluationLagMinutes ?? 0) : 0,
    };
    const errors = computedRuleErrors({
      computed,
      bucket: explicit.bucket ? target.bucket : resolved.bucket,
      evaluationLagMinutes: explicit.evaluationLagMinutes ? (target.evaluationLagMinutes ?? 0) : resolved.evaluationLagMinutes,
      windowMinutes: target.windowMinutes,
    });
    if (errors.length > 0) throw invalidFields(errors);
    return resolved;
  }

  /** The bucket values GET /metrics/trend serves for the rule's series over [from, to), through the same registry. */
  async readComputed(
    rule: Pick<RuleTarget, 'modelId' | 'metricName' | 'environment'>,
    spec: Pick<ComputedRuleSpec, 'bucketMs'>,
    range: { from: Date; to: Date },
    transaction?: Transaction,
  ): Promise<ComputedBucketValue[]> {
    return this.computedMetrics.bucketValues(
      rule.metricName,
      { modelId: rule.modelId, environment: rule.environment, ...range },
      spec.bucketMs,
      transaction,
    );
  }
}

const ALL_EXPLICIT = { bucket: true, evaluationLagMinutes: true };

/** The read settings of a stored (or previewed) computed rule. */
export function computedSpecOf(rule: {
  aggregation: ComputedRuleSpec['aggregation'];
  windowMinutes: number;
  evaluationLagMinutes: number;
  noDataMinutes: number | null;
  bucket: BucketSize | null;
}): ComputedRuleSpec {
  return { ...rule, bucketMs: BUCKET_MS[rule.bucket ?? DEFAULT_COMPUTED_BUCKET] };
}
