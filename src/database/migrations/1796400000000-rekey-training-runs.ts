import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * model_training_history (the user's table name, kept) is keyed by (model_id, id), so a distributed PostgreSQL (Citus)
 * can distribute it by model_id (test/schema-distribution.e2e-spec.ts), and a run's parent is referenced through
 * (model_id, parent_run_id): a parent has always had to be a run of the same model (TrainingRunsService.checkParent).
 * Deleting a parent still only clears parent_run_id: ON DELETE SET NULL with a column list (PostgreSQL 15), since a plain
 * SET NULL would clear model_id too. Citus refuses SET NULL on a key containing the distribution column, so this
 * foreign key stays on the distribution test's ratchet list. GET and PATCH /training-runs/{runId} name no model, hence
 * the plain index on id.
 */
export class RekeyTrainingRuns1796400000000 implements MigrationInterface {
  name = 'RekeyTrainingRuns1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP CONSTRAINT "fk_training_runs_parent"`);
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP CONSTRAINT "PK_16892901f0466154b746336e60d"`);
    await queryRunner.query(`ALTER TABLE "model_training_history" ADD CONSTRAINT "pk_training_runs" PRIMARY KEY ("model_id", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_training_runs_id" ON "model_training_history" ("id")`);
    await queryRunner.query(
      `ALTER TABLE "model_training_history" ADD CONSTRAINT "fk_training_runs_parent" FOREIGN KEY ("model_id", "parent_run_id") REFERENCES "model_training_history"("model_id", "id") ON DELETE SET NULL ("parent_run_id") ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP CONSTRAINT "fk_training_runs_parent"`);
    await queryRunner.query(`DROP INDEX "public"."ix_training_runs_id"`);
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP CONSTRAINT "pk_training_runs"`);
    await queryRunner.query(`ALTER TABLE "model_training_history" ADD CONSTRAINT "PK_16892901f0466154b746336e60d" PRIMARY KEY ("id")`);
    await queryRunner.query(
      `ALTER TABLE "model_training_history" ADD CONSTRAINT "fk_training_runs_parent" FOREIGN KEY ("parent_run_id") REFERENCES "model_training_history"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }
}
