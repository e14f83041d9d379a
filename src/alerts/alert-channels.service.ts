import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertChannelsRepository } from 'src/alerts/alert-channels.repository';
import { PAYLOAD_VERSION } from 'src/alerts/alert-notifier.service';
import { AlertErrors } from 'src/alerts/alerts.errors';
import {
  AlertChannelDto,
  AlertChannelPageDto,
  AlertChannelTestResultDto,
  CreateAlertChannelDto,
  ListAlertChannelsQueryDto,
  mapAlertChannel,
  UpdateAlertChannelDto,
} from 'src/alerts/dto/alert-channel.dto';
import { WebhookSender } from 'src/alerts/webhook-sender';
import { Clock } from 'src/common/clock';
import { isUniqueViolation } from 'src/common/errors/postgres-errors';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { ModelsService } from 'src/models/models.service';

@Injectable()
export class AlertChannelsService {
  constructor(
    private readonly channels: AlertChannelsRepository,
    private readonly models: ModelsService,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateAlertChannelDto): Promise<AlertChannelDto> {
    if (input.modelId) await this.models.getSummary(input.modelId);
    return this.saving(input.name, async () =>
      mapAlertChannel(await this.channels.insert({ ...input, secret: input.secret ?? null, modelId: input.modelId ?? null })),
    );
  }

  async list(query: ListAlertChannelsQueryDto): Promise<AlertChannelPageDto> {
    const after = decodeCursor<{ name: string }>(query.cursor, ['name']);
    const rows = await this.channels.list({ afterName: after?.name, limit: query.limit });
    return toPage(rows, query.limit, mapAlertChannel, (channel) => ({ name: channel.name }));
  }

  async get(id: string): Promise<AlertChannelDto> {
    return mapAlertChannel(await this.getOrFail(id));
  }

  async update(id: string, changes: UpdateAlertChannelDto): Promise<AlertChannelDto> {
    const channel = await this.getOrFail(id);
    if (changes.modelId) await this.models.getSummary(changes.modelId);
    return this.saving(changes.name, async () => mapAlertChannel(await this.channels.update(channel, changes)));
  }

  async delete(id: string): Promise<void> {
    if (!(await this.channels.delete(id))) throw this.notFound(id);
  }

  /** Sends a signed `test` event right away (not through the outbox) and reports what the receiver answered. */
  async test(id: string): Promise<AlertChannelTestResultDto> {
    const channel = await this.getOrFail(id);
    const body = JSON.stringify({
      version: PAYLOAD_VERSION,
      event: 'test',
      channel: { id: channel.id, name: channel.name },
      sentAt: this.clock.now().toISOString(),
    });
    const result = await this.sender.send({ url: channel.url, secret: channel.secret, deliveryId: randomUUID(), event: 'test', body });
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    return { delivered, ...result };
  }

  private async saving<Result>(name: string | undefined, work: () => Promise<Result>): Promise<Result> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error))
        throw AlertErrors.ALERT_CHANNEL_NAME_TAKEN(`An alert channel named "${name}" already exists.`, { name });
      throw error;
    }
  }

  private async getOrFail(id: string): Promise<AlertChannelEntity> {
    const channel = await this.channels.findById(id);
    if (!channel) throw this.notFound(id);
    return channel;
  }

  private notFound(id: string) {
    return AlertErrors.ALERT_CHANNEL_NOT_FOUND(`No alert channel with id ${id}.`, { channelId: id });
  }
}
