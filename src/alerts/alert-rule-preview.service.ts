import { Inject, Injectable } from '@nestjs/common';
import { AlertChannelsRepository } from 'src/alerts/alert-channels.repository';
import { RuleAggregation, RuleNoData } from 'src/alerts/alert.enums';
import { ruleAlertLabels } from 'src/alerts/alert.policy';
import { AlertRulePreviewDto, mapRulePreview, MAX_PREVIEW_EVALUATIONS, PreviewAlertRuleDto } from 'src/alerts/dto/alert-rule-preview.dto';
import { AlertRuleTargets, computedSpecOf } from 'src/alerts/alert-rule-targets.service';
import { computedReadRange, computedSample } from 'src/alerts/rule-computed.policy';
import { lookbackMinutes, type RuleSample } from 'src/alerts/rule-evaluation.policy';
import { evaluationTicks, replayRule, type ReplayRule, type SilenceLookup } from 'src/alerts/rule-replay.policy';
import { SilenceState } from 'src/alerts/silence.enums';
import type { SilenceEntity } from 'src/alerts/silence.entity';
import { matchingSilences, silenceableLabels } from 'src/alerts/silence-matcher.policy';
import { silenceWindowAt } from 'src/alerts/silence-schedule.policy';
import { SilencesRepository } from 'src/alerts/silences.repository';
import { invalidField } from 'src/common/errors/domain-error';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { MAX_BUCKETS } from 'src/metrics/buckets.policy';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { MetricsService } from 'src/metrics/metrics.service';
import { ModelsService } from 'src/models/models.service';

const MINUTE_MS = 60_000;
/** The interval when the service evaluates nothing itself (ALERT_EVALUATION_INTERVAL_SECONDS=0). */
const FALLBACK_INTERVAL_SECONDS = 60;
/**
 * Index entries one preview may read: each point is read by every evaluation whose window holds it (about
 * windowMinutes / interval of them), and again by the no-data lookback. Bounds the statement's work the way
 * MAX_PREVIEW_EVALUATIONS bounds its length: 6 million reads took 8.3 s on the CI machine (docs/benchmarks.md).
 */
export const MAX_PREVIEW_POINT_READS = 5_000_000;

/**
 * POST /alert-rules/preview: the rule replayed over stored points at the evaluation interval with the live
 * evaluator's step (rule-replay.policy.ts). Reads only; bounded before the replay's one statement runs.
 */
@Injectable()
export class AlertRulePreviewService {
  constructor(
    private readonly models: ModelsService,
    private readonly metrics: MetricsService,
    private readonly targets: AlertRuleTargets,
    private readonly channels: AlertChannelsRepository,
    private readonly silences: SilencesRepository,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
  ) {}

  async preview(input: PreviewAlertRuleDto): Promise<AlertRulePreviewDto> {
    const from = new Date(input.from);
    const to = new Date(input.to);
    if (to.getTime() <= from.getTime()) throw invalidField('to', 'must be after from');
    const intervalSeconds = input.intervalSeconds ?? (this.config.alertEvaluationIntervalSeconds || FALLBACK_INTERVAL_SECONDS);
    const ticks = evaluationTicks(from, to, intervalSeconds * 1000, MAX_PREVIEW_EVALUATIONS);
    if (!ticks) {
      const needed = Math.ceil((to.getTime() - from.getTime()) / (intervalSeconds * 1000));
      throw invalidField(
        'to',
        `the range needs ${needed} evaluations at ${intervalSeconds} s; at most ${MAX_PREVIEW_EVALUATIONS}: shorten it or raise intervalSeconds`,
      );
    }
    const model = await this.models.getSummary(input.rule.modelId);
    const target = await this.targets.resolve({ ...input.rule, environment: input.rule.environment ?? DEFAULT_ENVIRONMENT });
    const rule = { ...previewRule(input.rule), ...target };
    const samples = target.computed
      ? await this.computedSamples(rule, ticks)
      : await this.pushedSamples(rule, ticks, intervalSeconds, { from, to });
    const channels = await this.channels.findMatching({ modelId: model.id, severity: rule.severity, resolvedOnly: false });
    const result = replayRule(
      rule,
      ticks.map((at, index) => ({ at, sample: samples[index] })),
      to,
      channels,
      silenceLookup(await this.silences.findOverlapping(from, to), model),
    );
    return mapRulePreview({ from, to, intervalSeconds }, result, channels);
  }

