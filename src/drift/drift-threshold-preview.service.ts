import { Injectable } from '@nestjs/common';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { DriftChecksRepository } from 'src/drift/drift-checks.repository';
import { replayDriftThresholds } from 'src/drift/drift-threshold-replay.policy';
import {
  DriftThresholdPreviewDto,
  mapDriftThresholdPreview,
  MAX_DRIFT_PREVIEW_RESULTS,
  PreviewDriftThresholdsDto,
} from 'src/drift/dto/drift-threshold-preview.dto';
import { ModelsService } from 'src/models/models.service';

/** POST /drift/thresholds/preview: a model's stored checks re-decided with other thresholds (reads only). */
@Injectable()
export class DriftThresholdPreviewService {
  constructor(
    private readonly checks: DriftChecksRepository,
    private readonly models: ModelsService,
  ) {}

  async preview(input: PreviewDriftThresholdsDto): Promise<DriftThresholdPreviewDto> {
    const from = input.from !== undefined ? new Date(input.from) : undefined;
    const to = input.to !== undefined ? new Date(input.to) : undefined;
    if (from && to && from.getTime() >= to.getTime()) throw invalidField('to', 'must be after from');
    const negative = Object.entries(input.thresholds).filter(([, threshold]) => threshold < 0);
    if (negative.length > 0) throw invalidFields(negative.map(([name]) => ({ field: `thresholds.${name}`, message: 'must be ≥ 0' })));
    await this.models.getSummary(input.modelId);
    const size = await this.checks.countResults(input.modelId, from, to);
    if (size.results > MAX_DRIFT_PREVIEW_RESULTS) {
      throw invalidField(
        'from',
        `the range holds ${size.results} feature results of ${size.checks} checks; at most ${MAX_DRIFT_PREVIEW_RESULTS}: narrow it`,
      );
    }
    const stored = await this.checks.findDecisions(input.modelId, from, to);
    const replay = replayDriftThresholds(stored, new Map(Object.entries(input.thresholds)), input.driftShareThreshold);
    const unknown = Object.keys(input.thresholds).filter((name) => !replay.features.has(name));
    if (unknown.length > 0) {
      throw invalidFields(unknown.map((name) => ({ field: `thresholds.${name}`, message: `no check in the range tested "${name}"` })));
    }
    return mapDriftThresholdPreview(input.modelId, replay, input.thresholds);
  }
}
