import { Injectable } from '@nestjs/common';
import { AlertRuleEntity } from 'src/alerts/alert-rule.entity';
import { RuleNoData } from 'src/alerts/alert.enums';
import { sameRuleIdentity } from 'src/alerts/alert.policy';
import { AlertLifecycle } from 'src/alerts/alert-lifecycle.service';
import { AlertRulesRepository } from 'src/alerts/alert-rules.repository';
import { AlertRuleTargets } from 'src/alerts/alert-rule-targets.service';
import { AlertErrors } from 'src/alerts/alerts.errors';
import {
  AlertRuleDto,
  AlertRulePageDto,
  CreateAlertRuleDto,
  ListAlertRulesQueryDto,
  mapAlertRule,
  UpdateAlertRuleDto,
} from 'src/alerts/dto/alert-rule.dto';
import { decodeTimeCursor, timeCursorKey, toPage } from 'src/common/pagination/cursor';
import { Clock } from 'src/common/clock';
import { describeAuditedChange } from 'src/common/http/request-context';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { ModelsService } from 'src/models/models.service';

const AUDIT_KIND = 'alert-rule';

@Injectable()
export class AlertRulesService {
  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly models: ModelsService,
    private readonly targets: AlertRuleTargets,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateAlertRuleDto): Promise<AlertRuleDto> {
    await this.models.getSummary(input.modelId);
    const environment = input.environment ?? DEFAULT_ENVIRONMENT;
    const { bucket, evaluationLagMinutes } = await this.targets.resolve({ ...input, environment });
    const now = this.clock.now();
    return this.transactions.run(async (transaction) => {
      const rule = await this.rules.insert(
        {
          ...input,
          bucket,
          evaluationLagMinutes,
          createdAt: now,
          updatedAt: now,
          name: input.name ?? null,
          environment,
          forMinutes: input.forMinutes ?? 0,
          keepFiringForMinutes: input.keepFiringForMinutes ?? 0,
          noData: input.noData ?? RuleNoData.KeepLast,
          noDataMinutes: input.noDataMinutes ?? null,
          enabled: input.enabled ?? true,
          labels: input.labels ?? {},
        },
        transaction,
      );
      const created = mapAlertRule(rule);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: created.id, before: null, after: created });
      return created;
    });
  }

  async list(query: ListAlertRulesQueryDto): Promise<AlertRulePageDto> {
    const rows = await this.rules.list({ ...query, after: decodeTimeCursor(query.cursor, 'at') });
    return toPage(rows, query.limit, mapAlertRule, (rule) => timeCursorKey('at', rule.createdAt, rule.id));
  }

  async get(id: string): Promise<AlertRuleDto> {
    return mapAlertRule(await this.getOrFail(id));
  }

  /**
   * Alerts follow the rule: disabling it, or changing what it watches (metric, environment, labels), resolves
   * the alerts it has open; threshold, window or severity changes apply from the next evaluation.
   */
  async update(id: string, changes: UpdateAlertRuleDto): Promise<AlertRuleDto> {
    return this.transactions.run(async (transaction) => {
      const rule = await this.getOrFail(id, transaction, true);
      const before = { ...rule };
      const beforeDto = mapAlertRule(rule);
      const target = await this.targets.resolve(
        { ...rule, ...(changes as Partial<AlertRuleEntity>) },
        { bucket: changes.bucket !== undefined, evaluationLagMinutes: changes.evaluationLagMinutes !== undefined },
        transaction,
      );
      const updated = await this.rules.update(
        rule,
        {
          ...(changes as Partial<AlertRuleEntity>),
          bucket: target.bucket,
          evaluationLagMinutes: target.evaluationLagMinutes,
          updatedAt: this.clock.now(),
        },
        transaction,
      );
      if (!updated.enabled && before.enabled) await this.lifecycle.resolveRuleAlerts(id, 'The rule was disabled.', transaction);
      else if (!sameRuleIdentity(before, updated)) await this.lifecycle.resolveRuleAlerts(id, 'The rule was changed.', transaction);
      const after = mapAlertRule(updated);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before: beforeDto, after });
      return after;
    });
  }

  async delete(id: string): Promise<void> {
    await this.transactions.run(async (transaction) => {
      const rule = await this.getOrFail(id, transaction, true);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before: mapAlertRule(rule), after: null });
      await this.lifecycle.resolveRuleAlerts(id, 'The rule was deleted.', transaction);
      await this.rules.delete(id, transaction);
    });
  }

  private async getOrFail(id: string, transaction?: Transaction, forUpdate = false): Promise<AlertRuleEntity> {
    const rule =
      forUpdate && transaction ? await this.rules.findByIdForUpdate(id, transaction) : await this.rules.findById(id, transaction);
    if (!rule) throw AlertErrors.ALERT_RULE_NOT_FOUND(`No alert rule with id ${id}.`, { ruleId: id });
    return rule;
  }
}
