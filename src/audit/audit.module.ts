import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditTrail } from 'src/audit/audit-trail.service';
import { AuditController } from 'src/audit/audit.controller';
import { AuditInterceptor } from 'src/audit/audit.interceptor';
import { AuditRepository } from 'src/audit/audit.repository';
import { AuditService } from 'src/audit/audit.service';
import { requestContextMiddleware } from 'src/common/http/request-context';

/** The audit trail: appended by every API write's transaction, read and verified by admins. */
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditTrail, AuditService, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware).forRoutes('{*path}');
  }
}
