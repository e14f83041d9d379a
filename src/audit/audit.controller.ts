import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditService } from 'src/audit/audit.service';
import { AuditPageDto, AuditVerificationDto, ListAuditQueryDto } from 'src/audit/dto/audit.dto';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';

/** The audit trail of every write through the API; admin scope. */
@ApiTags('audit')
@RequireScope('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Audit entries, newest first, filtered by actor, operation, resource and time. */
  @Get()
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(400)
  listAuditEntries(@Query() query: ListAuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }

  /** Re-computes the hash chain and reports the first broken link (an entry altered, removed or re-ordered). */
  @Get('verify')
  @ApiOkResponse({ type: AuditVerificationDto })
  checkAuditTrail(): Promise<AuditVerificationDto> {
    return this.audit.verify();
  }
}
