import { Injectable } from '@nestjs/common';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { isUniqueViolation } from 'src/common/errors/postgres-errors';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import {
  CreateModelDto,
  ListModelsQueryDto,
  mapModel,
  ModelDto,
  ModelPageDto,
  PutModelByNameDto,
  UpdateModelDto,
} from 'src/models/dto/model.dto';
import { ModelEntity, TaskType } from 'src/models/model.entity';
import { ModelErrors } from 'src/models/models.errors';
import { ModelsRepository } from 'src/models/models.repository';

/** A model as other modules see it (entities never leave their module). */
export interface ModelSummary {
  id: string;
  name: string;
}

/** What prediction and label ingest need to know of a model. */
export interface ModelPredictionSettings {
  taskType: TaskType;
  decisionThreshold: number;
}

@Injectable()
export class ModelsService {
  constructor(
    private readonly models: ModelsRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(input: CreateModelDto): Promise<ModelDto> {
    try {
      // in a transaction so the audit entry commits with the model
      return await this.transactions.run(async (transaction) =>
        mapModel(await this.models.insert({ ...input, tags: input.tags ?? [], metadata: input.metadata ?? {} }, transaction)),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw await this.nameTaken(input.name);
      throw error;
    }
  }

  /** PUT /models/by-name/{name}: the existing model unchanged, or a new one from the body (`created` tells which). */
  async getOrCreate(name: string, input: PutModelByNameDto): Promise<{ created: boolean; model: ModelDto }> {
    const existing = await this.models.findByName(name);
    if (existing) return { created: false, model: mapModel(existing) };
    const inserted = await this.models.insertIfAbsent({ ...input, name, tags: input.tags ?? [], metadata: input.metadata ?? {} });
    if (inserted) return { created: true, model: mapModel(inserted) };
    return { created: false, model: await this.getByName(name) };
  }

  async getByName(name: string): Promise<ModelDto> {
    const model = await this.models.findByName(name);
    if (!model) throw ModelErrors.MODEL_NOT_FOUND(`No model named "${name}".`, { name });
    return mapModel(model);
  }

  /** For writers that accept `modelName`: name → id of those that exist. */
  findIdsByNames(names: string[]): Promise<Map<string, string>> {
    return this.models.findIdsByNames([...new Set(names)]);
  }

  async list(query: ListModelsQueryDto): Promise<ModelPageDto> {
    const after = decodeCursor<{ name: string }>(query.cursor, ['name']);
    const rows = await this.models.list({ ...query, afterName: after?.name });
    return toPage(rows, query.limit, mapModel, (model) => ({ name: model.name }));
  }

  async get(id: string): Promise<ModelDto> {
    return mapModel(await this.getOrFail(id));
  }

  /** For other modules: the model's id and name, or MODEL_NOT_FOUND. Pass the transaction when inside one. */
  async getSummary(id: string, transaction?: Transaction): Promise<ModelSummary> {
    const model = await this.getOrFail(id, transaction);
    return { id: model.id, name: model.name };
  }

  /** For batch writers: the ids among these that do not exist. */
  async findMissing(ids: string[], transaction?: Transaction): Promise<string[]> {
    const existing = await this.models.findExistingIds([...new Set(ids)], transaction);
    return ids.filter((id) => !existing.has(id));
  }

  /** For prediction and label ingest: task type and threshold of those of these models that exist. */
  findPredictionSettings(ids: string[], transaction?: Transaction): Promise<Map<string, ModelPredictionSettings>> {
    return this.models.findPredictionSettings([...new Set(ids)], transaction);
  }

  async update(id: string, changes: UpdateModelDto): Promise<ModelDto> {
    const model = await this.getOrFail(id);
    try {
      return await this.transactions.run(async (transaction) => mapModel(await this.models.update(model, changes, transaction)));
    } catch (error) {
      if (isUniqueViolation(error) && changes.name !== undefined) throw await this.nameTaken(changes.name);
      throw error;
    }
  }

  /** Without force, refuses while any module holds data for the model; with force, everything goes in one transaction. */
  async delete(id: string, force: boolean): Promise<void> {
    await this.transactions.run(async (transaction) => {
      const model = await this.models.findByIdForUpdate(id, transaction);
      if (!model) throw ModelErrors.MODEL_NOT_FOUND(`No model with id ${id}.`, { modelId: id });
      if (!force) {
        const tables = await this.models.tablesWithData(id, transaction);
        if (tables.length > 0) {
          throw ModelErrors.MODEL_HAS_DATA(
            `Model "${model.name}" still has data in ${tables.join(', ')}; delete with ?force=true to remove it all.`,
            {
              tables,
            },
          );
        }
      }
      await this.models.delete(id, transaction);
    });
  }

  /** The 409 for a taken name carries the holder's id, so a client can carry on with it. */
  private async nameTaken(name: string) {
    const holder = await this.models.findByName(name);
    return ModelErrors.MODEL_NAME_TAKEN(`A model named "${name}" already exists${holder ? ` (id ${holder.id})` : ''}.`, {
      name,
      existingModelId: holder?.id ?? null,
    });
  }

  private async getOrFail(id: string, transaction?: Transaction): Promise<ModelEntity> {
    const model = await this.models.findById(id, transaction);
    if (!model) throw ModelErrors.MODEL_NOT_FOUND(`No model with id ${id}.`, { modelId: id });
    return model;
  }
}
