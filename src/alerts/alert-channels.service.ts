import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ChannelKind } from 'src/alerts/alert.enums';
import { channelShapeProblems, defaultChannelUrl, type ChannelShape } from 'src/alerts/channel-kind.policy';
import { renderDelivery } from 'src/alerts/channel-delivery';
import { integrationsConfig, type IntegrationsConfig } from 'src/config/configuration';
import { invalidFields } from 'src/common/errors/domain-error';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertChannelsRepository } from 'src/alerts/alert-channels.repository';
import { PAYLOAD_VERSION } from 'src/alerts/alert-notifier.service';
import { AlertErrors } from 'src/alerts/alerts.errors';
import {
  AlertChannelDto,
  AlertChannelPageDto,
  AlertChannelTestResultDto,
  AlertChannelWithSecretDto,
  CreateAlertChannelDto,
  ListAlertChannelsQueryDto,
  mapAlertChannel,
  UpdateAlertChannelDto,
} from 'src/alerts/dto/alert-channel.dto';
import { WebhookAddressGuard } from 'src/alerts/webhook-address-guard';
import { WebhookSender } from 'src/alerts/webhook-sender';
import { generateWebhookSecret } from 'src/alerts/webhook-signature.policy';
import { Clock } from 'src/common/clock';
import { isUniqueViolation } from 'src/common/errors/postgres-errors';
import { describeAuditedChange } from 'src/common/http/request-context';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { TransactionRunner } from 'src/database/transaction';
import { Secrets } from 'src/common/secrets/secrets.service';
import { ModelsService } from 'src/models/models.service';

/** Audit entries show channels as their API form: `hasSecret`, never the secret. */
const AUDIT_KIND = 'alert-channel';

@Injectable()
export class AlertChannelsService {
  constructor(
    private readonly channels: AlertChannelsRepository,
    private readonly models: ModelsService,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly guard: WebhookAddressGuard,
    private readonly secrets: Secrets,
    private readonly transactions: TransactionRunner,
    @Inject(integrationsConfig.KEY) private readonly integrations: IntegrationsConfig,
  ) {}

  /** Without a secret, one is generated and returned in this response only; the stored secret is sealed. */
  async create(input: CreateAlertChannelDto): Promise<AlertChannelWithSecretDto> {
    const kind = input.kind ?? ChannelKind.Webhook;
    const url = input.url ?? defaultChannelUrl(kind);
    assertShape({ kind, url, hasRoutingKey: Boolean(input.routingKey) });
    if (input.modelId) await this.models.getSummary(input.modelId);
    await this.guard.assertAllowedUrl(url!, 'url');
    const generated = input.secret ? null : generateWebhookSecret();
    const secret = this.secrets.seal(input.secret ?? generated);
    const routingKey = this.secrets.seal(input.routingKey ?? null);
    const channel = await this.saving(input.name, () =>
      this.transactions.run(async (transaction) => {
        const row = { ...input, kind, url: url!, secret, routingKey, modelId: input.modelId ?? null };
        const created = mapAlertChannel(await this.channels.insert(row, transaction));
        describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: created.id, before: null, after: created });
        return created;
      }),
    );
    return { ...channel, secret: generated };
  }

  async list(query: ListAlertChannelsQueryDto): Promise<AlertChannelPageDto> {
    const after = decodeCursor<{ name: string }>(query.cursor, ['name']);
    const rows = await this.channels.list({ afterName: after?.name, limit: query.limit });
    return toPage(rows, query.limit, mapAlertChannel, (channel) => ({ name: channel.name }));
  }

  async get(id: string): Promise<AlertChannelDto> {
    return mapAlertChannel(await this.getOrFail(id));
  }

  /** `secret: null` replaces the secret by a generated one (returned once); a given secret is sealed. */
  async update(id: string, changes: UpdateAlertChannelDto): Promise<AlertChannelWithSecretDto> {
    await this.getOrFail(id);
    if (changes.modelId) await this.models.getSummary(changes.modelId);
    if (changes.url !== undefined) await this.guard.assertAllowedUrl(changes.url, 'url');
    const generated = changes.secret === null ? generateWebhookSecret() : null;
    const sealed = {
      ...(changes.secret === undefined ? {} : { secret: this.secrets.seal(changes.secret ?? generated) }),
      ...(changes.routingKey === undefined ? {} : { routingKey: this.secrets.seal(changes.routingKey) }),
    };
    const updated = await this.saving(changes.name, () =>
      this.transactions.run(async (transaction) => {
        const channel = await this.channels.findByIdForUpdate(id, transaction);
        if (!channel) throw this.notFound(id);
        assertShape({
          kind: changes.kind ?? channel.kind,
          url: changes.url ?? channel.url,
          hasRoutingKey: changes.routingKey === undefined ? channel.routingKey !== null : changes.routingKey !== null,
        });
        const before = mapAlertChannel(channel);
        const after = mapAlertChannel(await this.channels.update(channel, { ...changes, ...sealed }, transaction));
        describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before, after });
        return after;
      }),
    );
    return { ...updated, secret: generated };
  }

  async delete(id: string): Promise<void> {
    await this.transactions.run(async (transaction) => {
      const channel = await this.channels.findByIdForUpdate(id, transaction);
      if (!channel || !(await this.channels.delete(id, transaction))) throw this.notFound(id);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before: mapAlertChannel(channel), after: null });
    });
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
    const request = renderDelivery(
      { kind: channel.kind, url: channel.url, routingKey: this.secrets.open(channel.routingKey) },
      { event: 'test', payload: JSON.parse(body) as Record<string, unknown>, sentAt: this.clock.now() },
      { publicUrl: this.integrations.publicUrl },
    );
    const result = await this.sender.send({
      url: request.url,
      secret: channel.secret,
      deliveryId: randomUUID(),
      event: 'test',
      body: request.body,
    });
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

function assertShape(shape: ChannelShape): void {
  const problems = channelShapeProblems(shape);
  if (problems.length > 0) throw invalidFields(problems);
}
