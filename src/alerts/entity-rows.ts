import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Raw SQL (upserts with ON CONFLICT, CTEs with SKIP LOCKED, the view) returns snake_case rows; this maps
 * one back to the entity through TypeORM's column metadata, so the column list is written only once.
 * The pg driver already parses timestamptz to Date, float8/int4 to number and jsonb to objects.
 */
export function rowToEntity<Entity extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<Entity>,
  row: Record<string, unknown>,
): Entity {
  const entity = {} as Record<string, unknown>;
  for (const column of dataSource.getMetadata(target).columns) {
    if (column.databaseName in row) entity[column.propertyName] = row[column.databaseName];
  }
  return entity as Entity;
}
