import { MigrationInterface, QueryRunner } from 'typeorm';

const VIEW_COLUMNS = `alert.id, alert.model_id, model.name AS model_name, alert.type, alert.severity, alert.status, alert.title, alert.message,
                   alert.labels, alert.details, alert.fingerprint, alert.occurrences, alert.value, alert.first_seen_at, alert.last_seen_at,
                   alert.fired_at, alert.notified_severity, alert.cleared_since, alert.acknowledged_at, alert.acknowledged_by,
                   alert.acknowledgement_note, alert.resolved_at, alert.resolved_by, alert.resolution_note, alert.rule_id, alert.source`;

function unresolvedView(extraColumns: string): string {
  return `CREATE OR REPLACE VIEW "v_unresolved_model_alerts" AS
            SELECT ${VIEW_COLUMNS}${extraColumns}
            FROM "model_alerts" alert
            JOIN "models" model ON model.id = alert.model_id
            WHERE alert.status <> 'resolved'
            ORDER BY alert.first_seen_at DESC, alert.id DESC`;
}

/**
 * Silences (model_alert_silences), what held back an alert's latest notification (silenced_by, inhibited_by, also in
 * v_unresolved_model_alerts, appended so the view keeps its columns), and the retrain policy's inhibition settings.
 */
export class CreateAlertSilences1795920000000 implements MigrationInterface {
  name = 'CreateAlertSilences1795920000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_alert_silences" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "matchers" jsonb NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rrule" text, "duration_minutes" integer, "created_by" text NOT NULL, "comment" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_alert_silences_recurrence" CHECK ((rrule IS NULL) = (duration_minutes IS NULL)), CONSTRAINT "ck_model_alert_silences_window" CHECK (ends_at >= starts_at), CONSTRAINT "PK_model_alert_silences" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_alert_silences_created" ON "model_alert_silences" ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_model_alert_silences_ends_at" ON "model_alert_silences" ("ends_at") `);
    await queryRunner.query(`ALTER TABLE "model_alerts" ADD "silenced_by" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "model_alerts" ADD "inhibited_by" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(unresolvedView(', alert.silenced_by, alert.inhibited_by'));
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" ADD "inhibit_during_retrain" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" ADD "reference_grace_minutes" integer NOT NULL DEFAULT '60'`);
    await queryRunner.query(
      `ALTER TABLE "model_retrain_policies" ADD CONSTRAINT "ck_model_retrain_policies_reference_grace" CHECK (reference_grace_minutes >= 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP CONSTRAINT "ck_model_retrain_policies_reference_grace"`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP COLUMN "reference_grace_minutes"`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP COLUMN "inhibit_during_retrain"`);
    await queryRunner.query(`DROP VIEW "v_unresolved_model_alerts"`);
    await queryRunner.query(unresolvedView(''));
    await queryRunner.query(`ALTER TABLE "model_alerts" DROP COLUMN "inhibited_by"`);
    await queryRunner.query(`ALTER TABLE "model_alerts" DROP COLUMN "silenced_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_silences_ends_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_silences_created"`);
    await queryRunner.query(`DROP TABLE "model_alert_silences"`);
  }
}
