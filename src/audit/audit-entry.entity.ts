import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `model_audit_log`: one row per write through the API, hash-chained in `seq` order (see audit-chain.policy.ts). */
@Entity({ name: 'model_audit_log' })
@Index('ix_model_audit_log_resource', ['resourceType', 'resourceId', 'seq'])
@Index('ix_model_audit_log_at', ['at', 'seq'])
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** The API key's name, or `protected-mode` when the service runs without keys. */
  @Column({ type: 'text' })
  actor: string;

  /** The operationId (the handler's name), e.g. `updateAlertChannel`. */
  @Column({ type: 'text' })
  operation: string;

  @Column({ type: 'text' })
  method: string;

  @Column({ type: 'text' })
  path: string;

  @Column({ name: 'resource_type', type: 'text', nullable: true })
  resourceType: string | null;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}

/** `model_audit_chain`: the single row every appender locks (FOR UPDATE), so concurrent writers form one linear chain. */
@Entity({ name: 'model_audit_chain' })
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq: string;

  @Column({ name: 'last_hash', type: 'text' })
  lastHash: string;
}
