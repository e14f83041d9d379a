import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** The migrations and the entities must describe the same schema (the `migration:generate --check` idea, as a test). */
describe('database schema (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('has no difference between the entities and the migrated database', async () => {
    const dataSource = testApp.app.get(DataSource);
    const sql = await dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has applied every migration', async () => {
    const dataSource = testApp.app.get(DataSource);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