  /**
   * A computed series is read once, as GET /metrics/trend serves it (one value per bucket, today's labels), and each
   * tick takes its sample from those values with the live evaluator's function.
   */
  private async computedSamples(rule: PreviewRule & ResolvedTarget, ticks: Date[]): Promise<RuleSample[]> {
    const spec = computedSpecOf(rule);
    const range = { from: computedReadRange(spec, ticks[0]).from, to: new Date(ticks[ticks.length - 1].getTime() + 1) };
    const buckets = Math.ceil((range.to.getTime() - range.from.getTime()) / spec.bucketMs);
    if (buckets > MAX_BUCKETS)
      throw invalidField(
        'from',
        `the replay reads ${buckets} ${rule.bucket} buckets; at most ${MAX_BUCKETS}: shorten the range or use a larger bucket`,
      );
    const values = await this.targets.readComputed(rule, spec, range);
    return ticks.map((at) => computedSample(values, spec, at));
  }

  /** A pushed series: each tick's window aggregated in one statement, bounded by the index entries it reads. */
  private async pushedSamples(
    rule: PreviewRule,
    ticks: Date[],
    intervalSeconds: number,
    { from, to }: { from: Date; to: Date },
  ): Promise<RuleSample[]> {
    const series = { modelId: rule.modelId, metricName: rule.metricName, environment: rule.environment };
    const lookbackMs = lookbackMinutes(rule) * MINUTE_MS;
    const points = await this.metrics.countPoints({
      ...series,
      from: new Date(from.getTime() - lookbackMs),
      to: new Date(to.getTime() + 1),
    });
    const perPoint = (minutes: number) => Math.max(1, Math.ceil((minutes * MINUTE_MS) / (intervalSeconds * 1000)));
    const reads = points * (perPoint(rule.windowMinutes) + (rule.noDataMinutes === null ? 0 : perPoint(lookbackMinutes(rule))));
    if (reads > MAX_PREVIEW_POINT_READS) {
      throw invalidField(
        'from',
        `replaying ${points} points with a ${rule.windowMinutes}-minute window every ${intervalSeconds} s reads about ${reads} index entries; at most ${MAX_PREVIEW_POINT_READS}: shorten the range or raise intervalSeconds`,
      );
    }
    return this.metrics.windowsAt({
      ...series,
      aggregation: rule.aggregation,
      ticks,
      windowMs: rule.windowMinutes * MINUTE_MS,
      lookbackMs: rule.noDataMinutes === null ? null : lookbackMs,
    });
  }
}

type PreviewRule = ReturnType<typeof previewRule>;
type ResolvedTarget = Awaited<ReturnType<AlertRuleTargets['resolve']>>;

/** The rule as POST /alert-rules would store it (same defaults); `preview` stands in for its id in the labels. */
function previewRule(
  input: PreviewAlertRuleDto['rule'],
): ReplayRule & { modelId: string; metricName: string; environment: string; aggregation: RuleAggregation } {
  const environment = input.environment ?? DEFAULT_ENVIRONMENT;
  return {
    modelId: input.modelId,
    metricName: input.metricName,
    environment,
    aggregation: input.aggregation,
    windowMinutes: input.windowMinutes,
    comparator: input.comparator,
    threshold: input.threshold,
    severity: input.severity,
    forMinutes: input.forMinutes ?? 0,
    keepFiringForMinutes: input.keepFiringForMinutes ?? 0,
    noData: input.noData ?? RuleNoData.KeepLast,
    noDataMinutes: input.noDataMinutes ?? null,
    labels: ruleAlertLabels({ id: 'preview', metricName: input.metricName, environment, labels: input.labels ?? {} }),
  };
}

/** The stored silences as the replay asks them: the ones active at that instant (recurring windows included) that match. */
function silenceLookup(silences: SilenceEntity[], model: { id: string; name: string }): SilenceLookup {
  return (alert, at) =>
    matchingSilences(
      silences.filter((silence) => silenceWindowAt(silence, at).state === SilenceState.Active),
      silenceableLabels({ ...alert, modelId: model.id, source: 'rule' }, model.name),
    );
}
