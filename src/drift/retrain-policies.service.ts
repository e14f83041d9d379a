import { Injectable } from '@nestjs/common';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { DriftErrors } from 'src/drift/drift.errors';
import { WebhookAddressGuard } from 'src/alerts/webhook-address-guard';
import { generateWebhookSecret } from 'src/alerts/webhook-signature.policy';
import { Secrets } from 'src/common/secrets/secrets.service';
import { describeAuditedChange } from 'src/common/http/request-context';
import { mapRetrainPolicy, PutRetrainPolicyDto, RetrainPolicyDto, RetrainPolicySavedDto } from 'src/drift/dto/retrain.dto';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import type { RetrainPolicyEntity } from 'src/drift/retrain-policy.entity';
import { DEFAULT_COOLDOWN_MINUTES, DEFAULT_QUEUED_TIMEOUT_MINUTES, DEFAULT_RUNNING_TIMEOUT_MINUTES } from 'src/drift/retrain.policy';
import { DEFAULT_REFERENCE_GRACE_MINUTES } from 'src/drift/retrain-inhibition.policy';
import { ModelsService } from 'src/models/models.service';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { invalidFields } from 'src/common/errors/domain-error';
import { retrainRolloutRequest, templateField, type RetrainRolloutSettings } from 'src/drift/rollout-on-retrain.policy';

/** A model's retrain policy: when the coordinator may retrain on its own, and the pipeline webhook. */
@Injectable()
export class RetrainPoliciesService {
  constructor(
    private readonly policies: RetrainPoliciesRepository,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly guard: WebhookAddressGuard,
    private readonly secrets: Secrets,
    private readonly abTests: AbTestLifecycleService,
  ) {}

  /**
   * Replaces the policy; an omitted webhookSecret keeps the stored one while the URL stays the same, else one is
   * generated and returned once. The URL is refused (400 `webhookUrl`) when it points at a forbidden address.
   */
  async putPolicy(modelId: string, input: PutRetrainPolicyDto): Promise<RetrainPolicySavedDto> {
    const rolloutOnRetrain = input.rolloutOnRetrain ?? null;
    if (rolloutOnRetrain) this.assertRolloutTemplate(modelId, rolloutOnRetrain);
    if (input.webhookUrl) await this.guard.assertAllowedUrl(input.webhookUrl, 'webhookUrl');
    let generated: string | null = null;
    const saved = await this.transactions.run(async (transaction) => {
      await this.models.getSummary(modelId, transaction);
      const existing = await this.policies.findForUpdate(modelId, transaction);
      const before = existing && mapRetrainPolicy(existing);
      const webhookUrl = input.webhookUrl ?? null;
      const keepSecret =
        input.webhookSecret === undefined && existing !== null && existing.webhookUrl === webhookUrl && existing.webhookSecret !== null;
      generated = webhookUrl !== null && !keepSecret && !input.webhookSecret ? generateWebhookSecret() : null;
      const stored = await this.policies.upsert(
        {
          modelId,
          enabled: input.enabled,
          onDataDrift: input.onDataDrift ?? true,
          onPerformanceDegradation: input.onPerformanceDegradation ?? true,
          cooldownMinutes: input.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
          webhookUrl,
          queuedTimeoutMinutes: input.queuedTimeoutMinutes ?? DEFAULT_QUEUED_TIMEOUT_MINUTES,
          runningTimeoutMinutes: input.runningTimeoutMinutes ?? DEFAULT_RUNNING_TIMEOUT_MINUTES,
          inhibitDuringRetrain: input.inhibitDuringRetrain ?? true,
          referenceGraceMinutes: input.referenceGraceMinutes ?? DEFAULT_REFERENCE_GRACE_MINUTES,
          rolloutOnRetrain,
          webhookSecret:
            webhookUrl === null ? null : keepSecret ? existing.webhookSecret : this.secrets.seal(input.webhookSecret || generated),
        },
        transaction,
      );
      const after = mapRetrainPolicy(stored);
      describeAuditedChange({ resourceType: 'retrain-policy', resourceId: modelId, before, after });
      return after;
    });
    return { ...saved, webhookSecret: generated };
  }

  /** The template is refused now (400 naming `rolloutOnRetrain.…`) with whatever a start request would be refused for. */
  private assertRolloutTemplate(modelId: string, template: RetrainRolloutSettings): void {
    const request = retrainRolloutRequest(template, {
      modelId,
      modelName: 'model',
      championVersion: 'champion',
      candidateVersion: 'candidate',
      trainingRunId: 'run',
    });
    const problems = this.abTests.startProblems(request);
    if (problems.length > 0) throw invalidFields(problems.map((problem) => ({ ...problem, field: templateField(problem.field) })));
  }

  async getPolicy(modelId: string): Promise<RetrainPolicyDto> {
    await this.models.getSummary(modelId);
    const policy = await this.findPolicy(modelId);
    if (!policy) throw DriftErrors.RETRAIN_POLICY_NOT_FOUND(`Model ${modelId} has no retrain policy.`, { modelId });
    return mapRetrainPolicy(policy);
  }

  /** For the coordinator: the policy with its secret, or null. */
  findPolicy(modelId: string, transaction?: Transaction): Promise<RetrainPolicyEntity | null> {
    return this.policies.find(modelId, transaction);
  }
}
