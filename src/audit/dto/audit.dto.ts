import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsOptional } from 'src/common/validation/validators';
import { PageOf } from 'src/alerts/dto/page.dto';
import type { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { IsTimestamp } from 'src/common/validation/timestamp';

export class ListAuditQueryDto extends PaginationQueryDto {
  /** Only this API key name (or `protected-mode`). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  /** Only this operation (operationId), e.g. `updateAlertChannel`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  operation?: string;

  /** Only this kind of resource, e.g. `alert-channel`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  resourceType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  resourceId?: string;

  /** Entries at or after this time. */
  @IsOptional()
  @IsTimestamp({ query: true })
  from?: string;

  /** Entries before this time. */
  @IsOptional()
  @IsTimestamp({ query: true })
  to?: string;
}

export class AuditEntryDto {
  /** Position in the hash chain (1, 2, 3, … without gaps). */
  @ApiProperty({ type: 'integer' })
  seq: number;
  @ApiProperty({ format: 'date-time' })
  at: string;
  /** The API key's name, or `protected-mode`. */
  actor: string;
  /** The operationId of the write. */
  operation: string;
  method: string;
  path: string;
  @ApiProperty({ type: 'string', nullable: true })
  resourceType: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  resourceId: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  requestId: string | null;
  /** The config object before the write (secrets redacted); null when not recorded. */
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  before: unknown;
  /** The config object after the write (secrets redacted); null when not recorded or deleted. */
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  after: unknown;
  /** The previous entry's hash. */
  prevHash: string;
  /** sha256(prevHash ‖ canonical JSON of this entry), hex. */
  hash: string;
}

export class AuditPageDto extends PageOf(AuditEntryDto) {}

/** The result of re-computing the whole chain. */
export class AuditVerificationDto {
  /** True when every link holds and the chain head matches the last entry. */
  valid: boolean;
  /** How many entries were checked. */
  @ApiProperty({ type: 'integer' })
  checked: number;
  /** The seq of the first broken entry; null when valid. */
  @ApiProperty({ type: 'integer', nullable: true })
  firstBrokenSeq: number | null;
  /** Why that link is broken. */
  @ApiProperty({ type: 'string', nullable: true, enum: ['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap', 'head_mismatch', null] })
  reason: string | null;
}

export function mapAuditEntry(entry: AuditEntryEntity): AuditEntryDto {
  return {
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    operation: entry.operation,
    method: entry.method,
    path: entry.path,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    requestId: entry.requestId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
