import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAlerts1795790000000 implements MigrationInterface {
  name = 'CreateAlerts1795790000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."model_alert_severity" AS ENUM('info', 'warning', 'critical')`);
    await queryRunner.query(
      `CREATE TABLE "model_alert_channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "url" text NOT NULL, "secret" text, "min_severity" "public"."model_alert_severity" NOT NULL DEFAULT 'info', "model_id" uuid, "send_resolved" boolean NOT NULL DEFAULT true, "enabled" boolean NOT NULL DEFAULT true, "repeat_interval_minutes" integer NOT NULL DEFAULT '240', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_alert_channels_repeat" CHECK ("repeat_interval_minutes" BETWEEN 1 AND 10080), CONSTRAINT "PK_be9e7ec70aba7a76aa2807526d9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_model_alert_channels_name" ON "model_alert_channels"  ("name") `);
    await queryRunner.query(`CREATE INDEX "ix_model_alert_channels_model" ON "model_alert_channels"  ("model_id") `);
    await queryRunner.query(`CREATE TYPE "public"."model_alert_aggregation" AS ENUM('avg', 'min', 'max', 'p50', 'p95', 'last')`);
    await queryRunner.query(`CREATE TYPE "public"."model_alert_comparator" AS ENUM('lt', 'lte', 'gt', 'gte')`);
    await queryRunner.query(
      `CREATE TABLE "model_alert_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "name" text, "metric_name" text NOT NULL, "environment" text NOT NULL, "aggregation" "public"."model_alert_aggregation" NOT NULL, "window_minutes" integer NOT NULL, "comparator" "public"."model_alert_comparator" NOT NULL, "threshold" double precision NOT NULL, "severity" "public"."model_alert_severity" NOT NULL, "for_minutes" integer NOT NULL DEFAULT '0', "keep_firing_for_minutes" integer NOT NULL DEFAULT '0', "enabled" boolean NOT NULL DEFAULT true, "labels" jsonb NOT NULL DEFAULT '{}', "last_evaluated_at" TIMESTAMP WITH TIME ZONE, "last_value" double precision, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_alert_rules_keep_firing" CHECK ("keep_firing_for_minutes" BETWEEN 0 AND 10080), CONSTRAINT "ck_model_alert_rules_for" CHECK ("for_minutes" BETWEEN 0 AND 10080), CONSTRAINT "ck_model_alert_rules_window" CHECK ("window_minutes" BETWEEN 1 AND 10080), CONSTRAINT "PK_1745896bba3a69a968588c835f7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_model_alert_rules_target" ON "model_alert_rules"  ("model_id", "metric_name", "environment") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."model_alert_type" AS ENUM('data_drift', 'performance_degradation', 'metric_threshold', 'metric_anomaly', 'ab_test_srm', 'retrain_triggered', 'retrain_failed', 'custom')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."model_alert_status" AS ENUM('pending', 'firing', 'acknowledged', 'resolved')`);
    await queryRunner.query(
      `CREATE TABLE "model_alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "type" "public"."model_alert_type" NOT NULL, "severity" "public"."model_alert_severity" NOT NULL, "status" "public"."model_alert_status" NOT NULL, "title" text NOT NULL, "message" text, "labels" jsonb NOT NULL DEFAULT '{}', "details" jsonb NOT NULL DEFAULT '{}', "fingerprint" text NOT NULL, "occurrences" integer NOT NULL DEFAULT '1', "value" double precision, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fired_at" TIMESTAMP WITH TIME ZONE, "notified_severity" "public"."model_alert_severity", "cleared_since" TIMESTAMP WITH TIME ZONE, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" text, "acknowledgement_note" text, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" text, "resolution_note" text, "rule_id" uuid, "source" text NOT NULL DEFAULT 'api', CONSTRAINT "PK_576c6065a30f7e3bf4178917771" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_alerts_rule" ON "model_alerts"  ("rule_id") `);
    await queryRunner.query(`CREATE INDEX "ix_model_alerts_model_first_seen" ON "model_alerts"  ("model_id", "first_seen_at") `);
    await queryRunner.query(`CREATE INDEX "ix_model_alerts_first_seen" ON "model_alerts"  ("first_seen_at", "id") `);
    await queryRunner.query(`CREATE TYPE "public"."model_alert_delivery_status" AS ENUM('pending', 'delivered', 'failed')`);
    await queryRunner.query(
      `CREATE TABLE "model_alert_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event" text NOT NULL, "url" text NOT NULL, "secret" text, "payload" jsonb NOT NULL, "model_id" uuid, "channel_id" uuid, "alert_id" uuid, "status" "public"."model_alert_delivery_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_817c3d959a8bd211e5eb0978394" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_alert_outbox_model" ON "model_alert_outbox"  ("model_id") `);
    await queryRunner.query(`CREATE INDEX "ix_model_alert_outbox_channel" ON "model_alert_outbox"  ("channel_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_model_alert_outbox_alert_channel" ON "model_alert_outbox"  ("alert_id", "channel_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "model_alert_outbox_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "attempt" integer NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status_code" integer, "error" text, "duration_ms" integer NOT NULL, CONSTRAINT "PK_e50d06d82933865686a5faf6be4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_model_alert_outbox_attempts" ON "model_alert_outbox_attempts"  ("delivery_id", "attempt") `,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_channels" ADD CONSTRAINT "FK_0bea7c7a803e476b6d1b9adcea5" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_rules" ADD CONSTRAINT "FK_8108888b1046b233d90d28f28e6" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alerts" ADD CONSTRAINT "FK_bf076d086f47fd7966112b580f6" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alerts" ADD CONSTRAINT "FK_46a47f7c69a47c6281264e1dd9e" FOREIGN KEY ("rule_id") REFERENCES "model_alert_rules"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_outbox" ADD CONSTRAINT "FK_8c0ec7896e27d8c7f43d3e42204" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_outbox" ADD CONSTRAINT "FK_b40286ee75c1bdace6264221503" FOREIGN KEY ("channel_id") REFERENCES "model_alert_channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_outbox" ADD CONSTRAINT "FK_e08694165d5ea0508df357f7143" FOREIGN KEY ("alert_id") REFERENCES "model_alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_outbox_attempts" ADD CONSTRAINT "FK_7b595a4067cd910719ba2dadcbd" FOREIGN KEY ("delivery_id") REFERENCES "model_alert_outbox"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Dedup: at most one unresolved alert per fingerprint, across any number of instances (raise() upserts against it).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_model_alerts_open_fingerprint" ON "model_alerts" ("fingerprint") WHERE "status" <> 'resolved'`,
    );
    // GET /alerts/active reads only unresolved alerts, newest first.
    await queryRunner.query(
      `CREATE INDEX "ix_model_alerts_unresolved" ON "model_alerts" ("first_seen_at" DESC, "id" DESC) WHERE "status" <> 'resolved'`,
    );
    // The delivery worker's claim query: due pending rows only, so delivered history does not slow it down.
    await queryRunner.query(
      `CREATE INDEX "ix_model_alert_outbox_due" ON "model_alert_outbox" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(`CREATE VIEW "v_unresolved_model_alerts" AS
            SELECT alert.id, alert.model_id, model.name AS model_name, alert.type, alert.severity, alert.status, alert.title, alert.message,
                   alert.labels, alert.details, alert.fingerprint, alert.occurrences, alert.value, alert.first_seen_at, alert.last_seen_at,
                   alert.fired_at, alert.notified_severity, alert.cleared_since, alert.acknowledged_at, alert.acknowledged_by,
                   alert.acknowledgement_note, alert.resolved_at, alert.resolved_by, alert.resolution_note, alert.rule_id, alert.source
            FROM "model_alerts" alert
            JOIN "models" model ON model.id = alert.model_id
            WHERE alert.status <> 'resolved'
            ORDER BY alert.first_seen_at DESC, alert.id DESC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "v_unresolved_model_alerts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_outbox_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alerts_unresolved"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_alerts_open_fingerprint"`);
    await queryRunner.query(`ALTER TABLE "model_alert_outbox_attempts" DROP CONSTRAINT "FK_7b595a4067cd910719ba2dadcbd"`);
    await queryRunner.query(`ALTER TABLE "model_alert_outbox" DROP CONSTRAINT "FK_e08694165d5ea0508df357f7143"`);
    await queryRunner.query(`ALTER TABLE "model_alert_outbox" DROP CONSTRAINT "FK_b40286ee75c1bdace6264221503"`);
    await queryRunner.query(`ALTER TABLE "model_alert_outbox" DROP CONSTRAINT "FK_8c0ec7896e27d8c7f43d3e42204"`);
    await queryRunner.query(`ALTER TABLE "model_alerts" DROP CONSTRAINT "FK_46a47f7c69a47c6281264e1dd9e"`);
    await queryRunner.query(`ALTER TABLE "model_alerts" DROP CONSTRAINT "FK_bf076d086f47fd7966112b580f6"`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP CONSTRAINT "FK_8108888b1046b233d90d28f28e6"`);
    await queryRunner.query(`ALTER TABLE "model_alert_channels" DROP CONSTRAINT "FK_0bea7c7a803e476b6d1b9adcea5"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_alert_outbox_attempts"`);
    await queryRunner.query(`DROP TABLE "model_alert_outbox_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_outbox_alert_channel"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_outbox_channel"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_outbox_model"`);
    await queryRunner.query(`DROP TABLE "model_alert_outbox"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_delivery_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alerts_first_seen"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alerts_model_first_seen"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alerts_rule"`);
    await queryRunner.query(`DROP TABLE "model_alerts"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_status"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_rules_target"`);
    await queryRunner.query(`DROP TABLE "model_alert_rules"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_comparator"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_aggregation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_channels_model"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_alert_channels_name"`);
    await queryRunner.query(`DROP TABLE "model_alert_channels"`);
    await queryRunner.query(`DROP TYPE "public"."model_alert_severity"`);
  }
}
