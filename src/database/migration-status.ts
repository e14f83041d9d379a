import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Readiness needs to know whether every migration is applied; this keeps TypeORM out of the health controller. */
@Injectable()
export class MigrationStatus {
  constructor(private readonly dataSource: DataSource) {}

  hasPendingMigrations(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }
}
