import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drift tables are keyed by model_id first, so a distributed PostgreSQL (Citus) can distribute them by model_id and
 * keep a check and its feature results on one shard (test/schema-distribution.e2e-spec.ts): model_drift_checks by
 * (model_id, id), model_drift_feature_results by (model_id, check_id, feature_name), and the results' foreign key to
 * their check goes through (model_id, check_id), still ON DELETE CASCADE. The results have carried their check's model_id
 * since 1795800000000; a row whose model_id differs from its check's (only possible by hand) is set to the check's, as
 * the new foreign key requires. GET /drift/checks/{checkId} names no model, hence the plain index on the checks' id.
 */
export class RekeyDriftChecks1796390000000 implements MigrationInterface {
  name = 'RekeyDriftChecks1796390000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP CONSTRAINT "FK_8592b1a3791d05f002c8276f29f"`);
    await queryRunner.query(
      `UPDATE "model_drift_feature_results" result SET "model_id" = drift_check."model_id"
       FROM "model_drift_checks" drift_check
       WHERE drift_check."id" = result."check_id" AND drift_check."model_id" <> result."model_id"`,
    );
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP CONSTRAINT "PK_08ddfe0ec76340938614227c385"`);
    await queryRunner.query(`ALTER TABLE "model_drift_checks" DROP CONSTRAINT "PK_f801b555f6e5fddb957274c722d"`);
    await queryRunner.query(`ALTER TABLE "model_drift_checks" ADD CONSTRAINT "pk_model_drift_checks" PRIMARY KEY ("model_id", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_model_drift_checks_id" ON "model_drift_checks" ("id")`);
    await queryRunner.query(
      `ALTER TABLE "model_drift_feature_results" ADD CONSTRAINT "pk_model_drift_feature_results" PRIMARY KEY ("model_id", "check_id", "feature_name")`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_drift_feature_results" ADD CONSTRAINT "fk_model_drift_feature_results_check" FOREIGN KEY ("model_id", "check_id") REFERENCES "model_drift_checks"("model_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP CONSTRAINT "fk_model_drift_feature_results_check"`);
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP CONSTRAINT "pk_model_drift_feature_results"`);
    await queryRunner.query(
      `ALTER TABLE "model_drift_feature_results" ADD CONSTRAINT "PK_08ddfe0ec76340938614227c385" PRIMARY KEY ("check_id", "feature_name")`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_model_drift_checks_id"`);
    await queryRunner.query(`ALTER TABLE "model_drift_checks" DROP CONSTRAINT "pk_model_drift_checks"`);
    await queryRunner.query(`ALTER TABLE "model_drift_checks" ADD CONSTRAINT "PK_f801b555f6e5fddb957274c722d" PRIMARY KEY ("id")`);
    await queryRunner.query(
      `ALTER TABLE "model_drift_feature_results" ADD CONSTRAINT "FK_8592b1a3791d05f002c8276f29f" FOREIGN KEY ("check_id") REFERENCES "model_drift_checks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
