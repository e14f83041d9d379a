import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField } from 'src/common/errors/domain-error';
import { decodeTimeCursor, timeCursorKey, toPage } from 'src/common/pagination/cursor';
import type { Transaction } from 'src/database/transaction';
import { DriftCheckEntity } from 'src/drift/drift-check.entity';
import { DriftChecksRepository } from 'src/drift/drift-checks.repository';
import { buildHeatmap, HEATMAP_BUCKETS, heatmapGrid, MAX_HEATMAP_BUCKETS } from 'src/drift/drift-heatmap.policy';
import { DriftErrors } from 'src/drift/drift.errors';
import {
  DriftCheckDto,
  DriftCheckPageDto,
  DriftHeatmapDto,
  DriftHeatmapQueryDto,
  DriftTimeRangeQueryDto,
  ListDriftChecksQueryDto,
  mapDriftCheck,
  mapDriftCheckSummary,
  mapHeatmapCell,
} from 'src/drift/dto/drift-check.dto';
import { ModelsService } from 'src/models/models.service';

/** Reading stored checks back: one check, a model's checks over time, and the features × time heatmap. */
@Injectable()
export class DriftHistoryService {
  constructor(
    private readonly checks: DriftChecksRepository,
    private readonly models: ModelsService,
    private readonly clock: Clock,
  ) {}

  async getCheck(checkId: string): Promise<DriftCheckDto> {
    return this.getCheckWithResults(checkId);
  }

  /** DRIFT_CHECK_NOT_FOUND unless the check exists (and, when given, belongs to the model). */
  async getCheckWithResults(checkId: string, modelId?: string, transaction?: Transaction): Promise<DriftCheckDto> {
    const check = await this.getOrFail(checkId, modelId, transaction);
    return mapDriftCheck(check, await this.checks.findResults(check.modelId, check.id, transaction));
  }

  async listChecks(query: ListDriftChecksQueryDto): Promise<DriftCheckPageDto> {
    await this.models.getSummary(query.modelId);
    const { from, to } = parseRange(query);
    const after = decodeTimeCursor(query.cursor, 'checkedAt');
    const rows = await this.checks.list({
      modelId: query.modelId,
      from,
      to,
      before: after ? { checkedAt: after.at, id: after.id } : undefined,
      limit: query.limit,
    });
    return toPage(rows, query.limit, mapDriftCheckSummary, (check) => timeCursorKey('checkedAt', check.checkedAt, check.id));
  }

  async getHeatmap(query: DriftHeatmapQueryDto): Promise<DriftHeatmapDto> {
    await this.models.getSummary(query.modelId);
    const bucket = query.bucket ?? '1d';
    const range = parseRange(query);
    const grid = heatmapGrid(range.to ?? this.clock.now(), HEATMAP_BUCKETS[bucket], range.from);
    if (!grid)
      throw invalidField('from', `the range spans more than ${MAX_HEATMAP_BUCKETS} ${bucket} buckets; narrow it or use a wider bucket`);
    const aggregates = await this.checks.heatmap(query.modelId, grid.from, grid.to, HEATMAP_BUCKETS[bucket]);
    return {
      modelId: query.modelId,
      bucket,
      from: grid.from.toISOString(),
      to: grid.to.toISOString(),
      buckets: grid.starts.map((start) => start.toISOString()),
      features: buildHeatmap(aggregates, grid.starts).map((feature) => ({ name: feature.name, cells: feature.cells.map(mapHeatmapCell) })),
    };
  }

  private async getOrFail(checkId: string, modelId?: string, transaction?: Transaction): Promise<DriftCheckEntity> {
    const check = await this.checks.findById(checkId, modelId, transaction);
    if (!check) {
      throw DriftErrors.DRIFT_CHECK_NOT_FOUND(`No drift check with id ${checkId}${modelId ? ` for model ${modelId}` : ''}.`, { checkId });
    }
    return check;
  }
}

function parseRange(query: DriftTimeRangeQueryDto): { from?: Date; to?: Date } {
  const from = query.from !== undefined ? new Date(query.from) : undefined;
  const to = query.to !== undefined ? new Date(query.to) : undefined;
  if (from && to && from.getTime() >= to.getTime()) throw invalidField('from', 'must be before to');
  return { from, to };
}
