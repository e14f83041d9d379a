import { Injectable } from '@nestjs/common';
import { firstBreak, GENESIS_HASH } from 'src/audit/audit-chain.policy';
import { AuditRepository } from 'src/audit/audit.repository';
import { AuditPageDto, AuditVerificationDto, ListAuditQueryDto, mapAuditEntry } from 'src/audit/dto/audit.dto';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';

const VERIFY_BATCH = 1000;

/** Reading and verifying the audit trail (admin). */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async list(query: ListAuditQueryDto): Promise<AuditPageDto> {
    const after = decodeCursor<{ seq: number }>(query.cursor, ['seq']);
    const rows = await this.audit.list({
      actor: query.actor,
      operation: query.operation,
      resourceType: query.resourceType,
      resourceId: query.resourceId,
      from: parseOptionalTimestamp(query.from),
      to: parseOptionalTimestamp(query.to),
      beforeSeq: after?.seq,
      limit: query.limit,
    });
    return toPage(rows, query.limit, mapAuditEntry, (entry) => ({ seq: entry.seq }));
  }

  /** Re-computes every link from the first entry, in batches; reports the first broken one. */
  async verify(): Promise<AuditVerificationDto> {
    const head = await this.audit.head();
    let previous = { seq: 0, hash: GENESIS_HASH };
    let checked = 0;
    for (;;) {
      const batch = await this.audit.chainAfter(previous.seq, VERIFY_BATCH);
      const broken = firstBreak(batch, previous);
      if (broken)
        return {
          valid: false,
          checked: checked + batch.findIndex((entry) => entry.seq >= broken.seq),
          firstBrokenSeq: broken.seq,
          reason: broken.reason,
        };
      checked += batch.length;
      if (batch.length > 0) previous = { seq: batch[batch.length - 1].seq, hash: batch[batch.length - 1].hash };
      if (batch.length < VERIFY_BATCH) break;
    }
    // entries removed from the end leave the head ahead of the last entry
    if (head.seq !== previous.seq || head.hash !== previous.hash) {
      return { valid: false, checked, firstBrokenSeq: previous.seq + 1, reason: 'head_mismatch' };
    }
    return { valid: true, checked, firstBrokenSeq: null, reason: null };
  }
}
