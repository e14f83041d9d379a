import { Injectable, OnModuleInit } from '@nestjs/common';
import { entryHash } from 'src/audit/audit-chain.policy';
import { AuditRepository } from 'src/audit/audit.repository';
import { Clock } from 'src/common/clock';
import { requestContext, type RequestContext } from 'src/common/http/request-context';
import { TransactionRunner, type Transaction } from 'src/database/transaction';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const PROTECTED_MODE_ACTOR = 'protected-mode';

/**
 * Appends the audit entry of an API write inside the write's own transaction, as its last statement (a
 * TransactionRunner before-commit hook): the entry commits with the write or not at all. Only transactions run
 * while serving a mutating request are audited; event listeners run outside the request (DomainEvents), and
 * background jobs have no request. Services add before/after with describeAuditedChange().
 */
@Injectable()
export class AuditTrail implements OnModuleInit {
  constructor(
    private readonly audit: AuditRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.transactions.addBeforeCommit((transaction) => this.appendForRequest(transaction));
  }

  /** Whether the current request is a write that the audit trail records. */
  static isAudited(context: RequestContext | undefined): context is RequestContext {
    return context !== undefined && MUTATING.has(context.request.method) && context.operation !== null;
  }

  private async appendForRequest(transaction: Transaction): Promise<void> {
    const context = requestContext.getStore();
    if (!AuditTrail.isAudited(context)) return;
    const { request, detail } = context;
    const path = request.originalUrl.split('?')[0];
    const head = await this.audit.lockHead(transaction);
    const entry = {
      seq: head.seq + 1,
      at: this.clock.now(),
      actor: request.apiKeyName ?? PROTECTED_MODE_ACTOR,
      operation: context.operation!,
      method: request.method,
      path,
      resourceType: detail?.resourceType ?? resourceTypeOf(path),
      resourceId: detail ? detail.resourceId : firstParam(request.params as Record<string, unknown>),
      requestId: (request as { id?: unknown }).id === undefined ? null : String((request as { id?: unknown }).id),
      before: detail?.before ?? null,
      after: detail?.after ?? null,
    };
    await this.audit.append({ ...entry, prevHash: head.hash, hash: entryHash(head.hash, entry) }, transaction);
    context.audited++;
  }
}

/** `/api/v1/alert-channels/…` → `alert-channels`. */
function resourceTypeOf(path: string): string | null {
  const segments = path.split('/').filter(Boolean);
  return segments[2] ?? segments[0] ?? null;
}

function firstParam(params: Record<string, unknown> | undefined): string | null {
  const values = Object.values(params ?? {});
  return values.length > 0 ? String(values[0]) : null;
}
