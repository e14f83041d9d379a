import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateSilenceDto, ListSilencesQueryDto, SilenceDto, SilencePageDto } from 'src/alerts/dto/silence.dto';
import { SilencesService } from 'src/alerts/silences.service';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';

/** Alertmanager-style silences: creating and expiring need the admin scope, reading the read scope. */
@ApiTags('alerts')
@Controller('silences')
export class SilencesController {
  constructor(private readonly silences: SilencesService) {}

  /** Silence matching alerts from startsAt to endsAt, or in recurring windows (rrule + durationMinutes); they are still recorded. */
  @Post()
  @RequireScope('admin')
  @ApiCreatedResponse({ type: SilenceDto })
  @ApiProblems(400)
  createSilence(@Body() body: CreateSilenceDto): Promise<SilenceDto> {
    return this.silences.create(body);
  }

  /** Silences, newest first, each with its state now. */
  @Get()
  @ApiOkResponse({ type: SilencePageDto })
  @ApiProblems(400)
  listSilences(@Query() query: ListSilencesQueryDto): Promise<SilencePageDto> {
    return this.silences.list(query);
  }

  @Get(':silenceId')
  @ApiOkResponse({ type: SilenceDto })
  @ApiProblems(400, 404)
  getSilence(@UuidParam('silenceId') silenceId: string): Promise<SilenceDto> {
    return this.silences.get(silenceId);
  }

  /** Expire a silence now (it stays listed as expired); alerts it held back are notified if nothing else silences them. */
  @Delete(':silenceId')
  @RequireScope('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Expired.' })
  @ApiProblems(400, 404, 409)
  deleteSilence(@UuidParam('silenceId') silenceId: string): Promise<void> {
    return this.silences.expire(silenceId);
  }
}
