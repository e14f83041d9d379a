import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertEntity } from 'src/alerts/alert.entity';
import { AlertSeverity, AlertStatus, AlertType } from 'src/alerts/alert.enums';
import type { StoredInhibition } from 'src/alerts/alert-suppression.types';
import { rowToEntity } from 'src/alerts/entity-rows';
import { managerOf, Transaction } from 'src/database/transaction';

/** One raise: the row to insert, or to fold into the unresolved alert with the same fingerprint. */
export interface AlertUpsert {
  modelId: string | null;
  type: AlertType;
  severity: AlertSeverity;
  /** Pending or firing; an existing pending alert is promoted by a firing raise, never demoted. */
  status: AlertStatus.Pending | AlertStatus.Firing;
  title: string;
  message: string | null;
  labels: Record<string, string>;
  details: Record<string, unknown>;
  fingerprint: string;
  value: number | null;
  source: string;
  ruleId: string | null;
  now: Date;
}

export interface AlertFilter {
  modelId?: string;
  type?: AlertType;
  severity?: AlertSeverity;
  statuses?: AlertStatus[];
  from?: Date;
  to?: Date;
  /** Keyset: rows strictly after this (first_seen_at, id) in descending order. */
  before?: { at: Date; id: string };
  limit: number;
}

export interface ResolveChange {
  by: string;
  note: string | null;
  now: Date;
}

