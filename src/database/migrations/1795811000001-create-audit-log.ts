import { MigrationInterface, QueryRunner } from 'typeorm';

/** The hash-chained audit log and its single-row chain head (seeded: seq 0, the all-zero genesis hash). */
export class CreateAuditLog1795811000001 implements MigrationInterface {
  name = 'CreateAuditLog1795811000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" text NOT NULL, "operation" text NOT NULL, "method" text NOT NULL, "path" text NOT NULL, "resource_type" text, "resource_id" text, "request_id" text, "before" jsonb, "after" jsonb, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_6f1cf89cfbf970fc99fd72359eb" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_audit_log_at" ON "model_audit_log"  ("at", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_model_audit_log_resource" ON "model_audit_log"  ("resource_type", "resource_id", "seq") `);
    await queryRunner.query(
      `CREATE TABLE "model_audit_chain" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, "last_hash" text NOT NULL, CONSTRAINT "PK_5babfca61971c65b9ff42a891f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "model_audit_chain" ("id", "last_seq", "last_hash") VALUES (1, 0, repeat('0', 64))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "model_audit_chain"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_audit_log_resource"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_audit_log_at"`);
    await queryRunner.query(`DROP TABLE "model_audit_log"`);
  }
}
