import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertChannelsService } from 'src/alerts/alert-channels.service';
import {
  AlertChannelDto,
  AlertChannelPageDto,
  AlertChannelTestResultDto,
  AlertChannelWithSecretDto,
  CreateAlertChannelDto,
  ListAlertChannelsQueryDto,
  UpdateAlertChannelDto,
} from 'src/alerts/dto/alert-channel.dto';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';

/** Webhook receivers of alert notifications; every operation needs the admin scope. */
@ApiTags('alerts')
@RequireScope('admin')
@Controller('alert-channels')
export class AlertChannelsController {
  constructor(private readonly channels: AlertChannelsService) {}

  /** Add a webhook channel; without a secret one is generated and returned once (later responses only say `hasSecret`). */
  @Post()
  @ApiCreatedResponse({ type: AlertChannelWithSecretDto })
  @ApiProblems(400, 404, 409)
  createAlertChannel(@Body() body: CreateAlertChannelDto): Promise<AlertChannelWithSecretDto> {
    return this.channels.create(body);
  }

  /** List channels by name. */
  @Get()
  @ApiOkResponse({ type: AlertChannelPageDto })
  @ApiProblems(400)
  listAlertChannels(@Query() query: ListAlertChannelsQueryDto): Promise<AlertChannelPageDto> {
    return this.channels.list(query);
  }

  /** A channel (`hasSecret` instead of its secret). */
  @Get(':channelId')
  @ApiOkResponse({ type: AlertChannelDto })
  @ApiProblems(400, 404)
  getAlertChannel(@UuidParam('channelId') channelId: string): Promise<AlertChannelDto> {
    return this.channels.get(channelId);
  }

  /** Change a channel; `secret: null` replaces the secret by a generated one (returned once), `modelId: null` removes the model filter. */
  @Patch(':channelId')
  @ApiOkResponse({ type: AlertChannelWithSecretDto })
  @ApiProblems(400, 404, 409)
  updateAlertChannel(@UuidParam('channelId') channelId: string, @Body() body: UpdateAlertChannelDto): Promise<AlertChannelWithSecretDto> {
    return this.channels.update(channelId, body);
  }

  /** Delete a channel and its queued notifications. */
  @Delete(':channelId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404)
  deleteAlertChannel(@UuidParam('channelId') channelId: string): Promise<void> {
    return this.channels.delete(channelId);
  }

  /** Send a signed `test` event now and return what the receiver answered. */
  @Post(':channelId/test')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertChannelTestResultDto })
  @ApiProblems(400, 404)
  testAlertChannel(@UuidParam('channelId') channelId: string): Promise<AlertChannelTestResultDto> {
    return this.channels.test(channelId);
  }
}