@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private toAlert(row: Record<string, unknown>): AlertEntity {
    return rowToEntity(this.dataSource, AlertEntity, row);
  }

  /**
   * Insert, or update the unresolved alert with this fingerprint, in one statement against the unique partial
   * index: concurrent raises of one fingerprint from any number of instances queue on that index entry and
   * each adds one occurrence, with no unique violation to abort the caller's transaction. The returned row
   * stays locked by this transaction until it commits, so what the caller decides from it (notifications)
   * cannot race another raise. Severity only goes up (enum order), details merge (latest keys win).
   */
  async upsert(alert: AlertUpsert, transaction: Transaction): Promise<AlertEntity> {
    const rows: Record<string, unknown>[] = await transaction.manager.query(
      `INSERT INTO model_alerts AS alert (model_id, type, severity, status, title, message, labels, details, fingerprint, occurrences, value,
                                          first_seen_at, last_seen_at, fired_at, rule_id, source)
       VALUES ($1, $2, $3, $4::model_alert_status, $5, $6, $7, $8, $9, 1, $10, $11, $11,
               CASE WHEN $4::model_alert_status = 'firing' THEN $11::timestamptz END, $12, $13)
       ON CONFLICT (fingerprint) WHERE status <> 'resolved' DO UPDATE SET
         occurrences = alert.occurrences + 1,
         last_seen_at = GREATEST(alert.last_seen_at, EXCLUDED.last_seen_at),
         severity = GREATEST(alert.severity, EXCLUDED.severity),
         status = CASE WHEN alert.status = 'pending' AND EXCLUDED.status = 'firing' THEN 'firing'::model_alert_status ELSE alert.status END,
         fired_at = CASE WHEN alert.fired_at IS NULL AND (alert.status = 'firing' OR EXCLUDED.status = 'firing')
                         THEN EXCLUDED.last_seen_at ELSE alert.fired_at END,
         title = EXCLUDED.title,
         message = COALESCE(EXCLUDED.message, alert.message),
         details = alert.details || EXCLUDED.details,
         value = COALESCE(EXCLUDED.value, alert.value),
         rule_id = COALESCE(alert.rule_id, EXCLUDED.rule_id),
         cleared_since = NULL
       RETURNING alert.*`,
      [
        alert.modelId,
        alert.type,
        alert.severity,
        alert.status,
        alert.title,
        alert.message,
        JSON.stringify(alert.labels),
        JSON.stringify(alert.details),
        alert.fingerprint,
        alert.value,
        alert.now,
        alert.ruleId,
        alert.source,
      ],
    );
    return this.toAlert(rows[0]);
  }

  async findById(id: string, transaction?: Transaction): Promise<AlertEntity | null> {
    return managerOf(this.dataSource, transaction).getRepository(AlertEntity).findOneBy({ id });
  }

  /** The unresolved alert with this fingerprint, locked for the rest of the transaction. */
  async findOpenByFingerprintForUpdate(fingerprint: string, transaction: Transaction): Promise<AlertEntity | null> {
    const rows: Record<string, unknown>[] = await transaction.manager.query(
      `SELECT * FROM model_alerts WHERE fingerprint = $1 AND status <> 'resolved' FOR UPDATE`,
      [fingerprint],
    );
    return rows.length > 0 ? this.toAlert(rows[0]) : null;
  }

  /** Moves the alert to `to` only if it is in one of `from` (atomic compare-and-set); null when it was not. */
  async transition(
    where: { id: string } | { fingerprint: string },
    from: readonly AlertStatus[],
    change: { to: AlertStatus.Acknowledged | AlertStatus.Resolved } & ResolveChange,
    transaction: Transaction,
  ): Promise<AlertEntity | null> {
    const [column, key] = 'id' in where ? ['id', where.id] : ['fingerprint', where.fingerprint];
    const stamp =
      change.to === AlertStatus.Acknowledged
        ? 'acknowledged_at = $3, acknowledged_by = $4, acknowledgement_note = $5'
        : 'resolved_at = $3, resolved_by = $4, resolution_note = $5, cleared_since = NULL';
    // Wrapped in a CTE so the driver returns plain rows (a bare UPDATE comes back as [rows, count]).
    const rows: Record<string, unknown>[] = await transaction.manager.query(
      `WITH changed AS (
         UPDATE model_alerts SET status = $2::model_alert_status, ${stamp}
         WHERE ${column} = $1 AND status = ANY($6::model_alert_status[])
         RETURNING *)
       SELECT * FROM changed`,
      [key, change.to, change.now, change.by, change.note, from],
    );
    return rows.length > 0 ? this.toAlert(rows[0]) : null;
  }

  /** Unresolved alerts a rule raised (for when the rule is disabled, changed or deleted). */
  async findOpenByRuleForUpdate(ruleId: string, transaction: Transaction): Promise<AlertEntity[]> {
    const rows: Record<string, unknown>[] = await transaction.manager.query(
      `SELECT * FROM model_alerts WHERE rule_id = $1 AND status <> 'resolved' FOR UPDATE`,
      [ruleId],
    );
    return rows.map((row) => this.toAlert(row));
  }

  async setNotifiedSeverity(id: string, severity: AlertSeverity, transaction: Transaction): Promise<void> {
    await transaction.manager.query('UPDATE model_alerts SET notified_severity = $2 WHERE id = $1', [id, severity]);
  }

  async setSuppression(id: string, silencedBy: string[], inhibitedBy: StoredInhibition[], transaction: Transaction): Promise<void> {
    await transaction.manager.query('UPDATE model_alerts SET silenced_by = $2, inhibited_by = $3 WHERE id = $1', [
      id,
      JSON.stringify(silencedBy),
      JSON.stringify(inhibitedBy),
    ]);
  }

  /**
   * Firing alerts whose latest notification was held back (by a silence, or by an inhibition of one of `types`), locked;
   * rows another instance is reviewing are skipped (SKIP LOCKED), so each is reconsidered by one transaction at a time.
   */
  async findWithheldFiringForUpdate(
    filter: { modelId?: string; types?: AlertType[]; silenceId?: string; afterId?: string; limit: number },
    transaction: Transaction,
  ): Promise<AlertEntity[]> {
    const conditions = [`status = 'firing'`, `(silenced_by <> '[]'::jsonb OR inhibited_by <> '[]'::jsonb)`];
    const parameters: unknown[] = [];
    if (filter.modelId) conditions.push(`model_id = $${parameters.push(filter.modelId)}`);
    if (filter.types) conditions.push(`type = ANY($${parameters.push(filter.types)}::model_alert_type[])`);
    if (filter.silenceId) conditions.push(`silenced_by @> $${parameters.push(JSON.stringify([filter.silenceId]))}::jsonb`);
    if (filter.afterId) conditions.push(`id > $${parameters.push(filter.afterId)}::uuid`);
    const rows: Record<string, unknown>[] = await transaction.manager.query(
      `SELECT * FROM model_alerts WHERE ${conditions.join(' AND ')}
       ORDER BY id ASC LIMIT $${parameters.push(filter.limit)} FOR UPDATE SKIP LOCKED`,
      parameters,
    );
    return rows.map((row) => this.toAlert(row));
  }

  /** Merges keys into an alert's details (latest keys win) and moves last_seen_at forward; the alert as it now stands. */
  async mergeDetails(id: string, details: Record<string, unknown>, now: Date, transaction: Transaction): Promise<AlertEntity | null> {
    const rows: Record<string, unknown>[] = await transaction.manager.query(
      `WITH changed AS (
         UPDATE model_alerts SET details = details || $2::jsonb, last_seen_at = GREATEST(last_seen_at, $3) WHERE id = $1 RETURNING *)
       SELECT * FROM changed`,
      [id, JSON.stringify(details), now],
    );
    return rows.length > 0 ? this.toAlert(rows[0]) : null;
  }

  async setClearedSince(id: string, since: Date, transaction: Transaction): Promise<void> {
    await transaction.manager.query('UPDATE model_alerts SET cleared_since = $2 WHERE id = $1', [id, since]);
  }

  /** Newest first (first_seen_at, id descending), keyset-paginated, limit + 1 rows. */
  list(filter: AlertFilter): Promise<AlertEntity[]> {
    const query = this.dataSource
      .getRepository(AlertEntity)
      .createQueryBuilder('alert')
      .orderBy('alert.firstSeenAt', 'DESC')
      .addOrderBy('alert.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.modelId) query.andWhere('alert.modelId = :modelId', { modelId: filter.modelId });
    if (filter.type) query.andWhere('alert.type = :type', { type: filter.type });
    if (filter.severity) query.andWhere('alert.severity = :severity', { severity: filter.severity });
    if (filter.statuses) query.andWhere('alert.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.from) query.andWhere('alert.firstSeenAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('alert.firstSeenAt < :to', { to: filter.to });
    if (filter.before) {
      query.andWhere('(alert.firstSeenAt, alert.id) < (:beforeAt, :beforeId)', { beforeAt: filter.before.at, beforeId: filter.before.id });
    }
    return query.getMany();
  }

  /** GET /alerts/active reads the v_unresolved_model_alerts view (kept from the seed system), newest first. */
  async listUnresolved(filter: AlertFilter): Promise<{ alert: AlertEntity; modelName: string | null }[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => {
      conditions.push(condition.replace(/\?/g, () => `$${parameters.push(values.shift())}`));
    };
    if (filter.modelId) add('model_id = ?', filter.modelId);
    if (filter.type) add('type = ?', filter.type);
    if (filter.severity) add('severity = ?', filter.severity);
    if (filter.statuses) add('status = ANY(?::model_alert_status[])', filter.statuses);
    if (filter.before) add('(first_seen_at, id) < (?::timestamptz, ?::uuid)', filter.before.at, filter.before.id);
    parameters.push(filter.limit + 1);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM v_unresolved_model_alerts
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY first_seen_at DESC, id DESC
       LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map((row) => ({ alert: this.toAlert(row), modelName: (row.model_name as string | null) ?? null }));
  }
}
