import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOutboxLanes1795810000000 implements MigrationInterface {
  name = 'AddOutboxLanes1795810000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_alert_outbox_lanes" ("lane" text NOT NULL, "consecutive_failures" integer NOT NULL DEFAULT '0', "open_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_model_alert_outbox_lanes" PRIMARY KEY ("lane"))`,
    );
    // The claim query counts each lane's deliveries in flight (claimed, not yet recorded) across all instances.
    await queryRunner.query(
      `CREATE INDEX "ix_model_alert_outbox_claimed" ON "model_alert_outbox" ("locked_until") WHERE "status" = 'pending' AND "locked_until" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_model_alert_outbox_claimed"`);
    await queryRunner.query(`DROP TABLE "model_alert_outbox_lanes"`);
  }
}
