import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import { FeatureKind, ModelReferenceFeatureEntity } from 'src/drift/reference-feature.entity';
import { ModelReferenceEntity } from 'src/drift/reference.entity';
import type { PreparedReferenceFeature } from 'src/drift/reference-sample';
import { binaryParameter, decodeFloat8ArraySend, encodeFloat8ArraySend } from 'src/common/pg-float8-array';

/** A stored feature's values as the check needs them. */
export type StoredFeatureValues =
  | { type: FeatureKind.Numerical; sorted: Float64Array; distinctCount: number; mean: number; std: number }
  | { type: FeatureKind.Categorical; categories: string[]; counts: number[]; numericCategories: boolean };

@Injectable()
export class ReferenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates or updates the reference header, which also row-locks it for the rest of the transaction: concurrent
   * uploads for one model queue here, so the feature limit and the whole-reference replacement stay consistent.
   */
  async lockHeader(modelId: string, transaction: Transaction, description?: string | null): Promise<void> {
    await transaction.manager.query(
      `INSERT INTO model_references (model_id, description) VALUES ($1, $2)
       ON CONFLICT (model_id) DO UPDATE SET updated_at = now(), description = CASE WHEN $3 THEN EXCLUDED.description ELSE model_references.description END`,
      [modelId, description ?? null, description !== undefined],
    );
  }

  async deleteFeatures(modelId: string, transaction: Transaction): Promise<void> {
    await transaction.manager.query('DELETE FROM model_reference_features WHERE model_id = $1', [modelId]);
  }

  async countFeaturesOtherThan(modelId: string, name: string, transaction: Transaction): Promise<number> {
    const [{ count }] = await transaction.manager.query(
      'SELECT count(*)::int AS count FROM model_reference_features WHERE model_id = $1 AND name <> $2',
      [modelId, name],
    );
    return count;
  }

  /**
   * Numerical values go in as one binary float8[] parameter (array_recv's format: exact bits, 12 bytes a value, no
   * decimal text for the driver to escape or the server to parse), built by the parsing worker for big uploads.
   */
  async upsertFeature(modelId: string, name: string, feature: PreparedReferenceFeature, transaction: Transaction): Promise<void> {
    const numerical = feature.type === 'numerical';
    await transaction.manager.query(
      `INSERT INTO model_reference_features
         (model_id, name, type, size, missing_count, distinct_count, numeric_values, mean, std, categories, category_counts, numeric_categories, display, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::float8[], $8, $9, $10::text[], $11::int[], $12, $13, now())
       ON CONFLICT (model_id, name) DO UPDATE SET
         type = EXCLUDED.type, size = EXCLUDED.size, missing_count = EXCLUDED.missing_count, distinct_count = EXCLUDED.distinct_count,
         numeric_values = EXCLUDED.numeric_values, mean = EXCLUDED.mean, std = EXCLUDED.std, categories = EXCLUDED.categories,
         category_counts = EXCLUDED.category_counts, numeric_categories = EXCLUDED.numeric_categories, display = EXCLUDED.display, updated_at = now()`,
      [
        modelId,
        name,
        feature.type,
        feature.size,
        feature.missingCount,
        feature.distinctCount,
        numerical ? binaryParameter(feature.arraySend ?? encodeFloat8ArraySend(feature.sorted)) : null,
        numerical ? feature.mean : null,
        numerical ? feature.std : null,
        numerical ? null : feature.categories,
        numerical ? null : feature.counts,
        numerical ? false : feature.numericCategories,
        JSON.stringify(feature.display),
      ],
    );
  }

  findHeader(modelId: string, transaction?: Transaction): Promise<ModelReferenceEntity | null> {
    return managerOf(this.dataSource, transaction).getRepository(ModelReferenceEntity).findOneBy({ modelId });
  }

  /** Summaries only: the value columns are select: false on the entity. */
  findFeatures(modelId: string, transaction?: Transaction): Promise<ModelReferenceFeatureEntity[]> {
    return managerOf(this.dataSource, transaction)
      .getRepository(ModelReferenceFeatureEntity)
      .find({ where: { modelId }, order: { name: 'ASC' } });
  }

  findFeature(modelId: string, name: string, transaction?: Transaction): Promise<ModelReferenceFeatureEntity | null> {
    return managerOf(this.dataSource, transaction).getRepository(ModelReferenceFeatureEntity).findOneBy({ modelId, name });
  }

  /** When the reference was last replaced (its header changed after it was first stored); null if never. */
  async findReplacedAt(modelId: string, transaction?: Transaction): Promise<Date | null> {
    const rows: { updatedAt: Date }[] = await managerOf(this.dataSource, transaction).query(
      'SELECT updated_at AS "updatedAt" FROM model_references WHERE model_id = $1 AND updated_at > created_at',
      [modelId],
    );
    return rows[0]?.updatedAt ?? null;
  }

  /** Blocks replacing the reference (which row-locks the header for update) until this transaction ends. */
  async shareLockHeader(modelId: string, transaction: Transaction): Promise<void> {
    await transaction.manager.query('SELECT 1 FROM model_references WHERE model_id = $1 FOR SHARE', [modelId]);
  }

  async findFeatureNames(modelId: string, transaction?: Transaction): Promise<Set<string>> {
    const rows: { name: string }[] = await managerOf(this.dataSource, transaction).query(
      'SELECT name FROM model_reference_features WHERE model_id = $1',
      [modelId],
    );
    return new Set(rows.map((row) => row.name));
  }

  /**
   * One feature's values. The float8[] is read through array_send (PostgreSQL's binary array format, as bytea), which
   * the driver hands over as one Buffer: decoding 8-byte doubles from it is far faster and lighter than parsing the
   * text form of a million numbers into a JS array first.
   */
  async loadFeatureValues(modelId: string, name: string, transaction?: Transaction): Promise<StoredFeatureValues | null> {
    const rows: {
      type: FeatureKind;
      numeric_values: Buffer | null;
      distinct_count: number;
      mean: number | null;
      std: number | null;
      categories: string[] | null;
      category_counts: number[] | null;
      numeric_categories: boolean;
    }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT type, array_send(numeric_values) AS numeric_values, distinct_count, mean, std, categories, category_counts, numeric_categories
       FROM model_reference_features WHERE model_id = $1 AND name = $2`,
      [modelId, name],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    if (row.type === FeatureKind.Numerical) {
      return {
        type: row.type,
        sorted: decodeFloat8ArraySend(row.numeric_values!),
        distinctCount: row.distinct_count,
        mean: row.mean!,
        std: row.std!,
      };
    }
    return { type: row.type, categories: row.categories!, counts: row.category_counts!, numericCategories: row.numeric_categories };
  }
}

/** The bytes as a Buffer without a copy: the driver sends a Buffer parameter in binary format. */
