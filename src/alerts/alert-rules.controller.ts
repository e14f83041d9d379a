import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertRulePreviewService } from 'src/alerts/alert-rule-preview.service';
import { AlertRulesService } from 'src/alerts/alert-rules.service';
import { AlertRulePreviewDto, PreviewAlertRuleDto } from 'src/alerts/dto/alert-rule-preview.dto';
import {
  AlertRuleDto,
  AlertRulePageDto,
  CreateAlertRuleDto,
  ListAlertRulesQueryDto,
  UpdateAlertRuleDto,
} from 'src/alerts/dto/alert-rule.dto';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';

/** Threshold rules on recorded metrics; every operation needs the admin scope. */
@ApiTags('alerts')
@RequireScope('admin')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(
    private readonly rules: AlertRulesService,
    private readonly previews: AlertRulePreviewService,
  ) {}

  /** Add a rule: alert when the aggregated metric over the window crosses the threshold (for `forMinutes`). */
  @Post()
  @ApiCreatedResponse({ type: AlertRuleDto })
  @ApiProblems(400, 404)
  createAlertRule(@Body() body: CreateAlertRuleDto): Promise<AlertRuleDto> {
    return this.rules.create(body);
  }

  /**
   * Backtest a rule without saving it: replay the live evaluator's state machine over the stored points of [from, to)
   * at the evaluation interval; firing intervals, time in breach, and notifications per channel (repeat interval included).
   */
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertRulePreviewDto })
  @ApiProblems(400, 404)
  previewAlertRule(@Body() body: PreviewAlertRuleDto): Promise<AlertRulePreviewDto> {
    return this.previews.preview(body);
  }

  /** List rules, oldest first, filtered by model, metric or enabled state. */
  @Get()
  @ApiOkResponse({ type: AlertRulePageDto })
  @ApiProblems(400)
  listAlertRules(@Query() query: ListAlertRulesQueryDto): Promise<AlertRulePageDto> {
    return this.rules.list(query);
  }

  /** A rule with its last evaluation (time and aggregated value). */
  @Get(':ruleId')
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiProblems(400, 404)
  getAlertRule(@UuidParam('ruleId') ruleId: string): Promise<AlertRuleDto> {
    return this.rules.get(ruleId);
  }

  /** Disabling a rule or changing its metric, environment or labels resolves the alerts it has open. */
  @Patch(':ruleId')
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiProblems(400, 404)
  updateAlertRule(@UuidParam('ruleId') ruleId: string, @Body() body: UpdateAlertRuleDto): Promise<AlertRuleDto> {
    return this.rules.update(ruleId, body);
  }

  /** Delete a rule; its open alerts are resolved (its past alerts stay, without the rule reference). */
  @Delete(':ruleId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404)
  deleteAlertRule(@UuidParam('ruleId') ruleId: string): Promise<void> {
    return this.rules.delete(ruleId);
  }
}
