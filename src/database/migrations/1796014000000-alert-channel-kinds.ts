import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channel kinds (webhook, slack, pagerduty, alertmanager) with PagerDuty's routing key (sealed), and alerts that
 * belong to no model (from Alertmanager): model_alerts.model_id becomes nullable, and v_unresolved_model_alerts
 * keeps them (LEFT JOIN, model_name null).
 */
export class AlertChannelKinds1796014000000 implements MigrationInterface {
  name = 'AlertChannelKinds1796014000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."model_alert_channel_kind" AS ENUM('webhook', 'slack', 'pagerduty', 'alertmanager')`);
    await queryRunner.query(`ALTER TABLE "model_alert_channels" ADD "kind" "public"."model_alert_channel_kind" NOT NULL DEFAULT 'webhook'`);
    await queryRunner.query(`ALTER TABLE "model_alert_channels" ADD "routing_key" text`);
    await queryRunner.query(`ALTER TABLE "model_alerts" ALTER COLUMN "model_id" DROP NOT NULL`);
    await queryRunner.query(`DROP VIEW "v_unresolved_model_alerts"`);
    await queryRunner.query(`CREATE VIEW "v_unresolved_model_alerts" AS
            SELECT alert.id, alert.model_id, model.name AS model_name, alert.type, alert.severity, alert.status, alert.title, alert.message,
                   alert.labels, alert.details, alert.fingerprint, alert.occurrences, alert.value, alert.first_seen_at, alert.last_seen_at,
                   alert.fired_at, alert.notified_severity, alert.cleared_since, alert.acknowledged_at, alert.acknowledged_by,
                   alert.acknowledgement_note, alert.resolved_at, alert.resolved_by, alert.resolution_note, alert.rule_id, alert.source
            FROM "model_alerts" alert
            LEFT JOIN "models" model ON model.id = alert.model_id
            WHERE alert.status <> 'resolved'
            ORDER BY alert.first_seen_at DESC, alert.id DESC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "v_unresolved_model_alerts"`);
    await queryRunner.query(`DELETE FROM "model_alerts" WHERE "model_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "model_alerts" ALTER COLUMN "model_id" SET NOT NULL`);
    await queryRunner.query(`CREATE VIEW "v_unresolved_model_alerts" AS
            SELECT alert.id, alert.model_id, model.name AS model_name, alert.type, alert.severity, alert.status, alert.title, alert.message,
                   alert.labels, alert.details, alert.fingerprint, alert.occurrences, alert.value, alert.first_seen_at, alert.last_seen_at,
                   alert.fired_at, alert.notified_severity, alert.cleared_since, alert.acknowledged_at, alert.acknowledged_by,
                   alert.acknowledgement_note, alert.resolved_at, alert.resolved_by, alert.resolution_note, alert.rule_id, alert.source
            FROM "model_alerts" alert
            JOIN "models" model ON model.id = alert.model_id
            WHERE alert.status <> 'resolved'
            ORDER BY alert.first_seen_at DESC, alert.id DESC`);
    await queryRunner.query(`ALTER TABLE "model_alert_channels" DROP COLUMN "routing_key"`);
    await queryRunner.query(`ALTER TABLE "model_alert_channels" DROP COLUMN "kind"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_channel_kind"`);
  }
}
