import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { managerOf, Transaction } from 'src/database/transaction';
import { ModelEntity, TaskType } from 'src/models/model.entity';

export interface ModelFilter {
  taskType?: TaskType;
  tag?: string;
  owner?: string;
  namePrefix?: string;
  /** Exact name (at most one model). */
  name?: string;
  afterName?: string;
  limit: number;
}

export type NewModel = Pick<ModelEntity, 'name'> & Partial<Omit<ModelEntity, 'id' | 'createdAt' | 'updatedAt'>>;

@Injectable()
export class ModelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(ModelEntity);
  }

  insert(model: NewModel, transaction?: Transaction): Promise<ModelEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.create(model));
  }

  findById(id: string, transaction?: Transaction): Promise<ModelEntity | null> {
    return this.repository(transaction).findOneBy({ id });
  }

  findByName(name: string, transaction?: Transaction): Promise<ModelEntity | null> {
    return this.repository(transaction).findOneBy({ name });
  }

  /** name → id for those of these names that exist (for writers addressing models by name). */
  async findIdsByNames(names: string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query('SELECT id, name FROM models WHERE name = ANY($1::text[])', [
      names,
    ]);
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  /**
   * Inserts unless a model of that name exists (ON CONFLICT DO NOTHING, so a concurrent creator never
   * sees an error); null when it existed.
   */
  async insertIfAbsent(model: NewModel): Promise<ModelEntity | null> {
    const result = await this.repository()
      .createQueryBuilder()
      .insert()
      .values(model as QueryDeepPartialEntity<ModelEntity>)
      .orIgnore()
      .returning('id')
      .execute();
    const id = (result.raw as { id: string }[])[0]?.id;
    return id ? this.findById(id) : null;
  }

  /** Locks the row for the rest of the transaction (used while deleting). */
  findByIdForUpdate(id: string, transaction: Transaction): Promise<ModelEntity | null> {
    return this.repository(transaction).createQueryBuilder('model').where('model.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** Which of these ids exist (for batch writes that name many models). */
  async findExistingIds(ids: string[], transaction?: Transaction): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await managerOf(this.dataSource, transaction).query('SELECT id FROM models WHERE id = ANY($1::uuid[])', [
      ids,
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** Task type and decision threshold of these models (those that exist), for prediction and label ingest. */
  async findPredictionSettings(
    ids: string[],
    transaction?: Transaction,
  ): Promise<Map<string, { taskType: TaskType; decisionThreshold: number }>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; task_type: TaskType; decision_threshold: number }[] = await managerOf(this.dataSource, transaction).query(
      'SELECT id, task_type, decision_threshold FROM models WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, { taskType: row.task_type, decisionThreshold: row.decision_threshold }]));
  }

  /** Keyset page ordered by name (unique), so pages are stable under concurrent inserts. */
  list(filter: ModelFilter): Promise<ModelEntity[]> {
    const query = this.repository()
      .createQueryBuilder('model')
      .orderBy('model.name', 'ASC')
      .limit(filter.limit + 1);
    if (filter.taskType) query.andWhere('model.taskType = :taskType', { taskType: filter.taskType });
    if (filter.owner) query.andWhere('model.owner = :owner', { owner: filter.owner });
    if (filter.tag) query.andWhere('model.tags @> ARRAY[:tag]::text[]', { tag: filter.tag });
    if (filter.name !== undefined) query.andWhere('model.name = :name', { name: filter.name });
    if (filter.namePrefix) {
      query.andWhere("model.name LIKE :prefix ESCAPE '\\'", { prefix: `${filter.namePrefix.replace(/[\\%_]/g, '\\$&')}%` });
    }
    if (filter.afterName !== undefined) query.andWhere('model.name > :afterName', { afterName: filter.afterName });
    return query.getMany();
  }

  async update(model: ModelEntity, changes: Partial<ModelEntity>, transaction?: Transaction): Promise<ModelEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.merge(model, changes));
  }

  /**
   * Tables with a foreign key to models(id) that hold rows for this model. Read from the
   * catalog so the registry needs no knowledge of the modules that hang data off it; the partitions
   * of a partitioned table inherit its foreign key and are left out (the parent names them all).
   */
  async tablesWithData(id: string, transaction: Transaction): Promise<string[]> {
    const references: { table_name: string; column_name: string }[] = await transaction.manager.query(`
      SELECT child.relname AS table_name, attribute.attname AS column_name
      FROM pg_constraint constraint_
      JOIN pg_class child ON child.oid = constraint_.conrelid
      JOIN pg_attribute attribute ON attribute.attrelid = constraint_.conrelid AND attribute.attnum = constraint_.conkey[1]
      WHERE constraint_.contype = 'f' AND constraint_.confrelid = 'models'::regclass AND NOT child.relispartition
      ORDER BY child.relname`);
    const tables: string[] = [];
    for (const reference of references) {
      const [{ present }] = await transaction.manager.query(
        `SELECT EXISTS (SELECT 1 FROM "${reference.table_name}" WHERE "${reference.column_name}" = $1) AS present`,
        [id],
      );
      if (present) tables.push(reference.table_name);
    }
    return tables;
  }

  async delete(id: string, transaction: Transaction): Promise<void> {
    await this.repository(transaction).delete({ id });
  }
}
