import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateModels1795754122058 implements MigrationInterface {
  name = 'CreateModels1795754122058';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."model_task_type" AS ENUM('binary_classification', 'multiclass_classification', 'regression', 'ranking', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "models" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "display_name" text, "description" text, "task_type" "public"."model_task_type" NOT NULL DEFAULT 'other', "owner" text, "tags" text array NOT NULL DEFAULT '{}', "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ef9ed7160ea69013636466bf2d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_models_name" ON "models"  ("name") `);
    await queryRunner.query(`CREATE INDEX "ix_models_owner" ON "models"  ("owner") `);
    // tag filter (tags @> ARRAY[tag]); declared synchronize:false on the entity because TypeORM cannot express GIN
    await queryRunner.query(`CREATE INDEX "ix_models_tags" ON "models" USING gin ("tags")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_models_tags"`);
    await queryRunner.query(`DROP INDEX "public"."ix_models_owner"`);
    await queryRunner.query(`DROP INDEX "public"."uq_models_name"`);
    await queryRunner.query(`DROP TABLE "models"`);
    await queryRunner.query(`DROP TYPE "public"."model_task_type"`);
  }
}
