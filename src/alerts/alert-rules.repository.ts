import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertRuleEntity } from 'src/alerts/alert-rule.entity';
import { managerOf, Transaction } from 'src/database/transaction';

/** created_at comes from the service clock (millisecond precision), so list cursors compare exactly. */
export type NewAlertRule = Omit<AlertRuleEntity, 'id' | 'model' | 'lastEvaluatedAt' | 'lastValue'>;

export interface AlertRuleFilter {
  modelId?: string;
  metricName?: string;
  enabled?: boolean;
  after?: { at: Date; id: string };
  limit: number;
}

/** Arbitrary but fixed: the transaction-scoped advisory lock held by whichever instance is evaluating rules. */
const RULE_EVALUATION_LOCK_KEY = 7_346_601;

@Injectable()
export class AlertRulesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(AlertRuleEntity);
  }

  insert(rule: NewAlertRule, transaction?: Transaction): Promise<AlertRuleEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.create(rule));
  }

  findById(id: string, transaction?: Transaction): Promise<AlertRuleEntity | null> {
    return this.repository(transaction).findOneBy({ id });
  }

  /** Locks the rule so an evaluation cannot interleave with its update or delete. */
  findByIdForUpdate(id: string, transaction: Transaction): Promise<AlertRuleEntity | null> {
    return this.repository(transaction).createQueryBuilder('rule').where('rule.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** Oldest first by (created_at, id), keyset-paginated, limit + 1 rows. */
  list(filter: AlertRuleFilter): Promise<AlertRuleEntity[]> {
    const query = this.repository()
      .createQueryBuilder('rule')
      .orderBy('rule.createdAt', 'ASC')
      .addOrderBy('rule.id', 'ASC')
      .limit(filter.limit + 1);
    if (filter.modelId) query.andWhere('rule.modelId = :modelId', { modelId: filter.modelId });
    if (filter.metricName) query.andWhere('rule.metricName = :metricName', { metricName: filter.metricName });
    if (filter.enabled !== undefined) query.andWhere('rule.enabled = :enabled', { enabled: filter.enabled });
    if (filter.after)
      query.andWhere('(rule.createdAt, rule.id) > (:afterAt, :afterId)', { afterAt: filter.after.at, afterId: filter.after.id });
    return query.getMany();
  }

  /** Enabled rules, all of them or those watching some metrics of one model (after a `metrics.recorded` event). */
  findEnabled(
    transaction: Transaction,
    scope?: { modelId: string; metricNames: string[]; environments: string[] },
  ): Promise<AlertRuleEntity[]> {
    const query = this.repository(transaction)
      .createQueryBuilder('rule')
      .where('rule.enabled')
      .orderBy('rule.createdAt', 'ASC')
      .addOrderBy('rule.id', 'ASC');
    if (scope) {
      query
        .andWhere('rule.modelId = :modelId', { modelId: scope.modelId })
        .andWhere('rule.metricName IN (:...metricNames)', { metricNames: scope.metricNames })
        .andWhere('rule.environment IN (:...environments)', { environments: scope.environments });
    }
    return query.getMany();
  }

  /** Enabled rules of these models not evaluated since `evaluatedBefore` (the debounced evaluation after ingest). */
  findEnabledOfModels(modelIds: string[], evaluatedBefore: Date, transaction: Transaction): Promise<AlertRuleEntity[]> {
    return this.repository(transaction)
      .createQueryBuilder('rule')
      .where('rule.enabled')
      .andWhere('rule.modelId IN (:...modelIds)', { modelIds })
      .andWhere('(rule.lastEvaluatedAt IS NULL OR rule.lastEvaluatedAt < :evaluatedBefore)', { evaluatedBefore })
      .orderBy('rule.createdAt', 'ASC')
      .addOrderBy('rule.id', 'ASC')
      .getMany();
  }

  update(rule: AlertRuleEntity, changes: Partial<AlertRuleEntity>, transaction: Transaction): Promise<AlertRuleEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.merge(rule, changes));
  }

  /** The periodic evaluator: true if this transaction now holds the evaluation lock, false if another instance does. */
  async tryLockEvaluation(transaction: Transaction): Promise<boolean> {
    const [{ locked }] = await transaction.manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RULE_EVALUATION_LOCK_KEY]);
    return locked === true;
  }

  /** Event-driven evaluations wait for a running evaluation instead (so they read the points that triggered them). */
  async lockEvaluation(transaction: Transaction): Promise<void> {
    await transaction.manager.query('SELECT pg_advisory_xact_lock($1)', [RULE_EVALUATION_LOCK_KEY]);
  }

  /** Raw SQL so an evaluation does not bump updated_at (that stays the time of the last edit). */
  async recordEvaluation(id: string, at: Date, value: number | null, transaction: Transaction): Promise<void> {
    await transaction.manager.query('UPDATE model_alert_rules SET last_evaluated_at = $2, last_value = $3 WHERE id = $1', [id, at, value]);
  }

  async delete(id: string, transaction: Transaction): Promise<void> {
    await this.repository(transaction).delete({ id });
  }
}
