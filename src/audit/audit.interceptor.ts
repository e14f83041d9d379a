import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';
import { AuditTrail } from 'src/audit/audit-trail.service';
import { NOT_AUDITED } from 'src/audit/not-audited.decorator';
import { requestContext } from 'src/common/http/request-context';
import { TransactionRunner } from 'src/database/transaction';

/**
 * Names the operation of each request for the audit trail (the handler's name, its operationId). A write that ran
 * no transaction of its own (e.g. sending a test event) still gets its entry, in a transaction of its own after the
 * handler succeeded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reflector: Reflector,
  ) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const context = requestContext.getStore();
    if (!context || execution.getType() !== 'http') return next.handle();
    if (this.reflector.get<boolean>(NOT_AUDITED, execution.getHandler())) return next.handle();
    context.operation = execution.getHandler().name;
    if (!AuditTrail.isAudited(context)) return next.handle();
    return next.handle().pipe(
      mergeMap((value: unknown) =>
        from(
          (async () => {
            if (context.audited === 0) await this.transactions.run(async () => undefined);
            return value;
          })(),
        ),
      ),
    );
  }
}
